import { json, matchSegments, type Reply } from '../http.js';
import { fakeJwt, jwtClaims } from '../secrets.js';
import {
  entraError,
  instanceDiscovery,
  openidConfiguration,
  unknownTenant,
} from './entra-metadata.js';

/** Stand-ins for Microsoft Entra ID (client credentials) and the GitHub Actions OIDC token service. */

export interface TokenRequestRecord {
  seq: number;
  time: number;
  tenant: string;
  grantType?: string;
  clientId?: string;
  scope?: string;
  clientSecret?: string;
  clientAssertionType?: string;
  clientAssertion?: string;
  /** The assertion is an id token this emulator issued at /_github/idtoken. */
  assertionIssuedByEmulator: boolean;
  status: number;
  error?: string;
  accessToken?: string;
  expiresAt?: number;
}

export interface IdTokenRequestRecord {
  seq: number;
  time: number;
  audience?: string;
  /** The runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN, as received; any non-empty one is accepted. */
  requestToken?: string;
  authorized: boolean;
  token?: string;
}

export interface AccessTokenInfo {
  expiresAt: number;
  clientId: string;
  principalId: string;
}

export interface IdentityOptions {
  tenantId: string;
  clientId?: string;
  principalId: string;
  tokenLifetimeSeconds: number;
  idTokenLifetimeSeconds: number;
  nextSeq: () => number;
  rememberSecret: (value: string) => void;
  /** The world's clock (moved on by advanceClock): tokens are issued and expire by it. */
  now: () => number;
}

/** Shorter values a client sends are not remembered as secrets: leak scans would match them by chance. */
const minimumRememberedLength = 8;

interface IdentityRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  rawBody: string;
  authorization?: string;
  baseUrl: string;
}

interface IdentityRoute {
  method: string;
  pattern: string;
  name: string;
  handle: (request: IdentityRequest, params: Record<string, string>) => Reply;
}

export class IdentityService {
  private readonly tokens: TokenRequestRecord[] = [];
  private readonly idTokens: IdTokenRequestRecord[] = [];
  private readonly issuedAccessTokens = new Map<string, AccessTokenInfo>();
  private readonly issuedIdTokens = new Map<string, number>();

  constructor(private readonly options: IdentityOptions) {}

  tokenRequests(): TokenRequestRecord[] {
    return this.tokens.map((record) => ({ ...record }));
  }

  idTokenRequests(): IdTokenRequestRecord[] {
    return this.idTokens.map((record) => ({ ...record }));
  }

  /** Undefined for tokens this emulator did not issue (those are accepted as they are). */
  accessToken(token: string): AccessTokenInfo | undefined {
    return this.issuedAccessTokens.get(token);
  }

  /** The name of the route, or undefined when the path is not an identity route. */
  operationFor(method: string, segments: string[]): string | undefined {
    return this.route(method, segments)?.route.name;
  }

  handle(request: IdentityRequest): Reply | undefined {
    const found = this.route(request.method, request.segments);
    return found?.route.handle(request, found.params);
  }

  private readonly routes: IdentityRoute[] = [
    {
      method: 'GET',
      pattern: '_github/idtoken',
      name: 'GitHub.idToken',
      handle: (r) => this.issueIdToken(r),
    },
    {
      method: 'GET',
      pattern: 'common/discovery/instance',
      name: 'Entra.instanceDiscovery',
      handle: (r) => instanceDiscovery(r.baseUrl, r.query),
    },
    {
      method: 'GET',
      pattern: ':tenant/v2.0/.well-known/openid-configuration',
      name: 'Entra.openidConfiguration',
      handle: (r, p) => openidConfiguration(r.baseUrl, p.tenant as string, this.options.tenantId),
    },
    {
      method: 'GET',
      pattern: ':tenant/discovery/v2.0/keys',
      name: 'Entra.keys',
      handle: () => json(200, { keys: [] }),
    },
    {
      method: 'POST',
      pattern: ':tenant/oauth2/v2.0/token',
      name: 'Entra.token',
      handle: (r, p) => this.token(r, p.tenant as string),
    },
  ];

