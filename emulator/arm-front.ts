import type { IncomingMessage } from 'node:http';
import { ArmError } from './arm-errors.js';
import { json, type Reply } from './http.js';
import type { ArmRouteMatch } from './routes/arm.js';
import { principalOf, type IdentityService } from './routes/identity.js';
import type { PermissionsScenario } from './scenario-types.js';
import type { Throttle } from './throttling.js';
import type { World } from './world.js';

/** What Resource Manager checks before a resource provider sees a request, and what it needs. */
export interface ArmFront {
  world: World;
  identity: IdentityService;
  permissions: PermissionsScenario | undefined;
  tenantId: string;
  /** The emulator's own URL (links and the token authority when the request names no host). */
  url: () => string;
  /** Completes the resyncs that are due; also called when a resync starts. */
  pumpResyncs: () => void;
}

/**
 * An ARM request's reply: the bearer token (present, not expired), the api-version and a JSON
 * body are checked as ARM does, then the route runs; its ArmErrors become ARM error replies.
 */
export function handleArm(
  front: ArmFront,
  armRoute: ArmRouteMatch,
  request: IncomingMessage,
  target: URL,
  body: unknown,
  receivedAt = front.world.now(),
): Reply {
  try {
    const token = bearerToken(request);
    const issued = front.identity.accessToken(token);
    if (issued && issued.expiresAt <= receivedAt)
      throw expiredToken(issued.expiresAt, receivedAt, front.url(), front.tenantId);
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
    front.pumpResyncs();
    return armRoute.run({
      world: front.world,
      permissions: front.permissions,
      query: target.searchParams,
      body,
      baseUrl: baseUrlOf(request, front.url()),
      pathname: target.pathname,
      apiVersion,
      principal: principalOf(token),
      onResyncStarted: front.pumpResyncs,
    });
  } catch (error) {
    if (error instanceof ArmError) return json(error.status, error.body(), error.headers);
    const message = error instanceof Error ? error.message : String(error);
    return json(500, {
      error: { code: 'InternalServerError', message: `Emulator error: ${message}` },
    });
  }
}

/** A request without a bearer token is answered 401 before ARM meters it. */
export function admit(
  throttle: Throttle,
  subscriptionId: string,
  request: IncomingMessage,
  method: string,
) {
  const token = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
  return token ? throttle.admit(subscriptionId, principalOf(token), method) : undefined;
}

/** The body as JSON; a SyntaxError for one that is not (ARM answers that with a 400). */
export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

/** Links the emulator hands out (nextLink, Location) use the host the client called. */
export function baseUrlOf(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host ? `https://${host}` : fallback;
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

function expiredToken(expiresAt: number, now: number, url: string, tenantId: string): ArmError {
  const format = (time: number) =>
    new Date(time)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '');
  return new ArmError(
    401,
    'ExpiredAuthenticationToken',
    `The access token expiry UTC time '${format(expiresAt)}' is earlier than current UTC time '${format(now)}'.`,
    {
      'WWW-Authenticate':
        `Bearer authorization_uri="${url}/${tenantId}", error="invalid_token", ` +
        'error_description="The access token has expired."',
    },
  );
}
