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
import { progressOf, stopForCancel } from './progress.js';
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
  /** Aborts when the run is cancelled: no step, and no write of a step, starts after it. */
  cancel?: AbortSignal;
  /** Given, as the run starts, what tells the run as it stands (a cancel reports it). */
  progress?: (now: () => Execution) => void;
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
  options.progress?.(() => progressOf(run, plan.steps));
  const ended: StepResult[] = [];
  for (let index = 0; index < plan.steps.length;) {
    const step = plan.steps[index]!;
    if (run.stopped === undefined && run.cancel?.aborted) stopForCancel(run);
    if (
      run.stopped === undefined &&
      step.kind === 'regenerate' &&
      ended.some((r) => r.status !== 'done')
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
      run.results.set(result.step, result);
      ended.push(result);
      options.onStep?.(result);
    }
    index += batch.length;
  }
  return progressOf(run, plan.steps);
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
    cancel: options.cancel,
    keys: new Map(inventory.keys.map((k) => [k.name, k])),
    regenerated: [],
    consumers,
    workspaces,
    invalidSince: new Map(),
    listed: new Map(
      inventory.workspaces.flatMap((ws) => ws.consumers).map((c) => [consumerId(c), c]),
    ),
    resynced: new Set(),
    results: new Map(),
    underway: new Set(),
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

/** Runs one step, known to the run as under way until its result is in. */
async function runStep(run: Run, step: Step): Promise<StepResult> {
  run.underway.add(step);
  const result = await (step.kind === 'regenerate'
    ? regenerate(run, step)
    : step.kind === 'resync'
      ? resync(run, step)
      : move(run, step));
  run.results.set(step, result);
  run.underway.delete(step);
  return result;
}

async function resync(run: Run, step: Extract<Step, { kind: 'resync' }>): Promise<StepResult> {
  const id = refKey(step.workspace);
  const outcome = run.workspaces.get(id)!;
  outcome.status = 'unknown';
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

/** A consumer of a move the cancel came before: its write was not started. */
const NOT_STARTED = 'not started';

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
    const outcome = run.consumers.get(consumerId(ref))!;
    if (run.cancel?.aborted) return NOT_STARTED;
    outcome.status = 'unknown';
    const target = {
      consumer: run.listed.get(consumerId(ref)) ?? ref,
      resyncedSinceListing: run.resynced.has(refKey(ref.workspace)),
      signing,
      to: step.to,
    };
    const result = await adapterFor(ref.kind).rekey(run.azure, target, key);
    if (typeof result === 'string') {
      Object.assign(outcome, { status: 'failed', error: result });
      return result;
    }
    Object.assign(outcome, { status: 'updated', holds: step.to, fresh, error: undefined });
    if (result) outcome.written = result;
    return undefined;
  });
  const notStarted = errors.filter((e) => e === NOT_STARTED).length;
  if (notStarted > 0) stopForCancel(run);
  if (notStarted === errors.length) return { step, status: 'not run' };
  const failures = errors.filter(Boolean).length - notStarted;
  if (changedElsewhere) {
    return {
      step,
      status: 'partly failed',
      error: `${step.to} changed outside this run (is another rotation running?); consumers got its current value`,
    };
  }
  if (failures + notStarted === 0) return { step, status: 'done' };
  const parts = [
    failures > 0 ? `${failures} of ${errors.length} consumers failed` : '',
    notStarted > 0
      ? `${notStarted} of ${errors.length} were not started (the run was cancelled)`
      : '',
  ];
  return {
    step,
    status: failures === errors.length ? 'failed' : 'partly failed',
    error: parts.filter(Boolean).join('; '),
  };
}
