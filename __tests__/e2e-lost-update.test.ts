// A datastore update the service answers 200 to but does not keep (the emulator's loseUpdate): only
// the read-back after the write can tell. Checked on the emulator's state and timeline: the
// datastore still holds its key, that key is not regenerated, nobody breaks, and once the store
// keeps writes again a rerun with the same inputs converges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { act, everInvalidSince, snapshot, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

// key2 (400 days) is the older key: auto regenerates it, so training_data must first move to key1.
const scenario = () =>
  world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [
      { ...keyedDatastore('training_data', 'key2'), loseUpdate: true },
      keyedDatastore('features', 'key1'),
    ]),
  ]);

describe('a datastore update the service does not keep', () => {
  it('fails that datastore, leaves the key it holds, and a rerun converges once writes are kept', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const before = snapshot(emu, [['ws-main', 'training_data']], [ACCOUNT]);
      const held = before.datastores.get('ws-main/training_data')!.secret;
      assert.equal(emu.holds(ACCOUNT, held), 'key2');

      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1, run.stdout);
      // The service took the write (200) and the action read the secret back after it.
      const put = emu
        .writes()
        .find((w) => w.method === 'PUT' && /datastores\/training_data$/.test(w.path));
      assert.equal(put?.status, 200);
      assert.ok(
        emu
          .requests()
          .some((r) => r.seq > put.seq && /datastores\/training_data\/listSecrets$/i.test(r.path)),
        'the secret was read back after the write',
      );
      assert.equal(emu.datastore('ws-main', 'training_data')!.secret, held, 'the write was lost');
      assert.deepEqual(emu.keys(ACCOUNT), before.keys[ACCOUNT], 'no key was regenerated');
      assert.deepEqual(everInvalidSince(emu, before), [], 'nothing broke');
      const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      assert.ok(
        errors.some((e) => e.includes("datastore 'training_data' (workspace 'ws-main')")),
        errors.join('\n'),
      );

      emu.fixWrites('datastore', 'ws-main', 'training_data');
      const rerun = await act(emu, { inputs: inputs() });
      assert.equal(rerun.exitCode, 0, rerun.stdout);
      const keys = emu.keys(ACCOUNT);
      assert.notEqual(keys.key2, before.keys[ACCOUNT]!.key2, 'key2 is regenerated now');
      assert.equal(keys.key1, before.keys[ACCOUNT]!.key1);
      for (const name of ['training_data', 'features']) {
        assert.equal(emu.datastore('ws-main', name)!.secret, keys.key2, name);
      }
      assert.deepEqual(everInvalidSince(emu, before), [], 'nothing broke in either run');
      assert.deepEqual(emu.invalidConsumers(), []);
    }));
});
