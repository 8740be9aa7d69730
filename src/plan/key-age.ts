import type { KeyName } from '../azure/port.js';
import type { Inventory, KeyInfo } from '../discover/inventory.js';
import { DAY_MS } from '../util/time.js';

/** The age no key may exceed after a run, and where that limit comes from. */
export interface AgeLimit {
  days: number;
  source: 'max-key-age-days' | 'key policy';
}

export function ageDays(key: KeyInfo, now: Date): number {
  return key.createdOn ? (now.getTime() - key.createdOn.getTime()) / DAY_MS : Infinity;
}

/** The stricter of the input and the account's key expiration policy; none when neither is set. */
export function ageLimit(inventory: Inventory, maxKeyAgeDays?: number): AgeLimit | undefined {
  const policy = inventory.account.keyExpirationDays;
  if (policy !== undefined && (maxKeyAgeDays === undefined || policy < maxKeyAgeDays)) {
    return { days: policy, source: 'key policy' };
  }
  return maxKeyAgeDays === undefined
    ? undefined
    : { days: maxKeyAgeDays, source: 'max-key-age-days' };
}

/** A key older than the limit, or of unknown age, is due: oldest (unknown first) first. */
export function dueKeys(keys: KeyInfo[], limit: AgeLimit, now: Date): KeyName[] {
  return oldestFirst(keys, now)
    .filter((k) => ageDays(k, now) > limit.days)
    .map((k) => k.name);
}

export function oldestFirst(keys: KeyInfo[], now: Date): KeyInfo[] {
  return [...keys].sort((a, b) => {
    const difference = ageDays(b, now) - ageDays(a, now);
    return Number.isNaN(difference) ? 0 : difference; // both of unknown age
  });
}

/** "key1 is 120 days old", "key2's age is unknown". */
export function describeAge(key: KeyInfo, now: Date): string {
  const age = ageDays(key, now);
  return Number.isFinite(age)
    ? `${key.name} is ${Math.floor(age)} days old`
    : `${key.name}'s age is unknown`;
}

export function describeLimit(limit: AgeLimit): string {
  return limit.source === 'key policy'
    ? `the account's ${limit.days}-day key expiration policy`
    : `max-key-age-days: ${limit.days}`;
}
