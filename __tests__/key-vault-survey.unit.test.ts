// The inventory's reading of Key Vaults, against the in-memory port: which account's key each secret
// holds, told from as little as tells it, what it cannot read or tell, and each matrix entry's
// key-vaults value.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { surveyVaults, type VaultSurveyRequest } from '../src/consumers/key-vault/survey.js';
import { keyVaultsInput, withSecrets } from '../src/inventory-mode/key-vault-findings.js';
import { Limiter } from '../src/util/concurrency.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const newKey = () => randomBytes(64).toString('base64');
const accountId = (name: string) =>
  `/subscriptions/sub/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/${name}`;
const connectionString = (account: string) =>
  `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${newKey()};EndpointSuffix=core.windows.net`;
const tagged = (account: string, credential = 'key1') => ({
  tags: { CredentialId: credential, ProviderAddress: accountId(account) },
});

function world() {
  const azure = new MemoryAzure();
  const vaults = azure.keyVaults;
  const vault = vaults.addVault('kv-apps');
  vaults.addSecret(vault, 'alpha-key', newKey(), tagged('alphastore', 'key2'));
  vaults.addSecret(vault, 'cert', newKey(), { ...tagged('alphastore'), managed: true });
  vaults.addSecret(vault, 'untagged', newKey());
  vaults.addSecret(vault, 'beta-conn', connectionString('betastore'), tagged('alphastore'));
  vaults.addSecret(vault, 'raw', newKey());
  vaults.addSecret(vault, 'tagged-raw', newKey(), tagged('gammastore'));
  vaults.addSecret(vault, 'locked-tagged', newKey(), tagged('deltastore'));
  vaults.addSecret(vault, 'locked', newKey());
  vaults.forbidden.add('kv-apps/locked-tagged');
  vaults.forbidden.add('kv-apps/locked');
  const survey = (requests: VaultSurveyRequest[]) =>
    surveyVaults(azure, requests, 'sub', new Limiter(4));
  return { azure, vault, survey };
}

const named = (...secrets: string[]): VaultSurveyRequest => ({
  vault: { name: 'kv-apps' },
  tagged: false,
  secrets,
});

