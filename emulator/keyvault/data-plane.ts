import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { json, readBody, splitPath, type Reply } from '../http.js';
import type { PermissionsScenario } from '../scenario-types.js';
import { principalOf } from '../routes/identity.js';
import { jwtClaims } from '../secrets.js';
import { kvError, refusal, type SecretPermission } from './access.js';
import type { KeyVaults, SecretState, SecretVersionState, VaultState } from './state.js';

/** The resource a vault's 401 challenge names; the SDK asks for `<resource>/.default`. */
export const VAULT_RESOURCE = 'https://vault.azure.net';
/** Key Vault lists at most 25 items a page. */
const MAX_PAGE = 25;

export interface TrackedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operation: string;
  /** The vault's name, to tell vaults apart in the emulator's one request log. */
  vault: string;
}

export interface VaultDataPlaneOptions {
  vaults: KeyVaults;
  certificate: { serverKeyPem: string; serverCertPem: string };
  tenantId: string;
  /** The login's permissions: an RBAC vault enforces their data actions. */
  permissions: PermissionsScenario | undefined;
  /** Whether an access token the emulator's Entra issued has expired (on the world clock). */
  tokenExpired?: (token: string) => boolean;
  /** Logs a request (a write when it changes state); the returned function takes its status. */
  track: (request: TrackedRequest, write: boolean) => (status: number) => void;
}

/**
 * The Key Vault data plane (secrets, api-version 7.x), one HTTPS server per vault on 127.0.0.1: a
 * vault is the root of its host. It answers a request without a token with the 401 challenge the
 * SDK follows, and a token for another audience with 401 too.
 */
export class VaultDataPlane {
  private readonly servers: Server[] = [];

  constructor(private readonly options: VaultDataPlaneOptions) {}

