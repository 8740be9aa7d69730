/**
 * Azure Resource Manager's request throttling: a token bucket per subscription and security
 * principal for each kind of request. A request takes one token; an empty bucket answers 429 with
 * Retry-After; every answer says how many tokens its bucket has left in
 * x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}.
 *
 * ARM meters by HTTP method: GET and HEAD are reads, DELETE deletes, every other method a write —
 * POST actions such as listKeys and listSecrets included (Azure/azure-rest-api-specs#6363).
 * ARM's defaults (learn.microsoft.com, "Understand how Azure Resource Manager throttles requests",
 * the token-bucket limits): reads 250 tokens refilled at 25 per second, writes and deletes 200 at 10
 * per second. A scenario or the start options may set smaller or faster buckets, e.g. for a bench.
 */

export type BucketKind = 'reads' | 'writes' | 'deletes';

export interface BucketSettings {
  /** Tokens the bucket holds when full: the burst. */
  capacity: number;
  /** Tokens added back per second, up to the capacity. */
  refillPerSecond: number;
}

/** Throttling is on when this is given; a kind left out gets ARM's default bucket. */
export type ThrottlingSettings = Partial<Record<BucketKind, BucketSettings>>;

export const ARM_BUCKETS: Record<BucketKind, BucketSettings> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

export const REMAINING_HEADER: Record<BucketKind, string> = {
  reads: 'x-ms-ratelimit-remaining-subscription-reads',
  writes: 'x-ms-ratelimit-remaining-subscription-writes',
  deletes: 'x-ms-ratelimit-remaining-subscription-deletes',
};

export type Admission =
  | { allowed: true; kind: BucketKind; headers: Record<string, string> }
  | {
      allowed: false;
      kind: BucketKind;
      headers: Record<string, string>;
      retryAfterSeconds: number;
    };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function bucketKindOf(method: string): BucketKind {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 'reads';
  return upper === 'DELETE' ? 'deletes' : 'writes';
}

/** The token buckets of every (subscription, principal, kind) the emulator has seen. */
export class Throttle {
  private readonly settings: Record<BucketKind, BucketSettings>;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    settings: ThrottlingSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = { ...ARM_BUCKETS, ...settings };
    for (const [kind, bucket] of Object.entries(this.settings)) {
      if (!(bucket.capacity >= 1) || !(bucket.refillPerSecond > 0))
        throw new Error(`throttling.${kind}: capacity must be ≥ 1 and refillPerSecond > 0`);
    }
  }

  /** Takes a token for one request, or says how long until the bucket has one again. */
  admit(subscriptionId: string, principal: string, method: string): Admission {
    const kind = bucketKindOf(method);
    const { capacity, refillPerSecond } = this.settings[kind];
    const key = `${subscriptionId.toLowerCase()}|${principal}|${kind}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return {
        allowed: true,
        kind,
        headers: { [REMAINING_HEADER[kind]]: String(Math.floor(bucket.tokens)) },
      };
    }
    // Retry-After is whole seconds, as ARM sends it: at least one.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond));
    return {
      allowed: false,
      kind,
      retryAfterSeconds,
      headers: { [REMAINING_HEADER[kind]]: '0', 'Retry-After': String(retryAfterSeconds) },
    };
  }
}

/** ARM's answer to a throttled request. */
export function throttledBody(
  kind: BucketKind,
  subscriptionId: string,
  retryAfterSeconds: number,
): { error: { code: string; message: string } } {
  const what = kind === 'reads' ? 'read' : kind === 'writes' ? 'write' : 'delete';
  return {
    error: {
      code: 'SubscriptionRequestsThrottled',
      message: `Number of '${what}' requests for subscription '${subscriptionId}' exceeded. Please try again after '${retryAfterSeconds}' seconds after the last request.`,
    },
  };
}
