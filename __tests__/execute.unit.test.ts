// The executor against the in-memory port: the port's state and log are the oracle, not the
// executor's own account of what it did.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discover } from '../src/discover/discover.js';
import { execute, type StepResult } from '../src/execute/execute.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { plan, type Plan } from '../src/plan/plan.js';
import { inventory as fixture, keyed, NOW } from './fakes/inventory.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { holdsNow, inputsFor, world } from './fakes/rotation.js';

async function run(
  azure: MemoryAzure,
  keyName: KeyNameChoice,
  options: {
    concurrency?: number;
    now?: () => number;
    onStep?: (r: StepResult) => void;
    settled?: boolean;
  } = {},
) {
  const inventory = await discover(azure, inputsFor(azure, keyName));
  const { settled, ...executeOptions } = options;
  const p = plan(inventory, { keyName, now: new Date(), settled });
  const execution = await execute(azure, inventory, p, { concurrency: 2, ...executeOptions });
  return { inventory, plan: p, execution };
}

/** Counts the writes in flight at once. */
function trackConcurrency(azure: MemoryAzure) {
  const seen = { now: 0, max: 0 };
  const put = azure.putDatastore.bind(azure);
  azure.putDatastore = async (ref, ds) => {
    seen.now++;
    seen.max = Math.max(seen.max, seen.now);
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.now--;
    return put(ref, ds);
  };
  return seen;
}

describe('execute: outcomes', () => {
  it('re-keys as many consumers at once as the concurrency allows', async () => {
    for (const concurrency of [1, 3]) {
      const azure = world(['a', 'b', 'c', 'd', 'e', 'f']);
      const seen = trackConcurrency(azure);
      const { execution } = await run(azure, 'auto', { concurrency });
      assert.equal(execution.failed, false);
      assert.equal(seen.max, concurrency);
    }
  });

  it('tells each step as it ends, in order, including those not run', async () => {
    const azure = world();
    azure.failPut.add('ws/b');
    const told: string[] = [];
    const { execution } = await run(azure, 'both', {
      onStep: (r) => told.push(`${r.step.kind} ${r.status}`),
    });
    assert.deepEqual(
      told,
      execution.steps.map((r) => `${r.step.kind} ${r.status}`),
    );
    assert.deepEqual(told, [
      'regenerate done',
      'resync done',
      'move partly failed',
      'regenerate not run',
      'resync not run',
      'move not run',
    ]);
    assert.deepEqual(
      azure.log.filter((l) => l.startsWith('regenerate')),
      ['regenerate key2'],
    );
    assert.deepEqual(execution.regenerated, ['key2']);
    assert.match(execution.stopped!, /before regenerating key1/);
  });

  it('a move where every consumer fails is failed; some is partly failed', async () => {
    const all = world();
    all.failPut.add('ws/a');
    all.failPut.add('ws/b');
    const { execution } = await run(all, 'auto');
    const move = execution.steps.find((s) => s.step.kind === 'move')!;
    assert.equal(move.status, 'failed');
    assert.equal(move.error, '2 of 2 consumers failed');
    assert.equal(execution.failed, true);
    assert.equal(execution.stopped, undefined, 'nothing after it regenerates');

    const some = world(['a', 'b', 'c']);
    some.failPut.add('ws/c');
    const partly = (await run(some, 'auto')).execution.steps.find((s) => s.step.kind === 'move')!;
    assert.equal(partly.status, 'partly failed');
    assert.equal(partly.error, '1 of 3 consumers failed');
  });

  it('a consumer that failed keeps its error until a later write to it succeeds', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    const put = azure.putDatastore.bind(azure);
    let calls = 0;
    azure.putDatastore = async (ref, ds) => {
      if (++calls === 1) throw Object.assign(new Error('throttled'), { statusCode: 429 });
      return put(ref, ds);
    };
    const { execution } = await run(azure, 'key1');
    // The first move failed, so key1 was not regenerated; the run stops.
    const outcome = execution.consumers.get('datastore:sub/rg/ws/a')!;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error, '429: throttled');
    assert.equal(outcome.holds, 'key1');
    assert.equal(outcome.fresh, false);
  });

  it('an updated consumer holds the key it was moved to, fresh when regenerated in this run', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addDatastore('ws', 'b', 'key2');
    const { execution } = await run(azure, 'key1');
    for (const id of ['a', 'b']) {
      const outcome = execution.consumers.get(`datastore:sub/rg/ws/${id}`)!;
      assert.deepEqual(
        [outcome.status, outcome.holds, outcome.fresh, outcome.error],
        ['updated', 'key1', true, undefined],
      );
      assert.equal(holdsNow(azure, `ws/${id}`), 'key1');
    }
  });

  it('a consumer the plan does not write to is unchanged, holding its key', async () => {
    const azure = world();
    const { execution } = await run(azure, 'none');
    assert.deepEqual(execution.steps, []);
    const outcome = execution.consumers.get('datastore:sub/rg/ws/a')!;
    assert.deepEqual([outcome.status, outcome.holds, outcome.fresh], ['unchanged', 'key1', false]);
    assert.equal(execution.failed, false);
    assert.deepEqual(execution.regenerated, []);
  });

  it('only AccountKey consumers of the managed workspaces get an outcome', async () => {
    const azure = world();
    azure.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
    azure.addWorkspace('other', 'key1');
    azure.addDatastore('other', 'x', 'key1');
    const inventory = await discover(azure, inputsFor(azure, 'auto', ['ws']));
    const p = plan(inventory, { keyName: 'auto', now: new Date() });
    const execution = await execute(azure, inventory, p, { concurrency: 2 });
    assert.deepEqual([...execution.consumers.keys()].sort(), [
      'datastore:sub/rg/ws/a',
      'datastore:sub/rg/ws/b',
    ]);
    assert.deepEqual([...execution.workspaces.keys()], ['sub/rg/ws']);
  });
});

