// The grace period: a key that a Key Vault secret moves off (now, or in a run less than the grace
// period ago) is held back from regeneration until the secret's apps have had time to read the new
// version; other consumers hold nothing back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drains } from '../src/drain.js';
import type { Consumer, Inventory } from '../src/inventory.js';

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

describe('drains', () => {
  it('a secret moved off key2 in this run holds key2 back for the grace period from now', () => {
    const secret = consumer('key-vault-secret', 's', {
      holds: 'key2',
      versionCreatedOn: new Date(NOW.getTime() - 90 * 24 * HOUR),
    });
    const datastore = consumer('datastore', 'd', { holds: 'key2' });
    const result = drains(
      inventory([secret, datastore]),
      [{ consumers: [secret, datastore], to: 'key1' }],
      GRACE,
      NOW,
    );
    assert.deepEqual(result, [
      {
        key: 'key2',
        until: new Date(NOW.getTime() + GRACE),
        because: ["secret 's' (key vault 'kv') moves off key2 in this run"],
      },
    ]);
  });

  it('a secret whose current version is younger than the grace period holds the other key back', () => {
    const created = new Date(NOW.getTime() - 5 * HOUR);
    const secret = consumer('key-vault-secret', 's', { holds: 'key1', versionCreatedOn: created });
    assert.deepEqual(drains(inventory([secret]), [], GRACE, NOW), [
      {
        key: 'key2',
        until: new Date(created.getTime() + GRACE),
        because: [
          `secret 's' (key vault 'kv') got its current version (on key1) at ${created.toISOString()}`,
        ],
      },
    ]);
  });

  it('nothing is held back once the grace period has passed, nor by other kinds of consumer', () => {
    const old = consumer('key-vault-secret', 's', {
      holds: 'key1',
      versionCreatedOn: new Date(NOW.getTime() - GRACE),
    });
    const unread = consumer('key-vault-secret', 'u', { holds: 'unknown', versionCreatedOn: NOW });
    const connection = consumer('connection', 'c', { holds: 'key2' });
    assert.deepEqual(
      drains(
        inventory([old, unread, connection]),
        [{ consumers: [connection], to: 'key1' }],
        GRACE,
        NOW,
      ),
      [],
    );
  });

  it('several reasons for one key keep the latest time', () => {
    const a = consumer('key-vault-secret', 'a', {
      holds: 'key1',
      versionCreatedOn: new Date(NOW.getTime() - 20 * HOUR),
    });
    const b = consumer('key-vault-secret', 'b', {
      holds: 'key1',
      versionCreatedOn: new Date(NOW.getTime() - 2 * HOUR),
    });
    const [drain] = drains(inventory([a, b]), [], GRACE, NOW);
    assert.equal(drain!.key, 'key2');
    assert.deepEqual(drain!.until, new Date(NOW.getTime() + 22 * HOUR));
    assert.equal(drain!.because.length, 2);
  });
});
