import type { AccountKey, AzurePort } from '../azure/port.js';
import { mapLimit } from '../util/concurrency.js';
import { adapterFor } from '../consumers/index.js';
import { accountKeys } from '../consumers/sas.js';
import {
  consumerId,
  knownHolding,
  refOf,
  usesAccountKey,
  workspaceHolding,
  type Consumer,
  type Inventory,
} from '../discover/inventory.js';
import { writeTargets, type Plan, type Step } from '../plan/plan.js';
import type { ConsumerOutcome, Execution, Run, StepResult, WorkspaceOutcome } from './execution.js';
import { regenerate } from './regeneration.js';
import { refKey } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';

export type {
  ConsumerOutcome,
  Execution,
  StepResult,
  StepStatus,
  WorkspaceOutcome,
} from './execution.js';

export interface ExecuteOptions {
  concurrency: number;
  /** Told of each step as it ends (the log). */
  onStep?: (result: StepResult) => void;
  now?: () => number;
  /** How long one resync may run before the run stops waiting for it (no limit when unset). */
  resyncTimeoutMs?: number;
}

/**
 * Runs the plan's steps in order. It decides nothing beyond one safety rule: no key is regenerated
 * after an earlier step failed, since a consumer may still hold it.
 */
export async function execute(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
  options: ExecuteOptions,
): Promise<Execution> {
  const run = startRun(azure, inventory, plan, options);
  const results: StepResult[] = [];
  for (let index = 0; index < plan.steps.length;) {
    const step = plan.steps[index]!;
    if (
      run.stopped === undefined &&
      step.kind === 'regenerate' &&
      results.some((r) => r.status !== 'done')
    ) {
      run.stopped = `stopped before regenerating ${step.key}: an earlier step failed, and a consumer may still hold ${step.key}`;
    }
    // Resyncs of different workspaces next to each other do not depend on one another: they run
    // together, each waiting on its own workspace, and are told in the plan's order.
    const batch = step.kind === 'resync' ? resyncRun(plan.steps, index) : [step];
    const batchResults: StepResult[] =
      run.stopped === undefined
        ? await Promise.all(batch.map((s) => runStep(run, s)))
        : batch.map((s) => ({ step: s, status: 'not run' }));
    for (const result of batchResults) {
      results.push(result);
      options.onStep?.(result);
    }
    index += batch.length;
  }
  // A workspace copy still invalid at the end (its resync failed or never ran) counts until now.
  for (const [id, since] of run.invalidSince) {
    const outcome = run.workspaces.get(id)!;
    outcome.invalidForMs = (outcome.invalidForMs ?? 0) + (run.now() - since);
  }
  return {
    steps: results,
    regenerated: run.regenerated,
    uncertain: run.uncertain,
    keysAfter: [...run.keys.values()].map((k) => ({ name: k.name, createdOn: k.createdOn })),
    consumers: run.consumers,
    workspaces: run.workspaces,
    stopped: run.stopped,
    failed:
      results.some((r) => r.status !== 'done' && r.status !== 'not run') ||
      run.stopped !== undefined,
  };
}

function startRun(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
  options: ExecuteOptions,
): Run {
  const managed = inventory.workspaces.filter((ws) => ws.inScope);
  const planned = writeTargets(plan).consumers;
  const consumers = new Map<string, ConsumerOutcome>();
  const tracked = (c: Consumer) => usesAccountKey(c) || planned.has(consumerId(c));
  for (const c of managed.flatMap((ws) => ws.consumers).filter(tracked)) {
    consumers.set(consumerId(c), {
      ref: refOf(c),
      status: planned.has(consumerId(c)) ? 'not run' : 'unchanged',
      holds: knownHolding(c.holds) ?? 'stale',
      fresh: false,
    });
  }
  const workspaces = new Map<string, WorkspaceOutcome>();
  for (const ws of managed.filter((w) => w.usesAccountAsDefault)) {
    workspaces.set(refKey(ws.ref), {
      ref: ws.ref,
      status: 'not run',
      holdsBefore: knownHolding(ws.holds),
      holdsAfter: knownHolding(ws.holds),
    });
  }
  return {
    azure,
    account: inventory.account.ref,
    concurrency: options.concurrency,
    now: options.now ?? Date.now,
    resyncTimeoutMs: options.resyncTimeoutMs,
    keys: new Map(inventory.keys.map((k) => [k.name, k])),
    regenerated: [],
    consumers,
    workspaces,
    invalidSince: new Map(),
    listed: new Map(
      inventory.workspaces.flatMap((ws) => ws.consumers).map((c) => [consumerId(c), c]),
    ),
    resynced: new Set(),
  };
}

