// A cancelled job on the emulator: the bundled action gets SIGINT (or SIGTERM) part-way, as the
// runner sends it, while the emulator holds one of its requests unanswered. What the report and
// the summary say was updated, unknown or not is checked against the emulator's state, never taken
// from the action; no regeneration goes out after the signal; a rerun finishes the job. Every run
// goes through act(), which scans all it wrote for key values.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { waitFor } from './support/wait.js';
import {
  act,
  regeneratedSince,
  snapshot,
  summaryTable,
  withEmulator,
  type Snapshot,
} from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const KEYED = ['workspaceblobstore', 'workspacefilestore', 'training_data'];
const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  ...extra,
});
const holdsOf = (emu: Emulator, name: string) =>
  emu.holds(ACCOUNT, emu.datastore('ws-prod', name)!.secret);
const mark = (emu: Emulator) =>
  snapshot(
    emu,
    KEYED.map((n) => ['ws-prod', n]),
    [ACCOUNT],
  );

/** The JSON report, as far as these tests read it. */
interface CancelledReport {
  outcome: string;
  cancelled?: { signal: string };
  headline: string;
  steps: { text: string; status: string; error?: string }[];
  consumers: {
    name: string;
    inScope: boolean;
    result: string;
    keyAfter?: string;
    error?: string;
  }[];
  workspaces: { workspace: string; resync: string; error?: string }[];
  result: { regeneratedKeys: string[]; failed: boolean; rerun?: string };
}
const reportOf = (run: ActionRun) => run.report as CancelledReport;

/**
 * Sends `signal` once `condition` holds on the emulator (and, when given, once the action has
 * printed `then`); records the emulator's sequence number at that moment in `at`.
 */
function signalWhen(
  emu: Emulator,
  what: string,
  condition: () => boolean,
  signal: NodeJS.Signals,
  at: { seq: number },
  after?: { printed: RegExp; then: () => void },
) {
  return async (child: ChildProcess, exited: AbortSignal) => {
    let stdout = '';
    child.stdout?.on('data', (text: string) => (stdout += text));
    await waitFor(what, condition, { signal: exited });
    at.seq = mark(emu).seq;
    child.kill(signal);
    if (!after) return;
    await waitFor(`the action to print ${after.printed}`, () => after.printed.test(stdout), {
      signal: exited,
    });
    after.then();
  };
}

/** A request held with this is never carried out nor answered. */
const never = new Promise<never>(() => {});
/** A hold the test ends: the request is then carried out and answered. */
function releasable() {
  let go!: () => void;
  const until = new Promise<void>((resolve) => (go = resolve));
  return Object.assign(until, { release: () => go() });
}

const sent = (emu: Emulator, method: string, path: RegExp) =>
  emu.requests().some((r) => r.method === method && path.test(r.path));
const regenerationsAfter = (emu: Emulator, seq: number) =>
  emu.requests().filter((r) => r.seq > seq && /\/regeneratekey$/i.test(r.path));

/** Each managed AccountKey datastore's row against the emulator: unknown, or what it holds there. */
function assertRowsMatchEmulator(emu: Emulator, report: CancelledReport, unknown: string[]) {
  for (const name of KEYED) {
    const row = report.consumers.find((c) => c.name === name && c.inScope)!;
    if (unknown.includes(name)) {
      assert.equal(row.result, 'UNKNOWN', name);
      assert.match(row.error!, /whether it took is unknown \(a rerun reads it back\)/, name);
      assert.equal(row.keyAfter, undefined, name);
    } else {
      assert.notEqual(row.result, 'UNKNOWN', name);
      assert.equal(row.keyAfter, holdsOf(emu, name), `${name}: ${row.result}`);
    }
  }
}

function assertCancelled(run: ActionRun, signal: string) {
  assert.notEqual(run.exitCode, 0, run.stdout);
  assert.equal(run.signal, null, 'the action exited by itself, it was not killed');
  assert.equal(run.outputs['result'], 'cancelled');
  const report = reportOf(run);
  assert.equal(report.outcome, 'cancelled');
  assert.deepEqual(report.cancelled, { signal });
  assert.equal(report.result.failed, true);
  assert.match(run.summary, new RegExp(`<h2>🛑 ${ACCOUNT}: Cancelled \\(${signal}\\)`));
  assert.ok(
    run.annotations.some((a) => a.level === 'error' && /cancelled/.test(a.message)),
    'an error annotation says the run was cancelled',
  );
}

async function rerunCompletes(emu: Emulator, before: Snapshot, keyName: string) {
  const rerun = await act(emu, { inputs: inputs({ 'key-name': keyName }) });
  assert.equal(rerun.exitCode, 0, rerun.stdout);
  const newest = regeneratedSince(emu, before, ACCOUNT).at(-1);
  for (const name of KEYED) assert.equal(holdsOf(emu, name), newest, name);
  assert.notEqual(emu.holds(ACCOUNT, emu.workspaceKey('ws-prod')), 'stale', "the workspace's copy");
  return rerun;
}

