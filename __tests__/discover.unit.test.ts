// Discovery against the in-memory port: which workspaces are managed and which only observed,
// what each holds, and a listing that fails is named, never skipped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Workspace } from '../src/azure/port.js';
import { DiscoveryError, discover } from '../src/discover/discover.js';
import type { Inputs } from '../src/inputs/inputs.js';
import type { ResourceRef } from '../src/util/resource-id.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { inputsFor } from './fakes/rotation.js';

const SUB2 = 'sub-two';

/** The in-memory port with workspaces in several subscriptions and resource groups. */
class Subscriptions extends MemoryAzure {
  placed = new Map<string, { ref: ResourceRef; storageAccountId?: string }>();
  listed: string[] = [];
  failListing = new Set<string>();
  /** Listings of these subscriptions fail with a 503 that outlasted the retries. */
  transientListing = new Set<string>();
  failWorkspace = new Set<string>();
  /** Workspaces_ListKeys and datastore secrets of these (`ws`, `ws/name`) answer 403. */
  denied = new Set<string>();
  keyCreationTime: Partial<Record<'key1' | 'key2', Date>> = {};
  keyExpirationDays?: number;
  allowSharedKeyAccess = true;

  /** Puts a workspace somewhere; its default storage is the account unless said otherwise. */
  place(name: string, where: Partial<ResourceRef> = {}, storage: string | null = this.accountId) {
    this.placed.set(name, {
      ref: { subscriptionId: 'sub', resourceGroup: 'rg', name, ...where },
      storageAccountId: storage ?? undefined,
    });
  }
  private toWorkspace(name: string): Workspace {
    const placed = this.placed.get(name);
    const ref = placed?.ref ?? { subscriptionId: 'sub', resourceGroup: 'rg', name };
    return {
      id: `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`,
      ref,
      storageAccountId: placed ? placed.storageAccountId : this.accountId,
    };
  }
  override async getStorageAccount(account: ResourceRef) {
    return {
      id: this.accountId,
      ref: account,
      keyExpirationDays: this.keyExpirationDays,
      allowSharedKeyAccess: this.allowSharedKeyAccess,
      keyCreationTime: this.keyCreationTime,
    };
  }
  override async listWorkspaces(subscriptionId = 'sub', resourceGroup?: string) {
    this.listed.push(resourceGroup ? `${subscriptionId}/${resourceGroup}` : subscriptionId);
    if (this.failListing.has(subscriptionId)) {
      throw Object.assign(new Error('listing denied'), { statusCode: 403 });
    }
    if (this.transientListing.has(subscriptionId)) {
      throw Object.assign(new Error('unavailable'), { statusCode: 503 });
    }
    const names = new Set([...this.workspaceKey.keys(), ...this.placed.keys()]);
    return [...names]
      .map((name) => this.toWorkspace(name))
      .filter((ws) => ws.ref.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
      .filter((ws) => !resourceGroup || ws.ref.resourceGroup === resourceGroup);
  }
  override async getWorkspace(ref: ResourceRef) {
    return this.toWorkspace(ref.name);
  }
  override async workspaceStorageKey(ref: ResourceRef) {
    if (this.denied.has(ref.name)) throw Object.assign(new Error('no'), { statusCode: 403 });
    return super.workspaceStorageKey(ref);
  }
  override async datastoreSecret(ref: ResourceRef, name: string) {
    if (this.denied.has(`${ref.name}/${name}`))
      throw Object.assign(new Error('no'), { statusCode: 403 });
    return super.datastoreSecret(ref, name);
  }
  override async *datastorePages(ref: ResourceRef) {
    if (this.failWorkspace.has(ref.name))
      throw Object.assign(new Error('gone'), { statusCode: 404 });
    yield* super.datastorePages(ref);
  }
}

const scope = (azure: MemoryAzure, workspaces: Inputs['workspaces']): Inputs => ({
  ...inputsFor(azure),
  workspaces,
});
const named = (...names: string[]): Inputs['workspaces'] => ({
  kind: 'list',
  workspaces: names.map((name) => ({ subscriptionId: 'sub', resourceGroup: 'rg', name })),
});

describe('discover', () => {
  it('the named workspaces first, then every other workspace that uses the account, by name', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'b', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addConnection('ws', 'conn', 'key1');
    azure.addDatastore('ws', 'far', 'key1', { accountName: 'otherstore' });
    azure.addWorkspace('zeta', 'key2');
    azure.addWorkspace('alpha', 'key1');
    azure.workspaceKey.set('alpha', 'an old key');
    azure.place(
      'beta',
      {},
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/other',
    );
    azure.addDatastore('beta', 'uses-it', 'key1');
    azure.place('gamma', {}, null);
    const inventory = await discover(azure, scope(azure, named('ws')));

    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope, w.usesAccountAsDefault, w.holds]),
      [
        ['ws', true, true, 'key1'],
        ['alpha', false, true, 'stale'],
        ['beta', false, false, undefined],
        ['zeta', false, true, 'key2'],
      ],
    );
    const ws = inventory.workspaces[0]!;
    assert.deepEqual(
      ws.consumers.map((c) => [c.kind, c.name, c.holds, c.inScope]),
      [
        ['connection', 'conn', 'key1', true],
        ['datastore', 'a', 'key1', true],
        ['datastore', 'b', 'key2', true],
      ],
    );
    assert.equal(ws.otherConsumers, 1);
    assert.equal(
      ws.id,
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
    );
    assert.deepEqual(
      inventory.workspaces[2]!.consumers.map((c) => [c.name, c.inScope]),
      [['uses-it', false]],
    );
    assert.deepEqual(inventory.uninspected, []);
    assert.deepEqual(azure.listed, ['sub']);
    assert.deepEqual(azure.log, [], 'discovery only reads');
  });

  it('the account: its id, key policy, shared key access, and key creation times', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    delete azure.keys.key1.createdOn;
    azure.keyCreationTime = { key1: new Date('2025-05-05'), key2: new Date('2020-01-01') };
    azure.keyExpirationDays = 90;
    azure.allowSharedKeyAccess = false;
    const started = Date.now();
    const inventory = await discover(azure, scope(azure, named('ws')));
    assert.deepEqual(inventory.account, {
      ref: azure.account,
      id: azure.accountId,
      keyExpirationDays: 90,
      allowSharedKeyAccess: false,
      sasPolicy: undefined,
    });
    assert.deepEqual(
      inventory.keys.map((k) => [k.name, k.value, k.createdOn?.toISOString()]),
      [
        ['key1', azure.keys.key1.value, '2025-05-05T00:00:00.000Z'],
        ['key2', azure.keys.key2.value, '2026-01-01T00:00:00.000Z'],
      ],
    );
    const observed = inventory.observedAt.getTime();
    assert.ok(observed >= started && observed <= Date.now(), 'observed during the discovery');
  });

  it('stops when the account does not return exactly two keys', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.listKeys = async () => [azure.keys.key1];
    await assert.rejects(
      discover(azure, scope(azure, named('ws'))),
      /Storage account 'store' returned 1 access keys instead of key1 and key2\./,
    );
  });

  it("names what it was reading when a read fails, keeping the service's error", async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    const cause = Object.assign(new Error('denied'), { statusCode: 403 });
    azure.listKeys = async () => {
      throw cause;
    };
    const error = await discover(azure, scope(azure, named('ws'))).catch((e: unknown) => e);
    assert.ok(error instanceof DiscoveryError);
    assert.equal(error.what, "Listing the keys of 'store'");
    assert.equal(error.message, "Listing the keys of 'store'");
    assert.equal(error.name, 'DiscoveryError');
    assert.equal(error.cause, cause);

    const reads: [string, (a: Subscriptions) => void][] = [
      ["Storage account 'store'", (a) => (a.getStorageAccount = async () => Promise.reject(cause))],
      [
        "Workspace 'ws' in resource group 'rg'",
        (a) => (a.getWorkspace = async () => Promise.reject(cause)),
      ],
      [
        "Reading the storage key of workspace 'ws'",
        (a) => (a.workspaceStorageKey = async () => Promise.reject(cause)),
      ],
      [
        "Listing the datastores of workspace 'ws'",
        (a) =>
          (a.datastorePages = async function* () {
            yield [];
            throw cause;
          }),
      ],
      [
        "Listing the connections of workspace 'ws'",
        (a) =>
          (a.connectionPages = async function* () {
            yield [];
            throw cause;
          }),
      ],
      [
        'Listing the workspaces in subscription sub',
        (a) => (a.listWorkspaces = async () => Promise.reject(cause)),
      ],
      [
        "Listing the workspaces in resource group 'rg-x'",
        (a) => (a.listWorkspaces = async () => Promise.reject(cause)),
      ],
    ];
    for (const [what, fail] of reads) {
      const broken = new Subscriptions();
      broken.addWorkspace('ws', 'key1');
      fail(broken);
      const workspaces: Inputs['workspaces'] = what.startsWith('Listing the workspaces in sub')
        ? { kind: 'all', subscriptionId: 'sub' }
        : what.startsWith('Listing the workspaces in resource')
          ? { kind: 'all', subscriptionId: 'sub', resourceGroup: 'rg-x' }
          : named('ws');
      const e = await discover(broken, scope(broken, workspaces)).catch((x: unknown) => x);
      assert.ok(e instanceof DiscoveryError, what);
      assert.equal(e.what, what);
      assert.equal(e.cause, cause);
    }
  });

  it("workspace: '*' manages every workspace of the subscription and observes none", async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.addWorkspace('ws2', 'key2');
    azure.place('far', { subscriptionId: SUB2 });
    const inventory = await discover(azure, scope(azure, { kind: 'all', subscriptionId: 'sub' }));
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope]),
      [
        ['ws', true],
        ['ws2', true],
      ],
    );
    assert.deepEqual(azure.listed, ['sub']);
    assert.deepEqual(inventory.uninspected, []);
  });

  it("workspace: '*' with a resource group manages that group and observes the rest", async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.place('b', { resourceGroup: 'rg-b' });
    azure.addWorkspace('b', 'key1');
    azure.place('c', { resourceGroup: 'rg-b' });
    azure.addWorkspace('c', 'key2');
    const inventory = await discover(
      azure,
      scope(azure, { kind: 'all', subscriptionId: 'sub', resourceGroup: 'rg-b' }),
    );
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope]),
      [
        ['b', true],
        ['c', true],
        ['ws', false],
      ],
    );
    assert.deepEqual(azure.listed.sort(), ['sub', 'sub/rg-b']);
  });

  it("looks for other workspaces in the account's subscription and in each named workspace's", async () => {
    const azure = new Subscriptions();
    azure.place('far', { subscriptionId: SUB2 });
    azure.addWorkspace('far', 'key1');
    azure.place('far-other', { subscriptionId: SUB2 });
    azure.addWorkspace('far-other', 'key2');
    azure.place('Far-Case', { subscriptionId: 'SUB-TWO' });
    azure.addWorkspace('Far-Case', 'key1');
    azure.addWorkspace('near', 'key1');
    const inputs = scope(azure, {
      kind: 'list',
      workspaces: [
        { subscriptionId: SUB2, resourceGroup: 'rg', name: 'far' },
        { subscriptionId: 'SUB-TWO', resourceGroup: 'rg', name: 'Far-Case' },
      ],
    });
    const inventory = await discover(azure, inputs);
    assert.deepEqual(azure.listed.sort(), ['sub', SUB2].sort(), 'each subscription once');
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope]),
      [
        ['far', true],
        ['Far-Case', true],
        ['far-other', false],
        ['near', false],
      ],
    );
  });

  it('names what it could not inspect instead of skipping it, sorted', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.addWorkspace('zz-broken', 'key1');
    azure.addWorkspace('aa-broken', 'key1');
    azure.addWorkspace('fine', 'key2');
    azure.failWorkspace.add('zz-broken');
    azure.failWorkspace.add('aa-broken');
    azure.place('far', { subscriptionId: SUB2 });
    azure.failListing.add(SUB2);
    const inventory = await discover(azure, {
      ...scope(azure, named('ws')),
      workspaces: {
        kind: 'list',
        workspaces: [
          { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' },
          { subscriptionId: SUB2, resourceGroup: 'rg', name: 'far' },
        ],
      },
    });
    assert.deepEqual(inventory.uninspected, [
      {
        name: 'the workspaces of subscription sub-two',
        reason: '403: listing denied',
        denied: true,
      },
    ]);
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.holds, w.unread]),
      [
        ['ws', 'key1', undefined],
        ['far', undefined, undefined],
        [
          'aa-broken',
          'key1',
          [{ name: "the datastores of workspace 'aa-broken'", reason: '404: gone' }],
        ],
        ['fine', 'key2', undefined],
        [
          'zz-broken',
          'key1',
          [{ name: "the datastores of workspace 'zz-broken'", reason: '404: gone' }],
        ],
      ],
    );
  });

  it('an outside secret or own key it cannot read is unknown, with why; the rest is read', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.addWorkspace('other', 'key2');
    azure.addDatastore('other', 'hidden', 'key1');
    azure.addDatastore('other', 'seen', 'key2');
    azure.denied.add('other');
    azure.denied.add('other/hidden');
    const inventory = await discover(azure, scope(azure, named('ws')));
    const other = inventory.workspaces.find((w) => w.ref.name === 'other')!;
    assert.equal(other.holds, 'unknown');
    assert.deepEqual(other.unread, [
      { name: "the own storage key of workspace 'other'", reason: '403: no' },
    ]);
    assert.deepEqual(
      other.consumers.map((c) => [c.name, c.holds, c.unread]),
      [
        ['hidden', 'unknown', '403: no'],
        ['seen', 'key2', undefined],
      ],
    );
  });

  it('a listing that fails but is not refused is not denied: it may hold either key', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.place('far', { subscriptionId: SUB2 });
    azure.transientListing.add(SUB2);
    const inventory = await discover(azure, {
      ...scope(azure, named('ws')),
      storageAccount: { subscriptionId: SUB2, resourceGroup: 'rg', name: 'store' },
    });
    assert.deepEqual(inventory.uninspected, [
      { name: 'the workspaces of subscription sub-two', reason: '503: unavailable' },
    ]);
  });

  it('the same reads of a managed workspace stop discovery', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.addDatastore('ws', 'hidden', 'key1');
    azure.denied.add('ws/hidden');
    await assert.rejects(discover(azure, scope(azure, named('ws'))), DiscoveryError);
    azure.denied.clear();
    azure.denied.add('ws');
    await assert.rejects(discover(azure, scope(azure, named('ws'))), DiscoveryError);
  });

  it('an unreadable workspace the run manages stops discovery', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('ws', 'key1');
    azure.failWorkspace.add('ws');
    await assert.rejects(discover(azure, scope(azure, named('ws'))), DiscoveryError);
  });
});

