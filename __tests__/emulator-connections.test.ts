// Workspace connections at the 2024-10-01 wire shape, and lost or failing writes, over raw HTTPS.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario, validateScenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { raw, setUp } from './support/emulator-clients.js';

const API = 'api-version=2024-10-01';
const connections = (emulator: Emulator) =>
  `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-hub/providers/Microsoft.MachineLearningServices/workspaces/ws-hub/connections`;

describe('workspace connections', () => {
  it('list and get never carry credentials; listsecrets does, {key} or {sas}', async () => {
    const { emulator } = await setUp({ scenario: 'connections' });
    const list = await raw(emulator, 'GET', `${connections(emulator)}?${API}`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.value.map((c: { name: string }) => c.name),
      ['blob_key', 'lake_sas', 'proxied_key', 'identity_blob', 'openai', 'other_key'],
    );
    assert.ok(
      list.body.value.every((c: { properties: object }) => !('credentials' in c.properties)),
    );

    const got = await raw(emulator, 'GET', `${connections(emulator)}/BLOB_KEY?${API}`);
    assert.equal(got.body.type, 'Microsoft.MachineLearningServices/workspaces/connections');
    assert.equal(got.body.id, `${connections(emulator)}/blob_key`);
    assert.deepEqual(got.body.properties, {
      authType: 'AccountKey',
      category: 'AzureBlob',
      target: 'https://hubstore.blob.core.windows.net/',
      metadata: { ContainerName: 'training' },
      createdByWorkspaceArmId: connections(emulator).replace(/\/connections$/, ''),
    });
    assert.ok(got.body.systemData.createdAt);

    const key = await raw(emulator, 'POST', `${connections(emulator)}/blob_key/listsecrets?${API}`);
    assert.deepEqual(key.body.properties.credentials, { key: emulator.keys('hubstore').key2 });
    const sas = await raw(emulator, 'POST', `${connections(emulator)}/lake_sas/listsecrets?${API}`);
    assert.equal(emulator.holds('hubstore', sas.body.properties.credentials.sas), 'key1');
    assert.ok(emulator.secrets().includes(sas.body.properties.credentials.sas));
    const apiKey = await raw(
      emulator,
      'POST',
      `${connections(emulator)}/openai/listsecrets?${API}`,
    );
    assert.ok(emulator.secrets().includes(apiKey.body.properties.credentials.key));
    assert.deepEqual(
      emulator.connection('ws-hub', 'lake_sas')?.secret,
      sas.body.properties.credentials.sas,
    );

    const missing = await raw(emulator, 'GET', `${connections(emulator)}/nope?${API}`);
    assert.equal(missing.status, 404);

    const state = await raw(emulator, 'GET', '/_emulator/state', { token: null });
    const hub = state.body.workspaces[0];
    assert.deepEqual(
      hub.connections.map((c: { name: string; holds?: string }) => [c.name, c.holds ?? null]),
      [
        ['blob_key', 'key2'],
        ['lake_sas', 'key1'],
        ['proxied_key', 'key1'],
        ['identity_blob', null],
        ['openai', null],
        ['other_key', 'key1'],
      ],
    );
  });

  it('filters by target and category, and pages with nextLink', async () => {
    const scenario = loadScenario('connections');
    scenario.pageSize = 2;
    const { emulator } = await setUp({ scenario });
    const names = async (query: string) => {
      const response = await raw(emulator, 'GET', `${connections(emulator)}?${API}&${query}`);
      return response.body.value.map((c: { name: string }) => c.name);
    };
    assert.deepEqual(await names('category=adlsgen2'), ['lake_sas']);
    assert.deepEqual(
      await names(`target=${encodeURIComponent('https://HUBSTORE.blob.core.windows.net')}`),
      ['blob_key', 'identity_blob'],
    );
    const seen: string[] = [];
    let next: string | undefined = `${connections(emulator)}?${API}&category=AzureBlob`;
    while (next) {
      const response = await raw(emulator, 'GET', next);
      seen.push(...response.body.value.map((c: { name: string }) => c.name));
      next =
        response.body.nextLink &&
        new URL(response.body.nextLink).pathname + new URL(response.body.nextLink).search;
    }
    assert.deepEqual(seen, ['blob_key', 'proxied_key', 'identity_blob', 'other_key']);
  });

  it('AccountKey and SAS connections on a scenario account are consumers', async () => {
    const { emulator, storage } = await setUp({ scenario: 'connections' });
    assert.deepEqual(
      emulator
        .consumers()
        .map((c) => c.id)
        .filter((id) => id.startsWith('connection:')),
      [
        'connection:ws-hub/blob_key',
        'connection:ws-hub/lake_sas',
        'connection:ws-hub/proxied_key',
        'connection:ws-hub/other_key',
      ],
    );
    assert.equal(
      emulator.consumers().find((c) => c.id.endsWith('other_key'))?.account,
      'otherstore',
    );
    await storage.storageAccounts.regenerateKey('rg-hub', 'hubstore', { keyName: 'key1' });
    assert.deepEqual(emulator.timeline().at(-1)?.invalid.sort(), [
      'connection:ws-hub/lake_sas',
      'connection:ws-hub/proxied_key',
      'datastore:ws-hub/workspaceblobstore',
      'workspace:ws-hub',
    ]);
  });

  it('PUT is a full replace; PATCH merges and needs authType', async () => {
    const { emulator } = await setUp({ scenario: 'connections' });
    const url = `${connections(emulator)}/blob_key?${API}`;
    const key1 = emulator.keys('hubstore').key1;
    const put = await raw(emulator, 'PUT', url, {
      body: {
        properties: {
          authType: 'AccountKey',
          category: 'AzureBlob',
          target: 'https://hubstore.blob.core.windows.net/',
          credentials: { key: key1 },
          group: 'Azure',
        },
      },
    });
    assert.equal(put.status, 200);
    assert.equal('credentials' in put.body.properties, false);
    assert.equal('metadata' in put.body.properties, false, 'a PUT replaces everything');
    assert.equal('group' in put.body.properties, false, 'read-only properties are ignored');
    assert.equal(emulator.connection('ws-hub', 'blob_key')?.secret, key1);
    assert.ok(!emulator.invalidConsumers().includes('connection:ws-hub/blob_key'));

    const noAuthType = await raw(emulator, 'PATCH', url, {
      body: { properties: { metadata: { ContainerName: 'x' } } },
    });
    assert.equal(noAuthType.status, 400);
    const patched = await raw(emulator, 'PATCH', url, {
      body: { properties: { authType: 'AccountKey', metadata: { ContainerName: 'curated' } } },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.properties.target, 'https://hubstore.blob.core.windows.net/');
    assert.deepEqual(patched.body.properties.metadata, { ContainerName: 'curated' });
    assert.equal(emulator.connection('ws-hub', 'blob_key')?.secret, key1, 'credentials kept');

    const key2 = emulator.keys('hubstore').key2;
    await raw(emulator, 'PATCH', url, {
      body: { properties: { authType: 'AccountKey', credentials: { key: key2 } } },
    });
    assert.equal(emulator.connection('ws-hub', 'blob_key')?.secret, key2);
    const badKey = await raw(emulator, 'PUT', url, {
      body: { properties: { authType: 'AccountKey', category: 'AzureBlob', credentials: {} } },
    });
    assert.equal(badKey.status, 400);
    const created = await raw(emulator, 'PUT', `${connections(emulator)}/fresh_one?${API}`, {
      body: {
        properties: {
          authType: 'PAT',
          category: 'Git',
          target: 'https://git.example',
          credentials: { pat: 'pat-value' },
        },
      },
    });
    assert.equal(created.status, 200);
    assert.ok(emulator.secrets().includes('pat-value'));
    assert.deepEqual(
      emulator.writes().map((w) => w.operation),
      [
        'WorkspaceConnections.create',
        'WorkspaceConnections.update',
        'WorkspaceConnections.update',
        'WorkspaceConnections.update',
        'WorkspaceConnections.create',
        'WorkspaceConnections.create',
      ],
    );
  });

  it('DELETE answers 200, then 204', async () => {
    const { emulator } = await setUp({ scenario: 'connections' });
    const url = `${connections(emulator)}/openai?${API}`;
    assert.equal((await raw(emulator, 'DELETE', url)).status, 200);
    assert.equal((await raw(emulator, 'DELETE', url)).status, 204);
    assert.equal((await raw(emulator, 'GET', url)).status, 404);
    assert.equal(emulator.connection('ws-hub', 'openai'), undefined);
  });

  it('checks the connections RBAC actions', async () => {
    const scenario = loadScenario('connections');
    scenario.permissions = {
      actions: ['*'],
      notActions: ['Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action'],
    };
    const { emulator } = await setUp({ scenario });
    assert.equal(
      (await raw(emulator, 'GET', `${connections(emulator)}/blob_key?${API}`)).status,
      200,
    );
    const denied = await raw(
      emulator,
      'POST',
      `${connections(emulator)}/blob_key/listsecrets?${API}`,
    );
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /connections\/listsecrets\/action/);
  });

  it('failUpdate fails every write; loseUpdate answers 200 and keeps the old credentials', async () => {
    const scenario = loadScenario('connections');
    const hub = scenario.workspaces[0]!;
    hub.connections!.find((c) => c.name === 'blob_key')!.failUpdate = {
      status: 409,
      code: 'Conflict',
      message: 'Connection is locked.',
    };
    hub.connections!.find((c) => c.name === 'proxied_key')!.loseUpdate = true;
    const { emulator } = await setUp({ scenario });
    const body = {
      properties: {
        authType: 'AccountKey',
        category: 'AzureBlob',
        credentials: { key: emulator.keys('hubstore').key2 },
      },
    };
    const failed = await raw(emulator, 'PUT', `${connections(emulator)}/blob_key?${API}`, { body });
    assert.equal(failed.status, 409);
    assert.equal(failed.body.error.code, 'Conflict');
    const patchFailed = await raw(emulator, 'PATCH', `${connections(emulator)}/blob_key?${API}`, {
      body,
    });
    assert.equal(patchFailed.status, 409);

    const before = emulator.connection('ws-hub', 'proxied_key')?.secret;
    const lost = await raw(emulator, 'PUT', `${connections(emulator)}/proxied_key?${API}`, {
      body,
    });
    assert.equal(lost.status, 200);
    assert.equal(emulator.connection('ws-hub', 'proxied_key')?.secret, before);
    assert.equal(emulator.holds('hubstore', before), 'key1');
  });

  it('a datastore with loseUpdate answers 200 and keeps its old secret', async () => {
    const scenario = loadScenario('sample');
    scenario.workspaces[0]!.datastores!.find((d) => d.name === 'training_data')!.loseUpdate = true;
    const { emulator, ml } = await setUp({ scenario });
    const current = await ml.datastores.get('rg-ml', 'ws-prod', 'training_data');
    const key1 = emulator.keys('mlprodstore').key1;
    await ml.datastores.createOrUpdate('rg-ml', 'ws-prod', 'training_data', {
      properties: {
        ...current.properties,
        credentials: {
          credentialsType: 'AccountKey',
          secrets: { secretsType: 'AccountKey', key: key1 },
        },
      },
    });
    assert.equal(emulator.writes().at(-1)?.status, 200);
    assert.equal(
      emulator.holds('mlprodstore', emulator.datastore('ws-prod', 'training_data')?.secret),
      'key2',
    );
  });

  it('validates connection scenarios', () => {
    const scenario = loadScenario('connections');
    scenario.workspaces[0]!.connections!.push(
      { name: 'blob_key', category: 'AzureBlob', authType: 'AccountKey' },
      { name: 'weird', category: 'AzureBlob', authType: 'Kerberos' },
      { name: 'bad_holds', category: 'AzureBlob', authType: 'AccountKey', holds: 'key3' as 'key1' },
    );
    assert.throws(
      () => validateScenario(scenario),
      (error: Error) =>
        /blob_key appears twice/.test(error.message) &&
        /unknown authType Kerberos/.test(error.message) &&
        /holds\/signedWith must be/.test(error.message),
    );
  });
});
