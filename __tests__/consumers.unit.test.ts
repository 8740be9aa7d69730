// The consumer adapters (datastores, connections) against the in-memory port: what each reads as
// "on the account", the key each holds, and a re-key that is only a success when the read-back
// returns the new key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Connection, Datastore } from '../src/azure/port.js';
import { Limiter } from '../src/util/concurrency.js';
import {
  holdingOfSecret,
  verifyStored,
  type DiscoveryContext,
  type RekeyTarget,
} from '../src/consumers/adapter.js';
import { connections, pointsAt as connectionPointsAt } from '../src/consumers/connection.js';
import {
  datastores,
  pointsAt as datastorePointsAt,
  withAccountKey,
} from '../src/consumers/datastore.js';
import { ADAPTERS, adapterFor } from '../src/consumers/index.js';
import type { ConsumerRef, KeyInfo } from '../src/discover/inventory.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const WS = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' };
const ACCOUNT = { name: 'store', storageSuffix: 'core.windows.net' };
const keysOf = (azure: MemoryAzure): KeyInfo[] => [azure.keys.key1, azure.keys.key2];
const context = (azure: MemoryAzure): DiscoveryContext => ({
  account: ACCOUNT,
  keys: Promise.resolve(keysOf(azure)),
  limit: new Limiter(2),
});
/** A re-key as a move asks for it: the consumer as discovery named it, no resync since. */
const target = (consumer: ConsumerRef): RekeyTarget => ({ consumer, resyncedSinceListing: false });
const newKey = () => randomBytes(64).toString('base64');

/** Records which secrets the adapters read. */
function recordSecretReads(azure: MemoryAzure): string[] {
  const reads: string[] = [];
  const datastoreSecret = azure.datastoreSecret.bind(azure);
  const connectionSecret = azure.connectionSecret.bind(azure);
  azure.datastoreSecret = (ref, name) => {
    reads.push(`datastore ${name}`);
    return datastoreSecret(ref, name);
  };
  azure.connectionSecret = (ref, name) => {
    reads.push(`connection ${name}`);
    return connectionSecret(ref, name);
  };
  return reads;
}

