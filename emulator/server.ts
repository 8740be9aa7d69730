import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArmError } from './arm-errors.js';
import { emulatorCertificate } from './cert.js';
import { defaultFaultBody, FaultBook, type FaultRule } from './faults.js';
import type { GitHubIssue, GitHubOptions } from './github.js';
import { firstQueryValues, json, readBody, splitPath, type Reply } from './http.js';
import { matchArmRoute, type ArmRouteMatch } from './routes/arm.js';
import { VaultDataPlane } from './keyvault/data-plane.js';
import type { VaultSecretView } from './keyvault/state.js';
import { GitHubApi } from './routes/github.js';
import { LogsQueryApi } from './routes/logs-query.js';
import {
  IdentityService,
  principalOf,
  type IdTokenRequestRecord,
  type TokenRequestRecord,
} from './routes/identity.js';
import { delegationKeyValue } from './sas/delegation.js';
import type { SasResource } from './sas/resource.js';
import type { DelegationKeyFields } from './sas/sign.js';
import type { SasVerdict } from './sas/validate.js';
import { loadScenario, validateScenario, type Holds, type Scenario } from './scenario.js';
import { Throttle, throttledBody, type ThrottlingSettings } from './throttling.js';
import { World, type Consumer, type TimelineEntry } from './world.js';

export type { FaultRule } from './faults.js';
export type { GitHubAccess, GitHubIssue, GitHubOptions } from './github.js';
export type { IdTokenRequestRecord, TokenRequestRecord } from './routes/identity.js';
export type { SasResource } from './sas/resource.js';
export type { SasVerdict } from './sas/validate.js';
export type { SasScenario, Scenario } from './scenario.js';
export type { BucketSettings, ThrottlingSettings } from './throttling.js';
export type { Consumer, TimelineEntry } from './world.js';
export type { VaultSecretView } from './keyvault/state.js';

export interface RequestRecord {
  seq: number;
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 while in flight, and for requests answered by a connection reset. */
  status: number;
  apiVersion?: string;
  body?: unknown;
  fault?: string;
  /** SDK-style name of the operation, e.g. "Datastores.createOrUpdate". */
  operation?: string;
  /** Answered 429 by ARM's throttling (not by an injected fault). */
  throttled?: boolean;
  /** When the answer was handed to the socket (ms since the epoch); absent for a reset. */
  answeredAt?: number;
  /** For a Key Vault data-plane request: the vault's name. */
  vault?: string;
}

export interface StartEmulatorOptions {
  scenario: Scenario | string;
  latencyMs?: number;
  faults?: FaultRule[];
  port?: number;
  tokenLifetimeSeconds?: number;
  idTokenLifetimeSeconds?: number;
  /** The GitHub REST API stand-in under /_github/api (issues). */
  github?: GitHubOptions;
  /** ARM's throttling (token buckets); overrides the scenario's. Off unless one of them sets it. */
  throttling?: ThrottlingSettings;
}

