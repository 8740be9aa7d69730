// At scale, through the real bundle against the emulator: one login for the whole run, and a
// rotation that ARM throttles still completes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatastoreScenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { act, report, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

/** Every copy of a datastore `many` made (`<name>_01` …) holds the key. */
function assertAllHold(emu: Emulator, ws: string, name: string, count: number, key: string) {
  for (let i = 1; i <= count; i++) {
    const id = `${name}_${String(i).padStart(2, '0')}`;
    assert.equal(emu.datastore(ws, id)?.secret, key, `${ws}/${id}`);
  }
}

/**
 * What a throttled run must achieve whatever the machine's speed: it exits 0 having updated every
 * datastore it found (a request throttled out of its retries fails the step or its consumer), and
 * no consumer was ever invalid (the emulator's timeline). How many 429s pacing leaves depends on
 * scheduling: `npm run bench` prints and judges it.
 */
function assertThrottledRunHeld(emu: Emulator, runs: ActionRun[]) {
  for (const run of runs) {
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(report(run).result.datastoresFailed, 0);
  }
  assert.deepEqual(
    emu.timeline().flatMap((entry) => entry.invalid),
    [],
    'no consumer was ever invalid',
  );
  assert.deepEqual(emu.invalidConsumers(), []);
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
        assertThrottledRunHeld(emu, [run]);
        assert.equal(report(run).result.datastoresUpdated, 60);
        assertAllHold(emu, 'ws-main', 'data', 60, emu.keys(ACCOUNT).key2);
        const writes = emu.requests().filter((r) => r.method !== 'GET' && !r.throttled);
        assert.ok(writes.length > 150, `the run made ${writes.length} writes`);
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
        assertThrottledRunHeld(emu, [run]);
        assertAllHold(emu, 'ws-main', 'data', 60, emu.keys(ACCOUNT).key2);
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
        assertThrottledRunHeld(emu, runs);
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
      },
    ));
});
