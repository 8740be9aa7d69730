// mode: inventory, through the real bundle: every storage account a subscription's workspaces use,
// read with read permissions only, set as a strategy.matrix value that drives one rotation job per
// account — parsed and expanded here as GitHub Actions would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { act, withEmulator } from './e2e/world.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000c5';
const WORKSPACE_ID = (rg: string, name: string) =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;

function subscription(permissions: Scenario['permissions']): Scenario {
  const account = (name: string, resourceGroup: string, key1: number, key2: number) => ({
    name,
    resourceGroup,
    keys: { key1: { ageDays: key1 }, key2: { ageDays: key2 } },
  });
  const blob = (
    name: string,
    account: string,
    credentials: 'AccountKey' | 'None' = 'AccountKey',
  ) => ({
    name,
    datastoreType: 'AzureBlob',
    account,
    containerName: name.replace(/_/g, '-'),
    credentials,
    holds: 'key1' as const,
  });
  return {
    subscriptionId: SUBSCRIPTION,
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    resync: { takes: 'key1', durationMs: 100 },
    storageAccounts: [
      account('alphastore', 'rg-data', 100, 200),
      account('betastore', 'rg-data', 10, 20),
      { ...account('gammastore', 'rg-ml', 40, 5), keyPolicy: { keyExpirationPeriodInDays: 30 } },
      account('deltastore', 'rg-other', 95, 5),
      account('unusedstore', 'rg-other', 900, 900),
    ],
    workspaces: [
      {
        resourceGroup: 'rg-ml',
        name: 'ws-a',
        storageAccount: 'alphastore',
        datastores: [
          blob('raw', 'alphastore'),
          blob('curated', 'alphastore'),
          blob('shared', 'betastore'),
          blob('by_identity', 'gammastore', 'None'),
        ],
      },
      {
        resourceGroup: 'rg-ml',
        name: 'ws-b',
        storageAccount: 'gammastore',
        datastores: [blob('shared', 'betastore')],
        connections: [
          {
            name: 'lake',
            category: 'AzureBlob',
            authType: 'AccountKey',
            account: 'deltastore',
            holds: 'key1',
          },
        ],
      },
      { resourceGroup: 'rg-team', name: 'ws-c', storageAccount: 'betastore' },
    ],
    permissions,
  };
}

interface MatrixEntry {
  'storage-account': string;
  'storage-account-resource-group': string;
  'subscription-id': string;
  workspace: string;
  due: boolean;
  'key1-age-days': number | null;
  'key2-age-days': number | null;
}

/**
 * What GitHub Actions makes of `strategy: { matrix: ${{ fromJSON(output) }} }`: fromJSON parses
 * the string; a matrix of only `include` runs one job per entry, with that entry as `matrix`.
 */
function jobsOf(output: string): MatrixEntry[] {
  const matrix = JSON.parse(output) as { include?: unknown };
  assert.deepEqual(Object.keys(matrix), ['include'], 'a matrix of include entries only');
  assert.ok(Array.isArray(matrix.include) && matrix.include.length > 0, 'a non-empty matrix');
  for (const entry of matrix.include as Record<string, unknown>[]) {
    for (const value of Object.values(entry)) {
      assert.ok(['string', 'number', 'boolean'].includes(typeof value) || value === null);
    }
  }
  return matrix.include as MatrixEntry[];
}

/** The rotation job of the two-job workflow in the README, with one matrix entry's values. */
const rotationInputs = (job: MatrixEntry) => ({
  'storage-account': job['storage-account'],
  'storage-account-resource-group': job['storage-account-resource-group'],
  'subscription-id': job['subscription-id'],
  workspace: job.workspace,
  'max-key-age-days': '90',
});

async function inventory(emu: Emulator) {
  const run = await act(emu, {
    inputs: { mode: 'inventory', 'subscription-id': SUBSCRIPTION, 'max-key-age-days': '90' },
  });
  assert.equal(run.exitCode, 0, run.stdout);
  return run;
}

