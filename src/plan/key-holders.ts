// Since when no managed consumer has held each key, and the callers the storage logs show on a
// key's current value since then: holders outside the managed workspaces like any other. Pure.
import type { KeyName } from '../azure/port.js';
import {
  dependsOn,
  describeConsumer,
  managedWorkspaces,
  type Inventory,
} from '../discover/inventory.js';
import type { CallerUsage } from '../key-usage/usage.js';
import { DAY_MS } from '../util/time.js';

/**
 * How long a managed consumer may still use a key after it was moved off it: an Azure ML job reads
 * a datastore's credentials when it starts and keeps them until it ends, and a job lives at most
 * 21 days ("Job lifetime", Azure Machine Learning quotas and limits; 7 on a low-priority node).
 * A caller the logs show on a key within this time after the move may be such a job.
 */
export const JOB_GRACE_DAYS = 21;

/** Whether managed consumers hold a key now, and if not, since when none has. */
export type KeyHolding =
  | { held: string[] }
  | { freeSince: Date }
  /** No managed consumer holds it now, but since when cannot be told. */
  | { unknownSince: string };

/**
 * Under the action's own order a run ends with every managed consumer on the key it regenerated
 * last, so the other key is free from the newest key's creation; a key that is itself the newest
 * has been free (if no one holds it) since its own creation. A move without a regeneration (a
 * drain, key-name: none, a repair) writes the consumers it moves, so the latest write of a managed
 * consumer (systemData.lastModifiedAt) bounds the time from the other side: the later of the two.
 */
export function keyHolding(inventory: Inventory, key: KeyName): KeyHolding {
  const managed = managedWorkspaces(inventory);
  const consumers = managed.flatMap((ws) => ws.consumers);
  const held = [
    ...managed
      .filter((ws) => ws.usesAccountAsDefault && ws.holds === key)
      .map((ws) => `the own copy of workspace '${ws.ref.name}'`),
    ...consumers.filter((c) => dependsOn(c) === key).map(describeConsumer),
  ];
  if (held.length > 0) return { held };
  const keys = inventory.keys;
  if (keys.length === 0 || keys.some((k) => !k.createdOn)) {
    return { unknownSince: 'the creation times of the account keys are unknown' };
  }
  const newest = Math.max(...keys.map((k) => k.createdOn!.getTime()));
  const lastWrite = Math.max(0, ...consumers.map((c) => c.writtenOn?.getTime() ?? 0));
  return { freeSince: new Date(Math.max(newest, lastWrite)) };
}

/** A caller seen on a key's current value while no managed consumer could have used that key. */
export interface OutsideCaller {
  id: string;
  key: KeyName;
  caller: CallerUsage;
  text: string;
}

/**
 * The callers that signed requests with the current value of one of these keys after it had been
 * free of managed consumers for JOB_GRACE_DAYS: no managed consumer can have made those requests,
 * so each one is an outside holder of the key. Callers on an older value are already broken and
 * never count.
 */
export function outsideCallers(inventory: Inventory, keys: readonly KeyName[]): OutsideCaller[] {
  const usage = inventory.keyUsage;
  if (usage?.status !== 'found') return [];
  return keys.flatMap((key) => {
    const holding = keyHolding(inventory, key);
    if (!('freeSince' in holding)) return [];
    const spanStart = holding.freeSince.getTime() + JOB_GRACE_DAYS * DAY_MS;
    const current = usage.keys.find((k) => k.key === key)?.current.top ?? [];
    return current
      .filter((c) => Date.parse(c.lastSeen) > spanStart)
      .map((caller) => ({
        id: `caller:${key}:${caller.authType}:${caller.ip}:${caller.userAgent}`,
        key,
        caller,
        text: describeCaller(caller, key),
      }));
  });
}

/** "caller 203.0.113.7 (contoso-app/2.1) on key2: 168 requests (blob), last seen …". */
export function describeCaller(c: CallerUsage, key: KeyName): string {
  const via = c.authType === 'SAS' ? ` through a SAS ${key} signed` : '';
  return `caller ${c.ip} (${c.userAgent || 'no user agent'}) on ${key}${via}: ${c.requests} request(s) (${c.services.join(', ') || 'no service named'}), last seen ${c.lastSeen}`;
}
