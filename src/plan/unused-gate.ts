// require-unused-days: a key is regenerated only with proof that nothing uses it — no managed
// holder for N days, and the storage logs show its current value signed no request in those days.
// Otherwise the key is held back (see drain.ts). Pure.
import type { KeyName } from '../azure/port.js';
import type { Inventory } from '../discover/inventory.js';
import { LOGGED_SERVICES } from '../key-usage/settings.js';
import { describeCaller, keyHolding } from './key-holders.js';
import { DAY_MS } from '../util/time.js';
import type { Drain } from './drain.js';

/**
 * How long a request takes to show in Log Analytics: typically 3 to 10 minutes for resource logs,
 * sometimes 20. The last LOG_INGESTION_MINUTES before a run are not proof of anything yet.
 */
export const LOG_INGESTION_MINUTES = 20;

export interface GatePolicy {
  requireUnusedDays?: number;
  now: Date;
}

/** The keys of `regenerate` the gate holds back, and why; nothing without require-unused-days. */
export function unusedGate(
  inventory: Inventory,
  regenerate: readonly KeyName[],
  policy: GatePolicy,
): Drain[] {
  const days = policy.requireUnusedDays;
  if (days === undefined) return [];
  return regenerate.flatMap((key) => {
    const because: string[] = [];
    let until: Date | undefined = new Date(0);
    const wait = (from: Date, reason: string) => {
      const end = new Date(from.getTime() + days * DAY_MS + LOG_INGESTION_MINUTES * 60_000);
      if (end <= policy.now) return;
      if (until && end > until) until = end;
      because.push(reason);
    };
    const unknown = (reason: string) => {
      until = undefined;
      because.push(reason);
    };
    const missing = missingProof(inventory, days);
    if (missing) unknown(`require-unused-days: ${days} needs the storage logs, and ${missing}`);

    const holding = keyHolding(inventory, key);
    if ('held' in holding) {
      wait(
        policy.now,
        `managed consumers hold it (${holding.held.join(', ')}): this run moves them off it, and it must then stay unused for ${days} days`,
      );
    } else if ('unknownSince' in holding) {
      unknown(`since when no managed consumer has held it cannot be told: ${holding.unknownSince}`);
    } else {
      wait(
        holding.freeSince,
        `managed consumers may have held it until ${holding.freeSince.toISOString()}, less than ${days} days ago`,
      );
    }

    const usage = inventory.keyUsage;
    const evidence = usage?.status === 'found' ? usage.keys.find((k) => k.key === key) : undefined;
    if (usage?.status === 'found' && !evidence && !missing)
      unknown(
        `require-unused-days: ${days} needs the storage logs, and they say nothing of ${key}`,
      );
    const current = evidence?.current;
    if (current?.lastSeen && Date.parse(current.lastSeen) > policy.now.getTime() - days * DAY_MS) {
      const callers = current.top.slice(0, 5).map((c) => describeCaller(c, key));
      wait(
        new Date(current.lastSeen),
        `its current value signed ${current.requests} request(s) in the last ${days} days (${callers.join('; ')}${current.callers > callers.length ? '; …' : ''})`,
      );
    }
    return because.length > 0 ? [{ key, until, because }] : [];
  });
}

/** Why the logs cannot prove N days unused, or nothing when they can. */
function missingProof(inventory: Inventory, days: number): string | undefined {
  const usage = inventory.keyUsage;
  if (!usage) return 'the run has no key-usage evidence';
  if (usage.status !== 'found') return `${lowerFirst(usage.reason)}`;
  if (usage.unreadableTables) {
    return `the login may not read ${usage.unreadableTables.join(', ')}, whose requests the query would leave out`;
  }
  if (usage.partialError)
    return `the key-usage query answered only in part (${usage.partialError})`;
  const unlogged = LOGGED_SERVICES.map(([s]) => s).filter((s) => !usage.services.includes(s));
  if (unlogged.length > 0) {
    return `the requests of the ${unlogged.join(', ')} service(s) do not reach Log Analytics, so a caller there would not show`;
  }
  if (usage.partial.length > 0) {
    return `the ${usage.partial.join(', ')} service(s) send only some of StorageRead, StorageWrite and StorageDelete to the logs`;
  }
  if (usage.lookbackDays < days) {
    return `the query looked back only ${usage.lookbackDays} days`;
  }
  return undefined;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
