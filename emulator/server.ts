import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Emulator, RequestRecord, StartEmulatorOptions } from './api.js';
import { admit, baseUrlOf, handleArm, parseJson, type ArmFront } from './arm-front.js';
import { emulatorCertificate } from './cert.js';
import { FaultBook, faultReply } from './faults.js';
import { firstQueryValues, json, readBody, send, splitPath, type Reply } from './http.js';
import { debugReply, worldView } from './inspect.js';
import { matchArmRoute } from './routes/arm.js';
import { VaultDataPlane } from './keyvault/data-plane.js';
import { GitHubApi } from './routes/github.js';
import { IdentityService } from './routes/identity.js';
import { LogsQueryApi } from './routes/logs-query.js';
import { loadScenario, validateScenario } from './scenario.js';
import { Throttle, throttledBody } from './throttling.js';
import { World } from './world.js';

export type { Emulator, RequestRecord, StartEmulatorOptions } from './api.js';
export type { FaultRule } from './faults.js';
export type { GitHubAccess, GitHubIssue, GitHubOptions } from './github.js';
export type { IdTokenRequestRecord, TokenRequestRecord } from './routes/identity.js';
export type { SasResource } from './sas/resource.js';
export type { SasVerdict } from './sas/validate.js';
export type { SasScenario, Scenario } from './scenario-types.js';
export type { Consumer } from './state/context.js';
export type { BucketSettings, ThrottlingSettings } from './throttling.js';
export type { VaultSecretView } from './keyvault/state.js';
export type { TimelineEntry } from './world.js';

/** A request to an API beside ARM, which needs neither ARM's api-version, body parsing nor token checks. */
interface PlainRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  rawBody: string;
  authorization?: string;
  baseUrl: string;
}

/** An API beside ARM: it names and answers the requests that are its own, undefined for others. */
interface PlainService {
  operationFor(method: string, segments: string[]): string | undefined;
  handle(request: PlainRequest): Reply | undefined;
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
    now: () => world.now(),
  });
  const github = new GitHubApi({
    access: options.github?.access,
    rememberSecret: (value) => world.secret(value),
  });
  const logsApi = new LogsQueryApi(world);
  /** The APIs beside ARM (whose routes are in routes/arm.ts), asked in this order. */
  const services: PlainService[] = [github, logsApi, identity];
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
  const armFront: ArmFront = {
    world,
    identity,
    permissions: scenario.permissions,
    tenantId: scenario.tenantId,
    url: () => url,
    pumpResyncs,
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
    // ARM checks the bearer token as a request arrives, not after a fault has held it.
    const receivedAt = world.now();
    const record: RequestRecord = {
      seq: nextSeq(),
      time: Date.now(),
      method,
      path: target.pathname,
      query: firstQueryValues(target.searchParams),
      status: 0,
      apiVersion: target.searchParams.get('api-version') ?? undefined,
      operation:
        armRoute?.operation ?? firstAnswer(services, (api) => api.operationFor(method, segments)),
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
    await Promise.allSettled(decision.holds);
    if (decision.answer?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    const plainRequest: PlainRequest = {
      method,
      segments,
      query: target.searchParams,
      rawBody,
      authorization: request.headers.authorization,
      baseUrl: baseUrlOf(request, url),
    };
    // A lost answer: the request takes effect, then the client is told it failed.
    if (decision.answer?.kind === 'lost-answer' && armRoute)
      handleArm(armFront, armRoute, request, target, body, receivedAt);
    const reply = decision.answer
      ? faultReply(decision.answer)
      : armRoute
        ? handleArm(armFront, armRoute, request, target, body, receivedAt)
        : (firstAnswer(services, (api) => api.handle(plainRequest)) ??
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
    permissions: scenario.permissions,
    tokenExpired: (token) => {
      const issued = identity.accessToken(token);
      return issued !== undefined && issued.expiresAt <= world.now();
    },
    track: (request, write) => {
      const record: RequestRecord = { seq: nextSeq(), time: Date.now(), status: 0, ...request };
      log.push(record);
      if (write) writeRecords.add(record);
      return (status) => Object.assign(record, { status, answeredAt: Date.now() });
    },
  });
  await vaultPlane.start();

  return {
    url,
    caFile: certificate.caFile,
    caPem: certificate.caPem,
    subscriptionId: scenario.subscriptionId,
    tenantId: scenario.tenantId,
    idTokenRequestUrl: `${url}/_github/idtoken?api-version=2.0`,
    requests: () => log.map((record) => ({ ...record })),
    writes: () => log.filter((record) => writeRecords.has(record)).map((record) => ({ ...record })),
    ...worldView(world),
    advanceClock: (ms) => {
      clockOffsetMs += ms;
      world.record(`clock moved on ${ms} ms`);
    },
    clockOffsetMs: () => clockOffsetMs,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
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

/** The first service's answer that is not undefined; the services after it are not asked. */
function firstAnswer<T>(
  services: PlainService[],
  ask: (service: PlainService) => T | undefined,
): T | undefined {
  for (const service of services) {
    const answer = ask(service);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
