import { json, type Reply } from './http.js';

export interface FaultRule {
  method?: string;
  /** A string matches as a case-insensitive substring of the path; a RegExp is tested on the path and on path+query. */
  path?: RegExp | string;
  /**
   * lost-answer: the emulator carries the request out, then answers `status` (default 500).
   * hold: the request waits until `until` settles, then goes on (a test's "pause here").
   */
  kind: 'status' | 'reset' | 'delay' | 'lost-answer' | 'hold';
  until?: Promise<unknown>;
  status?: number;
  retryAfterSeconds?: number;
  /** Response body for kind "status"; defaults to an ARM error. A string is sent as-is. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many matching requests the rule applies to (default 1; Infinity allowed). */
  times?: number;
  /** Let this many matching requests through before the rule starts to apply. */
  skip?: number;
}

export interface FaultDecision {
  delayMs: number;
  /** What the request waits for before it goes on (hold rules). */
  holds: Promise<unknown>[];
  /** The status or reset rule that answers this request instead of the emulator. */
  answer?: FaultRule;
  description?: string;
}

interface ActiveRule {
  rule: FaultRule;
  skipsLeft: number;
  timesLeft: number;
}

/** Fault rules consumed in request-arrival order. */
export class FaultBook {
  private readonly rules: ActiveRule[] = [];

  constructor(rules: FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, skipsLeft: rule.skip ?? 0, timesLeft: rule.times ?? 1 });
  }

  /** Forgets every rule, e.g. once the cause a rule stands for is "fixed" between two runs. */
  clear(): void {
    this.rules.length = 0;
  }

  /** Delay and hold rules add up; the first matching status/reset rule answers the request. */
  decide(method: string, pathname: string, search: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, holds: [] };
    const descriptions: string[] = [];
    for (const active of this.rules) {
      if (active.timesLeft <= 0 || !matches(active.rule, method, pathname, search)) continue;
      const waits = active.rule.kind === 'delay' || active.rule.kind === 'hold';
      if (!waits && decision.answer) continue;
      if (active.skipsLeft > 0) {
        active.skipsLeft -= 1;
        continue;
      }
      active.timesLeft -= 1;
      if (active.rule.kind === 'delay') {
        decision.delayMs += active.rule.delayMs ?? 0;
        descriptions.push(`delay ${active.rule.delayMs ?? 0}ms`);
      } else if (active.rule.kind === 'hold') {
        decision.holds.push(active.rule.until ?? Promise.resolve());
        descriptions.push('held');
      } else {
        decision.answer = active.rule;
        const status = `status ${active.rule.status ?? 500}`;
        descriptions.push(
          active.rule.kind === 'reset'
            ? 'reset'
            : active.rule.kind === 'lost-answer'
              ? `applied, then ${status}`
              : status,
        );
      }
    }
    if (descriptions.length > 0) decision.description = descriptions.join(', ');
    return decision;
  }
}

function matches(rule: FaultRule, method: string, pathname: string, search: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string')
    return pathname.toLowerCase().includes(rule.path.toLowerCase());
  rule.path.lastIndex = 0;
  if (rule.path.test(pathname)) return true;
  rule.path.lastIndex = 0;
  return rule.path.test(pathname + search);
}

export function defaultFaultBody(status: number): { error: { code: string; message: string } } {
  const known: Record<number, [string, string]> = {
    429: [
      'TooManyRequests',
      'The request is being throttled. Retry after the interval in Retry-After.',
    ],
    500: ['InternalServerError', 'Encountered internal server error.'],
    502: ['BadGateway', 'The gateway did not receive a response from the service.'],
    503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please retry.'],
    504: [
      'GatewayTimeout',
      'The gateway did not receive a response within the specified time period.',
    ],
  };
  const [code, message] = known[status] ?? [
    'InjectedFault',
    `Injected fault with status ${status}.`,
  ];
  return { error: { code, message } };
}

/** The answer a status fault gives instead of the emulator's. */
export function faultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = { ...rule.headers };
  if (rule.retryAfterSeconds !== undefined) headers['Retry-After'] = String(rule.retryAfterSeconds);
  return json(status, rule.body === undefined ? defaultFaultBody(status) : rule.body, headers);
}
