import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces Resource Manager calls to ARM's throttling, so a large run slows down instead of failing.
 *
 * ARM meters each subscription with token buckets per kind of request — GET reads, DELETE deletes,
 * every other method (POST actions included) writes: one per principal, and a global one that every
 * principal of the subscription draws from (15 times as large) — and answers 429 with Retry-After
 * when one is empty. Each answer says what is left in both
 * (x-ms-ratelimit-remaining-subscription-reads/-writes/-deletes, and the same with -global-). The
 * SDK retries a 429 three times, honouring Retry-After; a run at a fixed concurrency that outruns a
 * bucket gets 429 after 429, and a request that gets four fails the run.
 *
 * The pacer keeps a model of each bucket from those headers: the tokens left as of the last answer,
 * the refill rate measured between answers (the change in what is left plus the requests admitted
 * meanwhile, over the time between them: other principals' use of the global bucket shows as a
 * slower refill), and the requests in flight. A request goes out when both of its buckets' models
 * say a token is there for it; otherwise it waits about as long as the refill takes. After a 429
 * the kind's requests wait out its Retry-After. A bucket whose answers carry no header is never
 * paced. One pacer serves every client of a run, so they share what they learn.
 */
export class Pacer {
  private readonly buckets = new Map<string, BucketModel>();
  private throttled = 0;
  private pacedMs = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** Waits until the request's buckets have a token for it; returns what to report back. */
  async acquire(method: string, url: string): Promise<Ticket | undefined> {
    const subscription = /\/subscriptions\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase();
    if (!subscription) return undefined;
    const kind = kindOf(method);
    const buckets = SCOPES.map((scope) => this.bucket(`${subscription}|${kind}|${scope}`, kind));
    const since = this.now();
    for (;;) {
      const at = this.now();
      const waitMs = Math.max(...buckets.map((b) => b.waitMs(at)));
      if (waitMs <= 0) break;
      // A model learns only from answers: one that sees no refill (others take it all, or the
      // refill stopped) would wait for ever. After a while with nothing in flight and no
      // Retry-After pending, one request goes and its answer, a 429 at worst, says what is left.
      if (at - since >= PROBE_AFTER_MS && buckets.every((b) => b.idle(at))) break;
      const ms = Math.min(waitMs, PROBE_AFTER_MS);
      this.pacedMs += ms;
      await this.wait(ms);
    }
    for (const b of buckets) b.inFlight++;
    return { kind, buckets };
  }

  /** Learns from the answer (or the lack of one) to a request `acquire` let through. */
  release(ticket: Ticket | undefined, response: PipelineResponse | undefined): void {
    if (!ticket) return;
    for (const b of ticket.buckets) b.inFlight--;
    if (!response) return;
    const now = this.now();
    const throttled = response.status === 429;
    let closedUntil = 0;
    if (throttled) {
      this.throttled++;
      const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
      const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 1;
      closedUntil = now + seconds * 1000;
    }
    ticket.buckets.forEach((bucket, i) => {
      const remaining = Number(response.headers.get(REMAINING[SCOPES[i]!][ticket.kind]) ?? NaN);
      if (!throttled) {
        if (Number.isFinite(remaining)) bucket.observe(now, remaining, true);
        return;
      }
      bucket.closedUntil = Math.max(bucket.closedUntil, closedUntil);
      // Which bucket was empty: the one that says so, or, when neither says, either may be.
      if (bucket.known) bucket.observe(now, Number.isFinite(remaining) ? remaining : 0, false);
    });
  }

  /** Requests answered 429, and milliseconds spent waiting for a token. */
  stats(): { throttled: number; pacedMs: number } {
    return { throttled: this.throttled, pacedMs: this.pacedMs };
  }

  private bucket(key: string, kind: Kind): BucketModel {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new BucketModel(kind)));
    return bucket;
  }
}

export interface Ticket {
  kind: Kind;
  /** The principal's bucket and the subscription's global one, in SCOPES' order. */
  buckets: BucketModel[];
}

