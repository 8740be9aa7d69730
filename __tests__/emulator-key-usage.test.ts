// The emulator's storage logs: diagnostic settings on the services, and the Log Analytics query API
// answering the action's key-usage query from its model of storage traffic, by the query's meaning
// (src/key-usage/query.ts): each holder's requests, signed by what it held when it made them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { Scenario } from '../emulator/server.js';
import { fakeJwt } from '../emulator/secrets.js';
import { keyHashes, keyUsageFromTable } from '../src/key-usage/evidence.js';
import { keyUsageQuery } from '../src/key-usage/query.js';
import { raw, setUp } from './support/emulator-clients.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.OperationalInsights/workspaces/logs`;
const scenario = (logs = true): Scenario => ({
  subscriptionId: SUB,
  tenantId: '00000000-0000-0000-0000-0000000000aa',
  storageAccounts: [
    {
      resourceGroup: 'rg-ml',
      name: 'mlstore',
      keys: { key1: { ageDays: 3 }, key2: { ageDays: 60 } },
      ...(logs
        ? {
            diagnosticSettings: {
              blob: [
                {
                  name: 'to-logs',
                  workspaceId: WORKSPACE_ID,
                  logs: [{ categoryGroup: 'allLogs', enabled: true }],
                },
              ],
            },
          }
        : {}),
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
      ],
    },
  ],
});
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/mlstore`;
const logsToken = fakeJwt({ aud: 'https://api.loganalytics.io' });

async function query(logs = true, text = keyUsageQuery(7)) {
  const { emulator, agent } = await setUp({ scenario: scenario(logs) });
  const client = new LogsQueryClient(
    { getToken: async () => ({ token: logsToken, expiresOnTimestamp: Date.now() + 3600e3 }) },
    { endpoint: `${emulator.url}/v1`, agent, retryOptions: { maxRetries: 0 } } as never,
  );
  const result = await client.queryResource(ACCOUNT.slice(1), text, { duration: 'P7D' });
  assert.equal(result.status, LogsQueryResultStatus.Success);
  if (result.status !== LogsQueryResultStatus.Success) throw new Error('partial');
  const table = result.tables[0]!;
  return {
    emulator,
    table: {
      columns: table.columnDescriptors.map((c) => ({ name: c.name!, type: c.type! })),
      rows: table.rows,
    },
  };
}

describe('emulator: storage logs for the key-usage query', () => {
  it('answers with one row per key value and caller, as the query means', async () => {
    const { emulator, table } = await query();
    const keys = emulator.keys('mlstore');
    const hash = (v: string) => keyHashes(v)[0]!;
    const rows = table.rows.map((r) => [
      r[0],
      r[1] === ''
        ? ''
        : r[1] === hash(keys.key1)
          ? 'key1 now'
          : r[1] === hash(keys.key2)
            ? 'key2 now'
            : 'older',
      r[3],
      r[4],
      r[5],
      r[6],
      r[7],
    ]);
    // Rows come ordered by key, then hash (random here): compared in an order of their own.
    const byText = (a: unknown[], b: unknown[]) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b));
    assert.deepEqual(
      rows.sort(byText),
      [
        // The script on key1's former value: refused since key1 was regenerated 3 days ago (no key named).
        ['', '', '198.51.100.9', 'nightly-export.py', 72, 0, 72],
        // The workspace's own copy and its datastore on key1's current value, since it was made.
        ['key1', 'key1 now', '10.20.0.4', 'azureml-compute/ws-prod', 144, 144, 0],
        // The script, on key1's former value until its regeneration: 4 of the 7 days.
        ['key1', 'older', '198.51.100.9', 'nightly-export.py', 96, 96, 0],
        // The outside app on key2, the whole week.
        ['key2', 'key2 now', '203.0.113.7', 'contoso-app/2.1', 168, 168, 0],
      ].sort(byText),
    );
  });

  it('the action reads the answer: the app on key2, and the script as already broken', async () => {
    const { emulator, table } = await query();
    const keys = emulator.keys('mlstore');
    const usage = keyUsageFromTable(
      table,
      [
        { name: 'key1', value: keys.key1, createdOn: new Date(Date.now() - 3 * 86_400_000) },
        { name: 'key2', value: keys.key2 },
      ],
      { lookbackDays: 7, services: ['blob'], partial: [] },
    );
    const [key1, key2] = usage.keys;
    assert.deepEqual(
      key2!.current.top.map((c) => [c.ip, c.userAgent, c.requests]),
      [['203.0.113.7', 'contoso-app/2.1', 168]],
    );
    assert.deepEqual(
      key1!.older?.top.map((c) => [c.ip, c.broken]),
      [['198.51.100.9', true]],
    );
    assert.equal(usage.refusedUnattributed?.requests, 72);
  });

  it('logs nothing for a service without a diagnostic setting', async () => {
    const { table } = await query(false);
    assert.deepEqual(table.rows, []);
  });

  it("serves the services' diagnostic settings in the 2021-05-01-preview shape", async () => {
    const { emulator } = await setUp({ scenario: scenario() });
    const path = (service: string, version = '2021-05-01-preview') =>
      `${ACCOUNT}/${service}/default/providers/Microsoft.Insights/diagnosticSettings?api-version=${version}`;
    const blob = await raw(emulator, 'GET', path('blobServices'));
    assert.equal(blob.status, 200);
    assert.equal(blob.body.value[0].properties.workspaceId, WORKSPACE_ID);
    assert.deepEqual(blob.body.value[0].properties.logs[0], {
      category: null,
      categoryGroup: 'allLogs',
      enabled: true,
      retentionPolicy: { enabled: false, days: 0 },
    });
    assert.deepEqual((await raw(emulator, 'GET', path('queueServices'))).body, { value: [] });
    assert.equal((await raw(emulator, 'GET', path('blobServices', '2016-09-01'))).status, 400);
  });

  it("refuses a token for another audience, and any query but the action's", async () => {
    const { emulator } = await setUp({ scenario: scenario() });
    const post = (token: string, text: string) =>
      raw(emulator, 'POST', `/v1${ACCOUNT}/query`, {
        token,
        body: { query: text, timespan: 'P7D' },
      });
    const armToken = fakeJwt({ aud: 'https://management.azure.com' });
    assert.equal((await post(armToken, keyUsageQuery(7))).status, 401);
    const other = await post(logsToken, 'StorageBlobLogs | take 10');
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'BadArgumentError');
  });
});
