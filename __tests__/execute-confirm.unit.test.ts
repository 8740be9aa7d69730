// The executor's checks of what it cannot see by itself: a resync's effect, a regeneration's lost
// answer, a resync that does not end. The in-memory port's state is the oracle.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discover } from '../src/discover/discover.js';
import { execute, type ExecuteOptions } from '../src/execute/execute.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { plan } from '../src/plan/plan.js';
import type { MemoryAzure } from './fakes/memory-azure.js';
import { inputsFor, world } from './fakes/rotation.js';

async function run(
  azure: MemoryAzure,
  keyName: KeyNameChoice,
  options: Partial<ExecuteOptions> = {},
) {
  const inventory = await discover(azure, inputsFor(azure, keyName));
  const p = plan(inventory, { keyName, now: new Date() });
  return execute(azure, inventory, p, { concurrency: 2, ...options });
}

/** A resync that completes without changing the workspace's copy. */
const resyncChangesNothing = (azure: MemoryAzure) => {
  azure.resyncKeys = async (ref) => void azure.log.push(`resync ${ref.name}`);
};

describe('execute: a resync is confirmed by the workspace copy it leaves', () => {
  it('fails the step when the copy matches no current key, and counts it invalid to the end', async () => {
    const azure = world();
    resyncChangesNothing(azure);
    let clock = 0;
    const execution = await run(azure, 'key1', { now: () => (clock += 1000) });
    const ws = [...execution.workspaces.values()][0]!;
    assert.equal(ws.status, 'failed');
    assert.equal(ws.holdsAfter, 'stale');
    assert.match(ws.error ?? '', /matches neither of the account's current keys/);
    // Regenerated at one tick, the run's end at a later one: never 0.
    assert.ok((ws.invalidForMs ?? 0) > 0);
    assert.equal(execution.failed, true);
  });

  it('regenerates nothing more after it (key-name: both)', async () => {
    const azure = world();
    azure.workspaceKey.set('ws', 'a value the account never had');
    resyncChangesNothing(azure);
    const execution = await run(azure, 'both');
    assert.equal(azure.log.filter((l) => l.startsWith('regenerate')).length, 1);
    assert.match(execution.stopped ?? '', /^stopped before regenerating/);
  });

  it('passes when the copy matches a key regenerated elsewhere meanwhile (read again)', async () => {
    const azure = world();
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      azure.resyncKeys = resync;
      await azure.regenerateKey(azure.account, 'key2');
      azure.resyncTakes = 'key2';
      return resync(ref);
    };
    const execution = await run(azure, 'key1');
    const ws = [...execution.workspaces.values()][0]!;
    assert.equal(ws.holdsAfter, 'key2');
    assert.notEqual(ws.status, 'failed');
  });
});

describe('execute: a regeneration that answered an error', () => {
  const appliedThenFailed = (azure: MemoryAzure) => {
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      await regenerate(account, key);
      throw Object.assign(new Error('Encountered internal server error.'), { statusCode: 500 });
    };
  };

  it('reads the keys back: applied, it is reported as regenerated and the run stops', async () => {
    const azure = world();
    appliedThenFailed(azure);
    const execution = await run(azure, 'key1');
    assert.deepEqual(execution.regenerated, ['key1']);
    assert.match(execution.stopped ?? '', /key1 was regenerated all the same/);
    const ws = [...execution.workspaces.values()][0]!;
    assert.equal(ws.holdsAfter, 'stale', 'the workspace held key1');
    assert.equal(azure.log.filter((l) => l.startsWith('resync')).length, 1, 'only the one before');
  });

  it('says so when the keys cannot be read back either', async () => {
    const azure = world();
    appliedThenFailed(azure);
    let reads = 0;
    const listKeys = azure.listKeys.bind(azure);
    azure.listKeys = async () => {
      if (azure.log.some((l) => l.startsWith('regenerate')) && reads++ >= 0)
        throw Object.assign(new Error('unavailable'), { statusCode: 503 });
      return listKeys();
    };
    const execution = await run(azure, 'key1');
    assert.deepEqual(execution.regenerated, []);
    assert.equal(execution.uncertain, 'key1');
    assert.match(execution.stopped ?? '', /whether it was regenerated is unknown/);
  });

  it('does not call a regeneration that did not happen one', async () => {
    const azure = world();
    azure.regenerateKey = async () => {
      throw Object.assign(new Error('Bad request'), { statusCode: 400 });
    };
    const execution = await run(azure, 'key1');
    assert.deepEqual(execution.regenerated, []);
    assert.equal(execution.uncertain, undefined);
    assert.match(execution.stopped ?? '', /^regenerating key1 failed: 400/);
  });
});

describe('execute: a resync that does not end', () => {
  it('is stopped at the time limit, a failed step that names the limit', async () => {
    const azure = world();
    azure.resyncKeys = (_ref, options) =>
      new Promise<void>((_resolve, reject) =>
        options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const execution = await run(azure, 'key1', { resyncTimeoutMs: 1 });
    const ws = [...execution.workspaces.values()][0]!;
    assert.equal(ws.status, 'failed');
    assert.match(ws.error ?? '', /did not finish within .* \(resync-timeout-minutes\)/);
    assert.deepEqual(execution.regenerated, [], 'stopped before the regeneration');
  });
});