/** The resync steps from `index` on, up to the first other step or a workspace already in it. */
function resyncRun(steps: readonly Step[], index: number): Step[] {
  const batch: Step[] = [];
  const seen = new Set<string>();
  for (const step of steps.slice(index)) {
    if (step.kind !== 'resync' || seen.has(refKey(step.workspace))) break;
    seen.add(refKey(step.workspace));
    batch.push(step);
  }
  return batch;
}

function runStep(run: Run, step: Step): Promise<StepResult> {
  switch (step.kind) {
    case 'regenerate':
      return regenerate(run, step);
    case 'resync':
      return resync(run, step);
    case 'move':
      return move(run, step);
  }
}

async function resync(run: Run, step: Extract<Step, { kind: 'resync' }>): Promise<StepResult> {
  const id = refKey(step.workspace);
  const outcome = run.workspaces.get(id)!;
  run.resynced.add(id);
  const limit = run.resyncTimeoutMs;
  const abortSignal = limit === undefined ? undefined : AbortSignal.timeout(limit);
  try {
    await run.azure.resyncKeys(step.workspace, { abortSignal });
    const ownKey = await run.azure.workspaceStorageKey(step.workspace);
    outcome.holdsAfter = await confirmedHolding(run, ownKey);
    const unconfirmed = unconfirmedCopy(outcome);
    if (unconfirmed) {
      Object.assign(outcome, { status: 'failed', error: unconfirmed });
      return { step, status: 'failed', error: unconfirmed };
    }
    outcome.status = 'resynced';
    const since = run.invalidSince.get(id);
    if (since !== undefined) {
      outcome.invalidForMs = (outcome.invalidForMs ?? 0) + (run.now() - since);
      run.invalidSince.delete(id);
    }
    return { step, status: 'done' };
  } catch (error) {
    outcome.status = 'failed';
    outcome.error = abortSignal?.aborted
      ? `the resync did not finish within ${limit! / 60_000} minute(s) (resync-timeout-minutes); it may still finish in Azure, and the workspace's own copy is unconfirmed`
      : describeError(error);
    return { step, status: 'failed', error: outcome.error };
  }
}

/** The key the workspace's copy matches: against the keys as last read, then as they are now. */
async function confirmedHolding(run: Run, ownKey: string | undefined) {
  const holds = workspaceHolding(ownKey, [...run.keys.values()]);
  if (holds !== 'stale') return holds;
  const current = await run.azure.listKeys(run.account);
  for (const k of current) run.keys.set(k.name, k);
  return workspaceHolding(ownKey, current);
}

/** Why a completed resync is not a success: the workspace's copy is not on a current key. */
function unconfirmedCopy(outcome: WorkspaceOutcome): string | undefined {
  if (outcome.holdsAfter === 'stale') {
    return "the resync completed, but the workspace's own copy still matches neither of the account's current keys";
  }
  if (outcome.holdsAfter === undefined && outcome.holdsBefore !== undefined) {
    return 'the resync completed, but the workspace returned no storage key to confirm it by';
  }
  return undefined;
}

async function move(run: Run, step: Extract<Step, { kind: 'move' }>): Promise<StepResult> {
  // The key's value now, not as this run last saw it: if something else regenerated it
  // meanwhile, the old value would be written to the consumers and "verified".
  let current: AccountKey[];
  try {
    current = await run.azure.listKeys(run.account);
  } catch (error) {
    return { step, status: 'failed', error: describeError(error) };
  }
  const key = current.find((k) => k.name === step.to)?.value;
  if (!key) return { step, status: 'failed', error: `the account returned no ${step.to}` };
  const changedElsewhere = key !== run.keys.get(step.to)!.value;
  for (const k of current) run.keys.set(k.name, k);
  const fresh = run.regenerated.includes(step.to);
  // A SAS consumer's token is re-signed by the key, and checked against the keys as they are now.
  const signing = {
    account: run.account.name.toLowerCase(),
    key: step.to,
    keys: accountKeys(current),
  };
  const errors = await mapLimit(step.consumers, run.concurrency, async (ref) => {
    const target = {
      consumer: run.listed.get(consumerId(ref)) ?? ref,
      resyncedSinceListing: run.resynced.has(refKey(ref.workspace)),
      signing,
      to: step.to,
    };
    const error = await adapterFor(ref.kind).rekey(run.azure, target, key);
    const outcome = run.consumers.get(consumerId(ref))!;
    if (error) Object.assign(outcome, { status: 'failed', error });
    else Object.assign(outcome, { status: 'updated', holds: step.to, fresh, error: undefined });
    return error;
  });
  const failures = errors.filter(Boolean).length;
  if (changedElsewhere) {
    return {
      step,
      status: 'partly failed',
      error: `${step.to} changed outside this run (is another rotation running?); consumers got its current value`,
    };
  }
  if (failures === 0) return { step, status: 'done' };
  return {
    step,
    status: failures === errors.length ? 'failed' : 'partly failed',
    error: `${failures} of ${errors.length} consumers failed`,
  };
}