describe('execute: what the run knows of each consumer', () => {
  it('a consumer left on a key the plan regenerates is reported on a stale key', async () => {
    const azure = world(['a']);
    const inventory = await discover(azure, inputsFor(azure, 'key1'));
    const bare: Plan = {
      ...plan(inventory, { keyName: 'key1', now: new Date() }),
      steps: [{ kind: 'regenerate', key: 'key1', reason: 'a plan that moves nothing' }],
    };
    const execution = await execute(azure, inventory, bare, { concurrency: 1 });
    const outcome = execution.consumers.get('datastore:sub/rg/ws/a')!;
    assert.deepEqual([outcome.status, outcome.holds], ['unchanged', 'stale']);
    assert.equal(holdsNow(azure, 'ws/a'), 'stale', 'as the world says');
  });

  it('a consumer whose key was not known, and whose repair fails, is on a stale key', async () => {
    const azure = world();
    azure.failPut.add('ws/b');
    const inventory = await discover(azure, inputsFor(azure, 'none'));
    delete inventory.workspaces[0]!.consumers.find((c) => c.name === 'b')!.holds;
    const p = plan(inventory, { keyName: 'none', now: new Date() });
    const execution = await execute(azure, inventory, p, { concurrency: 1 });
    const outcome = execution.consumers.get('datastore:sub/rg/ws/b')!;
    assert.deepEqual([outcome.status, outcome.holds], ['failed', 'stale']);
  });

  it('a workspace whose default storage is another account gets no outcome', async () => {
    const inv = fixture({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'elsewhere', datastores: keyed('key1') },
      ],
    });
    const p = plan(inv, { keyName: 'none', now: NOW });
    assert.deepEqual(p.steps, []);
    const execution = await execute(new MemoryAzure(), inv, p, { concurrency: 1 });
    assert.deepEqual([...execution.workspaces.keys()], ['sub/rg/ws']);
    assert.deepEqual(
      [...execution.consumers.keys()],
      ['datastore:sub/rg/ws/ds0', 'datastore:sub/rg/elsewhere/ds0'],
    );
  });
});

describe('execute: the workspace window', () => {
  it('measures how long the workspace copy held a dead key, with the clock it is given', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.resyncTakes = 'key1';
    azure.addDatastore('ws', 'a', 'key2');
    let clock = 1000;
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      clock = 5000;
      return regenerate(account, key);
    };
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      clock += 250;
      return resync(ref);
    };
    const { execution } = await run(azure, 'key1', { now: () => clock });
    assert.deepEqual(azure.log, ['resync ws', 'regenerate key1', 'resync ws', 'put ws/a']);
    const ws = execution.workspaces.get('sub/rg/ws')!;
    assert.equal(ws.invalidForMs, 250, 'from the regeneration to the resync right after it');
    assert.equal(ws.holdsBefore, 'key1');
    assert.equal(ws.holdsAfter, 'key1');
    assert.equal(ws.status, 'resynced');
  });

  it('adds up the windows of two regenerations', async () => {
    // Two workspaces on different keys (settled); A's copy is on each key as it is regenerated.
    const azure = new MemoryAzure();
    azure.addWorkspace('A', 'key1');
    azure.addWorkspace('B', 'key2');
    azure.addDatastore('A', 'a', 'key2');
    azure.resyncTakes = 'key1';
    let clock = 0;
    let regeneratedAt = 0;
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      azure.resyncTakes = 'key2';
      regeneratedAt = clock += 1000;
      return regenerate(account, key);
    };
    // Every resync takes 100 ms from the regeneration before it, whether the workspaces'
    // resyncs run one after the other or together.
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      clock = Math.max(clock, regeneratedAt + 100);
      return resync(ref);
    };
    const { execution } = await run(azure, 'both', { now: () => clock, settled: true });
    assert.deepEqual(execution.regenerated, ['key1', 'key2']);
    assert.equal(execution.failed, false);
    assert.equal(execution.workspaces.get('sub/rg/a')!.invalidForMs, 200);
    // B holds key2 only from the first resync on: invalid only from key2's regeneration.
    assert.equal(execution.workspaces.get('sub/rg/b')!.invalidForMs, 100);
  });

  it('a failed resync fails its step and the workspace, and stops the next regeneration', async () => {
    const azure = world();
    azure.resyncKeys = async () => {
      throw Object.assign(new Error('busy'), { statusCode: 409, code: 'Conflict' });
    };
    const { execution } = await run(azure, 'both');
    const ws = execution.workspaces.get('sub/rg/ws')!;
    assert.equal(ws.status, 'failed');
    assert.equal(ws.error, '409 Conflict: busy');
    assert.equal(ws.holdsAfter, 'key1', 'what it held before: it was never read again');
    const resync = execution.steps.find((s) => s.step.kind === 'resync')!;
    assert.deepEqual([resync.status, resync.error], ['failed', '409 Conflict: busy']);
    assert.deepEqual(execution.regenerated, ['key2']);
    assert.equal(execution.failed, true);
    assert.match(execution.stopped!, /before regenerating key1/);
  });
});

