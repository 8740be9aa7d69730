import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudByName } from '../src/azure/cloud.js';
import { discover } from '../src/discover/discover.js';
import { execute } from '../src/execute/execute.js';
import type { Inputs, KeyNameChoice } from '../src/inputs/inputs.js';
import { plan } from '../src/plan/plan.js';
import { MemoryAzure } from './fakes/memory-azure.js';

function inputsFor(
  azure: MemoryAzure,
  keyName: KeyNameChoice = 'auto',
  named = [...azure.workspaceKey.keys()],
): Inputs {
  return {
    workspaces: {
      kind: 'list',
      workspaces: named.map((name) => ({
        subscriptionId: 'sub',
        resourceGroup: 'rg',
        name,
      })),
    },
    storageAccount: azure.account,
    dryRun: false,
    keyName,
    allowOutsideBreakage: false,
    allowWorkspaceOutage: true,
    sas: 'warn',
    keyUsageDays: 7,
    concurrency: 4,
    cloud: cloudByName('AzureCloud'),
    login: { kind: 'ambient' },
    notify: 'none',
    githubToken: '',
  };
}

async function rotate(azure: MemoryAzure, keyName: KeyNameChoice = 'auto', named?: string[]) {
  const inputs = inputsFor(azure, keyName, named);
  const inventory = await discover(azure, inputs);
  const p = plan(inventory, { keyName, now: new Date() });
  return { inventory, plan: p, execution: await execute(azure, inventory, p, { concurrency: 4 }) };
}

describe('execute', () => {
  it('rotates: regenerate, resync, re-register, verify; keeps every other datastore property', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1', {
      description: 'kept',
      tags: { team: 'ml' },
      protocol: 'https',
    });
    azure.addDatastore('ws', 'b', 'key1');
    const { execution } = await rotate(azure);
    assert.equal(execution.failed, false);
    assert.deepEqual(execution.regenerated, ['key2']);
    assert.equal(azure.log[0], 'regenerate key2');
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key2');
    assert.equal(azure.holds(azure.datastores.get('ws/b')!.key), 'key2');
    assert.deepEqual(azure.datastores.get('ws/a')!.properties.tags, { team: 'ml' });
    assert.equal(azure.datastores.get('ws/a')!.properties.description, 'kept');
    assert.equal(execution.consumers.get('datastore:sub/rg/ws/a')?.status, 'updated');
    const ws = execution.workspaces.get('sub/rg/ws')!;
    assert.equal(ws.status, 'resynced');
    assert.equal(ws.holdsAfter, 'key1');
    assert.equal(ws.invalidForMs, undefined);
  });

  it('records how long the workspace copy was invalid when its key is regenerated', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    const { execution } = await rotate(azure, 'key1');
    assert.deepEqual(azure.log.slice(0, 4), [
      'resync ws',
      'put ws/a',
      'regenerate key1',
      'resync ws',
    ]);
    assert.ok((execution.workspaces.get('sub/rg/ws')!.invalidForMs ?? -1) >= 0);
  });

  it('a resync before the regeneration spares the workspace when it moves to the other key', async () => {
    const azure = new MemoryAzure();
    azure.resyncTakes = 'key2';
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    const { execution } = await rotate(azure, 'key1');
    const ws = execution.workspaces.get('sub/rg/ws')!;
    assert.equal(ws.invalidForMs, undefined);
    assert.equal(ws.holdsAfter, 'key2');
  });

  it('a failing datastore does not stop the others, and is reported sanitised', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    for (const name of ['a', 'b', 'c']) azure.addDatastore('ws', name, 'key1');
    azure.failPut.add('ws/b');
    const { execution } = await rotate(azure);
    assert.equal(execution.failed, true);
    assert.equal(execution.consumers.get('datastore:sub/rg/ws/b')?.status, 'failed');
    assert.match(
      execution.consumers.get('datastore:sub/rg/ws/b')!.error!,
      /^400 UserError: bad request/,
    );
    assert.ok(
      !execution.consumers.get('datastore:sub/rg/ws/b')!.error!.includes(azure.keys.key1.value),
    );
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key2');
    assert.equal(azure.holds(azure.datastores.get('ws/c')!.key), 'key2');
  });

  it('does not regenerate a key while a datastore that failed to move off it still holds it', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addDatastore('ws', 'b', 'key1');
    azure.failPut.add('ws/b');
    const { execution } = await rotate(azure, 'key1');
    assert.ok(!azure.log.includes('regenerate key1'));
    assert.match(execution.stopped!, /stopped before regenerating key1/);
    assert.equal(azure.holds(azure.datastores.get('ws/b')!.key), 'key1');
  });

  it('converges on rerun with key-name none after a partial failure', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    for (const name of ['a', 'b']) azure.addDatastore('ws', name, 'key1');
    azure.failPut.add('ws/b');
    await rotate(azure);
    azure.failPut.clear();
    azure.log = [];
    const { execution, plan: p } = await rotate(azure, 'none');
    assert.equal(execution.failed, false);
    assert.ok(!azure.log.some((l) => l.startsWith('regenerate')));
    assert.equal(p.activeKey, 'key2');
    assert.equal(azure.holds(azure.datastores.get('ws/b')!.key), 'key2');
  });
});