  async start(): Promise<void> {
    for (const vault of this.options.vaults.list()) {
      const { serverKeyPem, serverCertPem } = this.options.certificate;
      const server = createServer(
        { key: serverKeyPem, cert: serverCertPem, keepAlive: true },
        (request, response) => {
          this.onRequest(vault, request, response).catch((error: unknown) => {
            if (!response.headersSent) send(response, kvError(500, 'InternalError', String(error)));
          });
        },
      );
      server.on('clientError', (_error, socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      vault.uri = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      this.servers.push(server);
    }
  }

  stop(): Promise<void> {
    return Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  }

  private async onRequest(vault: VaultState, request: IncomingMessage, response: ServerResponse) {
    const target = new URL(request.url ?? '/', vault.uri);
    const method = (request.method ?? 'GET').toUpperCase();
    const segments = splitPath(target.pathname);
    const operation = operationOf(method, segments);
    const done = this.options.track(
      {
        method,
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        operation,
        vault: vault.name,
      },
      operation === 'Secrets.set',
    );
    const body = await readBody(request);
    const reply = this.answer(vault, method, segments, target, request.headers.authorization, body);
    done(reply.status);
    send(response, reply);
  }

  private answer(
    vault: VaultState,
    method: string,
    segments: string[],
    target: URL,
    authorization: string | undefined,
    body: string,
  ): Reply {
    const token = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
    if (!token) return this.challenge('AKV10000: Request is missing a Bearer or PoP token.');
    const audience = jwtClaims(token)?.aud;
    if (typeof audience === 'string' && audience.replace(/\/+$/, '') !== VAULT_RESOURCE)
      return this.challenge(
        `AKV10022: Invalid audience. Expected ${VAULT_RESOURCE}, found: ${audience}.`,
      );
    // Key Vault answers an expired token with the challenge again: the SDK fetches a new one.
    if (this.options.tokenExpired?.(token))
      return this.challenge('Token validation failed: the token has expired (IDX10223).');
    if (vault.throttledRequests > 0) {
      vault.throttledRequests--;
      return kvError(
        429,
        'Throttled',
        `Request was not allowed because the vault ${vault.name} is throttled.`,
        { 'Retry-After': '0' },
      );
    }
    if (!/^7\.\d+(-preview)?$/.test(target.searchParams.get('api-version') ?? ''))
      return kvError(400, 'BadParameter', 'The api-version query parameter is missing or invalid.');
    const [collection, name, version, ...rest] = segments;
    if (collection !== 'secrets' || rest.length > 0) return kvError(404, 'NotFound', 'Not found.');
    const principal = principalOf(token);
    const refuse = (permission: SecretPermission, secret?: SecretState) =>
      refusal(this.options.permissions, { vault, principal, permission, secret, name });
    const vaults = this.options.vaults;

    if (!name) {
      if (method !== 'GET') return methodNotAllowed();
      return (
        refuse('list') ??
        listPage(vault, [...vault.secrets.values()], target, (s) => s.versions.at(-1)!, false)
      );
    }
    const secret = vaults.secret(vault, name);
    if (version === 'versions') {
      if (method !== 'GET') return methodNotAllowed();
      if (!secret) return notFound(vault, name);
      return (
        refuse('list', secret) ??
        listPage(vault, secret.versions, target, (v) => v, true, secret.name)
      );
    }
    if (method === 'PUT' && version === undefined) {
      const denied = refuse('set', secret);
      if (denied) return denied;
      const parsed = parseSetBody(body);
      if (typeof parsed === 'string') return kvError(400, 'BadParameter', parsed);
      const stored = vaults.setSecret(vault, name, parsed);
      return json(200, bundle(vault, vaults.secret(vault, name)!.name, stored, true));
    }
    if (method !== 'GET') return methodNotAllowed();
    if (!secret) return notFound(vault, name);
    const denied = refuse('get', secret);
    if (denied) return denied;
    const found = version
      ? secret.versions.find((v) => v.version === version)
      : secret.versions.at(-1);
    if (!found) return notFound(vault, `${name}/${version}`);
    if (!found.enabled)
      return kvError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.');
    return json(200, bundle(vault, secret.name, found, true));
  }

  private challenge(message: string): Reply {
    return kvError(401, 'Unauthorized', message, {
      'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${this.options.tenantId}", resource="${VAULT_RESOURCE}"`,
    });
  }
}

function operationOf(method: string, segments: string[]): string {
  const [, name, version] = segments;
  if (!name) return 'Secrets.list';
  if (version === 'versions') return 'Secrets.listVersions';
  return method === 'PUT' ? 'Secrets.set' : 'Secrets.get';
}

function parseSetBody(
  body: string,
): Omit<SecretVersionState, 'version' | 'created' | 'updated'> | string {
  let parsed: {
    value?: unknown;
    contentType?: unknown;
    tags?: unknown;
    attributes?: { enabled?: unknown; exp?: unknown; nbf?: unknown };
  };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof parsed.value !== 'string') return 'Property value is required.';
  const attributes = parsed.attributes ?? {};
  const seconds = (v: unknown) => (typeof v === 'number' ? v * 1000 : undefined);
  const expires = seconds(attributes.exp);
  const notBefore = seconds(attributes.nbf);
  return {
    value: parsed.value,
    ...(typeof parsed.contentType === 'string' ? { contentType: parsed.contentType } : {}),
    ...(parsed.tags && typeof parsed.tags === 'object'
      ? { tags: { ...(parsed.tags as Record<string, string>) } }
      : {}),
    enabled: attributes.enabled !== false,
    ...(expires !== undefined ? { expires } : {}),
    ...(notBefore !== undefined ? { notBefore } : {}),
  };
}

/** A SecretBundle (with the value) or a SecretItem (without), as the data plane sends them. */
function bundle(
  vault: VaultState,
  name: string,
  v: SecretVersionState,
  withValue: boolean,
  versioned = true,
) {
  const s = (ms: number) => Math.floor(ms / 1000);
  return {
    ...(withValue ? { value: v.value } : {}),
    id: `${vault.uri}secrets/${name}${versioned ? `/${v.version}` : ''}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    ...(v.tags ? { tags: v.tags } : {}),
    attributes: {
      enabled: v.enabled,
      created: s(v.created),
      updated: s(v.updated),
      ...(v.expires !== undefined ? { exp: s(v.expires) } : {}),
      ...(v.notBefore !== undefined ? { nbf: s(v.notBefore) } : {}),
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
  };
}

/** A page of secrets (current versions, ids without version) or of one secret's versions. */
function listPage<T>(
  vault: VaultState,
  items: T[],
  target: URL,
  versionOf: (item: T) => SecretVersionState,
  versions: boolean,
  secretName?: string,
): Reply {
  const requested = Number(target.searchParams.get('maxresults') ?? MAX_PAGE);
  const size = Math.min(MAX_PAGE, Math.max(1, Number.isFinite(requested) ? requested : MAX_PAGE));
  const offset = Number(target.searchParams.get('$skiptoken') ?? 0) || 0;
  const page = items.slice(offset, offset + size);
  const next = new URL(target.toString());
  next.searchParams.set('$skiptoken', String(offset + size));
  return json(200, {
    value: page.map((item) => {
      const name = secretName ?? (item as unknown as SecretState).name;
      return bundle(vault, name, versionOf(item), false, versions);
    }),
    nextLink: offset + size < items.length ? next.toString() : null,
  });
}

function notFound(vault: VaultState, name: string): Reply {
  return kvError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182 (vault ${vault.name})`,
  );
}

function methodNotAllowed(): Reply {
  return kvError(405, 'MethodNotAllowed', 'The requested method is not allowed.');
}

function send(response: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'x-ms-request-id': crypto.randomUUID(),
    'x-ms-keyvault-service-version': '1.9.0.0',
    ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(payload)),
    ...reply.headers,
  });
  response.end(payload);
}