describe('a cancelled run', () => {
  it('SIGINT during the resync after the regeneration: key2 regenerated, the resync unknown, nothing moved; a rerun finishes', () =>
    withEmulator('sample', async (emu) => {
      const before = mark(emu);
      emu.addFault({ kind: 'hold', method: 'POST', path: '/resyncKeys', until: never });
      const at = { seq: 0 };
      const run = await act(emu, {
        inputs: inputs(),
        killAfter: signalWhen(
          emu,
          'the resync after the regeneration',
          () => sent(emu, 'POST', /\/resynckeys$/i),
          'SIGINT',
          at,
        ),
      });
      assertCancelled(run, 'SIGINT');
      assert.deepEqual(regenerationsAfter(emu, at.seq), []);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      assert.equal(run.outputs['regenerated-keys'], 'key2');
      const report = reportOf(run);
      assert.deepEqual(
        report.steps.map((s) => s.status),
        ['done', 'done', 'unknown', 'not run'],
      );
      assertRowsMatchEmulator(emu, report, []);
      // training_data moved onto key1 before the regeneration; none moved onto key2.
      for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key1', name);
      const ws = report.workspaces.find((w) => w.workspace === 'ws-prod')!;
      assert.equal(ws.resync, 'unknown');
      const [header, ...rows] = summaryTable(run.summary, 'Workspaces');
      const cell = rows.find((r) => r[0] === 'ws-prod')![header!.indexOf('Resync')]!;
      assert.match(cell, /^unknown: the run was cancelled before the resync ended/);
      assert.match(report.result.rerun!, /^Rerun with key-name: none\. .* onto key2\./);
      assert.match(run.summary, /Rerun with key-name: none/);

      await rerunCompletes(emu, before, 'none');
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
    }));

  it('SIGTERM during a datastore write after the resync: that one unknown, the rest as the emulator has them; a rerun finishes', () =>
    withEmulator('sample', async (emu) => {
      const before = mark(emu);
      emu.addFault({
        kind: 'hold',
        method: 'PUT',
        path: '/datastores/workspaceblobstore',
        until: never,
      });
      const at = { seq: 0 };
      const run = await act(emu, {
        // One write at a time: those after the held one are not started.
        inputs: inputs({ concurrency: '1' }),
        killAfter: signalWhen(
          emu,
          "workspaceblobstore's write",
          () => sent(emu, 'PUT', /\/datastores\/workspaceblobstore$/i),
          'SIGTERM',
          at,
        ),
      });
      assertCancelled(run, 'SIGTERM');
      assert.deepEqual(regenerationsAfter(emu, at.seq), []);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      const report = reportOf(run);
      assertRowsMatchEmulator(emu, report, ['workspaceblobstore']);
      assert.equal(holdsOf(emu, 'workspaceblobstore'), 'key1', 'the held write never took');
      assert.deepEqual(
        report.steps.map((s) => s.status),
        ['done', 'done', 'done', 'unknown'],
      );
      const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
      const result = rows.find((r) => r[2] === 'workspaceblobstore (default)')!;
      assert.match(
        result[header!.indexOf('Result')]!,
        /^UNKNOWN: the run was cancelled before its write was answered/,
      );
      assert.ok(
        run.annotations.some((a) =>
          /may or may not have been updated: datastore 'workspaceblobstore'/.test(a.message),
        ),
      );

      await rerunCompletes(emu, before, 'none');
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
    }));

  it('SIGINT during the move before the regeneration: the write that ends after it is kept, no key is regenerated; a rerun rotates', () =>
    withEmulator('sample', async (emu) => {
      const before = mark(emu);
      const held = releasable();
      emu.addFault({ kind: 'hold', method: 'PUT', path: '/datastores/training_data', until: held });
      const at = { seq: 0 };
      const run = await act(emu, {
        inputs: inputs(),
        // training_data's write is answered once the action has taken the signal in: the move
        // ends after it, and the regeneration that would come next must not start.
        killAfter: signalWhen(
          emu,
          "training_data's write",
          () => sent(emu, 'PUT', /\/datastores\/training_data$/i),
          'SIGINT',
          at,
          { printed: /Cancel requested \(SIGINT\)/, then: held.release },
        ),
      });
      assertCancelled(run, 'SIGINT');
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), []);
      assert.deepEqual(regenerationsAfter(emu, 0), []);
      assert.equal(run.outputs['regenerated-keys'], '');
      assert.equal(holdsOf(emu, 'training_data'), 'key1', 'the released write took');
      const report = reportOf(run);
      // Its answer came within the action's wait, or not: either way the report does not guess.
      const unknown =
        report.consumers.find((c) => c.name === 'training_data')!.result === 'UNKNOWN';
      assertRowsMatchEmulator(emu, report, unknown ? ['training_data'] : []);
      assert.deepEqual(
        report.steps.map((s) => s.status),
        [unknown ? 'unknown' : 'done', 'not run', 'not run', 'not run'],
      );
      assert.match(report.headline, /^Cancelled \(SIGINT\), no key regenerated · /);

      await rerunCompletes(emu, before, 'auto');
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
    }));

  it('SIGINT during discovery: nothing was changed, and it says so', () =>
    withEmulator('sample', async (emu) => {
      emu.addFault({ kind: 'hold', method: 'GET', path: '/datastores', until: never });
      const run = await act(emu, {
        inputs: inputs(),
        killAfter: signalWhen(
          emu,
          'the datastore listing',
          () => sent(emu, 'GET', /\/datastores$/i),
          'SIGINT',
          { seq: 0 },
        ),
      });
      assertCancelled(run, 'SIGINT');
      assert.deepEqual(emu.writes(), []);
      assert.match(
        reportOf(run).headline,
        /^Cancelled \(SIGINT\) before the first write: nothing changed/,
      );
      assert.ok(
        run.annotations.some(
          (a) =>
            a.level === 'error' &&
            a.message ===
              'The run was cancelled (SIGINT) before its first write: nothing was changed.',
        ),
      );
    }));
});
