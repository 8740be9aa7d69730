// Key Vault secrets as consumers, against the in-memory port: which secrets discovery finds (tagged
// for the account, or named), the key each holds, what it cannot read, and a re-key that writes a
// new version in the same form and is a success only when reading it back returns the new key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Limiter } from '../src/util/concurrency.js';
import { adapterFor } from '../src/consumers/index.js';
import { discoverVault, resolveVaults } from '../src/consumers/key-vault/index.js';
import type { KeyInfo } from '../src/discover/inventory.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const newKey = () => randomBytes(64).toString('base64');
const connectionString = (key: string, account = 'store') =>
  `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`;

function world() {
  const azure = new MemoryAzure();
  const vaults = azure.keyVaults;
  const vault = vaults.addVault('kv-apps');
  const keys: KeyInfo[] = [azure.keys.key1, azure.keys.key2];
  const account = { name: 'store', id: azure.accountId };
  const tags = (credential: string) => ({
    CredentialId: credential,
    ProviderAddress: azure.accountId,
  });
  vaults.addSecret(vault, 'tagged', azure.keys.key2.value, {
    tags: { ...tags('key2'), ValidityPeriodDays: '30' },
    contentType: 'text/plain',
  });
  vaults.addSecret(vault, 'named', connectionString(azure.keys.key1.value));
  vaults.addSecret(vault, 'other-account', newKey(), {
    tags: { CredentialId: 'key1', ProviderAddress: azure.accountId.replace('/store', '/other') },
  });
  vaults.addSecret(vault, 'password', 'hunter2');
  vaults.addSecret(vault, 'mislabelled', azure.keys.key1.value, { tags: tags('key2') });
  const discover = (named: string[] = ['named'], tagged = true) =>
    discoverVault(azure, { vault, tagged, named }, account, Promise.resolve(keys), new Limiter(4));
  return { azure, vaults, vault, discover };
}

describe('Key Vault secrets: discovery', () => {
  it('finds the tagged secrets and the named ones, each with the key its value holds', async () => {
    const { discover } = world();
    const found = await discover();
    assert.deepEqual(
      found.consumers.map((c) => [c.name, c.kind, c.type, c.holds, c.remarks]),
      [
        [
          'mislabelled',
          'key-vault-secret',
          'raw key',
          'key1',
          ['its CredentialId tag says key2, but the value holds key1'],
        ],
        ['named', 'key-vault-secret', 'connection string', 'key1', undefined],
        ['tagged', 'key-vault-secret', 'raw key', 'key2', undefined],
      ],
    );
    assert.equal(found.others, 0);
    assert.deepEqual(found.unread, []);
  });

  it('reads no value of a secret that is neither tagged for the account nor named', async () => {
    const { azure, discover } = world();
    await discover();
    const reads = azure.keyVaults.calls.filter((c) => c.startsWith('getSecret'));
    assert.deepEqual(reads.sort(), [
      'getSecret mislabelled',
      'getSecret named',
      'getSecret tagged',
    ]);
  });

  it('a named secret holding a connection string of another account is no consumer', async () => {
    const { vaults, vault, discover } = world();
    vaults.addSecret(vault, 'elsewhere', connectionString(newKey(), 'otherstore'));
    const found = await discover(['elsewhere'], false);
    assert.deepEqual(found.consumers, []);
    assert.equal(found.others, 1);
  });

  it('a secret it cannot read may hold either key; a vault it cannot list is named as unread', async () => {
    const { vaults, discover } = world();
    vaults.forbidden.add('kv-apps/named');
    const found = await discover();
    const named = found.consumers.find((c) => c.name === 'named')!;
    assert.equal(named.holds, 'unknown');
    assert.equal(named.auth, 'Other', 'never moved: it may hold no key at all');
    assert.match(named.unread ?? '', /^403 Forbidden/);

    vaults.forbidden.add('kv-apps');
    const none = await discover();
    assert.deepEqual(
      none.unread.map((u) => u.name),
      ["the secrets of key vault 'kv-apps'"],
    );
    assert.deepEqual(
      none.consumers.map((c) => [c.name, c.holds]),
      [['named', 'unknown']],
    );
  });

  it('resolves a vault by name in the subscription, and says so when there is none', async () => {
    const { azure, vault } = world();
    const limit = new Limiter(2);
    assert.deepEqual(await resolveVaults(azure, [{ name: 'KV-APPS' }], 'sub', limit), [vault]);
    assert.deepEqual(await resolveVaults(azure, [{ ref: vault.ref }], 'sub', limit), [vault]);
    await assert.rejects(
      resolveVaults(azure, [{ name: 'kv-missing' }], 'sub', limit),
      /Key Vault 'kv-missing' was not found in subscription sub: give its resource ID/,
    );
  });
});