describe('execute: connections and verification', () => {
  it('re-keys AccountKey connections like datastores, keeping their other properties', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addConnection('ws', 'blob', 'key1', { isSharedToAll: true });
    azure.addConnection('ws', 'api', 'key1', {
      authType: 'ApiKey',
      category: 'ApiKey',
      target: 'https://example.invalid/',
    });
    const { execution } = await rotate(azure);
    assert.equal(execution.failed, false);
    assert.equal(azure.holds(azure.connections.get('ws/blob')!.key), 'key2');
    assert.equal(azure.connections.get('ws/blob')!.properties.isSharedToAll, true);
    assert.ok(!azure.log.includes('patch ws/api'));
    assert.equal(execution.consumers.get('connection:sub/rg/ws/blob')?.status, 'updated');
  });

  it('a write the service accepts but does not keep fails that consumer, and the key it holds is not regenerated', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addConnection('ws', 'c', 'key1');
    azure.loseWrites.add('ws/a');
    const { execution } = await rotate(azure, 'key1');
    const outcome = execution.consumers.get('datastore:sub/rg/ws/a')!;
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error!, /does not return the new key/);
    assert.ok(!azure.log.includes('regenerate key1'));
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key1');
    azure.loseWrites.clear();
    const rerun = await rotate(azure, 'key1');
    assert.equal(rerun.execution.failed, false);
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key1');
    assert.ok(azure.log.includes('regenerate key1'));
  });

  it('never writes to a workspace outside the scope, and refuses a key it holds', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addWorkspace('elsewhere', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addDatastore('elsewhere', 'b', 'key2');
    const inventory = await discover(azure, inputsFor(azure, 'auto', ['ws']));
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope]),
      [
        ['ws', true],
        ['elsewhere', false],
      ],
    );
    const p = plan(inventory, { keyName: 'key2', now: new Date() });
    assert.match(p.refused!, /datastore 'b' \(workspace 'elsewhere'\) holds key2/);
    const accepted = plan(inventory, {
      keyName: 'key2',
      now: new Date(),
      allowOutsideBreakage: true,
    });
    await execute(azure, inventory, accepted, { concurrency: 4 });
    assert.ok(!azure.log.some((l) => l.includes('elsewhere')), azure.log.join('\n'));
    assert.ok(azure.log.includes('regenerate key2'));
  });
});

describe('execute: what regenerateKey returns', () => {
  it('stops when the regenerated key comes back unchanged', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    azure.regenerateKey = async () => azure.listKeys();
    const { execution } = await rotate(azure);
    assert.match(execution.stopped!, /did not return a new value/);
    assert.equal(execution.failed, true);
    assert.ok(!azure.log.some((l) => l.startsWith('put')));
  });

  it('flags a regeneration that changed the other key too', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      await regenerate(account, key === 'key1' ? 'key2' : 'key1');
      return regenerate(account, key);
    };
    const { execution } = await rotate(azure);
    assert.equal(execution.failed, true);
    assert.match(execution.steps.find((s) => s.step.kind === 'regenerate')!.error!, /changed too/);
  });
});

describe('execute: keys changed by someone else', () => {
  it('writes the key as it is now, not as the run last saw it, and says so', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      await resync(ref);
      await MemoryAzure.prototype.regenerateKey.call(azure, azure.account, 'key2');
    };
    const { execution } = await rotate(azure);
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key2');
    assert.equal(execution.failed, true);
    assert.match(execution.steps.at(-1)!.error!, /changed outside this run/);
  });
});