  private route(
    method: string,
    segments: string[],
  ): { route: IdentityRoute; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const params = matchSegments(route.pattern.split('/'), segments);
      if (params && route.method === method) return { route, params };
    }
    return undefined;
  }

  private issueIdToken(request: IdentityRequest): Reply {
    const audience = request.query.get('audience') ?? undefined;
    const requestToken = /^Bearer\s+(\S+)/i.exec(request.authorization ?? '')?.[1];
    if (requestToken) this.rememberReceived(requestToken);
    const record: IdTokenRequestRecord = {
      seq: this.options.nextSeq(),
      time: this.options.now(),
      audience,
      requestToken,
      authorized: requestToken !== undefined,
    };
    this.idTokens.push(record);
    if (!record.authorized) return json(401, { message: 'Bad credentials' });
    const now = Math.floor(this.options.now() / 1000);
    const expiresAt = now + this.options.idTokenLifetimeSeconds;
    const token = fakeJwt({
      iss: 'https://token.actions.githubusercontent.com',
      aud: audience ?? 'https://github.com/octo-org',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      ref: 'refs/heads/main',
      nbf: now - 5,
      iat: now,
      exp: expiresAt,
    });
    this.options.rememberSecret(token);
    this.issuedIdTokens.set(token, expiresAt * 1000);
    record.token = token;
    return json(200, { count: 1, value: token });
  }

  private token(request: IdentityRequest, tenant: string): Reply {
    const form = new URLSearchParams(request.rawBody);
    const field = (name: string) => form.get(name) ?? undefined;
    const assertion = field('client_assertion');
    const record: TokenRequestRecord = {
      seq: this.options.nextSeq(),
      time: this.options.now(),
      tenant,
      grantType: field('grant_type'),
      clientId: field('client_id'),
      scope: field('scope'),
      clientSecret: field('client_secret'),
      clientAssertionType: field('client_assertion_type'),
      clientAssertion: assertion,
      assertionIssuedByEmulator: assertion !== undefined && this.issuedIdTokens.has(assertion),
      status: 0,
    };
    this.tokens.push(record);
    const reply = this.tokenReply(record, tenant);
    record.status = reply.status;
    return reply;
  }

  private tokenReply(record: TokenRequestRecord, tenant: string): Reply {
    const fail = (status: number, error: string, code: number, description: string): Reply => {
      record.error = `${error}: AADSTS${code}`;
      return entraError(status, error, code, description);
    };
    const unknown = unknownTenant(tenant, this.options.tenantId);
    if (unknown) {
      record.error = 'invalid_request: AADSTS90002';
      return unknown;
    }
    if (record.grantType !== 'client_credentials')
      return fail(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${record.grantType}'.`,
      );
    if (!record.clientId)
      return fail(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    if (this.options.clientId && record.clientId !== this.options.clientId) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${record.clientId}' was not found in the directory '${this.options.tenantId}'.`,
      );
    }
    if (!record.scope)
      return fail(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'scope'.",
      );
    if (record.clientSecret) this.rememberReceived(record.clientSecret);
    if (record.clientAssertion) {
      const issuedExpiry = this.issuedIdTokens.get(record.clientAssertion);
      if (issuedExpiry !== undefined && issuedExpiry <= this.options.now())
        return fail(
          400,
          'invalid_client',
          700024,
          'Client assertion is not within its valid time range.',
        );
    } else if (!record.clientSecret) {
      return fail(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    const lifetimeMs = this.options.tokenLifetimeSeconds * 1000;
    const now = this.options.now();
    const resource = record.scope.split(' ')[0]?.replace(/\/?\.default$/, '') ?? '';
    const accessToken = fakeJwt({
      aud: resource,
      iss: `https://sts.windows.net/${this.options.tenantId}/`,
      iat: Math.floor(now / 1000),
      nbf: Math.floor(now / 1000),
      exp: Math.floor((now + lifetimeMs) / 1000),
      appid: record.clientId,
      oid: this.options.principalId,
      sub: this.options.principalId,
      tid: this.options.tenantId,
      idtyp: 'app',
      ver: '1.0',
    });
    this.options.rememberSecret(accessToken);
    this.issuedAccessTokens.set(accessToken, {
      expiresAt: now + lifetimeMs,
      clientId: record.clientId,
      principalId: this.options.principalId,
    });
    record.accessToken = accessToken;
    record.expiresAt = now + lifetimeMs;
    return json(200, {
      token_type: 'Bearer',
      expires_in: this.options.tokenLifetimeSeconds,
      ext_expires_in: this.options.tokenLifetimeSeconds,
      access_token: accessToken,
    });
  }

  private rememberReceived(value: string): void {
    if (value.length >= minimumRememberedLength) this.options.rememberSecret(value);
  }
}

/** The principal's object id, read from an access token when it is JWT-shaped. */
export function principalOf(token: string): string {
  const oid = jwtClaims(token)?.oid;
  return typeof oid === 'string' ? oid : '00000000-0000-0000-0000-000000000000';
}