describe('mode: inventory', () => {
  it('lists every account in use with key ages and due, reading with Reader permissions only', () =>
    withEmulator(subscription({ actions: ['*/read'] }), async (emu) => {
      const run = await inventory(emu);
      const arm = emu.requests().filter((r) => r.path.startsWith('/subscriptions/'));
      assert.ok(arm.length > 0);
      assert.deepEqual(
        arm.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.operation}`),
        [],
        'no action (listKeys, listSecrets) and no write: only reads',
      );
      assert.ok(
        arm.every((r) => r.status === 200),
        'every read was allowed to a Reader',
      );

      const all = jobsOf(run.outputs['accounts']!);
      assert.deepEqual(
        all.map((j) => [j['storage-account'], j['storage-account-resource-group'], j.due]),
        [
          ['alphastore', 'rg-data', true],
          ['betastore', 'rg-data', false],
          ['deltastore', 'rg-other', true],
          ['gammastore', 'rg-ml', true],
        ],
      );
      const byName = new Map(all.map((j) => [j['storage-account'], j]));
      assert.equal(byName.get('alphastore')!['key2-age-days'], 200);
      assert.equal(
        byName.get('betastore')!.workspace,
        [
          WORKSPACE_ID('rg-ml', 'ws-a'),
          WORKSPACE_ID('rg-ml', 'ws-b'),
          WORKSPACE_ID('rg-team', 'ws-c'),
        ].join('\n'),
      );
      assert.equal(byName.get('deltastore')!.workspace, WORKSPACE_ID('rg-ml', 'ws-b'));
      // gammastore: ws-b's default storage, and an identity-based datastore in ws-a.
      assert.equal(byName.get('gammastore')!.workspace.split('\n').length, 2);
      assert.equal(run.outputs['account-count'], '4');
      assert.equal(run.outputs['due-count'], '3');
      assert.deepEqual(
        jobsOf(run.outputs['due-accounts']!).map((j) => j['storage-account']),
        ['alphastore', 'deltastore', 'gammastore'],
      );
      // gammastore is due under its own 30-day key policy, not under max-key-age-days 90.
      assert.match(run.summary, /gammastore.*30-day key expiration policy.*due/);
      assert.match(
        run.stdout,
        /alphastore \(resource group 'rg-data'\): key1 100 days, key2 200 days; due/,
      );
      assert.ok(!run.stdout.includes('unusedstore'), 'an account no workspace uses is not listed');
    }));

  it('drives one rotation job per due account: each rotates, nothing left on a dead key', () =>
    withEmulator(subscription({ actions: ['*/read'] }), async (reader) => {
      const outputs = (await inventory(reader)).outputs;
      const jobs = jobsOf(outputs['due-accounts']!);
      const notDue = jobsOf(outputs['accounts']!).filter((j) => !j.due);
      assert.equal(notDue.length, 1);
      // The rotation jobs run with a login allowed to rotate, on the same subscription.
      await withEmulator(subscription({ actions: ['*'] }), async (emu) => {
        for (const job of jobs) {
          const run = await act(emu, { inputs: rotationInputs(job) });
          assert.equal(run.exitCode, 0, `${job['storage-account']}: ${run.stdout}`);
          assert.equal(run.outputs['rotated'], 'true', job['storage-account']);
        }
        assert.deepEqual(emu.invalidConsumers(), []);
        // The account that was not due: a job for it (from `accounts`) rotates nothing.
        const run = await act(emu, { inputs: rotationInputs(notDue[0]!) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.equal(run.outputs['rotated'], 'false');
      });
    }));

  it('needs subscription-id, and says so', () =>
    withEmulator(subscription(undefined), async (emu) => {
      const run = await act(emu, {
        inputs: { mode: 'inventory' },
        env: { AZURE_SUBSCRIPTION_ID: undefined },
      });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /subscription-id is required/);
    }));
});
