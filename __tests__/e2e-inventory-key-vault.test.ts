// mode: inventory with key-vaults, through the real bundle against the emulator's vaults: which
// account's key each secret holds, read with as little as tells it (tagged secrets' properties only;
// named secrets' values, masked), each matrix entry's key-vaults value, and rotation jobs driven by
// it that move every secret of their account. Reads only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { act, withEmulator } from './e2e/world.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000c6';
const VAULT_ID = (name: string) =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/${name}`;

/**
 * alphastore (due) is ws-a's default storage and deltastore (due) a datastore of it; betastore (not
 * due) is ws-b's. kv-apps holds alphastore's key2 in a tutorial-tagged secret, deltastore's key1 in
 * a connection string, unusedstore's key in a tagged secret (no workspace uses unusedstore),
 * betastore's key1 as an untagged raw key, and a password. kv-locked refuses the login.
 */
function scenario(locked: boolean): Scenario {
  const account = (name: string, resourceGroup: string, key1: number, key2: number) => ({
    name,
    resourceGroup,
    keys: { key1: { ageDays: key1 }, key2: { ageDays: key2 } },
  });
  return {
    subscriptionId: SUBSCRIPTION,
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    resync: { takes: 'key1', durationMs: 100 },
    storageAccounts: [
      account('alphastore', 'rg-data', 100, 200),
      account('betastore', 'rg-data', 10, 20),
      account('deltastore', 'rg-other', 95, 5),
      account('unusedstore', 'rg-other', 900, 900),
    ],
    workspaces: [
      {
        resourceGroup: 'rg-ml',
        name: 'ws-a',
        storageAccount: 'alphastore',
        datastores: [
          {
            name: 'lake',
            datastoreType: 'AzureBlob',
            account: 'deltastore',
            containerName: 'lake',
            credentials: 'AccountKey',
            holds: 'key1',
          },
        ],
      },
      { resourceGroup: 'rg-ml', name: 'ws-b', storageAccount: 'betastore' },
    ],
    keyVaults: [
      {
        resourceGroup: 'rg-apps',
        name: 'kv-apps',
        secrets: [
          { name: 'alpha-key', account: 'alphastore', value: { key: 'key2' }, tutorialTags: true },
          { name: 'delta-conn', account: 'deltastore', value: { connectionString: 'key1' } },
          {
            name: 'orphan-key',
            account: 'unusedstore',
            value: { key: 'key1' },
            tutorialTags: true,
          },
          { name: 'beta-raw', account: 'betastore', value: { key: 'key1' } },
          { name: 'password', value: { text: 'not a storage key' } },
        ],
      },
      ...(locked
        ? [
            {
              resourceGroup: 'rg-apps',
              name: 'kv-locked',
              forbidden: true,
              secrets: [{ name: 'x', account: 'alphastore', value: { key: 'key1' as const } }],
            },
          ]
        : []),
    ],
    permissions: { actions: ['*/read'] },
  };
}

interface MatrixEntry {
  'storage-account': string;
  'storage-account-resource-group': string;
  'subscription-id': string;
  workspace: string;
  due: boolean;
  'key-vaults': string;
}
const entries = (output: string | undefined) =>
  (JSON.parse(output ?? '{}') as { include: MatrixEntry[] }).include;

const KEY_VAULTS = 'kv-apps\nkv-apps/delta-conn\nkv-apps/beta-raw\nkv-apps/password';

async function inventory(emu: Emulator, keyVaults: string) {
  const run = await act(emu, {
    inputs: {
      mode: 'inventory',
      'subscription-id': SUBSCRIPTION,
      'max-key-age-days': '90',
      'key-vaults': keyVaults,
    },
  });
  assert.equal(run.exitCode, 0, run.stdout);
  return run;
}

describe('mode: inventory with key-vaults', () => {
  it('lists each account’s secrets, gives each job its key-vaults, and names what it cannot read or tell', () =>
    withEmulator(scenario(true), async (emu) => {
      const run = await inventory(emu, `${KEY_VAULTS}\nkv-locked`);
      const byAccount = new Map(
        entries(run.outputs['accounts']).map((e) => [e['storage-account'], e['key-vaults']]),
      );
      const locked = VAULT_ID('kv-locked');
      assert.deepEqual(Object.fromEntries(byAccount), {
        // Tagged for alphastore: the vault, so its job finds every secret tagged for it.
        alphastore: [VAULT_ID('kv-apps'), locked].join('\n'),
        // beta-raw is a raw key without tags: whose it is cannot be told, so no job gets it.
        betastore: locked,
        deltastore: [`${VAULT_ID('kv-apps')}/secrets/delta-conn`, locked].join('\n'),
      });
      assert.ok(
        !byAccount.has('unusedstore'),
        'an account only a secret uses is not in the matrix',
      );
      assert.deepEqual(
        entries(run.outputs['due-accounts']).map((e) => [e['storage-account'], e['key-vaults']]),
        [
          ['alphastore', byAccount.get('alphastore')],
          ['deltastore', byAccount.get('deltastore')],
        ],
      );

      // Reads only (the login's token requests aside): tagged secrets by their properties, values
      // of the named ones alone.
      const requests = emu.requests();
      assert.deepEqual(
        requests
          .filter((r) => r.method !== 'GET' && !r.path.includes('/oauth2/'))
          .map((r) => `${r.method} ${r.path}`),
        [],
      );
      assert.deepEqual(
        requests
          .filter((r) => r.operation === 'Secrets.get')
          .map((r) => r.path.split('/')[2])
          .sort(),
        ['beta-raw', 'delta-conn', 'password'],
      );
      for (const name of ['beta-raw', 'delta-conn', 'password']) {
        const value = emu.vaultSecret('kv-apps', name)!.versions[0]!.value;
        assert.ok(run.maskedValues.includes(value), `${name} is masked`);
      }

      // The summary and the log list each account's secrets and what belongs to no job.
      assert.match(run.summary, /<th>Key Vault secrets<\/th>/);
      assert.match(run.summary, /kv-apps\/alpha-key \(tagged key2\)/);
      assert.match(run.summary, /kv-apps\/delta-conn \(named, connection string\)/);
      assert.match(
        run.summary,
        /no Azure ML workspace uses \(not in the matrix\): unusedstore: kv-apps\/orphan-key \(tagged key1\)/,
      );
      assert.match(
        run.summary,
        /Named secrets in no job's key-vaults: kv-apps\/beta-raw \(a raw key/,
      );
      assert.match(run.summary, /kv-apps\/password \(it holds no storage account key\)/);
      assert.match(
        run.stdout,
        /deltastore \(resource group 'rg-other'\): .*; Key Vault secrets kv-apps\/delta-conn \(named, connection string\)/,
      );
      const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      assert.ok(
        warnings.some((w) =>
          /^Could not inspect the secrets of key vault 'kv-locked': 403 .*Every rotation job gets it in key-vaults/.test(
            w,
          ),
        ),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) =>
          w.startsWith("Secret 'beta-raw' of key vault 'kv-apps' goes to no rotation job"),
        ),
      );

      // The JSON report: the secrets per account, the rest, and the vault it could not read.
      const report = run.report as {
        accounts: { name: string; secrets: { name: string; found: string }[] }[];
        keyVaults: { otherAccounts: { account: string }[]; everyJob: string[] };
        uninspected: { name: string }[];
      };
      assert.deepEqual(
        report.accounts.map((a) => [a.name, a.secrets.map((s) => `${s.name} ${s.found}`)]),
        [
          ['alphastore', ['alpha-key tagged']],
          ['betastore', []],
          ['deltastore', ['delta-conn named']],
        ],
      );
      assert.deepEqual(
        report.keyVaults.otherAccounts.map((o) => o.account),
        ['unusedstore'],
      );
      assert.deepEqual(report.keyVaults.everyJob, [locked]);
      assert.ok(report.uninspected.some((u) => u.name === "the secrets of key vault 'kv-locked'"));
    }));

  it('drives one rotation job per due account with key-vaults from the matrix: every secret moves', () =>
    withEmulator(scenario(false), async (reader) => {
      const jobs = entries((await inventory(reader, KEY_VAULTS)).outputs['due-accounts']);
      await withEmulator({ ...scenario(false), permissions: { actions: ['*'] } }, async (emu) => {
        for (const job of jobs) {
          const run = await act(emu, {
            inputs: {
              'storage-account': job['storage-account'],
              'storage-account-resource-group': job['storage-account-resource-group'],
              'subscription-id': job['subscription-id'],
              workspace: job.workspace,
              'key-vaults': job['key-vaults'],
              'max-key-age-days': '90',
              'grace-period-hours': '0',
            },
          });
          assert.equal(run.exitCode, 0, `${job['storage-account']}: ${run.stdout}`);
          assert.equal(run.outputs['rotated'], 'true', job['storage-account']);
        }
        assert.deepEqual(emu.invalidConsumers(), [], 'no secret (nor anything else) on a dead key');
        assert.ok(emu.vaultSecret('kv-apps', 'alpha-key')!.versions.length > 1, 'alpha-key moved');
        assert.ok(
          emu.vaultSecret('kv-apps', 'delta-conn')!.versions.length > 1,
          'delta-conn moved',
        );
        assert.equal(emu.vaultSecret('kv-apps', 'beta-raw')!.versions.length, 1, 'not due');
        assert.equal(emu.vaultSecret('kv-apps', 'orphan-key')!.versions.length, 1);
      });
    }));
});
