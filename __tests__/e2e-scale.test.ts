// At scale, through the real bundle against the emulator: one login for the whole run, and a
// rotation that ARM throttles still completes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatastoreScenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { act, report, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

/** Every copy of a datastore `many` made (`<name>_01` …) holds the key. */
function assertAllHold(emu: Emulator, ws: string, name: string, count: number, key: string) {
  for (let i = 1; i <= count; i++) {
    const id = `${name}_${String(i).padStart(2, '0')}`;
    assert.equal(emu.datastore(ws, id)?.secret, key, `${ws}/${id}`);
  }
}

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

describe('a rotation ARM throttles', () => {
  it('slows down to the buckets and completes: every consumer on the new key', () =>
    withEmulator(
      {
        scenario: world({ key1: 90, key2: 200 }, [workspace('ws-main', 'key1', many(60))]),
        latencyMs: 5,
        // A write bucket of 20 refilled at 40 per second: the run's ~190 writes cannot go at once.
        throttling: {
          reads: { capacity: 20, refillPerSecond: 40 },
          writes: { capacity: 20, refillPerSecond: 40 },
        },
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ concurrency: '16' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const view = report(run);
        assert.equal(view.result.datastoresUpdated, 60);
        assert.equal(view.result.datastoresFailed, 0);
        const keys = emu.keys(ACCOUNT);
        assertAllHold(emu, 'ws-main', 'data', 60, keys.key2);
        assert.deepEqual(emu.invalidConsumers(), []);
        const writes = emu.requests().filter((r) => r.method !== 'GET' && !r.throttled);
        assert.ok(writes.length > 150, `the run made ${writes.length} writes`);
        // Paced, not hammering: a handful of 429s at most, each retried by the SDK.
        const throttled = emu.requests().filter((r) => r.throttled).length;
        assert.ok(throttled <= 5, `${throttled} requests were throttled`);
      },
    ));

  it("paces to the subscription's global bucket when other principals have left it the smaller", () =>
    withEmulator(
      {
        scenario: world({ key1: 90, key2: 200 }, [workspace('ws-main', 'key1', many(60))]),
        latencyMs: 5,
        // The principal's own buckets are ample; what the subscription's other principals leave
        // of its global write bucket (20, refilled at 40 per second) is not.
        throttling: {
          reads: { capacity: 1000, refillPerSecond: 1000 },
          writes: { capacity: 1000, refillPerSecond: 1000 },
          global: { writes: { capacity: 20, refillPerSecond: 40 } },
        },
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ concurrency: '16' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const keys = emu.keys(ACCOUNT);
        assertAllHold(emu, 'ws-main', 'data', 60, keys.key2);
        assert.deepEqual(emu.invalidConsumers(), []);
        const throttled = emu.requests().filter((r) => r.throttled).length;
        assert.ok(throttled <= 5, `${throttled} requests were throttled`);
      },
    ));

  it('two jobs of one principal in one subscription share its buckets, and both complete', () =>
    withEmulator(
      {
        scenario: world({ key1: 90, key2: 200 }, [
          workspace('ws-main', 'key1', many(50)),
          workspace(
            'ws-other',
            'key1',
            [{ ...keyedDatastore('more', 'key1', 'otherstore'), copies: 50 }],
            {
              storageAccount: 'otherstore',
            },
          ),
        ]),
        latencyMs: 5,
        // Two rotations of 50 datastores make some 300 writes between them; the principal's write
        // bucket holds 20 and refills 40 a second.
        throttling: {
          reads: { capacity: 1000, refillPerSecond: 1000 },
          writes: { capacity: 20, refillPerSecond: 40 },
        },
      },
      async (emu) => {
        const before = { [ACCOUNT]: emu.keys(ACCOUNT), otherstore: emu.keys('otherstore') };
        // As two matrix jobs: the same login (one principal), one account each, at the same time.
        const runs = await Promise.all([
          act(emu, { inputs: inputs({ concurrency: '16' }) }),
          act(emu, {
            inputs: inputs({
              workspace: 'ws-other',
              'storage-account': 'otherstore',
              concurrency: '16',
            }),
          }),
        ]);
        for (const run of runs) assert.equal(run.exitCode, 0, run.stdout);
        for (const [ws, account, name] of [
          ['ws-main', ACCOUNT, 'data'],
          ['ws-other', 'otherstore', 'more'],
        ] as const) {
          const after = emu.keys(account);
          const changed = (['key1', 'key2'] as const).filter(
            (k) => after[k] !== before[account][k],
          );
          assert.equal(changed.length, 1, `one key of ${account} regenerated`);
          assertAllHold(emu, ws, name, 50, after[changed[0]!]);
        }
        assert.deepEqual(emu.invalidConsumers(), []);
        // Each job's pacer sees the other's calls only in what the answers say is left, so at times
        // both send into the last tokens: some 429s (15 to 23 on a loaded machine), not the ~150 of
        // the same two runs without pacing.
        const throttled = emu.requests().filter((r) => r.throttled).length;
        assert.ok(throttled <= 50, `${throttled} requests were throttled`);
      },
    ));
});
