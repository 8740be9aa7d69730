import type { AccountKey, AzurePort, KeyName } from './azure/port.js';
import { mapLimit } from './concurrency.js';
import { adapterFor } from './consumers/index.js';
import { accountKeys } from './consumers/sas.js';
import {
  consumerId,
  knownHolding,
  refOf,
  usesAccountKey,
  workspaceHolding,
  type Consumer,
  type ConsumerRef,
  type Holding,
  type Inventory,
  type KeyInfo,
} from './inventory.js';
import { otherKey, writeTargets, type Plan, type Step } from './plan.js';
import { refKey, type ResourceRef } from './resource-id.js';
import { describeError } from './secrets.js';

export type StepStatus = 'done' | 'failed' | 'partly failed' | 'not run';

export interface StepResult {
  step: Step;
  status: StepStatus;
  error?: string;
}

export interface ConsumerOutcome {
  ref: ConsumerRef;
  /** `unchanged`: the plan needed no write; `not run`: a planned write that did not happen. */
  status: 'updated' | 'failed' | 'not run' | 'unchanged';
  /** The key the consumer holds after the run, as far as the run knows. */
  holds: Holding;
  /** Set when holds is a key regenerated in this run. */
  fresh: boolean;
  error?: string;
}

export interface WorkspaceOutcome {
  ref: ResourceRef;
  status: 'resynced' | 'failed' | 'not run';
  holdsBefore?: Holding;
  /** What Workspaces_ListKeys says after the last resync. */
  holdsAfter?: Holding;
  /** Milliseconds the workspace's own copy was invalid (regeneration of its key → resync). */
  invalidForMs?: number;
  error?: string;
}

export interface Execution {
  steps: StepResult[];
  regenerated: KeyName[];
  /** The account's keys as the run last read them: names and creation times, never values. */
  keysAfter: { name: KeyName; createdOn?: Date }[];
  consumers: Map<string, ConsumerOutcome>;
  workspaces: Map<string, WorkspaceOutcome>;
  /** Why the run stopped before its end, if it did. */
  stopped?: string;
  failed: boolean;
}

export interface ExecuteOptions {
  concurrency: number;
  /** Told of each step as it ends (the log). */
  onStep?: (result: StepResult) => void;
  now?: () => number;
}

/** What the run knows while it runs: the keys as it last read them, and every outcome so far. */
interface Run {
  azure: AzurePort;
  account: ResourceRef;
  concurrency: number;
  now: () => number;
  keys: Map<KeyName, KeyInfo>;
  regenerated: KeyName[];
  consumers: Map<string, ConsumerOutcome>;
  workspaces: Map<string, WorkspaceOutcome>;
  /** Since when a workspace's own copy holds a regenerated key, by refKey. */
  invalidSince: Map<string, number>;
  /** Every consumer as discovery listed it, by consumerId. */
  listed: Map<string, Consumer>;
  /** Workspaces this run resynced (refKey): what discovery listed there may be out of date. */
  resynced: Set<string>;
  stopped?: string;
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
  return {
    steps: results,
    regenerated: run.regenerated,
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

async function regenerate(
  run: Run,
  step: Extract<Step, { kind: 'regenerate' }>,
): Promise<StepResult> {
  const previous = run.keys.get(step.key)!.value;
  const other = run.keys.get(otherKey(step.key))!.value;
  let after: AccountKey[];
  try {
    after = await run.azure.regenerateKey(run.account, step.key);
  } catch (error) {
    const reason = describeError(error);
    run.stopped = `regenerating ${step.key} failed: ${reason}`;
    return { step, status: 'failed', error: reason };
  }
  const regeneratedAt = run.now();
  const fresh = after.find((k) => k.name === step.key)?.value;
  if (!fresh || fresh === previous) {
    run.stopped = `regenerating ${step.key} did not return a new value for it`;
    return { step, status: 'failed', error: run.stopped };
  }
  for (const key of after) run.keys.set(key.name, key);
  run.regenerated.push(step.key);
  for (const ws of run.workspaces.values()) {
    if (ws.holdsAfter === step.key) run.invalidSince.set(refKey(ws.ref), regeneratedAt);
  }
  for (const outcome of run.consumers.values()) {
    if (outcome.holds === step.key) outcome.holds = 'stale';
  }
  if (run.keys.get(otherKey(step.key))?.value !== other) {
    return {
      step,
      status: 'partly failed',
      error: `${otherKey(step.key)} changed too while ${step.key} was regenerated: something else is rotating this account's keys`,
    };
  }
  return { step, status: 'done' };
}

async function resync(run: Run, step: Extract<Step, { kind: 'resync' }>): Promise<StepResult> {
  const id = refKey(step.workspace);
  const outcome = run.workspaces.get(id)!;
  run.resynced.add(id);
  try {
    await run.azure.resyncKeys(step.workspace);
    const ownKey = await run.azure.workspaceStorageKey(step.workspace);
    outcome.holdsAfter = workspaceHolding(ownKey, [...run.keys.values()]);
    outcome.status = 'resynced';
    const since = run.invalidSince.get(id);
    if (since !== undefined) {
      outcome.invalidForMs = (outcome.invalidForMs ?? 0) + (run.now() - since);
      run.invalidSince.delete(id);
    }
    return { step, status: 'done' };
  } catch (error) {
    outcome.status = 'failed';
    outcome.error = describeError(error);
    return { step, status: 'failed', error: outcome.error };
  }
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