describe('datastore adapter', () => {
  it('finds the datastores on the account, with the key each AccountKey one holds', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'on1', 'key1');
    azure.addDatastore('ws', 'on2', 'key2', {
      datastoreType: 'AzureFile',
      containerName: undefined,
      fileShareName: 'share',
      isDefault: true,
    });
    azure.addDatastore('ws', 'lake', 'key1', {
      datastoreType: 'AzureDataLakeGen2',
      containerName: undefined,
      filesystem: 'fs',
      credentials: { credentialsType: 'None' },
    });
    azure.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
    azure.addDatastore('ws', 'sp', 'key1', {
      credentials: { credentialsType: 'ServicePrincipal' },
    });
    azure.addDatastore('ws', 'nocreds', 'key1', { credentials: undefined });
    azure.addDatastore('ws', 'stale', 'key1');
    azure.datastores.get('ws/stale')!.key = newKey();
    azure.addDatastore('ws', 'far', 'key1', { accountName: 'otherstore' });
    azure.addDatastore('ws', 'gen1', 'key1', { datastoreType: 'AzureDataLakeGen1' });
    azure.addDatastore('elsewhere', 'not-this-workspace', 'key1');
    const reads = recordSecretReads(azure);

    const found = await datastores.discover(azure, WS, context(azure));
    assert.equal(found.others, 2);
    assert.deepEqual(
      found.consumers.map((c) => [c.name, c.auth, c.credentials, c.type, c.target, c.holds]),
      [
        ['on1', 'AccountKey', 'AccountKey', 'AzureBlob', 'on1', 'key1'],
        ['on2', 'AccountKey', 'AccountKey', 'AzureFile', 'share', 'key2'],
        ['lake', 'Other', 'None', 'AzureDataLakeGen2', 'fs', undefined],
        ['sas', 'Sas', 'Sas', 'AzureBlob', 'sas', undefined],
        ['sp', 'Other', 'ServicePrincipal', 'AzureBlob', 'sp', undefined],
        ['nocreds', 'Other', 'None', 'AzureBlob', 'nocreds', undefined],
        ['stale', 'AccountKey', 'AccountKey', 'AzureBlob', 'stale', 'stale'],
      ],
    );
    assert.deepEqual(
      found.consumers.map((c) => c.isDefault),
      [false, true, false, false, false, false, false],
    );
    assert.ok(found.consumers.every((c) => c.kind === 'datastore' && c.workspace === WS));
    // SAS tokens are read too, to tell which key signed them.
    assert.deepEqual(reads.sort(), [
      'datastore on1',
      'datastore on2',
      'datastore sas',
      'datastore stale',
    ]);
  });

  it('keeps the listing of a datastore it may re-key (to write it without reading it again), only of those', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'keyed', 'key1');
    azure.addDatastore('ws', 'identity', 'key1', { credentials: { credentialsType: 'None' } });
    const found = await datastores.discover(azure, WS, context(azure));
    const [keyed, identity] = found.consumers;
    assert.deepEqual(keyed!.listed, {
      name: 'keyed',
      properties: azure.datastores.get('ws/keyed')!.properties,
    });
    assert.equal(identity!.listed, undefined);
  });

  it('a datastore without a container, share or filesystem has an empty target', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'bare', 'key1', { containerName: undefined });
    const [bare] = (await datastores.discover(azure, WS, context(azure))).consumers;
    assert.equal(bare!.target, '');
  });

  it('re-keys: writes the key with every other property kept, and verifies it', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'a', 'key1', { description: 'kept', isDefault: true });
    const ref = { kind: 'datastore' as const, workspace: WS, name: 'a' };
    assert.equal(await datastores.rekey(azure, target(ref), azure.keys.key2.value), undefined);
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key2');
    assert.equal(azure.datastores.get('ws/a')!.properties.description, 'kept');
    assert.deepEqual(azure.log, ['put ws/a']);
  });

  it('a write the service does not keep is a failure', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'a', 'key1');
    azure.loseWrites.add('ws/a');
    const ref = { kind: 'datastore' as const, workspace: WS, name: 'a' };
    assert.match(
      (await datastores.rekey(azure, target(ref), azure.keys.key2.value))!,
      /does not return the new key/,
    );
    assert.equal(azure.holds(azure.datastores.get('ws/a')!.key), 'key1');
  });

  for (const [what, listed] of [
    ['without a name', { properties: { datastoreType: 'AzureBlob', accountName: 'store' } }],
    ['without properties', { name: 'a' }],
  ] as const) {
    it(`a listing ${what} is not a registration: the datastore is read again and written whole`, async () => {
      const azure = new MemoryAzure();
      azure.addDatastore('ws', 'a', 'key1', { description: 'kept' });
      const consumer = { kind: 'datastore' as const, workspace: WS, name: 'a', listed };
      assert.equal(
        await datastores.rekey(azure, target(consumer), azure.keys.key2.value),
        undefined,
      );
      assert.deepEqual(azure.calls, [
        'getDatastore ws/a',
        'putDatastore ws/a',
        'datastoreSecret ws/a',
      ]);
      assert.equal(azure.datastores.get('ws/a')!.properties.description, 'kept');
    });
  }

  it('leaves a datastore whose credentials changed since discovery', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'a', 'key1', { credentials: { credentialsType: 'Sas' } });
    const ref = { kind: 'datastore' as const, workspace: WS, name: 'a' };
    assert.equal(
      await datastores.rekey(azure, target(ref), azure.keys.key2.value),
      'its credentials changed to Sas since discovery; left as it is',
    );
    assert.deepEqual(azure.log, []);
  });

  it('leaves a datastore whose credentials were removed since discovery', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'a', 'key1', { credentials: undefined });
    const ref = { kind: 'datastore' as const, workspace: WS, name: 'a' };
    assert.match(
      (await datastores.rekey(azure, target(ref), azure.keys.key2.value))!,
      /^its credentials changed to .* since discovery; left as it is$/,
    );
    assert.deepEqual(azure.log, []);
  });

  it('reports a failed read or write sanitised', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'a', 'key1');
    azure.failPut.add('ws/a');
    const ref = { kind: 'datastore' as const, workspace: WS, name: 'a' };
    const error = (await datastores.rekey(azure, target(ref), azure.keys.key2.value))!;
    assert.match(error, /^400 UserError: bad request, body had key \[redacted\]$/);
    const missing = { ...ref, name: 'gone' };
    assert.equal(
      await datastores.rekey(azure, target(missing), azure.keys.key2.value),
      '404: not found',
    );
  });

  it('pointsAt: an account datastore type, the account name and the cloud endpoint', () => {
    const ds = (properties: Partial<Datastore['properties']>): Datastore => ({
      name: 'd',
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'store',
        credentials: { credentialsType: 'AccountKey' },
        ...properties,
      },
    });
    assert.equal(datastorePointsAt(ds({}), ACCOUNT), true, 'no endpoint: the cloud default');
    assert.equal(datastorePointsAt(ds({ endpoint: '' }), ACCOUNT), true);
    assert.equal(datastorePointsAt(ds({ endpoint: 'Core.Windows.NET' }), ACCOUNT), true);
    assert.equal(datastorePointsAt(ds({ accountName: 'STORE' }), ACCOUNT), true);
    assert.equal(datastorePointsAt(ds({ endpoint: 'core.chinacloudapi.cn' }), ACCOUNT), false);
    assert.equal(
      datastorePointsAt(ds({}), { name: 'store', storageSuffix: 'core.chinacloudapi.cn' }),
      true,
    );
    assert.equal(datastorePointsAt(ds({ accountName: 'store2' }), ACCOUNT), false);
    assert.equal(datastorePointsAt(ds({ accountName: undefined }), ACCOUNT), false);
    for (const type of ['AzureFile', 'AzureDataLakeGen2']) {
      assert.equal(datastorePointsAt(ds({ datastoreType: type }), ACCOUNT), true, type);
    }
    for (const type of ['AzureDataLakeGen1', 'OneLake', 'Hdfs']) {
      assert.equal(datastorePointsAt(ds({ datastoreType: type }), ACCOUNT), false, type);
    }
  });

  it('withAccountKey: the datastore as returned, only the credentials replaced', () => {
    const current: Datastore = {
      name: 'a',
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'store',
        containerName: 'c',
        isDefault: true,
        description: 'd',
        tags: { t: '1' },
        credentials: { credentialsType: 'AccountKey' },
      },
    };
    const before = structuredClone(current);
    assert.deepEqual(withAccountKey(current, 'K'), {
      name: 'a',
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'store',
        containerName: 'c',
        description: 'd',
        tags: { t: '1' },
        credentials: {
          credentialsType: 'AccountKey',
          secrets: { secretsType: 'AccountKey', key: 'K' },
        },
      },
    });
    assert.deepEqual(current, before, 'the datastore read is not changed');
  });
});

