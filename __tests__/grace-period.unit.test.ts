// The grace period: a key a Key Vault secret moves off (in this run, or in a run less than the grace
// period ago) is held back from regeneration until the secret's apps can have read the new version;
// other consumers hold nothing back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumerId, type Consumer, type Inventory } from '../src/discover/inventory.js';
import { gracePeriod } from '../src/plan/grace-period.js';
import { plan } from '../src/plan/plan.js';
import { inventory as fakeInventory, NOW as FAKE_NOW } from './fakes/inventory.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const GRACE = 24 * HOUR;
const VAULT = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'kv' };
const WS = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' };

function consumer(kind: Consumer['kind'], name: string, extra: Partial<Consumer>): Consumer {
  return {
    kind,
    workspace: kind === 'key-vault-secret' ? VAULT : WS,
    name,
    inScope: true,
    auth: 'AccountKey',
    type: '',
    target: '',
    credentials: 'AccountKey',
    isDefault: false,
    ...extra,
  };
}

function inventory(consumers: Consumer[]): Inventory {
  return {
    account: { ref: WS, id: 'acct', allowSharedKeyAccess: true },
    keys: [],
    workspaces: [
      {
        ref: WS,
        id: 'ws',
        inScope: true,
        usesAccountAsDefault: false,
        consumers,
        otherConsumers: 0,
      },
    ],
    uninspected: [],
    observedAt: NOW,
  };
}

describe('gracePeriod', () => {
  it('a secret on a key to regenerate holds it back for the grace period from now', () => {
    const secret = consumer('key-vault-secret', 's', {
      holds: 'key2',
      versionCreatedOn: new Date(NOW.getTime() - 90 * 24 * HOUR),
    });
    const datastore = consumer('datastore', 'd', { holds: 'key2' });
    assert.deepEqual(gracePeriod(inventory([secret, datastore]), ['key2'], GRACE, NOW), [
      {
        key: 'key2',
        until: new Date(NOW.getTime() + GRACE),
        because: ["secret 's' (key vault 'kv') moves off key2 in this run"],
        holders: [consumerId(secret)],
      },
    ]);
  });

  it('a secret whose current version is younger than the grace period holds the other key back', () => {
    const created = new Date(NOW.getTime() - 5 * HOUR);
    const secret = consumer('key-vault-secret', 's', { holds: 'key1', versionCreatedOn: created });
    assert.deepEqual(gracePeriod(inventory([secret]), ['key2'], GRACE, NOW), [
      {
        key: 'key2',
        until: new Date(created.getTime() + GRACE),
        because: [
          `secret 's' (key vault 'kv') got its current version (on key1) at ${created.toISOString()}`,
        ],
        holders: [consumerId(secret)],
      },
    ]);
  });

  it('nothing is held back past the grace period, for a key not regenerated, or by other kinds', () => {
    const old = consumer('key-vault-secret', 'o', {
      holds: 'key1',
      versionCreatedOn: new Date(NOW.getTime() - GRACE),
    });
    const young = consumer('key-vault-secret', 'y', { holds: 'key1', versionCreatedOn: NOW });
    const unread = consumer('key-vault-secret', 'u', { holds: 'unknown', versionCreatedOn: NOW });
    const connection = consumer('connection', 'c', { holds: 'key2' });
    assert.deepEqual(gracePeriod(inventory([old, unread, connection]), ['key2'], GRACE, NOW), []);
    assert.deepEqual(gracePeriod(inventory([young]), ['key1'], GRACE, NOW).length, 1);
    assert.deepEqual(gracePeriod(inventory([young]), [], GRACE, NOW), []);
    assert.deepEqual(gracePeriod(inventory([young]), ['key2'], 0, NOW), []);
  });
});

describe('plan: the grace period holds back the key a Key Vault secret moves off', () => {
  /** ws holds key1 with a datastore on key1; a vault's secret holds key2, the older key. */
  const withVault = () => {
    const inv = fakeInventory({
      ages: { key1: 100, key2: 200 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: [{ name: 'ds', holds: 'key1' }] }],
    });
    const secret = consumer('key-vault-secret', 'conn', {
      holds: 'key2',
      versionCreatedOn: new Date(FAKE_NOW.getTime() - 90 * 24 * HOUR),
    });
    inv.workspaces.push({
      kind: 'key-vault',
      ref: VAULT,
      id: 'kv',
      inScope: true,
      usesAccountAsDefault: false,
      consumers: [secret],
      otherConsumers: 0,
    });
    return inv;
  };
  const policy = (graceMs: number) => ({ keyName: 'auto' as const, now: FAKE_NOW, graceMs });

  it('moves the secret onto key1, regenerates nothing, and says from when key2 may go', () => {
    const p = plan(withVault(), policy(GRACE));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(
      p.steps.map((s) => (s.kind === 'move' ? `move to ${s.to}` : s.kind)),
      ['move to key1'],
    );
    assert.equal(p.activeKey, 'key1');
    assert.deepEqual(
      p.held.map((d) => [d.key, d.until]),
      [['key2', new Date(FAKE_NOW.getTime() + GRACE)]],
    );
    assert.match(p.decision, /key2 is held back/);
  });

  it('without a grace period, the same plan regenerates key2 in the run', () => {
    const p = plan(withVault(), policy(0));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.deepEqual(p.held, []);
  });
});

describe('gracePeriod: which key, and which secrets count', () => {
  it('a young secret version on key2 holds key1 back', () => {
    const created = new Date(NOW.getTime() - 5 * HOUR);
    const secret = consumer('key-vault-secret', 's', { holds: 'key2', versionCreatedOn: created });
    assert.deepEqual(
      gracePeriod(inventory([secret]), ['key1'], GRACE, NOW).map((d) => [d.key, d.until]),
      [['key1', new Date(created.getTime() + GRACE)]],
    );
  });

  it('a secret whose key is unknown holds neither key back, however young its version', () => {
    const unread = consumer('key-vault-secret', 'u', { holds: 'unknown', versionCreatedOn: NOW });
    assert.deepEqual(gracePeriod(inventory([unread]), ['key1', 'key2'], GRACE, NOW), []);
  });

  it('a secret on the other key with no version time holds nothing back', () => {
    const secret = consumer('key-vault-secret', 's', { holds: 'key1' });
    assert.deepEqual(gracePeriod(inventory([secret]), ['key2'], GRACE, NOW), []);
  });

  it('without a grace period nothing is held back, even by a version the vault dates after now', () => {
    // The vault's clock may run ahead of the runner's.
    const ahead = new Date(NOW.getTime() + HOUR);
    const secret = consumer('key-vault-secret', 's', { holds: 'key1', versionCreatedOn: ahead });
    assert.deepEqual(gracePeriod(inventory([secret]), ['key2'], 0, NOW), []);
    assert.equal(gracePeriod(inventory([secret]), ['key2'], GRACE, NOW).length, 1);
  });
});
