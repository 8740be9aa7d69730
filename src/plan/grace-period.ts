// The grace period after a Key Vault secret moves: apps read a secret's new version late, so the key
// a secret moves off is held back (see drain.ts) until they can have read it. Pure.
import type { KeyName } from '../azure/port.js';
import {
  allConsumers,
  consumerId,
  describeConsumer,
  type Consumer,
  type Inventory,
} from '../discover/inventory.js';
import type { Drain } from './drain.js';

/**
 * Kinds of consumer whose users pick up a new value late: apps read a Key Vault secret's new
 * version up to 24 hours later (App Service and Functions references), every 2 minutes (the CSI
 * driver), or at their next run (Data Factory).
 */
const PICKED_UP_LATE = new Set<string>(['key-vault-secret']);

/**
 * The keys of `regenerate` a grace period holds back: one a managed late-pickup consumer holds
 * (this run moves it off), until the grace period has passed from now; and one such a consumer
 * moved off in an earlier run — its current version, on the other key, is younger than the grace
 * period — until the grace period has passed from that version's creation. The second is
 * conservative: the version before may have held the same key; the wait is then for nothing, never
 * too short. No grace period: nothing is held back.
 */
export function gracePeriod(
  inventory: Inventory,
  regenerate: readonly KeyName[],
  graceMs: number,
  now: Date,
): Drain[] {
  if (graceMs <= 0) return [];
  const drains: Drain[] = [];
  const hold = (key: KeyName, until: Date, c: Consumer, reason: string) => {
    if (regenerate.includes(key) && until > now) {
      drains.push({ key, until, because: [reason], holders: [consumerId(c)] });
    }
  };
  const late = allConsumers(inventory).filter((c) => c.inScope && PICKED_UP_LATE.has(c.kind));
  for (const c of late) {
    if (c.holds !== 'key1' && c.holds !== 'key2') continue;
    if (regenerate.includes(c.holds)) {
      const until = new Date(now.getTime() + graceMs);
      hold(c.holds, until, c, `${describeConsumer(c)} moves off ${c.holds} in this run`);
      continue;
    }
    if (!c.versionCreatedOn) continue;
    const other: KeyName = c.holds === 'key1' ? 'key2' : 'key1';
    hold(
      other,
      new Date(c.versionCreatedOn.getTime() + graceMs),
      c,
      `${describeConsumer(c)} got its current version (on ${c.holds}) at ${c.versionCreatedOn.toISOString()}`,
    );
  }
  return drains;
}
