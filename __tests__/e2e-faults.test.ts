import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { waitFor } from './support/wait.js';
import { act, everInvalidSince, report, snapshot, withEmulator } from './e2e/world.js';

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

describe('faults', () => {
  it('survives 429s, 5xx, connection resets and a slow resync', () =>
    withEmulator(
      {
        scenario: sampleWith({ durationMs: 5000 }),
        faults: [
          { kind: 'status', status: 429, retryAfterSeconds: 1, path: '/listKeys', times: 1 },
          { kind: 'status', status: 503, path: '/regenerateKey', times: 1 },
          { kind: 'reset', path: '/listSecrets', times: 2 },
          { kind: 'status', status: 500, method: 'PUT', path: '/datastores/', times: 2 },
          { kind: 'reset', method: 'GET', path: '/datastores', times: 1 },
          { kind: 'delay', delayMs: 1500, path: '/workspaces/ws-prod', method: 'GET', times: 1 },
        ],
      },
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 0, run.stdout);
        const r = report(run);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), r.activeKey, name);
        assert.deepEqual(everInvalidSince(emu, before), []);
        assert.ok(
          emu.requests().some((q) => q.fault),
          'the faults were injected',
        );
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
      const r = report(run);
      assert.equal(run.outputs['datastores-failed'], '1');
      assert.equal(run.outputs['rotated'], 'true');
      assert.ok(
        r.consumers.find((d) => d.name === 'workspacefilestore')!.result.startsWith('FAILED'),
      );
      assert.ok(
        run.annotations.some(
          (a) => a.level === 'error' && a.message.includes('workspacefilestore'),
        ),
      );
      assert.match(run.summary, /key-name: none/);
      assert.match(r.result.rerun!, /key-name: none/);
      assert.equal(holdsOf(emu, 'training_data'), r.activeKey);
      assert.equal(holdsOf(emu, 'workspaceblobstore'), r.activeKey);
      assert.equal(holdsOf(emu, 'workspacefilestore'), 'key1', 'still on a valid key');

      const keysBefore = emu.keys(ACCOUNT);
      const rerun = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
      assert.equal(rerun.exitCode, 0, rerun.stdout);
      assert.deepEqual(emu.keys(ACCOUNT), keysBefore, 'the rerun regenerated nothing');
      for (const name of KEYED) assert.equal(holdsOf(emu, name), r.activeKey, name);
      assert.deepEqual(everInvalidSince(emu, before), []);
    }));

  for (const rerunKeyName of ['none', 'auto']) {
    it(`converges when killed between regenerate and the updates (rerun with key-name: ${rerunKeyName})`, () =>
      withEmulator({ scenario: sampleWith({ durationMs: 4000 }) }, async (emu) => {
        const before = mark(emu);
        const killed = await act(emu, {
          inputs: inputs(),
          killAfter: async (child, exited) => {
            await waitFor(
              'a regenerateKey',
              () =>
                emu
                  .writes()
                  .some((w) => w.path.toLowerCase().endsWith('/regeneratekey') && w.status === 200),
              { signal: exited },
            );
            child.kill('SIGKILL');
          },
        });
        assert.equal(killed.signal, 'SIGKILL');
        const rerun = await act(emu, { inputs: inputs({ 'key-name': rerunKeyName }) });
        assert.equal(rerun.exitCode, 0, rerun.stdout);
        const r = report(rerun);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), r.activeKey, name);
        // none finishes the interrupted rotation. auto rotates again: not key1, the older key now,
        // which signs the live SAS token of sas_exports (sas: warn does not re-issue it), but key2.
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
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 1);
        const r = report(run);
        assert.match(r.workspaces[0]!.resync ?? '', /failed/);
        for (const name of KEYED) assert.equal(holdsOf(emu, name), r.activeKey, name);
        assert.match(run.summary, /key-name: none/);
      },
    ));
});
