// The signal handling (src/cancellation.ts): the first SIGINT or SIGTERM cancels and gives what is
// under way a bounded wait (on a fake clock), a second one exits at once; and what a cancelled
// run's record tells, cut short or not.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { cancelledRecord, SETTLE_MS, watchForCancel } from '../src/cancellation.js';
import type { Execution } from '../src/execute/execution.js';
import type { Plan } from '../src/plan/plan.js';
import type { RunRecord } from '../src/report/types.js';
import { captureStdout } from './support/process-io.js';

const never = new Promise<void>(() => {});
// The signals come from an emitter of the test's own: emitted on the process, they would reach its
// other listeners too (a test runner's, which exits).
const signals = new EventEmitter();

describe('watchForCancel', () => {
  let exits: (number | undefined)[];
  let cancel: ReturnType<typeof watchForCancel>;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    exits = [];
    cancel = watchForCancel((code) => void exits.push(code), signals);
  });
  afterEach(() => {
    cancel.end();
    mock.timers.reset();
  });

  it('waits for the work while no signal came', async () => {
    assert.equal(await cancel.settle(Promise.resolve()), true);
    assert.equal(cancel.signal.aborted, false);
    assert.equal(cancel.by, undefined);
  });

  it('the first signal cancels, names itself, and cuts the wait short after SETTLE_MS', async () => {
    const settled = cancel.settle(never);
    await captureStdout(() => signals.emit('SIGINT', 'SIGINT'));
    assert.equal(cancel.signal.aborted, true);
    assert.equal(cancel.signal.reason, 'SIGINT');
    assert.equal(cancel.by, 'SIGINT');
    let result: boolean | undefined;
    void settled.then((r) => (result = r));
    mock.timers.tick(SETTLE_MS - 1);
    await Promise.resolve();
    assert.equal(result, undefined, 'still waiting');
    mock.timers.tick(1);
    assert.equal(await settled, false);
    assert.deepEqual(exits, [], 'the first signal does not exit');
  });

  it('work that ends within the wait is not cut short', async () => {
    await captureStdout(() => signals.emit('SIGTERM', 'SIGTERM'));
    assert.equal(await cancel.settle(Promise.resolve()), true);
    assert.equal(cancel.by, 'SIGTERM');
  });

  it('a second signal exits at once, with 128 + its number', async () => {
    await captureStdout(() => {
      signals.emit('SIGINT', 'SIGINT');
      signals.emit('SIGTERM', 'SIGTERM');
    });
    assert.deepEqual(exits, [143]);
  });

  it('end() exits a cancelled run (what is still under way would hold it open), not another', async () => {
    cancel.end();
    assert.deepEqual(exits, []);
    cancel = watchForCancel((code) => void exits.push(code), signals);
    await captureStdout(() => signals.emit('SIGINT', 'SIGINT'));
    cancel.end();
    assert.deepEqual(exits, [undefined]);
  });
});

describe('cancelledRecord', () => {
  const base = (): RunRecord => ({
    accountInput: 'store',
    timings: [{ phase: 'Discovery', ms: 5 }],
  });

  it('before any execution: nothing was changed, said before the first write', async () => {
    const told = await quietly(() => cancelledRecord(base(), 'SIGINT', { started: Date.now() }));
    assert.deepEqual(told.cancelled, { signal: 'SIGINT' });
    assert.deepEqual(told.failure, {
      message: 'The run was cancelled (SIGINT) before its first write: nothing was changed.',
      beforeAnyWrite: true,
    });
    assert.deepEqual(
      told.timings.map((t) => t.phase),
      ['Discovery', 'Cut short by SIGINT'],
    );
  });

  it('cut short between the parts of an execution: the part done is told, failed and stopped', async () => {
    const plan = { steps: [] } as unknown as Plan;
    const done = { steps: [], failed: false } as unknown as Execution;
    const record = base();
    const told = await quietly(() =>
      cancelledRecord(record, 'SIGTERM', { live: () => ({ plan, execution: done }), started: 0 }),
    );
    assert.equal(told.plan, plan);
    assert.equal(told.execution?.failed, true);
    assert.equal(
      told.execution?.stopped,
      'the run was cancelled (SIGTERM): nothing was started after that',
    );
    assert.equal(told.failure, undefined);
    assert.equal(record.timings.length, 1, 'the record itself is left as it is');
  });

  it('a run whose rotation ended after the signal is told as it ended', () => {
    const execution = { steps: [], failed: true, stopped: 'x' } as unknown as Execution;
    const told = cancelledRecord({ ...base(), execution }, 'SIGINT');
    assert.equal(told.execution, execution);
    assert.deepEqual(
      told.timings.map((t) => t.phase),
      ['Discovery'],
    );
  });
});

/** Runs `fn` with its stdout (the ::endgroup:: a cut-short run closes its log group with) captured. */
async function quietly<T>(fn: () => T): Promise<T> {
  let result!: T;
  await captureStdout(() => (result = fn()));
  return result;
}