describe("discover: workspace '*' with a resource group in another subscription", () => {
  it("observes the other workspaces of that subscription too, not only the account's", async () => {
    const azure = new Subscriptions();
    azure.place('b', { subscriptionId: SUB2, resourceGroup: 'rg-b' });
    azure.addWorkspace('b', 'key1');
    azure.place('beside', { subscriptionId: SUB2, resourceGroup: 'rg' });
    azure.addWorkspace('beside', 'key2');
    const inventory = await discover(
      azure,
      scope(azure, { kind: 'all', subscriptionId: SUB2, resourceGroup: 'rg-b' }),
    );
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope, w.holds]),
      [
        ['b', true, 'key1'],
        ['beside', false, 'key2'],
      ],
    );
    assert.deepEqual(azure.listed.sort(), ['sub', SUB2, `${SUB2}/rg-b`].sort());
  });
});

describe("discover: workspace '*' without a resource group", () => {
  it("manages the workspaces of subscription-id and of the account's own subscription", async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('near', 'key1');
    azure.place('far', { subscriptionId: SUB2, resourceGroup: 'rg-b' });
    azure.addWorkspace('far', 'key2');
    const inventory = await discover(azure, {
      ...scope(azure, { kind: 'all', subscriptionId: 'sub' }),
      storageAccount: { subscriptionId: SUB2, resourceGroup: 'rg-b', name: 'store' },
    });
    assert.deepEqual(
      inventory.workspaces.map((w) => [w.ref.name, w.inScope, w.holds]),
      [
        ['near', true, 'key1'],
        ['far', true, 'key2'],
      ],
    );
    assert.deepEqual(azure.listed.sort(), ['sub', SUB2].sort());
  });

  it("names the account's subscription when its workspaces cannot be listed", async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('near', 'key1');
    azure.failListing.add(SUB2);
    const inventory = await discover(azure, {
      ...scope(azure, { kind: 'all', subscriptionId: 'sub' }),
      storageAccount: { subscriptionId: SUB2, resourceGroup: 'rg-b', name: 'store' },
    });
    assert.deepEqual(
      inventory.workspaces.map((w) => w.ref.name),
      ['near'],
    );
    assert.deepEqual(inventory.uninspected, [
      {
        name: 'the workspaces of subscription sub-two',
        reason: '403: listing denied',
        denied: true,
      },
    ]);
  });

  it('one subscription is listed once', async () => {
    const azure = new Subscriptions();
    azure.addWorkspace('near', 'key1');
    await discover(azure, scope(azure, { kind: 'all', subscriptionId: 'SUB' }));
    assert.deepEqual(azure.listed, ['SUB']);
  });
});
