// The platform metrics (Metrics_List, 2023-10-01): the emulator counts the Transactions of its
// storage traffic by Authentication, logged or not, and the action's metrics operation reads them
// through the ARM pipeline of an SDK client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/server.js';
import { createMetricsOperations } from '../src/azure/metrics.js';
import { armRest } from '../src/azure/rest.js';
import { raw, setUp } from './support/emulator-clients.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/mlstore`;
const DAY = 86_400_000;

/** key1 made 3 days ago; no diagnostic setting. The workspace and a datastore on key1, a SAS datastore key2 signed, an app on key2, a script on key1's former value. */
const scenario = (permissions?: Scenario['permissions']): Scenario => ({
  subscriptionId: SUB,
  tenantId: '00000000-0000-0000-0000-0000000000aa',
  ...(permissions ? { permissions } : {}),
  storageAccounts: [
    {
      resourceGroup: 'rg-ml',
      name: 'mlstore',
      keys: { key1: { ageDays: 3 }, key2: { ageDays: 60 } },
      outsideCallers: [
        { ip: '203.0.113.7', userAgent: 'contoso-app/2.1', holds: 'key2' },
        { ip: '198.51.100.9', userAgent: 'nightly-export.py', holds: 'former-key1' },
      ],
    },
  ],
  workspaces: [
    {
      resourceGroup: 'rg-ml',
      name: 'ws-prod',
      storageAccount: 'mlstore',
      holds: 'key1',
      datastores: [
        {
          name: 'blobstore',
          datastoreType: 'AzureBlob',
          account: 'mlstore',
          containerName: 'c',
          credentials: 'AccountKey',
          holds: 'key1',
        },
        {
          name: 'sasstore',
          datastoreType: 'AzureBlob',
          account: 'mlstore',
          containerName: 'c',
          credentials: 'Sas',
          signedWith: 'key2',
        },
      ],
    },
  ],
});

async function metricsOf(s: Scenario) {
  const { emulator, ml } = await setUp({ scenario: s });
  const metrics = createMetricsOperations(() => armRest(ml, emulator.url));
  return { emulator, metrics };
}

describe('emulator: platform metrics of a storage account', () => {
  it('counts every request of the week by Authentication, without a diagnostic setting', async () => {
    const { metrics } = await metricsOf(scenario());
    const totals = await metrics.storageTransactions(ACCOUNT, 7);
    assert.deepEqual(totals.byAuthentication, {
      // workspace copy 72 + datastore 72 (key1, 3 days); app 168 (key2); script 96 signed + 72 refused.
      AccountKey: 72 + 72 + 168 + 96 + 72,
      // The SAS datastore, signed with key2 (60 days old): the whole week.
      SAS: 168,
    });
    const [from, to] = totals.timespan.split('/').map(Date.parse);
    assert.equal(to! - from!, 7 * DAY);
  });

  it('answers the spec shape: one point per grain, the dimension in metadatavalues', async () => {
    const { emulator } = await metricsOf(scenario());
    const end = Date.now();
    const span = `${new Date(end - 2 * DAY).toISOString()}/${new Date(end).toISOString()}`;
    const query = new URLSearchParams({
      'api-version': '2023-10-01',
      metricnames: 'Transactions',
      timespan: span,
      interval: 'P1D',
      aggregation: 'Total',
      $filter: "Authentication eq 'SAS'",
    });
    const answer = await raw(
      emulator,
      'GET',
      `${ACCOUNT}/providers/Microsoft.Insights/metrics?${query}`,
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.body.interval, 'P1D');
    const [metric] = answer.body.value;
    assert.equal(metric.name.value, 'Transactions');
    assert.equal(metric.errorCode, 'Success');
    assert.deepEqual(
      metric.timeseries.map((s: { metadatavalues: unknown[]; data: { total: number }[] }) => [
        s.metadatavalues,
        s.data.map((d) => d.total),
      ]),
      [
        [
          [{ name: { value: 'authentication', localizedValue: 'authentication' }, value: 'SAS' }],
          [24, 24],
        ],
      ],
    );
  });

  it('refuses an unknown metric, an api-version it lacks, and a login without metrics/read', async () => {
    const { emulator } = await metricsOf(scenario());
    const get = (query: string) =>
      raw(emulator, 'GET', `${ACCOUNT}/providers/Microsoft.Insights/metrics?${query}`);
    const unknown = await get('api-version=2023-10-01&metricnames=Nope');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /Valid metrics: .*Transactions/);
    assert.equal((await get('api-version=2016-01-01&metricnames=Transactions')).status, 400);

    const { metrics } = await metricsOf(
      scenario({ actions: ['Microsoft.Storage/*', 'Microsoft.MachineLearningServices/*'] }),
    );
    await assert.rejects(metrics.storageTransactions(ACCOUNT, 7), (error: Error) => {
      assert.equal((error as { statusCode?: number }).statusCode, 403);
      assert.match(error.message, /Microsoft\.Insights\/metrics\/read/);
      return true;
    });
  });
});
