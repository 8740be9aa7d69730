// SAS consumers in the adapters, with real tokens signed by the in-memory port's keys: the resource
// each token is judged on (a service SAS signs its container or share), and what a re-key writes
// through the port.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { ShareSASPermissions, generateFileSASQueryParameters } from '@azure/storage-file-share';
import type { ConnectionProperties, Datastore, KeyName } from '../src/azure/port.js';
import { Limiter } from '../src/util/concurrency.js';
import type {
  WorkspaceAdapter,
  DiscoveryContext,
  ListedConsumer,
} from '../src/consumers/adapter.js';
import { connections } from '../src/consumers/connection.js';
import { datastores } from '../src/consumers/datastore.js';
import { signedBy, type SasResource } from '../src/sas/index.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const DAY = 86_400_000;
const WS = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' };
const credential = (azure: MemoryAzure, key: KeyName | 'unrelated') =>
  new StorageSharedKeyCredential(
    'store',
    key === 'unrelated' ? randomBytes(64).toString('base64') : azure.keys[key].value,
  );
const times = () => ({
  startsOn: new Date(Date.now() - DAY),
  expiresOn: new Date(Date.now() + 30 * DAY),
  version: '2022-11-02',
});

const containerSas = (azure: MemoryAzure, containerName: string, key: KeyName | 'unrelated') =>
  generateBlobSASQueryParameters(
    { ...times(), containerName, permissions: ContainerSASPermissions.parse('rl') },
    credential(azure, key),
  ).toString();

const shareSas = (azure: MemoryAzure, shareName: string, key: KeyName) =>
  generateFileSASQueryParameters(
    { ...times(), shareName, permissions: ShareSASPermissions.parse('rl') },
    credential(azure, key),
  ).toString();

const context = (azure: MemoryAzure, now?: Date): DiscoveryContext => ({
  account: { name: 'store', storageSuffix: 'core.windows.net' },
  keys: Promise.resolve([azure.keys.key1, azure.keys.key2]),
  limit: new Limiter(2),
  now,
});

/** A SAS connection holding `token`, with the given target and metadata. */
function addSasConnection(
  azure: MemoryAzure,
  name: string,
  token: string,
  properties: Partial<ConnectionProperties>,
) {
  azure.connections.set(`ws/${name}`, {
    properties: { authType: 'SAS', category: 'AzureBlob', ...properties },
    sasToken: token,
  });
}

async function discovered(adapter: WorkspaceAdapter, azure: MemoryAzure, now?: Date) {
  const { consumers } = await adapter.discover(azure, WS, context(azure, now));
  return new Map(consumers.map((c) => [c.name, c]));
}

/** Re-keys a consumer as discovery listed it, its token re-signed by `key`. */
function rekey(adapter: WorkspaceAdapter, azure: MemoryAzure, c: ListedConsumer, key: KeyName) {
  const keys = { key1: azure.keys.key1.value, key2: azure.keys.key2.value };
  return adapter.rekey(
    azure,
    {
      consumer: { ...c, workspace: WS },
      resyncedSinceListing: false,
      signing: { account: 'store', key, keys },
    },
    keys[key],
  );
}

/** Which of the port's keys signed `token`, used on `resource`. */
function signer(azure: MemoryAzure, token: string, resource?: SasResource) {
  const keys = { key1: azure.keys.key1.value, key2: azure.keys.key2.value };
  return signedBy(token, 'store', keys, resource).signedBy;
}

describe('SAS connections: the container or share the token is judged on', () => {
  it('the container in the target, else the metadata ContainerName (either case) on the blob service', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'in-path', containerSas(azure, 'data', 'key2'), {
      target: 'https://store.blob.core.windows.net/data',
      metadata: {},
    });
    addSasConnection(azure, 'upper', containerSas(azure, 'data', 'key1'), {
      target: 'https://store.blob.core.windows.net/',
      metadata: { ContainerName: 'data' },
    });
    addSasConnection(azure, 'lower', containerSas(azure, 'data', 'key2'), {
      target: 'https://store.blob.core.windows.net/',
      metadata: { containerName: 'data' },
    });
    addSasConnection(azure, 'no-url', containerSas(azure, 'data', 'key1'), {
      target: 'not a url',
      metadata: { AccountName: 'store', ContainerName: 'data' },
    });
    const found = await discovered(connections, azure);
    assert.deepEqual(
      [...found].map(([name, c]) => [name, c.sas?.signedBy, c.holds]),
      [
        ['in-path', 'key2', 'key2'],
        ['upper', 'key1', 'key1'],
        ['lower', 'key2', 'key2'],
        ['no-url', 'key1', 'key1'],
      ],
    );
  });

  it('a share named in the metadata of a file endpoint target', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'share', shareSas(azure, 'projects', 'key2'), {
      target: 'https://store.file.core.windows.net/',
      metadata: { ContainerName: 'projects' },
    });
    const c = (await discovered(connections, azure)).get('share')!;
    assert.equal(c.sas?.signedBy, 'key2');
  });

  it('a service SAS at the account root without a container: which key signed it is unknown', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'root', containerSas(azure, 'data', 'key1'), {
      target: 'https://store.blob.core.windows.net/',
      metadata: {},
    });
    const c = (await discovered(connections, azure)).get('root')!;
    assert.equal(c.sas?.signedBy, 'unknown');
    assert.equal(c.holds, undefined);
  });
});

describe('SAS datastores: the container or share the token is judged on', () => {
  it('an AzureFile datastore: its file share', async () => {
    const azure = new MemoryAzure();
    azure.datastores.set('ws/files', {
      properties: {
        datastoreType: 'AzureFile',
        accountName: 'store',
        fileShareName: 'projects',
        credentials: { credentialsType: 'Sas' },
      },
      sasToken: shareSas(azure, 'projects', 'key2'),
    });
    const c = (await discovered(datastores, azure)).get('files')!;
    assert.equal(c.sas?.signedBy, 'key2');
  });
});