describe('connection adapter', () => {
  it('finds the connections on the account, with the key each AccountKey one holds', async () => {
    const azure = new MemoryAzure();
    azure.addConnection('ws', 'blob', 'key1');
    azure.addConnection('ws', 'dfs', 'key2', {
      target: 'https://STORE.dfs.core.windows.net/fs',
      category: 'AzureDataLakeGen2',
    });
    azure.addConnection('ws', 'sas', 'key1', { authType: 'SAS' });
    azure.addConnection('ws', 'named', 'key1', {
      authType: 'AAD',
      target: undefined,
      category: undefined,
      metadata: { AccountName: 'Store' },
    });
    azure.addConnection('ws', 'named-lower', 'key1', {
      authType: 'AccountKey',
      target: 'not a url',
      metadata: { accountName: 'store' },
    });
    azure.addConnection('ws', 'api', 'key1', {
      authType: 'ApiKey',
      target: 'https://example.invalid/',
    });
    azure.addConnection('ws', 'other-account', 'key1', {
      target: 'https://store2.blob.core.windows.net/',
    });
    azure.addConnection('ws', 'no-target', 'key1', { target: undefined, metadata: {} });
    const reads = recordSecretReads(azure);

    const found = await connections.discover(azure, WS, context(azure));
    assert.equal(found.others, 3);
    assert.deepEqual(
      found.consumers.map((c) => [c.name, c.auth, c.credentials, c.type, c.target, c.holds]),
      [
        [
          'blob',
          'AccountKey',
          'AccountKey',
          'AzureBlob',
          'https://store.blob.core.windows.net/',
          'key1',
        ],
        [
          'dfs',
          'AccountKey',
          'AccountKey',
          'AzureDataLakeGen2',
          'https://STORE.dfs.core.windows.net/fs',
          'key2',
        ],
        ['sas', 'Sas', 'SAS', 'AzureBlob', 'https://store.blob.core.windows.net/', undefined],
        ['named', 'Other', 'AAD', '', '', undefined],
        ['named-lower', 'AccountKey', 'AccountKey', 'AzureBlob', 'not a url', 'key1'],
      ],
    );
    assert.ok(found.consumers.every((c) => c.kind === 'connection' && !c.isDefault));
    assert.deepEqual(reads.sort(), [
      'connection blob',
      'connection dfs',
      'connection named-lower',
      'connection sas',
    ]);
  });

  it('pointsAt: every storage endpoint of the account in the cloud, or the account by name', () => {
    const conn = (target?: string, metadata?: Record<string, string>): Connection => ({
      name: 'c',
      properties: { authType: 'AccountKey', target, metadata },
    });
    for (const service of ['blob', 'dfs', 'file', 'queue', 'table']) {
      assert.equal(
        connectionPointsAt(conn(`https://store.${service}.core.windows.net/x`), ACCOUNT),
        true,
        service,
      );
    }
    assert.equal(connectionPointsAt(conn('https://store.web.core.windows.net/'), ACCOUNT), false);
    assert.equal(
      connectionPointsAt(conn('https://store.blob.core.windows.net/'), {
        name: 'STORE',
        storageSuffix: 'Core.Windows.Net',
      }),
      true,
    );
    assert.equal(
      connectionPointsAt(conn('https://store.blob.core.chinacloudapi.cn/'), ACCOUNT),
      false,
    );
    assert.equal(
      connectionPointsAt(
        conn('https://store.blob.core.windows.net/', { AccountName: 'x' }),
        ACCOUNT,
      ),
      true,
      'the target decides when there is one',
    );
    assert.equal(
      connectionPointsAt(
        conn('https://x.blob.core.windows.net/', { AccountName: 'store' }),
        ACCOUNT,
      ),
      false,
    );
    assert.equal(connectionPointsAt(conn(undefined, { AccountName: 'store' }), ACCOUNT), true);
    assert.equal(connectionPointsAt(conn('', { accountName: 'STORE' }), ACCOUNT), true);
    assert.equal(connectionPointsAt(conn('::', { AccountName: 'store' }), ACCOUNT), true);
    assert.equal(
      connectionPointsAt(conn(undefined, { AccountName: 'store', accountName: 'x' }), ACCOUNT),
      true,
    );
    assert.equal(connectionPointsAt(conn(undefined, {}), ACCOUNT), false);
    assert.equal(connectionPointsAt(conn(undefined), ACCOUNT), false);
  });

  it('re-keys with a PATCH of the credentials only, and verifies it', async () => {
    const azure = new MemoryAzure();
    azure.addConnection('ws', 'c', 'key1', { isSharedToAll: true });
    let patched: unknown;
    const update = azure.updateConnection.bind(azure);
    azure.updateConnection = (ref, name, properties) => {
      patched = structuredClone(properties);
      return update(ref, name, properties);
    };
    const ref = { kind: 'connection' as const, workspace: WS, name: 'c' };
    const key = azure.keys.key2.value;
    assert.equal(await connections.rekey(azure, target(ref), key), undefined);
    assert.deepEqual(patched, { authType: 'AccountKey', credentials: { key } });
    assert.equal(azure.holds(azure.connections.get('ws/c')!.key), 'key2');
    assert.equal(azure.connections.get('ws/c')!.properties.isSharedToAll, true);
  });

  it('a patch the service does not keep, or refuses, is a failure', async () => {
    const azure = new MemoryAzure();
    azure.addConnection('ws', 'lost', 'key1');
    azure.addConnection('ws', 'refused', 'key1');
    azure.loseWrites.add('ws/lost');
    azure.failPut.add('ws/refused');
    const key = azure.keys.key2.value;
    const ref = (name: string) => ({ kind: 'connection' as const, workspace: WS, name });
    assert.match(
      (await connections.rekey(azure, target(ref('lost')), key))!,
      /does not return the new key/,
    );
    assert.match(
      (await connections.rekey(azure, target(ref('refused')), key))!,
      /^400 UserError: bad request, body had key \[redacted\]$/,
    );
    assert.equal(azure.holds(azure.connections.get('ws/lost')!.key), 'key1');
  });
});

