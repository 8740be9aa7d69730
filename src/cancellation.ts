import * as core from '@actions/core';
import { constants } from 'node:os';
import type { Execution } from './execute/execution.js';
import { cancelledText } from './execute/progress.js';
import type { Plan } from './plan/plan.js';
import type { RunRecord } from './report/types.js';

/**
 * A cancelled (or timed-out) job's step gets SIGINT, then SIGTERM about 7.5 s later, then SIGKILL
 * about 2.5 s after that. On the first SIGINT or SIGTERM the run starts nothing new and gives what
 * is under way SETTLE_MS to end, then reports; a second signal ends the process at once. The
 * report, summary and outputs are written within SETTLE_MS and a moment of the first signal,
 * before even a first SIGTERM is followed by the kill.
 */
export const SETTLE_MS = 2_000;
/** How long a cancelled run's GitHub issue notification may take, after the report. */
export const NOTIFY_MS = 2_000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type CancelSignal = (typeof SIGNALS)[number];

export interface Cancellation {
  /** Aborts on the first signal, with the signal's name as its reason. */
  readonly signal: AbortSignal;
  /** The signal that cancelled the run, once one did. */
  readonly by: CancelSignal | undefined;
  /** Waits for `work`; once cancelled, SETTLE_MS at most. False: `work` was cut short. */
  settle(work: Promise<unknown>): Promise<boolean>;
  /** Waits for `work`; once cancelled, `ms` at most. */
  within(ms: number, work: Promise<unknown>): Promise<void>;
  /** The run is told: stops listening; a cancelled run exits now (what is under way holds it open). */
  end(): void;
}

/** Where the signals come from: the process, or a test's own emitter. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/**
 * Listens for the runner's cancel from now on; `exit` ends the process. A test passes its own
 * `exit` and `source`: emitting a signal on the process would reach its other listeners too.
 */
export function watchForCancel(
  // process.exit(undefined) exits 0 whatever process.exitCode says (core.setFailed sets it).
  exit: (code?: number) => void = (code) => process.exit(code ?? process.exitCode),
  source: SignalSource = process,
): Cancellation {
  const controller = new AbortController();
  let by: CancelSignal | undefined;
  const onSignal = (received: CancelSignal) => {
    if (by) {
      core.error(`Cancelled again (${received}): exiting at once.`);
      return exit(128 + constants.signals[received]);
    }
    by = received;
    core.info(
      `Cancel requested (${received}): nothing new is started; what is under way gets ${SETTLE_MS / 1000} s to end, then the run reports.`,
    );
    controller.abort(received);
  };
  for (const name of SIGNALS) source.on(name, onSignal);
  const afterCancel = (ms: number) =>
    new Promise<void>((resolve) => {
      const start = () => setTimeout(resolve, ms);
      if (controller.signal.aborted) start();
      else controller.signal.addEventListener('abort', start, { once: true });
    });
  return {
    signal: controller.signal,
    get by() {
      return by;
    },
    settle: (work) =>
      Promise.race([work.then(() => true), afterCancel(SETTLE_MS).then(() => false)]),
    within: async (ms, work) => {
      await Promise.race([work, afterCancel(ms)]);
    },
    end: () => {
      for (const name of SIGNALS) source.off(name, onSignal);
      if (by) exit();
    },
  };
}

/** The rotation as it stands: the plan that runs and what its execution did so far. */
export type Live = () => { plan: Plan; execution: Execution };

/**
 * What a cancelled run tells: the record as it stands (a copy: a rotation cut short is still under
 * way), with the execution's progress when the cancel cut it short, and "nothing was changed" when
 * no execution began.
 */
export function cancelledRecord(
  record: RunRecord,
  signal: string,
  cutShort?: { live?: Live; started: number },
): RunRecord {
  const told: RunRecord = { ...record, timings: [...record.timings], cancelled: { signal } };
  if (cutShort) {
    core.endGroup();
    told.timings.push({ phase: `Cut short by ${signal}`, ms: untimed(cutShort.started, told) });
  }
  if (cutShort?.live) {
    // The execution as it stood, under way or between its parts, is not a whole run.
    const { plan, execution } = cutShort.live();
    const stopped = execution.stopped ?? cancelledText(signal);
    Object.assign(told, { plan, execution: { ...execution, stopped, failed: true } });
  }
  if (!told.execution && !told.failure) {
    told.failure = {
      message: `The run was cancelled (${signal}) before its first write: nothing was changed.`,
      beforeAnyWrite: true,
    };
  }
  return told;
}

/** The time since `started` that no finished phase of the record accounts for. */
function untimed(started: number, record: RunRecord): number {
  return Date.now() - started - record.timings.reduce((sum, t) => sum + t.ms, 0);
}
