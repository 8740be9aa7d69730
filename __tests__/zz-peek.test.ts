import { it } from 'node:test';
import { act, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';
it('peek', () =>
  withEmulator({ scenario: world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key2', [keyedDatastore('a', 'key1'), keyedDatastore('b', 'key2'), keyedDatastore('c', 'stale')]),
  ]) }, async (emu) => {
    const s0 = emu.secrets();
    const run = await act(emu, { inputs: inputs() });
    console.log(run.exitCode, JSON.stringify(s0.map(s=>s.slice(0,6))), JSON.stringify(emu.secrets().map(s=>s.slice(0,6))));
    console.log(run.stdout.split('\n').map(l => l.replace(/::add-mask::(.{6}).*/, '::add-mask::$1…')).join('\n'));
  }));