/** The pipeline policy: one per client, all over one Pacer. Add it after the retry phase. */
export function pacerPolicy(pacer: Pacer): PipelinePolicy {
  return {
    name: 'armThrottlePacer',
    async sendRequest(request: PipelineRequest, next) {
      const ticket = await pacer.acquire(request.method, request.url);
      let response: PipelineResponse | undefined;
      try {
        response = await next(request);
        return response;
      } finally {
        pacer.release(ticket, response);
      }
    },
  };
}

type Kind = 'reads' | 'writes' | 'deletes';

const SCOPES = ['principal', 'global'] as const;

const REMAINING: Record<(typeof SCOPES)[number], Record<Kind, string>> = {
  principal: {
    reads: 'x-ms-ratelimit-remaining-subscription-reads',
    writes: 'x-ms-ratelimit-remaining-subscription-writes',
    deletes: 'x-ms-ratelimit-remaining-subscription-deletes',
  },
  global: {
    reads: 'x-ms-ratelimit-remaining-subscription-global-reads',
    writes: 'x-ms-ratelimit-remaining-subscription-global-writes',
    deletes: 'x-ms-ratelimit-remaining-subscription-global-deletes',
  },
};

/** ARM's documented refill rates, per second: the guess until the run has measured its own. */
const DOCUMENTED_REFILL: Record<Kind, number> = { reads: 25, writes: 10, deletes: 10 };
/** Measure the refill over at least this long: shorter spans are mostly jitter. */
const MIN_SPAN_MS = 200;
/** Keep this many tokens spare for what the model cannot see (other clients, timing). */
const RESERVE = 1;
const MIN_WAIT_MS = 5;
/** How long a request waits on a bucket with nothing in flight before it goes to learn. */
const PROBE_AFTER_MS = 1000;

function kindOf(method: string): Kind {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 'reads';
  return upper === 'DELETE' ? 'deletes' : 'writes';
}

interface Observation {
  at: number;
  remaining: number;
  admitted: number;
}

class BucketModel {
  inFlight = 0;
  closedUntil = 0;
  /** Answers that took a token (not 429), counted as they arrive. */
  private admitted = 0;
  private capacity = 0;
  private refillPerMs: number;
  private measured = false;
  private last?: Observation;
  /** Recent observations since the bucket was last seen full, oldest first. */
  private window: Observation[] = [];

  constructor(kind: Kind) {
    this.kind = kind;
    this.refillPerMs = DOCUMENTED_REFILL[kind] / 1000;
  }

  readonly kind: Kind;

  /** Whether an answer ever said what this bucket has left. */
  get known(): boolean {
    return this.last !== undefined;
  }

  observe(at: number, remaining: number, tookToken: boolean): void {
    if (tookToken) this.admitted++;
    this.capacity = Math.max(this.capacity, remaining + 1);
    const observation = { at, remaining, admitted: this.admitted };
    this.last = observation;
    // A full bucket discards its refill: measure only spans during which it was below capacity.
    if (remaining >= this.capacity - 1) {
      this.window = [observation];
      return;
    }
    this.window.push(observation);
    while (this.window.length > 2 && at - this.window[1]!.at >= MIN_SPAN_MS) this.window.shift();
    const first = this.window[0]!;
    const span = at - first.at;
    if (span < MIN_SPAN_MS || first.remaining >= this.capacity - 1) return;
    const refilled = remaining - first.remaining + (this.admitted - first.admitted);
    const rate = Math.max(0, refilled) / span;
    this.refillPerMs = this.measured ? 0.7 * this.refillPerMs + 0.3 * rate : rate;
    this.measured = true;
  }

  /** Nothing in flight, and no Retry-After to wait out. */
  idle(now: number): boolean {
    return this.inFlight === 0 && now >= this.closedUntil;
  }

  /** How long a new request should wait for a token; 0 or less: go now. */
  waitMs(now: number): number {
    if (now < this.closedUntil) return this.closedUntil - now;
    if (!this.last) return 0;
    const tokens =
      Math.min(this.capacity, this.last.remaining + this.refillPerMs * (now - this.last.at)) -
      this.inFlight;
    if (tokens >= 1 + RESERVE) return 0;
    if (this.refillPerMs <= 0) return 50;
    return Math.max(MIN_WAIT_MS, (1 + RESERVE - tokens) / this.refillPerMs);
  }
}