export interface Emulator {
  url: string;
  caFile: string;
  /** PEM of the CA, for an in-process https.Agent({ ca }). */
  caPem: string;
  subscriptionId: string;
  tenantId: string;
  /** Value for ACTIONS_ID_TOKEN_REQUEST_URL (the GitHub OIDC stand-in). */
  idTokenRequestUrl: string;
  requests(): RequestRecord[];
  writes(): RequestRecord[];
  keys(account: string): { key1: string; key2: string };
  secrets(): string[];
  datastore(workspace: string, name: string): { properties: any; secret?: string } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A workspace connection as stored (properties without credentials) and the secret it holds. */
  connection(workspace: string, name: string): { properties: any; secret?: string } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * What the storage service makes of a SAS consumer's token right now (valid, who signed it, why
   * not), by consumer id as in the timeline: `datastore:<workspace>/<name>`, `connection:…`.
   * Undefined for a consumer that holds no SAS token.
   */
  sas(consumerId: string): SasVerdict | undefined;
  /** The storage service's verdict on a SAS token used for a resource of the account (no request is made). */
  checkSas(account: string, token: string, resource: SasResource): SasVerdict;
  /** The value of the user delegation key the account's service hands out for these fields (Get User Delegation Key). */
  userDelegationKey(account: string, fields: DelegationKeyFields): string;
  workspaceKey(workspace: string): string | undefined;
  /** A Key Vault secret's versions (oldest first) and the account and key its current one holds. */
  vaultSecret(vault: string, name: string): VaultSecretView | undefined;
  holds(account: string, value: string | undefined): Holds;
  timeline(): TimelineEntry[];
  invalidConsumers(): string[];
  consumers(): Consumer[];
  addFault(rule: FaultRule): void;
  /** Removes every fault rule, those given at start included. */
  clearFaults(): void;
  /**
   * The cause of a datastore's or connection's write faults is fixed (between two runs): its
   * failPut/failUpdate and loseUpdate from the scenario no longer apply.
   */
  fixWrites(kind: 'datastore' | 'connection', workspace: string, name: string): void;
  tokenRequests(): TokenRequestRecord[];
  idTokenRequests(): IdTokenRequestRecord[];
  /** The issues opened through the GitHub REST API stand-in, with their comments. */
  githubIssues(): GitHubIssue[];
  /**
   * Moves the world's clock on (between two runs): key creation times, writes and storage traffic
   * are read against it from then on. A run of the action must see the same time: start it with
   * the offset (`clockOffsetMs`) through __tests__/support/shifted-clock.mjs.
   */
  advanceClock(ms: number): void;
  /** How far advanceClock has moved the world's clock ahead of real time. */
  clockOffsetMs(): number;
  stop(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions): Promise<Emulator> {
  const scenario =
    typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  if (typeof options.scenario !== 'string') validateScenario(scenario);
  const certificate = await emulatorCertificate();

  let sequence = 0;
  const nextSeq = () => ++sequence;
  // The world's clock: real time, moved on by advanceClock between two runs of a test.
  let clockOffsetMs = 0;
  const world = new World(structuredClone(scenario), {
    nextSeq,
    now: () => Date.now() + clockOffsetMs,
  });
  const identity = new IdentityService({
    tenantId: scenario.tenantId,
    clientId: scenario.entra?.clientId,
    principalId: scenario.entra?.principalId ?? randomUUID(),
    tokenLifetimeSeconds:
      options.tokenLifetimeSeconds ?? scenario.entra?.tokenLifetimeSeconds ?? 3599,
    idTokenLifetimeSeconds: options.idTokenLifetimeSeconds ?? 300,
    nextSeq,
    rememberSecret: (value) => world.secret(value),
  });
  const github = new GitHubApi({
    access: options.github?.access,
    rememberSecret: (value) => world.secret(value),
  });
  const logsApi = new LogsQueryApi(world);
  const faults = new FaultBook(options.faults);
  const throttlingSettings = options.throttling ?? scenario.throttling;
  const throttle = throttlingSettings ? new Throttle(throttlingSettings) : undefined;
  const log: RequestRecord[] = [];
  const writeRecords = new WeakSet<RequestRecord>();
  let resyncTimer: NodeJS.Timeout | undefined;
  let url = '';

  /** Completes due resyncs now and wakes up again when the next one is due. */
  const pumpResyncs = () => {
    clearTimeout(resyncTimer);
    const nextDue = world.workspaces.completeDueResyncs();
    if (nextDue === undefined) return;
    resyncTimer = setTimeout(pumpResyncs, Math.max(0, nextDue - Date.now()));
    resyncTimer.unref();
  };

  const handleArm = (
    armRoute: ArmRouteMatch,
    request: IncomingMessage,
    target: URL,
    body: unknown,
  ): Reply => {
    try {
      const token = bearerToken(request);
      const issued = identity.accessToken(token);
      if (issued && issued.expiresAt <= Date.now())
        throw expiredToken(issued.expiresAt, url, scenario.tenantId);
      const apiVersion = target.searchParams.get('api-version');
      if (!apiVersion) {
        throw new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      }
      if (body instanceof SyntaxError) {
        throw new ArmError(
          400,
          'InvalidRequestContent',
          `The request content was invalid: ${body.message}`,
        );
      }
      pumpResyncs();
      return armRoute.run({
        world,
        permissions: scenario.permissions,
        query: target.searchParams,
        body,
        baseUrl: baseUrlOf(request, url),
        pathname: target.pathname,
        apiVersion,
        principal: principalOf(token),
        onResyncStarted: pumpResyncs,
      });
    } catch (error) {
      if (error instanceof ArmError) return json(error.status, error.body(), error.headers);
      const message = error instanceof Error ? error.message : String(error);
      return json(500, {
        error: { code: 'InternalServerError', message: `Emulator error: ${message}` },
      });
    }
  };

  const onRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const target = new URL(request.url ?? '/', 'https://emulator.invalid');
    const segments = splitPath(target.pathname);
    const method = (request.method ?? 'GET').toUpperCase();
    if (segments[0] === '_emulator') {
      send(response, debugReply(segments[1], { log, world }));
      return;
    }
    const armRoute = matchArmRoute(method, segments);
    const record: RequestRecord = {
      seq: nextSeq(),
      time: Date.now(),
      method,
      path: target.pathname,
      query: firstQueryValues(target.searchParams),
      status: 0,
      apiVersion: target.searchParams.get('api-version') ?? undefined,
      operation:
        armRoute?.operation ??
        github.operationFor(method, segments) ??
        logsApi.operationFor(method, segments) ??
        identity.operationFor(method, segments),
    };
    log.push(record);
    if (armRoute?.write) writeRecords.add(record);

    let rawBody: string;
    try {
      rawBody = await readBody(request);
    } catch {
      request.socket.destroy();
      return;
    }
    const body = armRoute ? parseJson(rawBody) : undefined;
    if (body !== undefined && !(body instanceof SyntaxError)) record.body = body;

    // ARM meters a request when it arrives, after authentication, before the resource provider.
    const admission =
      armRoute && throttle && segments[0]?.toLowerCase() === 'subscriptions'
        ? admit(throttle, segments[1] ?? '', request, method)
        : undefined;
    if (armRoute && options.latencyMs) await sleep(options.latencyMs);
    if (admission && !admission.allowed) {
      record.throttled = true;
      record.status = 429;
      const reply = json(
        429,
        throttledBody(admission.kind, segments[1] ?? '', admission.retryAfterSeconds),
        admission.headers,
      );
      send(response, reply, request.headers['x-ms-client-request-id']);
      record.answeredAt = Date.now();
      return;
    }
    const decision = faults.decide(method, target.pathname, target.search);
    if (decision.description) record.fault = decision.description;
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.answer?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    // GitHub and Entra stand-ins: neither needs ARM's api-version, body parsing or token checks.
    const plainRequest = {
      method,
      segments,
      query: target.searchParams,
      rawBody,
      authorization: request.headers.authorization,
      baseUrl: baseUrlOf(request, url),
    };
    // A lost answer: the request takes effect, then the client is told it failed.
    if (decision.answer?.kind === 'lost-answer' && armRoute)
      handleArm(armRoute, request, target, body);
    const reply = decision.answer
      ? faultReply(decision.answer)
      : armRoute
        ? handleArm(armRoute, request, target, body)
        : (github.handle(plainRequest) ??
          logsApi.handle(plainRequest) ??
          identity.handle(plainRequest) ??
          json(404, {
            error: { code: 'NotFound', message: `No route for ${method} ${target.pathname}` },
          }));
    record.status = reply.status;
    if (admission) reply.headers = { ...reply.headers, ...admission.headers };
    send(response, reply, request.headers['x-ms-client-request-id']);
    record.answeredAt = Date.now();
  };

  const server: Server = createServer(
    { key: certificate.serverKeyPem, cert: certificate.serverCertPem, keepAlive: true },
    (request, response) => {
      onRequest(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          send(
            response,
            json(500, { error: { code: 'InternalServerError', message: String(error) } }),
          );
      });
    },
  );
  // A client that gives up on a reset socket must not crash the emulator.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Each vault's data plane listens on a port of its own (ARM's vaultUri names it).
  const vaultPlane = new VaultDataPlane({
    vaults: world.keyVaults,
    certificate,
    tenantId: scenario.tenantId,
    track: (request, write) => {
      const record: RequestRecord = { seq: nextSeq(), time: Date.now(), status: 0, ...request };
      log.push(record);
      if (write) writeRecords.add(record);
      return (status) => Object.assign(record, { status, answeredAt: Date.now() });
    },
  });
  await vaultPlane.start();

  const requireKeys = (account: string) => {
    const keys = world.storage.keyValues(account);
    if (!keys) throw new Error(`The scenario has no storage account named ${account}`);
    return keys;
  };

  return {
    url,
    caFile: certificate.caFile,
    caPem: certificate.caPem,
    subscriptionId: scenario.subscriptionId,
    tenantId: scenario.tenantId,
    idTokenRequestUrl: `${url}/_github/idtoken?api-version=2.0`,
    requests: () => log.map((record) => ({ ...record })),
    writes: () => log.filter((record) => writeRecords.has(record)).map((record) => ({ ...record })),
    keys: requireKeys,
    secrets: () => world.secrets(),
    datastore: (workspace, name) => {
      const datastore = world.datastores.get(workspace, name);
      return (
        datastore && { properties: structuredClone(datastore.properties), secret: datastore.secret }
      );
    },
    connection: (workspace, name) => {
      const connection = world.connections.get(workspace, name);
      return (
        connection && {
          properties: structuredClone(connection.properties),
          secret: world.connections.secretOf(connection),
        }
      );
    },
    sas: (consumerId) => {
      const verdict = world.sasVerdict(consumerId);
      return verdict && verdictOnly(verdict);
    },
    checkSas: (account, token, resource) =>
      verdictOnly(world.storage.checkSas(account, token, resource)),
    userDelegationKey: (account, fields) => {
      const state = world.storage.get(account);
      if (!state) throw new Error(`The scenario has no storage account named ${account}`);
      return delegationKeyValue(state.delegationSecret, fields);
    },
    workspaceKey: (workspace) => world.workspaces.get(workspace)?.userStorageKey,
    vaultSecret: (vault, name) => world.keyVaults.view(vault, name),
    holds: (account, value) => world.holds(account, value),
    timeline: () => world.timeline(),
    invalidConsumers: () => world.invalidConsumers(),
    consumers: () => world.consumers(),
    advanceClock: (ms) => {
      clockOffsetMs += ms;
      world.record(`clock moved on ${ms} ms`);
    },
    clockOffsetMs: () => clockOffsetMs,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    fixWrites: (kind, workspace, name) => {
      const consumer =
        kind === 'datastore'
          ? world.datastores.get(workspace, name)
          : world.connections.get(workspace, name);
      if (!consumer) throw new Error(`no ${kind} ${workspace}/${name}`);
      if ('failPut' in consumer) delete consumer.failPut;
      if ('failUpdate' in consumer) delete consumer.failUpdate;
      delete consumer.loseUpdate;
    },
    tokenRequests: () => identity.tokenRequests(),
    idTokenRequests: () => identity.idTokenRequests(),
    githubIssues: () => github.issues.all(),
    stop: () => {
      clearTimeout(resyncTimer);
      const stopped = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return Promise.all([stopped, vaultPlane.stop()]).then(() => undefined);
    },
  };
}

