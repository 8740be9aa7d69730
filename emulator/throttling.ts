/**
 * Azure Resource Manager's request throttling: for each kind of request, a token bucket per
 * subscription and security principal, and a global one per subscription that every principal
 * draws from, 15 times as large. A request takes one token from each; when either is empty, ARM
 * answers 429 with Retry-After. Every answer says what both have left:
 * x-ms-ratelimit-remaining-subscription-{reads,writes,deletes} (the principal's) and
 * x-ms-ratelimit-remaining-subscription-global-{reads,writes,deletes}.
 *
 * ARM meters by HTTP method: GET and HEAD are reads, DELETE deletes, every other method a write —
 * POST actions such as listKeys and listSecrets included (Azure/azure-rest-api-specs#6363).
 * ARM's defaults (learn.microsoft.com, "Understand how Azure Resource Manager throttles requests",
 * the token-bucket limits): reads 250 tokens refilled at 25 per second, writes and deletes 200 at 10
 * per second, per principal; the global limit is 15 times that. A scenario or the start options may
 * set smaller or faster buckets, e.g. for a bench, and a smaller global one stands for the other
 * principals that share the subscription.
 */

export type BucketKind = 'reads' | 'writes' | 'deletes';

export interface BucketSettings {
  /** Tokens the bucket holds when full: the burst. */
  capacity: number;
  /** Tokens added back per second, up to the capacity. */
  refillPerSecond: number;
}

type Buckets = Partial<Record<BucketKind, BucketSettings>>;

/**
 * Throttling is on when this is given; a kind left out gets ARM's default bucket, a global one left
 * out 15 times the principal's.
 */
export type ThrottlingSettings = Buckets & { global?: Buckets };

/** Every principal together may send this many times what one may. */
const GLOBAL_FACTOR = 15;

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

export const GLOBAL_REMAINING_HEADER: Record<BucketKind, string> = {
  reads: 'x-ms-ratelimit-remaining-subscription-global-reads',
  writes: 'x-ms-ratelimit-remaining-subscription-global-writes',
  deletes: 'x-ms-ratelimit-remaining-subscription-global-deletes',
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

/** Every bucket the settings give: the principal's, and the subscription's global ones. */
export function bucketsOf(settings: ThrottlingSettings): {
  own: Record<BucketKind, BucketSettings>;
  global: Record<BucketKind, BucketSettings>;
} {
  const { global, ...given } = settings;
  const own = { ...ARM_BUCKETS, ...given };
  const scaled = (b: BucketSettings) => ({
    capacity: b.capacity * GLOBAL_FACTOR,
    refillPerSecond: b.refillPerSecond * GLOBAL_FACTOR,
  });
  return {
    own,
    global: {
      reads: scaled(own.reads),
      writes: scaled(own.writes),
      deletes: scaled(own.deletes),
      ...global,
    },
  };
}

/** The token buckets of every (subscription, principal, kind) the emulator has seen. */
export class Throttle {
  private readonly settings: Record<BucketKind, BucketSettings>;
  private readonly globalSettings: Record<BucketKind, BucketSettings>;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    settings: ThrottlingSettings,
    private readonly now: () => number = Date.now,
  ) {
    const buckets = bucketsOf(settings);
    this.settings = buckets.own;
    this.globalSettings = buckets.global;
    for (const [kind, bucket] of [
      ...Object.entries(this.settings),
      ...Object.entries(this.globalSettings).map(([k, b]) => [`global.${k}`, b] as const),
    ]) {
      if (!(bucket.capacity >= 1) || !(bucket.refillPerSecond > 0))
        throw new Error(`throttling.${kind}: capacity must be ≥ 1 and refillPerSecond > 0`);
    }
  }

  /**
   * Takes a token from the principal's bucket and from the subscription's global one for one
   * request, or, when either is empty, takes none and says how long until both have one again.
   */
  admit(subscriptionId: string, principal: string, method: string): Admission {
    const kind = bucketKindOf(method);
    const subscription = subscriptionId.toLowerCase();
    const own = this.fill(`${subscription}|${principal}|${kind}`, this.settings[kind]);
    const global = this.fill(`${subscription}|*|${kind}`, this.globalSettings[kind]);
    if (own.tokens >= 1 && global.tokens >= 1) {
      own.tokens -= 1;
      global.tokens -= 1;
      return { allowed: true, kind, headers: remainingHeaders(kind, own, global) };
    }
    const waitSeconds = (bucket: Bucket, settings: BucketSettings) =>
      Math.max(0, (1 - bucket.tokens) / settings.refillPerSecond);
    // Retry-After is whole seconds, as ARM sends it: at least one.
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(
        Math.max(
          waitSeconds(own, this.settings[kind]),
          waitSeconds(global, this.globalSettings[kind]),
        ),
      ),
    );
    return {
      allowed: false,
      kind,
      retryAfterSeconds,
      headers: {
        ...remainingHeaders(kind, own, global),
        'Retry-After': String(retryAfterSeconds),
      },
    };
  }

  /** The bucket under `key`, refilled up to now. */
  private fill(key: string, { capacity, refillPerSecond }: BucketSettings): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}

function remainingHeaders(kind: BucketKind, own: Bucket, global: Bucket): Record<string, string> {
  return {
    [REMAINING_HEADER[kind]]: String(Math.floor(own.tokens)),
    [GLOBAL_REMAINING_HEADER[kind]]: String(Math.floor(global.tokens)),
  };
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
