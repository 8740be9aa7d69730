import { keyUsageQuery } from '../../src/key-usage/query.js';
import { json, type Reply } from '../http.js';
import { answerKeyUsage } from '../logs/key-usage-answer.js';
import { requestsOf } from '../logs/traffic.js';
import { jwtClaims } from '../secrets.js';
import { DAY_MS } from '../state/common.js';
import type { World } from '../world.js';

export interface LogsRequest {
  method: string;
  segments: string[];
  rawBody: string;
  authorization?: string;
}

/** Audiences the Log Analytics query API accepts a token for. */
const AUDIENCES = ['https://api.loganalytics.io', 'https://api.loganalytics.azure.com'];

/**
 * The Log Analytics query API, resource-centric: POST /v1{resourceId}/query with {query, timespan}.
 * It cannot run KQL: it recognises the action's key-usage query (for any whole number of days) and
 * answers it from the world's storage traffic; any other query is a 400, as a syntax error would be.
 */
export class LogsQueryApi {
  constructor(private readonly world: World) {}

  operationFor(method: string, segments: string[]): string | undefined {
    return this.matches(method, segments) ? 'LogsQuery.queryResource' : undefined;
  }

  handle(request: LogsRequest): Reply | undefined {
    if (!this.matches(request.method, request.segments)) return undefined;
    const token = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
    const audience = token ? jwtClaims(token)?.aud : undefined;
    if (!token)
      return logsError(401, 'AuthorizationRequiredError', 'Valid authentication was not provided');
    if (typeof audience !== 'string' || !AUDIENCES.includes(audience.replace(/\/+$/, ''))) {
      return logsError(
        401,
        'InvalidTokenError',
        'The provided authentication is not valid for this resource',
        {
          code: 'AudienceNotValid',
          message: `The token's audience ${String(audience)} is not one of ${AUDIENCES.join(', ')}.`,
        },
      );
    }
    let body: { query?: unknown; timespan?: unknown };
    try {
      body = JSON.parse(request.rawBody) as typeof body;
    } catch {
      return logsError(400, 'BadArgumentError', 'The request had some invalid properties');
    }
    const days = recognisedDays(body.query);
    if (days === undefined) {
      return logsError(400, 'BadArgumentError', 'The request had some invalid properties', {
        code: 'SyntaxError',
        message: "The emulator answers only the action's key-usage query.",
      });
    }
    const resourceId = `/${request.segments.slice(1, -1).join('/')}`;
    const account = this.world.storage
      .list()
      .find((a) => a.id.toLowerCase() === resourceId.toLowerCase());
    if (!account) {
      return logsError(404, 'ResourceNotFoundError', `The resource ${resourceId} was not found.`);
    }
    const now = this.world.now();
    const window = Math.min(days, timespanDays(body.timespan) ?? days) * DAY_MS;
    const requests = requestsOf(this.world, account, now - window, now).filter((r) =>
      this.world.storageLogs.logged(account.name, r.service, 'StorageRead'),
    );
    return json(200, { tables: [answerKeyUsage(requests)] });
  }

  private matches(method: string, segments: string[]): boolean {
    return (
      method === 'POST' &&
      segments[0] === 'v1' &&
      segments[1]?.toLowerCase() === 'subscriptions' &&
      segments.at(-1) === 'query'
    );
  }
}

/** The days of the key-usage query this text is, exactly; undefined for any other text. */
function recognisedDays(query: unknown): number | undefined {
  if (typeof query !== 'string') return undefined;
  const days = Number(/^let lookback = (\d+)d;$/m.exec(query)?.[1]);
  return Number.isInteger(days) && days >= 1 && query === keyUsageQuery(days) ? days : undefined;
}

/** An ISO 8601 duration of whole days ("P7D"); undefined for anything else. */
function timespanDays(timespan: unknown): number | undefined {
  const days = typeof timespan === 'string' ? /^P(\d+)D$/.exec(timespan)?.[1] : undefined;
  return days === undefined ? undefined : Number(days);
}

function logsError(
  status: number,
  code: string,
  message: string,
  innererror?: { code: string; message: string },
): Reply {
  return json(status, { error: { code, message, ...(innererror ? { innererror } : {}) } });
}