/** A verdict as tests see it: valid, who signed, why not (not when it next changes). */
function verdictOnly({ changesAt: _changesAt, ...verdict }: SasVerdict): SasVerdict {
  return verdict;
}

/** A request without a bearer token is answered 401 before ARM meters it. */
function admit(
  throttle: Throttle,
  subscriptionId: string,
  request: IncomingMessage,
  method: string,
) {
  const token = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
  return token ? throttle.admit(subscriptionId, principalOf(token), method) : undefined;
}

function bearerToken(request: IncomingMessage): string {
  const match = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      {
        'WWW-Authenticate':
          'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", ' +
          'error_description="The authentication failed because of missing \'Authorization\' header."',
      },
    );
  }
  return match[1];
}

function expiredToken(expiresAt: number, url: string, tenantId: string): ArmError {
  const format = (time: number) =>
    new Date(time)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '');
  return new ArmError(
    401,
    'ExpiredAuthenticationToken',
    `The access token expiry UTC time '${format(expiresAt)}' is earlier than current UTC time '${format(Date.now())}'.`,
    {
      'WWW-Authenticate':
        `Bearer authorization_uri="${url}/${tenantId}", error="invalid_token", ` +
        'error_description="The access token has expired."',
    },
  );
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

/** Links the emulator hands out (nextLink, Location) use the host the client called. */
function baseUrlOf(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host ? `https://${host}` : fallback;
}

function faultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = { ...rule.headers };
  if (rule.retryAfterSeconds !== undefined) headers['Retry-After'] = String(rule.retryAfterSeconds);
  return json(status, rule.body === undefined ? defaultFaultBody(status) : rule.body, headers);
}

function debugReply(
  what: string | undefined,
  sources: { log: RequestRecord[]; world: World },
): Reply {
  const { log, world } = sources;
  if (what === 'requests') return json(200, log);
  if (what === 'state') return json(200, world.snapshot());
  return json(404, {
    error: { code: 'NotFound', message: 'Use /_emulator/requests or /_emulator/state.' },
  });
}

function send(response: ServerResponse, reply: Reply, clientRequestId?: string | string[]): void {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id':
      typeof clientRequestId === 'string' ? clientRequestId : requestId,
    ...reply.headers,
  };
  let payload = '';
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(reply.status, headers);
  response.end(payload);
}