describe('adapter helpers', () => {
  const keys: KeyInfo[] = [
    { name: 'key1', value: 'v1' },
    { name: 'key2', value: 'v2' },
  ];

  it('a secret holds the key it matches; anything but an account key holds none', () => {
    assert.equal(holdingOfSecret({ kind: 'AccountKey', key: 'v2' }, keys), 'key2');
    assert.equal(holdingOfSecret({ kind: 'AccountKey', key: 'old' }, keys), 'stale');
    assert.equal(holdingOfSecret({ kind: 'Sas', sasToken: 'v1' }, keys), 'stale');
    assert.equal(holdingOfSecret({ kind: 'Other' }, keys), 'stale');
  });

  it('verifyStored: only the same account key read back is a success', () => {
    assert.equal(verifyStored({ kind: 'AccountKey', key: 'v1' }, 'v1'), undefined);
    assert.match(verifyStored({ kind: 'AccountKey', key: 'v2' }, 'v1')!, /does not return/);
    assert.match(verifyStored({ kind: 'Sas', sasToken: 'v1' }, 'v1')!, /does not return/);
    assert.match(verifyStored({ kind: 'Other' }, 'v1')!, /does not return/);
  });

  it('one adapter per kind, datastores first', () => {
    assert.deepEqual(
      ADAPTERS.map((a) => a.kind),
      ['datastore', 'connection'],
    );
    assert.equal(adapterFor('datastore'), datastores);
    assert.equal(adapterFor('connection'), connections);
    for (const adapter of ADAPTERS) {
      const base = `Microsoft.MachineLearningServices/workspaces/${adapter.kind}s`;
      assert.deepEqual(adapter.actions, {
        list: `${base}/read`,
        readSecret: `${base}/listsecrets/action`,
        write: `${base}/write`,
      });
    }
  });
});

