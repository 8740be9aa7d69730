// A cancel in the executor and what the report makes of the run as it stood: the in-memory port's
// state is the oracle. A write whose answer never came is unknown, never done; what the cancel came
// before is not started, a regeneration above all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotSentError, type KeyName } from '../src/azure/port.js';
import { discover } from '../src/discover/discover.js';
import { execute, type Execution } from '../src/execute/execute.js';
import { plan as makePlan } from '../src/plan/plan.js';
import { buildReport, type Report } from '../src/report/report.js';
import { annotate } from '../src/report/publish.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { holdsNow, inputsFor, world } from './fakes/rotation.js';
import { captureStdout } from './support/process-io.js';
import { parseAnnotations } from './support/workflow-commands.js';

/** A call held until released; `entered` resolves once the call has begun. */
function holdPoint() {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { entered, release, pass: () => (enter(), released) };
}

/** Starts the rotation with a cancel; `now()` tells it as it stands, `done` as it ended. */
async function start(azure: MemoryAzure) {
  const inputs = { ...inputsFor(azure, 'auto'), concurrency: 1 };
  const inventory = await discover(azure, inputs);
  const plan = makePlan(inventory, { keyName: 'auto', now: new Date() });
  const cancel = new AbortController();
  let now!: () => Execution;
  const done = execute(azure, inventory, plan, {
    concurrency: 1,
    cancel: cancel.signal,
    progress: (live) => (now = live),
  });
  const report = (execution: Execution): Report =>
    buildReport(
      {
        inputs,
        accountInput: azure.account.name,
        inventory,
        plan,
        execution,
        cancelled: { signal: 'SIGINT' },
        timings: [],
      },
      new Date(),
    );
  return { cancel: () => cancel.abort('SIGINT'), now: () => now(), done, report };
}

const row = (report: Report, name: string) => report.consumers.find((c) => c.name === name)!;

/** Holds the write of one datastore (`ws/name`) at a hold point. */
function holdWrite(azure: MemoryAzure, id: string) {
  const point = holdPoint();
  const put = azure.putDatastore.bind(azure);
  azure.putDatastore = async (ref, ds) => {
    if (`${ref.name}/${ds.name}` === id) await point.pass();
    return put(ref, ds);
  };
  return point;
}

describe('cancel: a write under way', () => {
  it('is told unknown, what was written as done and what was not started as not updated', async () => {
    const azure = world(['a', 'b', 'c']);
    const held = holdWrite(azure, 'ws/b');
    const run = await start(azure);
    await held.entered;
    run.cancel();
    const report = run.report(run.now());

    // The port: a holds key2 (written), b and c still key1.
    assert.equal(holdsNow(azure, 'ws/a'), 'key2');
    assert.match(row(report, 'a').result, /^updated: holds new key2, verified/);
    assert.equal(row(report, 'a').keyAfter, 'key2');
    assert.equal(row(report, 'b').result, 'UNKNOWN');
    assert.match(row(report, 'b').error!, /whether it took is unknown \(a rerun reads it back\)/);
    assert.equal(row(report, 'b').keyAfter, undefined, 'no key claimed for an unanswered write');
    assert.equal(holdsNow(azure, 'ws/c'), 'key1');
    assert.match(row(report, 'c').result, /^NOT UPDATED: still holds key1/);

    assert.equal(report.outcome, 'cancelled');
    assert.deepEqual(
      report.steps.map((s) => s.status),
      ['done', 'done', 'unknown'],
    );
    assert.deepEqual(report.result.regeneratedKeys, ['key2']);
    assert.equal(report.result.datastoresUpdated, 1);
    assert.equal(report.result.datastoresFailed, 2, 'the unknown one is not counted as updated');
    assert.match(
      report.headline,
      /^Cancelled \(SIGINT\) after regenerating key2 · 1 datastore moved · 1 not updated · 1 unknown · /,
    );
    assert.ok(
      report.attention.some((l) =>
        /^Datastore 'b' \(workspace 'ws'\) may or may not have been updated: /.test(l),
      ),
    );
    assert.match(
      report.result.rerun!,
      /^Rerun with key-name: none\. .*onto key2\. It reads back every consumer/,
    );
    assert.equal(report.allOnActiveKey, false);

    held.release();
    const ended = await run.done;
    assert.equal(statusOf(ended, 'b'), 'updated');
    assert.equal(statusOf(ended, 'c'), 'not run');
    assert.equal(holdsNow(azure, 'ws/c'), 'key1', 'nothing started after the cancel');
    assert.equal(ended.cancelled, true);
    assert.match(
      ended.stopped!,
      /^the run was cancelled \(SIGINT\): nothing was started after that$/,
    );
  });

  it('the annotations fail the step and tell the unknown apart from the not updated', async () => {
    const azure = world(['a', 'b']);
    const held = holdWrite(azure, 'ws/a');
    const run = await start(azure);
    await held.entered;
    run.cancel();
    const { failed, errors } = await errorsOf(run.report(run.now()));
    assert.equal(failed, true);
    assert.match(
      errors[0]!,
      /^the run was cancelled \(SIGINT\): nothing was started after that\. Rerun with key-name: none/,
    );
    assert.ok(
      errors.some((e) =>
        /^1 consumer\(s\) may or may not have been updated: datastore 'a'/.test(e),
      ),
    );
    assert.ok(!errors.some((e) => /were not updated: datastore 'a'/.test(e)), errors.join('\n'));
    held.release();
    await run.done;
  });
});