describe('execute: the keys as they are now', () => {
  it('a move whose key listing fails writes nothing', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      const after = await regenerate(account, key);
      azure.listKeys = async () => {
        throw Object.assign(new Error('denied'), { statusCode: 403 });
      };
      return after;
    };
    const { execution } = await run(azure, 'auto');
    const move = execution.steps.find((s) => s.step.kind === 'move')!;
    assert.deepEqual([move.status, move.error], ['failed', '403: denied']);
    assert.ok(!azure.log.some((l) => l.startsWith('put')));
    assert.equal(execution.consumers.get('datastore:sub/rg/ws/a')!.status, 'not run');
  });

  it('a move to a key the account does not return writes nothing', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      const after = await regenerate(account, key);
      azure.listKeys = async () => [azure.keys.key1];
      return after;
    };
    const { execution } = await run(azure, 'auto');
    const move = execution.steps.find((s) => s.step.kind === 'move')!;
    assert.deepEqual([move.status, move.error], ['failed', 'the account returned no key2']);
    assert.ok(!azure.log.some((l) => l.startsWith('put')));
  });

  it('a regeneration that fails stops the run before any other step', async () => {
    const azure = world();
    azure.regenerateKey = async () => {
      throw Object.assign(new Error('locked'), { statusCode: 409, code: 'ScopeLocked' });
    };
    const { execution } = await run(azure, 'auto');
    assert.deepEqual(
      execution.steps.map((s) => s.status),
      ['failed', 'not run', 'not run'],
    );
    assert.equal(execution.steps[0]!.error, '409 ScopeLocked: locked');
    assert.equal(execution.stopped, 'regenerating key2 failed: 409 ScopeLocked: locked');
    assert.deepEqual(execution.regenerated, []);
    assert.equal(execution.failed, true);
    assert.deepEqual(azure.log, []);
  });

  it('the first failed regeneration is the reason the run stopped', async () => {
    const azure = world();
    azure.regenerateKey = async () => {
      throw Object.assign(new Error('locked'), { statusCode: 409 });
    };
    const { execution } = await run(azure, 'both');
    assert.equal(execution.stopped, 'regenerating key2 failed: 409: locked');
    assert.deepEqual(
      execution.steps.map((s) => s.status),
      ['failed', 'not run', 'not run', 'not run', 'not run', 'not run'],
    );
  });

  it('a regeneration that returns no value for the key stops the run', async () => {
    const azure = world();
    azure.regenerateKey = async () => [azure.keys.key1];
    const { execution } = await run(azure, 'auto');
    assert.equal(execution.stopped, 'regenerating key2 did not return a new value for it');
    assert.equal(execution.steps[0]!.status, 'failed');
    assert.equal(execution.steps[0]!.error, execution.stopped);
    assert.deepEqual(execution.regenerated, []);
  });

  it('a regeneration that changes the other key too is partly failed, and stops the run', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      await regenerate(account, key === 'key1' ? 'key2' : 'key1');
      return regenerate(account, key);
    };
    const { execution } = await run(azure, 'both');
    assert.deepEqual(
      [execution.steps[0]!.status, execution.steps[0]!.error],
      [
        'partly failed',
        "key1 changed too while key2 was regenerated: something else is rotating this account's keys",
      ],
    );
    assert.deepEqual(execution.regenerated, ['key2']);
    assert.match(execution.stopped!, /^stopped before regenerating key1/);
  });

  it('a key changed outside the run: consumers get its current value, the move is partly failed', async () => {
    const azure = world();
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      await resync(ref);
      await MemoryAzure.prototype.regenerateKey.call(azure, azure.account, 'key2');
    };
    const { execution } = await run(azure, 'auto');
    const move = execution.steps.at(-1)!;
    assert.deepEqual(
      [move.status, move.error],
      [
        'partly failed',
        'key2 changed outside this run (is another rotation running?); consumers got its current value',
      ],
    );
    assert.equal(azure.datastores.get('ws/a')!.key, azure.keys.key2.value);
  });

  it('after a regeneration, the new value is what the consumers get', async () => {
    const azure = world();
    const { execution } = await run(azure, 'auto');
    assert.equal(azure.datastores.get('ws/a')!.key, azure.keys.key2.value);
    assert.equal(execution.steps.at(-1)!.status, 'done');
    assert.equal(execution.steps.at(-1)!.error, undefined);
  });
});