describe('Key Vault secrets: re-key', () => {
  const rekey = async (w: ReturnType<typeof world>, name: string, to: 'key1' | 'key2') => {
    const found = await w.discover();
    const consumer = found.consumers.find((c) => c.name === name)!;
    const key = w.azure.keys[to].value;
    return adapterFor('key-vault-secret').rekey(
      w.azure,
      { consumer, resyncedSinceListing: false, to },
      key,
    );
  };

  it('writes a new version of a raw key: tags with CredentialId updated, content type, expiry', async () => {
    const w = world();
    const before = Date.now();
    const written = await rekey(w, 'tagged', 'key1');
    const versions = w.vaults.versions.get(`${w.vault.uri}|tagged`)!;
    assert.equal(versions.length, 2);
    assert.deepEqual(
      written,
      { version: versions[1]!.properties.version, createdOn: versions[1]!.properties.createdOn },
      'the version it wrote, for the report',
    );
    assert.equal(versions[0]!.value, w.azure.keys.key2.value, 'the old version is untouched');
    assert.equal(versions[0]!.properties.enabled, true);
    const [, latest] = versions;
    assert.equal(latest!.value, w.azure.keys.key1.value);
    assert.equal(latest!.properties.tags?.CredentialId, 'key1');
    assert.equal(latest!.properties.tags?.ValidityPeriodDays, '30');
    assert.equal(latest!.properties.contentType, 'text/plain');
    const expiry = latest!.properties.expiresOn!.getTime() - before;
    assert.ok(expiry >= 30 * 86_400_000 && expiry < 31 * 86_400_000, String(expiry));
  });

  it('keeps a connection string whole, its AccountKey replaced', async () => {
    const w = world();
    assert.equal(typeof (await rekey(w, 'named', 'key2')), 'object', 'a version was written');
    assert.deepEqual(w.vaults.valuesOf(w.vault, 'named'), [
      connectionString(w.azure.keys.key1.value),
      connectionString(w.azure.keys.key2.value),
    ]);
  });

  it('writes nothing to a secret already on the key', async () => {
    const w = world();
    assert.equal(await rekey(w, 'tagged', 'key2'), undefined);
    assert.equal(w.vaults.valuesOf(w.vault, 'tagged').length, 1);
  });

  it('fails when the new version does not read back as written', async () => {
    const w = world();
    const getSecret = w.azure.getSecret;
    w.azure.getSecret = async (uri, name, version) => {
      const secret = await getSecret(uri, name, version);
      return version ? { ...secret, value: newKey() } : secret;
    };
    assert.equal(
      await rekey(w, 'named', 'key2'),
      'the vault accepted the new version but reading it back does not return the new key',
    );
  });

  it('a write the vault refuses is the error, sanitised', async () => {
    const w = world();
    w.azure.setSecret = async () => {
      throw Object.assign(new Error(`denied; AccountKey=${w.azure.keys.key2.value}`), {
        statusCode: 403,
        code: 'Forbidden',
      });
    };
    const error = await rekey(w, 'named', 'key2');
    assert.ok(typeof error === 'string', 'a failure is its reason');
    assert.match(error, /^403 Forbidden: denied/);
    assert.ok(!error.includes(w.azure.keys.key2.value));
  });
});