describe('cancel: no regeneration after it', () => {
  it('a move that ends after the cancel is not followed by the regeneration', async () => {
    const azure = world(['a']);
    azure.addDatastore('ws', 'd', 'key2');
    const held = holdWrite(azure, 'ws/d');
    // A port without the send gate: the executor itself starts no regeneration after the cancel.
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = (account, key) => regenerate(account, key);
    const run = await start(azure);
    await held.entered;
    run.cancel();
    held.release();
    const ended = await run.done;
    assert.deepEqual(
      azure.log.filter((l) => l.startsWith('regenerate')),
      [],
    );
    assert.deepEqual(
      ended.steps.map((s) => s.status),
      ['done', 'not run', 'not run', 'not run'],
    );
    const report = run.report(ended);
    assert.equal(report.outcome, 'cancelled');
    assert.match(
      report.headline,
      /^Cancelled \(SIGINT\), no key regenerated · 1 datastore moved · 1 not updated · /,
    );
    assert.match(report.result.rerun!, /^No key was regenerated\. Rerun with the same inputs\./);
  });

  it('a regeneration the gate held back before it was sent is not run, and nothing after it', async () => {
    const azure = world(['a']);
    const point = holdPoint();
    azure.regenerateKey = async (_account, _key, options) => {
      await point.pass();
      assert.equal(options?.cancel?.aborted, true);
      throw new NotSentError(false);
    };
    const run = await start(azure);
    await point.entered;
    run.cancel();
    point.release();
    const ended = await run.done;
    assert.deepEqual(
      ended.steps.map((s) => s.status),
      ['not run', 'not run', 'not run'],
    );
    assert.deepEqual(ended.regenerated, []);
    assert.equal(ended.uncertain, undefined);
    assert.equal(holdsNow(azure, 'ws/a'), 'key1');
  });

  it('a regeneration under way is told unknown: whether the key changed, the rerun reads', async () => {
    const azure = world(['a']);
    const point = holdPoint();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key: KeyName) => {
      await point.pass();
      return regenerate(account, key);
    };
    const run = await start(azure);
    await point.entered;
    run.cancel();
    const report = run.report(run.now());
    assert.deepEqual(
      report.steps.map((s) => s.status),
      ['unknown', 'not run', 'not run'],
    );
    assert.match(report.steps[0]!.error!, /whether key2 was regenerated is unknown/);
    assert.deepEqual(report.result.regeneratedKeys, []);
    assert.match(report.headline, /^Cancelled \(SIGINT\) while regenerating a key · /);
    assert.match(
      report.result.rerun!,
      /^Whether key2 was regenerated is unknown: the run was cancelled before its request was answered\. Rerun with key-name: none/,
    );
    point.release();
    const ended = await run.done;
    assert.deepEqual(ended.regenerated, ['key2'], 'the answer that came is kept');
    assert.deepEqual(
      ended.steps.map((s) => s.status),
      ['done', 'not run', 'not run'],
    );
  });
});

describe('cancel: a resync under way', () => {
  it("leaves the workspace's own copy unconfirmed, and the rerun resyncs it", async () => {
    const azure = world(['a']);
    const point = holdPoint();
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref, options) => {
      await point.pass();
      return resync(ref, options);
    };
    const run = await start(azure);
    await point.entered;
    run.cancel();
    const report = run.report(run.now());
    const ws = report.workspaces.find((w) => w.workspace === 'ws')!;
    assert.equal(ws.resync, 'unknown');
    assert.match(ws.error!, /the workspace's own copy is unconfirmed \(a rerun resyncs it again\)/);
    assert.equal(ws.keyAfter, azure.holds(azure.workspaceKey.get('ws')));
    assert.deepEqual(
      report.steps.map((s) => s.status),
      ['done', 'unknown', 'not run'],
    );
    assert.match(report.headline, / · 1 resync\(s\) unconfirmed · /);
    assert.match(
      report.result.rerun!,
      /The own copy of workspace 'ws' is not confirmed on a current key/,
    );
    point.release();
    await run.done;
  });
});

function statusOf(execution: Execution, name: string) {
  return [...execution.consumers.values()].find((o) => o.ref.name === name)?.status;
}

/** The error annotations annotate() makes of a report, and whether it fails the step. */
async function errorsOf(report: Report) {
  const stdout = await captureStdout(() => annotate(report));
  const failed = process.exitCode === 1;
  process.exitCode = undefined;
  const errors = parseAnnotations(stdout).filter((a) => a.level === 'error');
  return { failed, errors: errors.map((a) => a.message) };
}
