// How many calls re-keying costs, and when a datastore is read again before its PUT.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudByName } from '../src/azure/cloud.js';
import { datastores } from '../src/consumers/datastore.js';
import { discover } from '../src/discover/discover.js';
import { execute } from '../src/execute/execute.js';
import type { Inputs, KeyNameChoice } from '../src/inputs/inputs.js';
import type { Consumer } from '../src/discover/inventory.js';
import { plan } from '../src/plan/plan.js';
import { MemoryAzure } from './fakes/memory-azure.js';

function inputsFor(azure: MemoryAzure): Inputs {
  return {
    workspaces: {
      kind: 'list',
      workspaces: [...azure.workspaceKey.keys()].map((name) => ({
        subscriptionId: 'sub',
        resourceGroup: 'rg',
        name,
      })),
    },
    storageAccount: azure.account,
    dryRun: false,
    keyName: 'auto',
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

async function rotate(azure: MemoryAzure, keyName: KeyNameChoice = 'auto') {
  const inventory = await discover(azure, { ...inputsFor(azure), keyName });
  const p = plan(inventory, { keyName, now: new Date() });
  return execute(azure, inventory, p, { concurrency: 4 });
}

const count = (azure: MemoryAzure, operation: string) =>
  azure.calls.filter((c) => c.startsWith(`${operation} `)).length;

describe('re-keying a datastore', () => {
  it('costs three calls in all: listSecrets in discovery, then PUT and listSecrets; no GET', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    for (const name of ['a', 'b', 'c', 'd', 'e']) azure.addDatastore('ws', name, 'key1');
    const execution = await rotate(azure);
    assert.equal(execution.failed, false);
    assert.equal(count(azure, 'getDatastore'), 0);
    assert.equal(count(azure, 'putDatastore'), 5);
    assert.equal(count(azure, 'datastoreSecret'), 10);
    // One key re-read per move, however many datastores it moves.
    const moves = execution.steps.filter((s) => s.step.kind === 'move').length;
    assert.equal(azure.calls.filter((c) => c === 'listKeys').length, 1 + moves);
  });

  it('reads a system datastore again before its PUT once the run resynced its workspace', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'workspaceblobstore', 'key1', { isDefault: true });
    azure.addDatastore('ws', 'mine', 'key1');
    const execution = await rotate(azure);
    assert.equal(execution.failed, false);
    // The plan resyncs the workspace after regenerating key2, before moving everyone onto it.
    assert.deepEqual(
      azure.calls.filter((c) => c.startsWith('getDatastore')),
      ['getDatastore ws/workspaceblobstore'],
    );
  });

  it('when the PUT fails, reads the datastore and retries once if it changed since discovery', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1', { description: 'before' });
    const inventory = await discover(azure, inputsFor(azure));
    const consumer = inventory.workspaces[0]!.consumers[0]!;
    // Someone edits the datastore after discovery; the stale body is refused once.
    azure.datastores.get('ws/a')!.properties.description = 'edited meanwhile';
    let refusals = 1;
    const put = azure.putDatastore.bind(azure);
    azure.putDatastore = async (ref, ds) => {
      if (refusals-- > 0) throw Object.assign(new Error('conflict'), { statusCode: 409 });
      return put(ref, ds);
    };
    const error = await datastores.rekey(
      azure,
      { consumer, resyncedSinceListing: false },
      azure.keys.key2.value,
    );
    assert.equal(error, undefined);
    assert.equal(count(azure, 'getDatastore'), 1);
    assert.equal(azure.datastores.get('ws/a')!.properties.description, 'edited meanwhile');
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key2');
  });

  it('when the PUT fails and nothing changed, reports the failure without a second PUT', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    azure.failPut.add('ws/a');
    const inventory = await discover(azure, inputsFor(azure));
    const error = await datastores.rekey(
      azure,
      { consumer: inventory.workspaces[0]!.consumers[0]!, resyncedSinceListing: false },
      azure.keys.key2.value,
    );
    assert.match(error!, /400 UserError: bad request/);
    assert.equal(count(azure, 'putDatastore'), 1);
    assert.equal(count(azure, 'getDatastore'), 1);
  });

  it('leaves a datastore whose credentials changed since discovery as it is', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1');
    const inventory = await discover(azure, inputsFor(azure));
    azure.datastores.get('ws/a')!.properties.credentials = { credentialsType: 'None' };
    azure.failPut.add('ws/a');
    const error = await datastores.rekey(
      azure,
      { consumer: inventory.workspaces[0]!.consumers[0]!, resyncedSinceListing: false },
      azure.keys.key2.value,
    );
    assert.equal(error, 'its credentials changed to None since discovery; left as it is');
  });

  it('reads the datastore first when discovery kept nothing of it (a consumer from elsewhere)', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'a', 'key1', { tags: { kept: 'yes' } });
    const consumer: Consumer = {
      kind: 'datastore',
      workspace: { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' },
      name: 'a',
      inScope: true,
      auth: 'AccountKey',
      type: 'AzureBlob',
      target: 'a',
      credentials: 'AccountKey',
      isDefault: false,
    };
    const error = await datastores.rekey(
      azure,
      { consumer, resyncedSinceListing: false },
      azure.keys.key2.value,
    );
    assert.equal(error, undefined);
    assert.equal(count(azure, 'getDatastore'), 1);
    assert.deepEqual(azure.datastores.get('ws/a')!.properties.tags, { kept: 'yes' });
  });
});

describe('resyncs', () => {
  it('run together when the plan has them next to each other, and are told in order', async () => {
    const azure = new MemoryAzure();
    const events: string[] = [];
    azure.resyncKeys = async (ref) => {
      events.push(`start ${ref.name}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      events.push(`end ${ref.name}`);
      azure.workspaceKey.set(ref.name, azure.keys.key1.value);
    };
    for (const ws of ['a', 'b', 'c']) {
      azure.addWorkspace(ws, 'key1');
      azure.addDatastore(ws, 'data', 'key1');
    }
    const told: string[] = [];
    const inventory = await discover(azure, inputsFor(azure));
    const p = plan(inventory, { keyName: 'auto', now: new Date() });
    const execution = await execute(azure, inventory, p, {
      concurrency: 4,
      onStep: (r) => told.push(r.step.kind === 'resync' ? r.step.workspace.name : r.step.kind),
    });
    assert.equal(execution.failed, false);
    assert.deepEqual(events.slice(0, 3), ['start a', 'start b', 'start c']);
    assert.deepEqual(told, ['regenerate', 'a', 'b', 'c', 'move']);
  });
});
