// At scale, through the real bundle against the emulator: one login for the whole run, and a
// rotation that ARM throttles still completes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatastoreScenario } from '../emulator/scenario.js';
import { act, report, withEmulator } from './e2e/world.js';
import { inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const many = (count: number): DatastoreScenario[] => [
  { ...keyedDatastore('data', 'key1'), copies: count },
];

describe('one login per run', () => {
  it('asks the Azure CLI for a token once, however many clients the run uses', () =>
    withEmulator(
      world({ key1: 90, key2: 200 }, [workspace('ws-main', 'key1', many(5))]),
      async (emu) => {
        const run = await act(emu, { login: 'cli', inputs: inputs() });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.equal(report(run).result.datastoresUpdated, 5);
        // Storage (keys) and Machine Learning (workspaces, datastores, connections) are two
        // SDK clients; connections and permissions go through the REST helper.
        const operations = new Set(emu.requests().map((r) => r.operation?.split('.')[0]));
        assert.ok(operations.has('StorageAccounts') && operations.has('Datastores'));
        assert.equal(run.azCalls.length, 1, JSON.stringify(run.azCalls));
      },
    ));
});
