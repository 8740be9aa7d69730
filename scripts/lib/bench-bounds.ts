// What a run's ARM calls allow and cost: the critical-path bound, the turnaround of a write to its
// read-back, the throttle floor, and the calls by operation. Read from the emulator's request log.
import type { RequestRecord } from '../../emulator/server.js';
import { bucketKindOf, bucketsOf, type ThrottlingSettings } from '../../emulator/throttling.js';

/**
 * The critical-path bound: the least time the run's calls allow at its concurrency. The action's
 * phases follow one another (discovery, permissions, then each step of the plan: a key's move is a
 * key read, then every consumer's write then read-back; a regeneration; a resync, which waits on
 * the service). Within a phase, calls go at most `concurrency` at a time and along their longest
 * chain of calls that must follow one another (a list's pages; a write before its read-back), so a
 * phase takes at least max(chain, ⌈calls / concurrency⌉) × latency; a resync adds the service's
 * own duration. Phases are read from the emulator's log of this run. Starting node, loading the
 * bundle and logging in are not in the bound: the bound is what Resource Manager allows, the rest
 * is the action's own cost.
 */
export function criticalPathBound(
  arm: RequestRecord[],
  concurrency: number,
  latencyMs: number,
  resyncMs: number,
): number {
  const answered = arm.filter((r) => !r.throttled);
  type Phase = {
    kind: 'discovery' | 'permissions' | 'move' | 'regenerate' | 'resync';
    ops: string[];
  };
  const phases: Phase[] = [{ kind: 'discovery', ops: [] }];
  let seenPermissions = false;
  for (const request of answered) {
    const op = request.operation ?? '';
    const current = phases.at(-1)!;
    let kind: Phase['kind'] | undefined;
    if (op === 'Permissions.listForResource') {
      if (current.kind !== 'permissions') kind = 'permissions';
      seenPermissions = true;
    } else if (seenPermissions && op === 'StorageAccounts.listKeys') kind = 'move';
    else if (op === 'StorageAccounts.regenerateKey') kind = 'regenerate';
    else if (op === 'Workspaces.resyncKeys' && current.kind !== 'resync') kind = 'resync';
    if (kind) phases.push({ kind, ops: [op] });
    else current.ops.push(op);
  }
  let units = 0;
  let serviceMs = 0;
  for (const phase of phases) {
    const n = phase.ops.length;
    if (n === 0) continue;
    const count = (operation: string) => phase.ops.filter((op) => op === operation).length;
    let chain = 1;
    if (phase.kind === 'discovery') {
      const workspaces = Math.max(1, count('Workspaces.get'));
      const pages = Math.ceil(count('Datastores.list') / workspaces);
      chain = 1 + pages + 1; // the workspace, its pages in turn, the last page's secret reads
    } else if (phase.kind === 'move') {
      chain = 1 + 2; // the key, then a write and its read-back
    } else if (phase.kind === 'resync') {
      // Resyncs next to each other run together: accepted, polled once done, the key read; the
      // service's own duration once.
      chain = 3;
      serviceMs += resyncMs;
    }
    units += Math.max(chain, Math.ceil(n / concurrency));
  }
  return units * latencyMs + serviceMs;
}

/**
 * What one step of a chain costs beyond the latency: for each datastore the run wrote, the time from
 * its PUT reaching the emulator to its read-back reaching it, less the latency (the emulator answering,
 * the action reading the answer and sending the next call, and every wait for a CPU in between).
 * The action's part is from the PUT's answer leaving the emulator to the read-back reaching it.
 * Median and 90th percentile of each; undefined without writes.
 */
export function turnaround(arm: RequestRecord[], latencyMs: number): Turnaround | undefined {
  const written = new Map<string, RequestRecord>();
  const extra: number[] = [];
  const action: number[] = [];
  for (const r of arm) {
    if (r.throttled) continue;
    if (r.operation === 'Datastores.createOrUpdate') written.set(r.path.toLowerCase(), r);
    else if (r.operation === 'Datastores.listSecrets') {
      const path = r.path.toLowerCase().replace(/\/listsecrets$/, '');
      const put = written.get(path);
      if (put === undefined) continue;
      written.delete(path);
      extra.push(r.time - put.time - latencyMs);
      if (put.answeredAt !== undefined) action.push(r.time - put.answeredAt);
    }
  }
  if (extra.length === 0) return undefined;
  const { medianMs, p90Ms } = quantiles(extra);
  const ofAction = action.length > 0 ? quantiles(action) : undefined;
  return { medianMs, p90Ms, actionMedianMs: ofAction?.medianMs, actionP90Ms: ofAction?.p90Ms };
}

export interface Turnaround {
  medianMs: number;
  p90Ms: number;
  actionMedianMs?: number;
  actionP90Ms?: number;
}

function quantiles(values: number[]): { medianMs: number; p90Ms: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p90Ms: at(0.9) };
}

/**
 * The fewest milliseconds the buckets allow for the calls the run made (ARM admits them all): the
 * principal's and the subscription's global bucket, whichever is slower to give them.
 */
export function throttleFloorMs(arm: RequestRecord[], throttling: ThrottlingSettings): number {
  const { own, global } = bucketsOf(throttling);
  let floor = 0;
  for (const kind of ['reads', 'writes', 'deletes'] as const) {
    const calls = arm.filter((r) => !r.throttled && bucketKindOf(r.method) === kind).length;
    for (const b of [own[kind], global[kind]])
      floor = Math.max(floor, ((calls - b.capacity) / b.refillPerSecond) * 1000);
  }
  return Math.max(0, floor);
}

export function byOperation(arm: RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of arm) {
    const op = `${r.operation ?? `${r.method} ?`}${r.throttled ? ' (429)' : ''}`;
    counts[op] = (counts[op] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}
