import { NotSentError, type AccountKey, type AzurePort, type KeyName } from '../azure/port.js';
import type { Run, StepResult } from './execution.js';
import { stopForCancel } from './progress.js';
import { otherKey, type Step } from '../plan/plan.js';
import { refKey, type ResourceRef } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';

/** What a regeneration whose answer was an error did, as the account's keys tell it afterwards. */
export type ReadBack =
  | { applied: true; keys: AccountKey[] }
  | { applied: false; keys: AccountKey[] }
  | { applied: undefined; reason: string };

/**
 * After regenerateKey answered an error, reads the keys back: the service may have applied the
 * regeneration and lost the answer (and the SDK's retries apply it again). The key's value against
 * the one before the run tells which.
 */
async function readBack(
  azure: AzurePort,
  account: ResourceRef,
  key: KeyName,
  previous: string,
): Promise<ReadBack> {
  try {
    const keys = await azure.listKeys(account);
    const now = keys.find((k) => k.name === key)?.value;
    if (!now) return { applied: undefined, reason: `the account returned no ${key}` };
    return { applied: now !== previous, keys } as ReadBack;
  } catch (error) {
    return { applied: undefined, reason: `reading the keys back failed: ${describeError(error)}` };
  }
}

/** Regenerates a key, recording in the run what holds a dead value from then on. */
export async function regenerate(
  run: Run,
  step: Extract<Step, { kind: 'regenerate' }>,
): Promise<StepResult> {
  run.regenerating = step.key;
  try {
    return await requestRegeneration(run, step);
  } finally {
    run.regenerating = undefined;
  }
}

async function requestRegeneration(
  run: Run,
  step: Extract<Step, { kind: 'regenerate' }>,
): Promise<StepResult> {
  const previous = run.keys.get(step.key)!.value;
  const other = run.keys.get(otherKey(step.key))!.value;
  let after: AccountKey[];
  const requestedAt = run.now();
  try {
    after = await run.azure.regenerateKey(run.account, step.key, { cancel: run.cancel });
  } catch (error) {
    // Held back by the cancel before it went out: nothing happened to the key.
    if (error instanceof NotSentError && !error.earlierAttemptSent) {
      stopForCancel(run);
      return { step, status: 'not run' };
    }
    if (error instanceof NotSentError) run.cancelled = true;
    return regenerationFailed(run, step, describeError(error), previous, requestedAt);
  }
  const fresh = after.find((k) => k.name === step.key)?.value;
  if (!fresh || fresh === previous) {
    run.stopped = `regenerating ${step.key} did not return a new value for it`;
    return { step, status: 'failed', error: run.stopped };
  }
  regenerated(run, step.key, after, run.now());
  if (run.keys.get(otherKey(step.key))?.value !== other) {
    return {
      step,
      status: 'partly failed',
      error: `${otherKey(step.key)} changed too while ${step.key} was regenerated: something else is rotating this account's keys`,
    };
  }
  return { step, status: 'done' };
}

/** The key is regenerated (its new value among `after`): what held it holds a dead value now. */
function regenerated(run: Run, key: KeyName, after: AccountKey[], at: number): void {
  for (const k of after) run.keys.set(k.name, k);
  run.regenerated.push(key);
  for (const ws of run.workspaces.values()) {
    if (ws.holdsAfter !== key) continue;
    run.invalidSince.set(refKey(ws.ref), at);
    ws.holdsAfter = 'stale';
  }
  for (const outcome of run.consumers.values()) {
    if (outcome.holds === key) outcome.holds = 'stale';
  }
}

/**
 * regenerateKey answered an error. It may have been applied all the same (an answer lost on the
 * way, each SDK retry applying it again): the keys read back tell, and the run reports what they
 * say. Either way the run stops here.
 */
async function regenerationFailed(
  run: Run,
  step: Extract<Step, { kind: 'regenerate' }>,
  reason: string,
  previous: string,
  requestedAt: number,
): Promise<StepResult> {
  const found = await readBack(run.azure, run.account, step.key, previous);
  if (found.applied === true) {
    // Applied at some point after the request went out: counted from then, the longer window.
    regenerated(run, step.key, found.keys, requestedAt);
    run.stopped = `regenerating ${step.key} answered an error (${reason}), but the keys read back show ${step.key} was regenerated all the same; the run stopped there`;
    return {
      step,
      status: 'failed',
      error: `${reason}; the keys read back show ${step.key} changed`,
    };
  }
  if (found.applied === false) {
    for (const k of found.keys) run.keys.set(k.name, k);
    run.stopped = `regenerating ${step.key} failed: ${reason}`;
    return { step, status: 'failed', error: reason };
  }
  run.uncertain = step.key;
  run.stopped = `regenerating ${step.key} failed (${reason}), and whether it was regenerated is unknown: ${found.reason}`;
  return { step, status: 'failed', error: `${reason}; ${found.reason}` };
}
