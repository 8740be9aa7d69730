// Key Vault secrets that hold a storage key: which key a value holds (raw or in a connection
// string), the re-keyed value in the same form, the new version's tags and expiry, and the
// tutorial tags that disagree with the value.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { nextVersion, tagDisagreements, taggedFor } from '../src/consumers/key-vault/tags.js';
import {
  holdingOfValue,
  isForAccount,
  readSecretValue,
  rekeyedValue,
} from '../src/consumers/key-vault/value.js';
import type { KeyInfo } from '../src/discover/inventory.js';

const newKey = () => randomBytes(64).toString('base64');
const key1 = newKey();
const key2 = newKey();
const KEYS: KeyInfo[] = [
  { name: 'key1', value: key1 },
  { name: 'key2', value: key2 },
];
const ACCOUNT_ID =
  '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/store';
const connectionString = (key: string, account = 'store') =>
  `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`;

describe('readSecretValue: what a secret value holds', () => {
  it('a raw key is the key itself', () => {
    assert.deepEqual(readSecretValue(key2), { form: 'key', key: key2 });
    assert.equal(holdingOfValue(readSecretValue(key2)!, KEYS), 'key2');
  });

  it('a connection string holds the key in AccountKey, whose padding is kept', () => {
    const content = readSecretValue(connectionString(key1))!;
    assert.deepEqual(content, { form: 'connection-string', key: key1, accountName: 'store' });
    assert.equal(holdingOfValue(content, KEYS), 'key1');
  });

  it('field names are read case-insensitively and a trailing separator is allowed', () => {
    const content = readSecretValue(`accountname=Store;accountkey=${key2};`)!;
    assert.equal(content.key, key2);
    assert.equal(content.accountName, 'store');
  });

  it('a key of neither is stale', () => {
    assert.equal(holdingOfValue(readSecretValue(newKey())!, KEYS), 'stale');
    assert.equal(holdingOfValue(readSecretValue(connectionString(newKey()))!, KEYS), 'stale');
  });

  it('a password, a SAS connection string or a URL holds no key', () => {
    for (const value of [
      'hunter2',
      'BlobEndpoint=https://store.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig=abc',
      'https://store.blob.core.windows.net/container',
      '',
    ]) {
      assert.equal(readSecretValue(value), undefined, value);
    }
  });

  it('a raw key is taken as the account’s; a connection string only when it names the account', () => {
    assert.equal(isForAccount(readSecretValue(key1)!, 'store'), true);
    assert.equal(isForAccount(readSecretValue(connectionString(key1))!, 'STORE'), true);
    assert.equal(isForAccount(readSecretValue(connectionString(key1, 'other'))!, 'store'), false);
  });
});

describe('rekeyedValue: the new version in the same form', () => {
  it('a raw key becomes the new key', () => {
    const key = newKey();
    assert.equal(rekeyedValue(key1, readSecretValue(key1)!, key), key);
  });

  it('a connection string changes only its AccountKey', () => {
    const key = newKey();
    const old = ` DefaultEndpointsProtocol=https;AccountName=store;AccountKey=${key1};EndpointSuffix=core.windows.net;`;
    assert.equal(
      rekeyedValue(old, readSecretValue(old)!, key),
      ` DefaultEndpointsProtocol=https;AccountName=store;AccountKey=${key};EndpointSuffix=core.windows.net;`,
    );
  });

  it('the field name keeps its spelling', () => {
    const key = newKey();
    const old = `accountName=store;accountKey=${key1}`;
    assert.equal(
      rekeyedValue(old, readSecretValue(old)!, key),
      `accountName=store;accountKey=${key}`,
    );
  });
});

describe('tutorial tags', () => {
  const tags = { CredentialId: 'key2', ProviderAddress: ACCOUNT_ID, ValidityPeriodDays: '60' };

  it('ProviderAddress names the account, compared case-insensitively', () => {
    assert.equal(taggedFor(tags, ACCOUNT_ID), true);
    assert.equal(taggedFor({ provideraddress: ACCOUNT_ID.toUpperCase() }, ACCOUNT_ID), true);
    assert.equal(taggedFor({ ProviderAddress: `${ACCOUNT_ID}x` }, ACCOUNT_ID), false);
    assert.equal(taggedFor({ CredentialId: 'key1' }, ACCOUNT_ID), false);
    assert.equal(taggedFor(undefined, ACCOUNT_ID), false);
  });

  it('tags that agree with the value report nothing', () => {
    assert.deepEqual(tagDisagreements(tags, ACCOUNT_ID, 'key2'), []);
    assert.deepEqual(tagDisagreements(undefined, ACCOUNT_ID, 'key1'), []);
    assert.deepEqual(tagDisagreements({ Owner: 'team' }, ACCOUNT_ID, 'stale'), []);
  });

  it('a CredentialId other than the key the value holds is reported', () => {
    assert.deepEqual(tagDisagreements(tags, ACCOUNT_ID, 'key1'), [
      'its CredentialId tag says key2, but the value holds key1',
    ]);
    assert.deepEqual(tagDisagreements(tags, ACCOUNT_ID, 'stale'), [
      'its CredentialId tag says key2, but the value holds neither of the account’s keys',
    ]);
    assert.deepEqual(tagDisagreements({ CredentialId: 'primary' }, ACCOUNT_ID, 'key1'), [
      "its CredentialId tag 'primary' names neither key1 nor key2",
    ]);
  });

  it('a ProviderAddress of another resource is reported', () => {
    const other = ACCOUNT_ID.replace('store', 'elsewhere');
    assert.deepEqual(tagDisagreements({ ProviderAddress: other }, ACCOUNT_ID, 'key1'), [
      'its ProviderAddress tag names another resource than the storage account',
    ]);
  });
});

describe('nextVersion: the properties of the version a re-key writes', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it('CredentialId names the new key, other tags and the content type are kept', () => {
    const next = nextVersion(
      {
        contentType: 'text/plain',
        tags: { credentialid: 'key2', ProviderAddress: ACCOUNT_ID, Team: 'x' },
      },
      'key1',
      now,
    );
    assert.deepEqual(next, {
      contentType: 'text/plain',
      tags: { credentialid: 'key1', ProviderAddress: ACCOUNT_ID, Team: 'x' },
    });
  });

  it('no CredentialId tag is added to a secret without one', () => {
    assert.deepEqual(nextVersion({ tags: { Team: 'x' } }, 'key1', now), { tags: { Team: 'x' } });
    assert.deepEqual(nextVersion({}, 'key2', now), {});
  });

  it('the expiry is renewed from ValidityPeriodDays, counted from now', () => {
    const next = nextVersion(
      { tags: { ValidityPeriodDays: '60' }, expiresOn: new Date('2026-03-02T00:00:00Z') },
      'key1',
      now,
    );
    assert.deepEqual(next.expiresOn, new Date('2026-04-30T00:00:00Z'));
  });

  it('without a usable ValidityPeriodDays the old expiry is kept', () => {
    const expiresOn = new Date('2026-09-01T00:00:00Z');
    for (const days of ['0', '-3', 'ninety', '1.5']) {
      const next = nextVersion({ tags: { ValidityPeriodDays: days }, expiresOn }, 'key1', now);
      assert.deepEqual(next.expiresOn, expiresOn, days);
    }
    assert.equal(nextVersion({ tags: {} }, 'key1', now).expiresOn, undefined);
  });
});