describe('surveyVaults', () => {
  it('a tagged secret by its properties alone: ProviderAddress names the account', async () => {
    const { azure, vault, survey } = world();
    const found = await survey([{ vault: { name: 'kv-apps' }, tagged: true, secrets: [] }]);
    assert.deepEqual(
      found.secrets.map((s) => [s.name, s.account, s.found, s.credentialId, s.form]),
      [
        ['alpha-key', 'alphastore', 'tagged', 'key2', undefined],
        ['beta-conn', 'alphastore', 'tagged', 'key1', undefined],
        ['locked-tagged', 'deltastore', 'tagged', 'key1', undefined],
        ['tagged-raw', 'gammastore', 'tagged', 'key1', undefined],
      ],
      'a managed secret (a certificate’s) and an untagged one are not taken',
    );
    assert.deepEqual(found.secrets[0]!.accountRef, {
      subscriptionId: 'sub',
      resourceGroup: 'rg-data',
      name: 'alphastore',
    });
    assert.equal(found.secrets[0]!.vaultId, vault.id);
    assert.deepEqual(
      azure.keyVaults.calls.filter((c) => c.startsWith('getSecret')),
      [],
      'no value is read',
    );
  });

  it('a named secret by its value: the AccountName of a connection string, else the tag', async () => {
    const { survey } = world();
    const found = await survey([named('beta-conn', 'tagged-raw', 'raw', 'locked-tagged')]);
    assert.deepEqual(
      found.secrets.map((s) => [s.name, s.account, s.found, s.form, s.accountRef?.name]),
      [
        // The value names betastore; the tag naming alphastore does not decide.
        ['beta-conn', 'betastore', 'named', 'connection string', undefined],
        // A raw key names no account: its tag does.
        ['tagged-raw', 'gammastore', 'named', 'raw key', 'gammastore'],
      ],
    );
    assert.deepEqual(
      found.unassigned.map((u) => [u.secret.name, u.secret.form, u.reason.split(',')[0]]),
      [['raw', 'raw key', 'a raw key names no account and it has no ProviderAddress tag']],
    );
    assert.deepEqual(
      found.gaps.map((g) => [g.name, g.effect.split(',')[0]]),
      [["secret 'locked-tagged' of key vault 'kv-apps'", 'it goes to no rotation job']],
      'without the vault’s listing, the tags of a secret it cannot read are unknown',
    );
    assert.deepEqual(found.everyJob, []);
  });

  it('with the vault listed too, a named secret it cannot read goes by its tag', async () => {
    const { survey } = world();
    const found = await survey([
      { vault: { name: 'kv-apps' }, tagged: true, secrets: ['locked-tagged', 'locked'] },
    ]);
    const lockedTagged = found.secrets.find((s) => s.name === 'locked-tagged')!;
    assert.deepEqual(
      [lockedTagged.found, lockedTagged.account],
      ['named', 'deltastore'],
      'named, so its job gets it by name',
    );
    assert.deepEqual(
      found.gaps.map((g) => g.name),
      ["secret 'locked' of key vault 'kv-apps'"],
    );
  });

  it('a vault it cannot find or list: named, and given to every job when its tagged secrets were asked for', async () => {
    const { azure, survey } = world();
    const other = azure.keyVaults.addVault('kv-ops');
    azure.keyVaults.forbidden.add('kv-ops');
    const gone = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'kv-gone' };
    const found = await survey([
      { vault: { name: 'kv-typo' }, tagged: true, secrets: ['a'] },
      { vault: { ref: gone }, tagged: true, secrets: [] },
      { vault: { name: 'kv-ops' }, tagged: true, secrets: [] },
      { vault: { name: 'kv-missing' }, tagged: false, secrets: ['b'] },
    ]);
    assert.deepEqual(
      found.gaps.map((g) => [g.name, g.reason.split(':')[0], g.effect.startsWith('every')]),
      [
        ["key vault 'kv-gone'", '404', true],
        ["key vault 'kv-missing'", 'not found in subscription sub', false],
        ["key vault 'kv-typo'", 'not found in subscription sub', true],
        ["the secrets of key vault 'kv-ops'", '403 Forbidden', true],
      ],
    );
    assert.match(found.gaps[1]!.effect, /^the secrets named in it \(b\) go to no rotation job$/);
    assert.deepEqual(found.everyJob, [
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-gone',
      other.id,
      'kv-typo',
    ]);
  });
});

describe('the matrix entries’ key-vaults', () => {
  it('each account gets its vaults of tagged secrets and its named secrets, by resource ID', async () => {
    const { vault, survey } = world();
    const found = await survey([
      { vault: { name: 'kv-apps' }, tagged: true, secrets: ['beta-conn'] },
    ]);
    const accounts = ['alphastore', 'betastore', 'epsilonstore'].map((name) => ({
      name,
      secrets: [] as ReturnType<typeof withSecrets>['otherAccounts'][number]['secrets'],
    }));
    const findings = withSecrets(accounts, { ...found, everyJob: ['kv-x'] });
    assert.deepEqual(
      accounts.map((a) => [a.name, keyVaultsInput(a.secrets, findings.everyJob)]),
      [
        ['alphastore', `${vault.id}\nkv-x`],
        ['betastore', `${vault.id}/secrets/beta-conn\nkv-x`],
        ['epsilonstore', 'kv-x'],
      ],
    );
    assert.deepEqual(
      findings.otherAccounts.map((o) => [o.account, o.ref?.name, o.secrets.map((s) => s.name)]),
      [
        ['deltastore', 'deltastore', ['locked-tagged']],
        ['gammastore', 'gammastore', ['tagged-raw']],
      ],
    );
  });
});
