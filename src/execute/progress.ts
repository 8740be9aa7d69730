import type { Step } from '../plan/plan.js';
import type { Execution, Run, StepResult } from './execution.js';

/** What a write cut short by a cancel is: neither done nor failed. */
export const WRITE_UNANSWERED =
  'the run was cancelled before its write was answered: whether it took is unknown (a rerun reads it back)';
export const RESYNC_UNFINISHED =
  "the run was cancelled before the resync ended: the workspace's own copy is unconfirmed (a rerun resyncs it again)";

/** Why the run stopped: the cancel, with the signal that brought it (a cancel's reason) if named. */
export function cancelledText(signal: unknown): string {
  const by = typeof signal === 'string' ? ` (${signal})` : '';
  return `the run was cancelled${by}: nothing was started after that`;
}

/** Marks the run as stopped by the cancel (once): what is left is not started. */
export function stopForCancel(run: Run): void {
  run.cancelled = true;
  run.stopped ??= cancelledText(run.cancel?.reason);
}

/**
 * The run as it stands, told as an Execution: each step's result; a step under way (only a cancelled
 * run is told before its steps end) as `unknown`, its writes unanswered; the steps not reached as
 * `not run`. Copies: what is still under way cannot change what was told. At the run's end, the
 * run's result.
 */
export function progressOf(run: Run, steps: readonly Step[]): Execution {
  const now = run.now();
  const results = steps.map(
    (step): StepResult =>
      run.results.get(step) ??
      (run.underway.has(step)
        ? { step, status: 'unknown', error: underwayError(step) }
        : { step, status: 'not run' }),
  );
  const consumers = new Map(
    [...run.consumers].map(([id, o]) => [
      id,
      o.status === 'unknown' ? { ...o, error: WRITE_UNANSWERED } : { ...o },
    ]),
  );
  const workspaces = new Map(
    [...run.workspaces].map(([id, w]) => {
      const copy = w.status === 'unknown' ? { ...w, error: RESYNC_UNFINISHED } : { ...w };
      // A workspace copy still invalid (its resync failed, never ran or never ended) counts until now.
      const since = run.invalidSince.get(id);
      if (since !== undefined) copy.invalidForMs = (copy.invalidForMs ?? 0) + (now - since);
      return [id, copy];
    }),
  );
  const cut = results.some((r) => r.status === 'unknown');
  const stopped = run.stopped ?? (cut ? cancelledText(run.cancel?.reason) : undefined);
  return {
    steps: results,
    regenerated: [...run.regenerated],
    uncertain: run.regenerating ?? run.uncertain,
    keysAfter: [...run.keys.values()].map((k) => ({ name: k.name, createdOn: k.createdOn })),
    consumers,
    workspaces,
    stopped,
    failed:
      results.some((r) => r.status !== 'done' && r.status !== 'not run') || stopped !== undefined,
    ...(run.cancelled || cut ? { cancelled: true } : {}),
  };
}

function underwayError(step: Step): string {
  switch (step.kind) {
    case 'regenerate':
      return `the run was cancelled before regenerating ${step.key} was answered: whether ${step.key} was regenerated is unknown (a rerun reads the keys back)`;
    case 'resync':
      return RESYNC_UNFINISHED;
    case 'move':
      return 'the run was cancelled while its consumers were being re-keyed: see each one';
  }
}
