// Key ages and the age limit, and the inventory's small helpers: plain data, no I/O.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allConsumers,
  consumerId,
  dependsOn,
  describeConsumer,
  holdingOf,
  refOf,
  usesAccountKey,
  workspaceHolding,
  type KeyInfo,
} from '../src/discover/inventory.js';
import {
  ageDays,
  ageLimit,
  describeAge,
  describeLimit,
  dueKeys,
  oldestFirst,
} from '../src/plan/key-age.js';
import { inventory, NOW } from './fakes/inventory.js';

const DAY = 86_400_000;
const key = (name: 'key1' | 'key2', days?: number): KeyInfo => ({
  name,
  value: `v-${name}`,
  createdOn: days === undefined ? undefined : new Date(NOW.getTime() - days * DAY),
});

describe('key age', () => {
  it('ageDays: days since creation, in fractions; unknown is infinitely old', () => {
    assert.equal(ageDays(key('key1', 10), NOW), 10);
    assert.equal(ageDays(key('key1', 0.5), NOW), 0.5);
    assert.equal(ageDays(key('key1'), NOW), Infinity);
  });

  it('ageLimit: the stricter of max-key-age-days and the key expiration policy', () => {
    const withPolicy = (days?: number) => inventory({ keyExpirationDays: days, workspaces: [] });
    assert.equal(ageLimit(withPolicy(), undefined), undefined);
    assert.deepEqual(ageLimit(withPolicy(), 30), { days: 30, source: 'max-key-age-days' });
    assert.deepEqual(ageLimit(withPolicy(90), undefined), { days: 90, source: 'key policy' });
    assert.deepEqual(ageLimit(withPolicy(90), 120), { days: 90, source: 'key policy' });
    assert.deepEqual(ageLimit(withPolicy(90), 30), { days: 30, source: 'max-key-age-days' });
    assert.deepEqual(ageLimit(withPolicy(90), 90), { days: 90, source: 'max-key-age-days' });
  });

  it('dueKeys: older than the limit (not equal), unknown ages first, then the oldest', () => {
    const limit = { days: 30, source: 'max-key-age-days' as const };
    assert.deepEqual(dueKeys([key('key1', 31), key('key2', 400)], limit, NOW), ['key2', 'key1']);
    assert.deepEqual(dueKeys([key('key1', 30), key('key2', 29)], limit, NOW), []);
    assert.deepEqual(dueKeys([key('key1', 400), key('key2')], limit, NOW), ['key2', 'key1']);
    assert.deepEqual(dueKeys([key('key1', 30.01), key('key2', 1)], limit, NOW), ['key1']);
  });

  it('oldestFirst keeps the order of two keys of unknown age, and does not sort in place', () => {
    const keys = [key('key1'), key('key2')];
    assert.deepEqual(
      oldestFirst(keys, NOW).map((k) => k.name),
      ['key1', 'key2'],
    );
    const known = [key('key1', 5), key('key2', 50)];
    assert.deepEqual(
      oldestFirst(known, NOW).map((k) => k.name),
      ['key2', 'key1'],
    );
    assert.deepEqual(
      known.map((k) => k.name),
      ['key1', 'key2'],
    );
  });

  it('describes ages in whole days, and where the limit comes from', () => {
    assert.equal(describeAge(key('key1', 10.9), NOW), 'key1 is 10 days old');
    assert.equal(describeAge(key('key2'), NOW), "key2's age is unknown");
    assert.equal(
      describeLimit({ days: 90, source: 'key policy' }),
      "the account's 90-day key expiration policy",
    );
    assert.equal(describeLimit({ days: 30, source: 'max-key-age-days' }), 'max-key-age-days: 30');
  });
});

describe('inventory helpers', () => {
  const keys = [key('key1', 1), key('key2', 2)];

  it('holdingOf: the key a value matches, or stale', () => {
    assert.equal(holdingOf('v-key2', keys), 'key2');
    assert.equal(holdingOf('v-key1', keys), 'key1');
    assert.equal(holdingOf('other', keys), 'stale');
    assert.equal(holdingOf(undefined, keys), 'stale');
  });

  it('workspaceHolding: no userStorageKey holds no key', () => {
    assert.equal(workspaceHolding(undefined, keys), undefined);
    assert.equal(workspaceHolding('', keys), undefined);
    assert.equal(workspaceHolding('v-key1', keys), 'key1');
    assert.equal(workspaceHolding('old', keys), 'stale');
  });

  it('dependsOn: the key an account key copy or a live SAS token depends on, else none', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          datastores: [
            { name: 'on1', holds: 'key1' },
            { name: 'on2', holds: 'key2' },
            { name: 'stale', holds: 'stale' },
            { name: 'sas', credentials: 'Sas', sas: { signedBy: 'key2' } },
            { name: 'expired', credentials: 'Sas', sas: { signedBy: 'key1', expiresInDays: -1 } },
            { name: 'identity', credentials: 'None', holds: 'key1' },
          ],
        },
      ],
    });
    assert.deepEqual(allConsumers(inv).map(dependsOn), [
      'key1',
      'key2',
      undefined,
      'key2',
      undefined,
      undefined,
    ]);
  });

  it('names and identifies consumers', () => {
    const inv = inventory({
      workspaces: [
        { name: 'WS', datastores: [{ name: 'a' }, { name: 'sas', credentials: 'Sas' }] },
        { name: 'other', inScope: false, connections: [{ name: 'c' }] },
      ],
    });
    const all = allConsumers(inv);
    assert.deepEqual(all.map(consumerId), [
      'datastore:sub/rg/ws/a',
      'datastore:sub/rg/ws/sas',
      'connection:sub/rg/other/c',
    ]);
    assert.deepEqual(all.map(usesAccountKey), [true, false, true]);
    assert.deepEqual(refOf(all[0]!), {
      kind: 'datastore',
      workspace: { subscriptionId: 'sub', resourceGroup: 'rg', name: 'WS' },
      name: 'a',
    });
    assert.equal(describeConsumer(all[2]!), "connection 'c' (workspace 'other')");
  });
});
