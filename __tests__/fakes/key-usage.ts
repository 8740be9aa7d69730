// Key-usage evidence and a small world for the planner's tests of callers and require-unused-days.
import type { KeyName } from '../../src/azure/port.js';
import type { Inventory } from '../../src/discover/inventory.js';
import type { KeyNameChoice } from '../../src/inputs/inputs.js';
import type { CallerUsage, KeyUsage } from '../../src/key-usage/usage.js';
import type { Plan, Policy } from '../../src/plan/plan.js';
import { inventory, NOW } from './inventory.js';

export const DAY = 86_400_000;
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
export const policy = (keyName: KeyNameChoice, more: Partial<Policy> = {}): Policy => ({
  keyName,
  now: NOW,
  ...more,
});
export const moves = (p: Plan) =>
  p.steps
    .filter((s) => s.kind !== 'resync')
    .map((s) =>
      s.kind === 'move'
        ? `move ${s.consumers.map((c) => c.name).join(',')} to ${s.to}`
        : `regenerate ${s.key}`,
    );

export function caller(ip: string, lastSeenDaysAgo: number, requests = 24): CallerUsage {
  return {
    ip,
    userAgent: `agent-${ip}`,
    authType: 'AccountKey',
    requests,
    succeeded: requests,
    refused: 0,
    services: ['blob'],
    operations: ['GetBlob'],
    firstSeen: daysAgo(lastSeenDaysAgo + 1).toISOString(),
    lastSeen: daysAgo(lastSeenDaysAgo).toISOString(),
  };
}

/** Evidence over `lookbackDays` from every service: the current value's callers, and older ones. */
export function usage(
  current: Partial<Record<KeyName, CallerUsage[]>>,
  more: { older?: Partial<Record<KeyName, CallerUsage[]>>; services?: string[] } = {},
  lookbackDays = 7,
): KeyUsage {
  const of = (callers: CallerUsage[]) => ({
    requests: callers.reduce((n, c) => n + c.requests, 0),
    callers: callers.length,
    firstSeen: callers.map((c) => c.firstSeen).sort()[0],
    lastSeen: callers
      .map((c) => c.lastSeen)
      .sort()
      .at(-1),
    top: callers,
  });
  return {
    status: 'found',
    lookbackDays,
    keys: (['key1', 'key2'] as const).map((key) => ({
      key,
      current: of(current[key] ?? []),
      ...(more.older?.[key] ? { older: of(more.older[key]) } : {}),
    })),
    services: more.services ?? ['blob', 'file', 'queue', 'table'],
    partial: [],
  };
}

/** key1 (40 days) held by the managed datastore and workspace; key2 (100 days) held by no one. */
export function world(keyUsage?: KeyUsage, datastoreHolds: KeyName = 'key1'): Inventory {
  const inv = inventory({
    ages: { key1: 40, key2: 100 },
    workspaces: [
      { name: 'ws', holds: 'key1', datastores: [{ name: 'data', holds: datastoreHolds }] },
    ],
  });
  inv.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(200);
  return keyUsage ? { ...inv, keyUsage } : inv;
}