describe('SAS consumers: when expiry is judged', () => {
  it('at the discovery context time when it gives one', async () => {
    const azure = new MemoryAzure();
    azure.addSasDatastore('ws', 'data', containerSas(azure, 'data', 'key1'));
    const later = new Date(Date.now() + 60 * DAY);
    const c = (await discovered(datastores, azure, later)).get('data')!;
    assert.equal(c.sas?.expired, true);
    assert.equal(c.holds, 'stale');
  });
});

describe('SAS consumers: the account SAS expiration policy', () => {
  it('with action Block, a token valid for longer than its period is already broken', async () => {
    const azure = new MemoryAzure();
    azure.addSasDatastore('ws', 'data', containerSas(azure, 'data', 'key1'));
    const policy = { sasExpirationPeriod: '7.00:00:00', expirationAction: 'Block' } as const;
    const { consumers } = await datastores.discover(azure, WS, {
      ...context(azure),
      sasPolicy: Promise.resolve(policy),
    });
    assert.equal(
      consumers[0]!.sas?.refusedByPolicy,
      "the account's SAS expiration policy (7.00:00:00, action Block) refuses it: its validity is 31 days",
    );
    assert.equal(consumers[0]!.holds, 'stale');
  });
});

describe('SAS consumers: a re-key writes the token re-signed by the key', () => {
  it('a connection: a PATCH with authType SAS and the new token, read back signed by the key', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'c', containerSas(azure, 'data', 'key1'), {
      target: 'https://store.blob.core.windows.net/data',
    });
    const patches: ConnectionProperties[] = [];
    const update = azure.updateConnection.bind(azure);
    azure.updateConnection = (ref, name, properties) => {
      patches.push(structuredClone(properties));
      return update(ref, name, properties);
    };
    const c = (await discovered(connections, azure)).get('c')!;
    assert.equal(await rekey(connections, azure, c, 'key2'), undefined);
    const stored = azure.connections.get('ws/c')!;
    assert.deepEqual(patches, [{ authType: 'SAS', credentials: { sas: stored.sasToken } }]);
    assert.equal(signer(azure, stored.sasToken!, { service: 'blob', container: 'data' }), 'key2');
    assert.equal(stored.properties.authType, 'SAS');
  });

  it('a datastore: a PUT with Sas credentials and the new token', async () => {
    const azure = new MemoryAzure();
    azure.addSasDatastore('ws', 'data', containerSas(azure, 'data', 'key1'));
    const puts: Datastore[] = [];
    const put = azure.putDatastore.bind(azure);
    azure.putDatastore = (ref, datastore) => {
      puts.push(structuredClone(datastore));
      return put(ref, datastore);
    };
    const c = (await discovered(datastores, azure)).get('data')!;
    assert.equal(await rekey(datastores, azure, c, 'key2'), undefined);
    const token = azure.datastores.get('ws/data')!.sasToken!;
    assert.deepEqual(
      puts.map((d) => d.properties.credentials),
      [{ credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: token } }],
    );
    assert.equal(signer(azure, token, { service: 'blob', container: 'data' }), 'key2');
  });

  it('a datastore read again before the write (no listing): still a SAS datastore, so written', async () => {
    const azure = new MemoryAzure();
    azure.addSasDatastore('ws', 'data', containerSas(azure, 'data', 'key1'));
    const c = (await discovered(datastores, azure)).get('data')!;
    assert.equal(await rekey(datastores, azure, { ...c, listed: undefined }, 'key2'), undefined);
    assert.deepEqual(azure.calls.slice(-3), [
      'getDatastore ws/data',
      'putDatastore ws/data',
      'datastoreSecret ws/data',
    ]);
  });

  it('a token read back that no current key signed is a failure, and says so', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'c', containerSas(azure, 'data', 'key1'), {
      target: 'https://store.blob.core.windows.net/data',
    });
    const c = (await discovered(connections, azure)).get('c')!;
    const foreign = containerSas(azure, 'data', 'unrelated');
    azure.connectionSecret = async () => ({ kind: 'Sas', sasToken: foreign });
    assert.equal(
      await rekey(connections, azure, c, 'key2'),
      'the service accepted the new SAS token but the token read back is signed by neither key, not key2',
    );
  });

  for (const adapter of [datastores, connections]) {
    it(`${adapter.kind}: without a signing key, nothing is written and the re-key says why`, async () => {
      const azure = new MemoryAzure();
      azure.addSasDatastore('ws', 'data', containerSas(azure, 'data', 'key1'));
      addSasConnection(azure, 'data', containerSas(azure, 'data', 'key1'), {
        target: 'https://store.blob.core.windows.net/data',
      });
      const c = (await discovered(adapter, azure)).get('data')!;
      const error = await adapter.rekey(
        azure,
        { consumer: { ...c, workspace: WS }, resyncedSinceListing: false },
        azure.keys.key2.value,
      );
      assert.equal(error, 'no signing key was given to re-issue its SAS token');
      assert.deepEqual(azure.log, []);
    });
  }

  it('a token that cannot be re-issued: nothing is written and the re-key says why', async () => {
    const azure = new MemoryAzure();
    addSasConnection(azure, 'root', containerSas(azure, 'data', 'key1'), {
      target: 'https://store.blob.core.windows.net/',
      metadata: {},
    });
    const c = (await discovered(connections, azure)).get('root')!;
    assert.match(
      (await rekey(connections, azure, c, 'key2'))!,
      /^its SAS token cannot be re-issued: .*container/,
    );
    assert.deepEqual(azure.log, []);
  });
});