describe('datastore re-key after a resync of its workspace', () => {
  /** The datastore as discovery listed it, then rewritten in the store (as a resync may do). */
  async function listedThenRewritten(name: string, extra: Record<string, unknown> = {}) {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', name, 'key1', { description: 'as listed', ...extra });
    const listed = await azure.getDatastore(WS, name);
    azure.datastores.get(`ws/${name}`)!.properties.description = 'rewritten by the resync';
    azure.calls = [];
    return { azure, listed };
  }
  const rekeyed = async (name: string, resynced: boolean, isDefault = false) => {
    const { azure, listed } = await listedThenRewritten(name);
    const consumer = { kind: 'datastore' as const, workspace: WS, name, listed, isDefault };
    const error = await datastores.rekey(
      azure,
      { consumer, resyncedSinceListing: resynced },
      azure.keys.key2.value,
    );
    assert.equal(error, undefined);
    const stored = azure.datastores.get(`ws/${name}`)!;
    assert.equal(azure.holds(stored.key), 'key2');
    return { description: stored.properties.description, calls: azure.calls };
  };

  for (const name of [
    'workspaceblobstore',
    'workspacefilestore',
    'workspaceartifactstore',
    'WorkspaceWorkingDirectory',
  ]) {
    it(`${name}: a system datastore is read again, so the write keeps what the resync wrote`, async () => {
      const { description, calls } = await rekeyed(name, true);
      assert.equal(description, 'rewritten by the resync');
      assert.deepEqual(calls, [
        `getDatastore ws/${name}`,
        `putDatastore ws/${name}`,
        `datastoreSecret ws/${name}`,
      ]);
    });
  }

  it('the default datastore is read again too, whatever its name', async () => {
    const { description } = await rekeyed('mydefault', true, true);
    assert.equal(description, 'rewritten by the resync');
  });

  it('any other datastore is written from its listing: two calls', async () => {
    const { description, calls } = await rekeyed('training', true);
    assert.equal(description, 'as listed');
    assert.deepEqual(calls, ['putDatastore ws/training', 'datastoreSecret ws/training']);
  });

  it('without a resync since the listing, even a system datastore is written from its listing', async () => {
    const { description } = await rekeyed('workspaceblobstore', false);
    assert.equal(description, 'as listed');
  });
});

