import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { waitFor } from './support/wait.js';
import type { FaultRule } from '../emulator/faults.js';
import {
  act,
  everInvalidSince,
  regeneratedSince,
  snapshot,
  summaryTable,
  withEmulator,
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
const sampleWith = (resync: Record<string, unknown>) => {
  const scenario = loadScenario('sample');
  return { ...scenario, resync: { ...scenario.resync, ...resync } };
};
const mark = (emu: Emulator) =>
  snapshot(
    emu,
    KEYED.map((n) => ['ws-prod', n]),
    [ACCOUNT],
  );

const FAULTS: (FaultRule & { times: number })[] = [
  { kind: 'status', status: 429, retryAfterSeconds: 1, path: '/listKeys', times: 1 },
  { kind: 'status', status: 503, path: '/regenerateKey', times: 1 },
  { kind: 'reset', path: '/listSecrets', times: 2 },
  { kind: 'status', status: 500, method: 'PUT', path: '/datastores/', times: 2 },
  { kind: 'reset', method: 'GET', path: '/datastores', times: 1 },
  { kind: 'delay', delayMs: 300, path: '/workspaces/ws-prod', method: 'GET', times: 1 },
];
/** How the emulator's request log names a fault it served. */
const faultName = (rule: FaultRule) =>
  rule.kind === 'delay'
    ? `delay ${rule.delayMs}ms`
    : rule.kind === 'reset'
      ? 'reset'
      : `status ${rule.status}`;

describe('faults', () => {
  it('survives 429s, 5xx, connection resets and a slow resync', () =>
    withEmulator(
      {
        // A resync the action polls five times (every 200 ms when the service gives no Retry-After).
        scenario: sampleWith({ durationMs: 1000 }),
        faults: FAULTS,
      },
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 0, run.stdout);
        // auto regenerates the older key2; every datastore ends on it, none ever broke.
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key2', name);
        assert.deepEqual(everInvalidSince(emu, before), []);
        // Every one of the faults was served, as many times as asked.
        for (const rule of FAULTS) {
          const served = emu
            .requests()
            .filter(
              (q) =>
                q.fault?.includes(faultName(rule)) &&
                (!rule.method || q.method === rule.method) &&
                q.path.toLowerCase().includes(String(rule.path).toLowerCase()),
            );
          assert.equal(served.length, rule.times, `${faultName(rule)} on ${String(rule.path)}`);
        }
      },
    ));

  it('reports a datastore that fails permanently, updates the rest, and a rerun finishes', () =>
    withEmulator({ scenario: 'sample' }, async (emu) => {
      const before = mark(emu);
      emu.addFault({
        kind: 'status',
        status: 400,
        method: 'PUT',
        path: '/datastores/workspacefilestore',
        // An error body that carries a key, as some service errors echo the request.
        body: { error: { code: 'UserError', message: `Invalid key ${emu.keys(ACCOUNT).key1}` } },
      });
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      assert.equal(run.outputs['datastores-failed'], '1');
      assert.equal(run.outputs['rotated'], 'true');
      const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
      const row = rows.find((r) => r[header!.indexOf('Name')] === 'workspacefilestore')!;
      assert.match(row[header!.indexOf('Result')]!, /^FAILED: still holds key1: 400 UserError: /);
      assert.ok(
        run.annotations.some(
          (a) => a.level === 'error' && a.message.includes('workspacefilestore'),
        ),
      );
      assert.match(run.summary, /key-name: none/);
      assert.equal(holdsOf(emu, 'training_data'), 'key2');
      assert.equal(holdsOf(emu, 'workspaceblobstore'), 'key2');
      assert.equal(holdsOf(emu, 'workspacefilestore'), 'key1', 'still on a valid key');

      const keysBefore = emu.keys(ACCOUNT);
      const rerun = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
      assert.equal(rerun.exitCode, 0, rerun.stdout);
      assert.deepEqual(emu.keys(ACCOUNT), keysBefore, 'the rerun regenerated nothing');
      for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key2', name);
      assert.deepEqual(everInvalidSince(emu, before), []);
    }));

  for (const rerunKeyName of ['none', 'auto']) {
    it(`converges when killed between regenerate and the updates (rerun with key-name: ${rerunKeyName})`, () =>
      withEmulator('sample', async (emu) => {
        const before = mark(emu);
        // The killed run's resync request, the first call after the regeneration, is held until
        // the action is killed (then dropped unanswered): no update can have gone out.
        emu.addFault({ kind: 'delay', delayMs: 4000, path: '/resyncKeys', method: 'POST' });
        emu.addFault({ kind: 'reset', path: '/resyncKeys', method: 'POST' });
        const killed = await act(emu, {
          inputs: inputs(),
          killAfter: async (child, exited) => {
            await waitFor(
              'the resync after the regeneration',
              () => emu.writes().some((w) => w.path.toLowerCase().endsWith('/resynckeys')),
              { signal: exited },
            );
            child.kill('SIGKILL');
          },
        });
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key1', `${name} not updated`);
        assert.equal(killed.signal, 'SIGKILL');
        const rerun = await act(emu, { inputs: inputs({ 'key-name': rerunKeyName }) });
        assert.equal(rerun.exitCode, 0, rerun.stdout);
        // The killed run regenerated key2. none finishes that rotation. auto rotates again: not
        // key1, the older key now, which signs the live SAS token of sas_exports (sas: warn does
        // not re-issue it), but key2 once more.
        const regenerated = regeneratedSince(emu, before, ACCOUNT);
        assert.deepEqual(regenerated, rerunKeyName === 'auto' ? ['key2', 'key2'] : ['key2']);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key2', name);
        assert.deepEqual(everInvalidSince(emu, before), []);
      }));
  }

  it('fails before any write when a workspace does not exist', () =>
    withEmulator({ scenario: 'sample' }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ workspace: 'ws-prod\nws-missing' }) });
      assert.equal(run.exitCode, 1);
      assert.match(
        run.stdout,
        /::error::Workspace 'ws-missing' in resource group 'rg-ml' failed: 404/,
      );
      assert.match(run.stdout, /Nothing was changed/);
      assert.equal(run.outputs['rotated'], 'false');
      assert.equal(run.outputs['datastores-updated'], '0');
      assert.deepEqual(emu.writes(), []);
    }));

  it('fails before any write when a permission is missing, naming it', async () => {
    const scenario = {
      ...loadScenario('sample'),
      permissions: {
        actions: ['*'],
        notActions: ['Microsoft.MachineLearningServices/workspaces/datastores/write'],
      },
    };
    await withEmulator({ scenario }, async (emu) => {
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.match(
        run.stdout,
        /ws-prod: Microsoft.MachineLearningServices\/workspaces\/datastores\/write/,
      );
      assert.deepEqual(emu.writes(), []);
    });
  });
});

describe('a resync that fails', () => {
  it('still moves the datastores, fails the step and names the workspace', () =>
    withEmulator(
      { scenario: sampleWith({ fail: { code: 'InternalError', message: 'resync failed' } }) },
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 1);
        const [header, ...rows] = summaryTable(run.summary, 'Workspaces');
        const row = rows.find((r) => r[0] === 'ws-prod')!;
        assert.match(row[header!.indexOf('Resync')]!, /^failed: .*resync failed/);
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), 'key2', name);
        assert.match(run.summary, /key-name: none/);
      },
    ));
});
