import type { KeyName } from './azure/port.js';
import {
  allConsumers,
  consumerId,
  describeConsumer,
  type ConsumerRef,
  type Inventory,
} from './inventory.js';

/**
 * A key whose regeneration waits: something that moved off it (or may still use it) needs time to
 * let go of it. The run moves what it must and leaves the key; a run from `until` on regenerates it.
 */
export interface Drain {
  key: KeyName;
  until: Date;
  /** One sentence per reason, naming the holder. */
  because: string[];
}

/**
 * Kinds of consumer whose users pick up a new value late: apps read a Key Vault secret's new
 * version up to 24 hours later (App Service and Functions references), every 2 minutes (the CSI
 * driver), or at their next run (Data Factory).
 */
const PICKED_UP_LATE = new Set<string>(['key-vault-secret']);

/**
 * The keys a grace period holds back: one a late-pickup consumer moves off in this run, until the
 * grace period has passed from now; and one a late-pickup consumer moved off in an earlier run
 * (its current version, on the other key, is younger than the grace period), until the grace period
 * has passed from that version's creation. Pure: `now` is the planner's clock.
 */
export function drains(
  inventory: Inventory,
  moves: readonly { consumers: readonly ConsumerRef[]; to: KeyName }[],
  graceMs: number,
  now: Date,
): Drain[] {
  const byKey = new Map<KeyName, Drain>();
  const hold = (key: KeyName, until: Date, reason: string) => {
    if (until.getTime() <= now.getTime()) return;
    const drain = byKey.get(key) ?? { key, until, because: [] };
    if (until > drain.until) drain.until = until;
    drain.because.push(reason);
    byKey.set(key, drain);
  };
  const consumers = new Map(allConsumers(inventory).map((c) => [consumerId(c), c]));
  const moving = new Set<string>();
  for (const move of moves) {
    for (const ref of move.consumers) {
      const c = consumers.get(consumerId(ref));
      if (!c || !PICKED_UP_LATE.has(c.kind)) continue;
      moving.add(consumerId(c));
      if ((c.holds === 'key1' || c.holds === 'key2') && c.holds !== move.to) {
        hold(
          c.holds,
          new Date(now.getTime() + graceMs),
          `${describeConsumer(c)} moves off ${c.holds} in this run`,
        );
      }
    }
  }
  for (const c of consumers.values()) {
    if (!PICKED_UP_LATE.has(c.kind) || moving.has(consumerId(c)) || !c.versionCreatedOn) continue;
    if (c.holds !== 'key1' && c.holds !== 'key2') continue;
    const other: KeyName = c.holds === 'key1' ? 'key2' : 'key1';
    hold(
      other,
      new Date(c.versionCreatedOn.getTime() + graceMs),
      `${describeConsumer(c)} got its current version (on ${c.holds}) at ${c.versionCreatedOn.toISOString()}`,
    );
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}