describe('survey: every storage account the consumers reach, from their listings alone', () => {
  const survey = { storageSuffix: 'core.windows.net', limit: new Limiter(2) };

  it('datastores: account types with an account name on this cloud, lower case', async () => {
    const azure = new MemoryAzure();
    azure.pageSize = 2;
    azure.addDatastore('ws', 'key', 'key1', { accountName: 'Store' });
    azure.addDatastore('ws', 'file', 'key1', {
      datastoreType: 'AzureFile',
      accountName: 'files',
      endpoint: 'CORE.WINDOWS.NET',
      credentials: { credentialsType: 'Sas' },
      subscriptionId: 'other-sub',
      resourceGroup: 'other-rg',
    });
    azure.addDatastore('ws', 'lake', 'key1', {
      datastoreType: 'AzureDataLakeGen2',
      accountName: 'lake',
      endpoint: undefined,
      credentials: undefined,
      subscriptionId: '',
    });
    azure.addDatastore('ws', 'sql', 'key1', { datastoreType: 'AzureSqlDatabase' });
    azure.addDatastore('ws', 'nameless', 'key1', { accountName: undefined });
    azure.addDatastore('ws', 'china', 'key1', { endpoint: 'core.chinacloudapi.cn' });
    azure.addDatastore('other', 'elsewhere', 'key1');
    assert.deepEqual(await datastores.survey(azure, WS, survey), [
      {
        kind: 'datastore',
        name: 'key',
        auth: 'AccountKey',
        account: 'store',
        subscriptionId: undefined,
        resourceGroup: undefined,
      },
      {
        kind: 'datastore',
        name: 'file',
        auth: 'Sas',
        account: 'files',
        subscriptionId: 'other-sub',
        resourceGroup: 'other-rg',
      },
      {
        kind: 'datastore',
        name: 'lake',
        auth: 'Other',
        account: 'lake',
        subscriptionId: undefined,
        resourceGroup: undefined,
      },
    ]);
    assert.deepEqual(azure.calls, ['listDatastores ws', 'listDatastores ws', 'listDatastores ws']);
  });

  it('connections: the account their target or metadata names; others are left out', async () => {
    const azure = new MemoryAzure();
    azure.addConnection('ws', 'blob', 'key1');
    azure.addConnection('ws', 'sas', 'key1', {
      authType: 'SAS',
      target: 'https://Lake.dfs.core.windows.net/raw',
    });
    azure.addConnection('ws', 'named', 'key1', {
      authType: 'ApiKey',
      target: undefined,
      metadata: { AccountName: 'Named' },
    });
    azure.addConnection('ws', 'openai', 'key1', {
      authType: 'ApiKey',
      target: 'https://x.openai.azure.com/',
    });
    assert.deepEqual(await connections.survey(azure, WS, survey), [
      { kind: 'connection', name: 'blob', auth: 'AccountKey', account: 'store' },
      { kind: 'connection', name: 'sas', auth: 'Sas', account: 'lake' },
      { kind: 'connection', name: 'named', auth: 'Other', account: 'named' },
    ]);
  });

  it('a listing that fails fails the survey', async () => {
    const azure = new MemoryAzure();
    azure.datastorePages = async function* () {
      yield* [];
      throw Object.assign(new Error('denied'), { statusCode: 403 });
    };
    await assert.rejects(datastores.survey(azure, WS, survey), /denied/);
  });
});

describe('connection targets that only look like the account', () => {
  const conn = (target: string): Connection => ({
    name: 'c',
    properties: { authType: 'AccountKey', target, metadata: { AccountName: 'store' } },
  });
  it('a host on another suffix of the same length, or a deeper host, is not the account', () => {
    // ".corp.windows.net" is as long as ".core.windows.net".
    assert.equal(connectionPointsAt(conn('https://store.blob.corp.windows.net/x'), ACCOUNT), false);
    assert.equal(
      connectionPointsAt(conn('https://store.blob.extra.core.windows.net/x'), ACCOUNT),
      false,
    );
    assert.equal(connectionPointsAt(conn('https://store.core.windows.net/x'), ACCOUNT), false);
  });
});

describe('survey: a datastore listing with fields that are not names', () => {
  it('passes on a subscription or resource group only when it is a non-empty string', async () => {
    const azure = new MemoryAzure();
    azure.addDatastore('ws', 'odd', 'key1', { subscriptionId: 42, resourceGroup: { name: 'rg' } });
    const [found] = await datastores.survey(azure, WS, {
      storageSuffix: 'core.windows.net',
      limit: new Limiter(1),
    });
    assert.equal(found?.subscriptionId, undefined);
    assert.equal(found?.resourceGroup, undefined);
  });
});

describe('discovery under a limit of one call at a time', () => {
  it('each page fetch goes before the secret reads already waiting for the slot', async () => {
    const azure = new MemoryAzure();
    azure.pageSize = 2;
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) azure.addDatastore('ws', name, 'key1');
    await datastores.discover(azure, WS, { ...context(azure), limit: new Limiter(1) });
    // The third page waits only for the one secret read in flight, not for page 1's second read.
    assert.deepEqual(azure.calls, [
      'listDatastores ws',
      'listDatastores ws',
      'datastoreSecret ws/a',
      'listDatastores ws',
      'datastoreSecret ws/b',
      'datastoreSecret ws/c',
      'datastoreSecret ws/d',
      'datastoreSecret ws/e',
      'datastoreSecret ws/f',
    ]);
  });
});
