// Key Vault secrets at the edges: what discovery records of each secret (how the plan and report
// treat it, its version's age for the grace period), values and tags as people write them (spaces,
// a trailing newline), and re-keys that find the secret changed or not known.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { adapterFor } from '../src/consumers/index.js';
import { discoverVault } from '../src/consumers/key-vault/index.js';
import { nextVersion, tagDisagreements, taggedFor } from '../src/consumers/key-vault/tags.js';
import { readSecretValue } from '../src/consumers/key-vault/value.js';
import type { KeyInfo } from '../src/discover/inventory.js';
import { Limiter } from '../src/util/concurrency.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const newKey = () => randomBytes(64).toString('base64');
const ACCOUNT_ID =
  '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/store';

function world() {
  const azure = new MemoryAzure();
  const vaults = azure.keyVaults;
  const vault = vaults.addVault('kv-apps');
  const keys: KeyInfo[] = [azure.keys.key1, azure.keys.key2];
  const account = { name: 'store', id: azure.accountId };
  const discover = (named: string[], tagged = false) =>
    discoverVault(azure, { vault, tagged, named }, account, Promise.resolve(keys), new Limiter(2));
  const rekey = (
    consumer: Parameters<ReturnType<typeof adapterFor>['rekey']>[1]['consumer'],
    to?: 'key1' | 'key2',
  ) =>
    adapterFor('key-vault-secret').rekey(
      azure,
      { consumer, resyncedSinceListing: false, ...(to ? { to } : {}) },
      azure.keys.key2.value,
    );
  return { azure, vaults, vault, discover, rekey };
}

describe('Key Vault secrets: what discovery records', () => {
  it('a secret holding a key is an account-key consumer the plan moves, with its version’s creation time', async () => {
    const { azure, vaults, vault, discover } = world();
    const createdOn = new Date('2026-11-20T08:00:00Z');
    vaults.addSecret(vault, 'raw', azure.keys.key1.value, { createdOn });
    const [secret] = (await discover(['raw'])).consumers;
    assert.deepEqual(
      [secret?.auth, secret?.credentials, secret?.isDefault, secret?.versionCreatedOn],
      ['AccountKey', 'AccountKey', false, createdOn],
    );
  });

  it('a secret it cannot read is shown as a secret of unknown credentials', async () => {
    const { azure, vaults, vault, discover } = world();
    vaults.addSecret(vault, 'locked', azure.keys.key1.value);
    vaults.forbidden.add('kv-apps/locked');
    const [secret] = (await discover(['locked'])).consumers;
    assert.deepEqual(
      [secret?.holds, secret?.type, secret?.credentials],
      ['unknown', 'secret', 'unknown'],
    );
  });

  it('finds a secret whose ProviderAddress tag has spaces around the account ID', async () => {
    const { azure, vaults, vault, discover } = world();
    vaults.addSecret(vault, 'tagged', azure.keys.key2.value, {
      tags: { ProviderAddress: ` ${azure.accountId} `, CredentialId: ' key2 ' },
    });
    const found = await discover([], true);
    assert.deepEqual(
      found.consumers.map((c) => [c.name, c.holds, c.remarks]),
      [['tagged', 'key2', undefined]],
    );
  });
});

describe('Key Vault tags as people write them', () => {
  it('spaces around a tag value do not change what it names', () => {
    assert.equal(taggedFor({ ProviderAddress: `  ${ACCOUNT_ID}\n` }, ACCOUNT_ID), true);
    assert.deepEqual(
      tagDisagreements(
        { CredentialId: ' Key1 ', ProviderAddress: ` ${ACCOUNT_ID} ` },
        ACCOUNT_ID,
        'key1',
      ),
      [],
    );
    const now = new Date('2026-11-23T12:00:00Z');
    assert.deepEqual(
      nextVersion({ tags: { ValidityPeriodDays: ' 30 ' } }, 'key1', now).expiresOn,
      new Date(now.getTime() + 30 * 86_400_000),
    );
  });

  it('a CredentialId of key1 on a value of key1 agrees; on key2 it is named', () => {
    assert.deepEqual(tagDisagreements({ CredentialId: 'key1' }, ACCOUNT_ID, 'key1'), []);
    assert.deepEqual(tagDisagreements({ CredentialId: 'key1' }, ACCOUNT_ID, 'key2'), [
      'its CredentialId tag says key1, but the value holds key2',
    ]);
  });
});

describe('Key Vault values as people write them', () => {
  it('a raw key with a trailing newline is the key, without it', () => {
    const key = newKey();
    assert.deepEqual(readSecretValue(`${key}\n`), { form: 'key', key });
  });

  it('base64-like text followed by more is no key', () => {
    assert.equal(readSecretValue(`${'A'.repeat(50)}!`), undefined);
    assert.equal(readSecretValue(`${newKey()} (old)`), undefined);
  });

  it('a connection string’s fields are read without the spaces around them', () => {
    const key = newKey();
    assert.deepEqual(readSecretValue(`AccountName = Store ;AccountKey= ${key} ; `), {
      form: 'connection-string',
      key,
      accountName: 'store',
    });
  });

  it('a connection string that names no account holds its key, for no account in particular', () => {
    const key = newKey();
    assert.deepEqual(readSecretValue(`AccountKey=${key}`), { form: 'connection-string', key });
  });

  it('free text before the fields is no connection string', () => {
    assert.equal(
      readSecretValue(`Note: 1st=x;AccountName=store;AccountKey=${newKey()}`),
      undefined,
    );
  });
});

describe('Key Vault secrets: re-keys that cannot be done', () => {
  it('a secret whose vault the run does not know: said, nothing written', async () => {
    const { vaults, vault, rekey } = world();
    const consumer = { kind: 'key-vault-secret' as const, workspace: vault.ref, name: 'raw' };
    assert.equal(await rekey(consumer, 'key2'), 'the vault of the secret is not known to this run');
    assert.deepEqual(vaults.calls, []);
  });

  it('a secret that no longer holds a key: left as it is, said', async () => {
    const { azure, vaults, vault, discover, rekey } = world();
    vaults.addSecret(vault, 'raw', azure.keys.key1.value);
    const [secret] = (await discover(['raw'])).consumers;
    vaults.addSecret(vault, 'raw', 'hunter2');
    assert.equal(
      await rekey(secret!, 'key2'),
      'its current version no longer holds a storage key; left as it is',
    );
    assert.deepEqual(vaults.valuesOf(vault, 'raw'), [azure.keys.key1.value, 'hunter2']);
  });

  it('a move whose key is not known: said, nothing read or written', async () => {
    const { azure, vaults, vault, discover, rekey } = world();
    vaults.addSecret(vault, 'raw', azure.keys.key1.value);
    const [secret] = (await discover(['raw'])).consumers;
    vaults.calls = [];
    assert.equal(await rekey(secret!), 'the key it is moved to is not known');
    assert.deepEqual(vaults.calls, []);
  });
});
