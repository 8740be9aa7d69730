// gatherKeyUsage on the in-memory port: the settings decide whether the one query is made, and no
// failure escapes (missing evidence is said, never thrown).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Permission } from '../src/azure/port.js';
import { gatherKeyUsage, keyUsageOf, type LogsEvidence } from '../src/key-usage/gather.js';
import { unreadableTables } from '../src/key-usage/permissions.js';
import { keyUsageQuery } from '../src/key-usage/query.js';
import { MemoryAzure } from './fakes/memory-azure.js';

const ACCOUNT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
const toLogs = {
  name: 'd',
  workspaceId: '/ws',
  logs: [{ categoryGroup: 'allLogs', enabled: true }],
};

describe('gatherKeyUsage', () => {
  it('without a setting that sends requests to Log Analytics: no query, and says which would', async () => {
    const azure = new MemoryAzure();
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 7);
    assert.equal(gathered.status, 'no-logs');
    assert.match((gathered as { reason: string }).reason, /st\/blobServices\/default/);
    assert.deepEqual(azure.logsQueries, []);
    assert.equal(azure.calls.filter((c) => c === 'diagnosticSettings').length, 4);
  });

  it('without logs: the platform metrics over the same window instead, or why they are missing', async () => {
    const azure = new MemoryAzure();
    azure.transactions = { AccountKey: 480, SAS: 168, OAuth: 3 };
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 30);
    assert.deepEqual(azure.metricsReads, [[ACCOUNT, 30]]);
    assert.equal(gathered.status, 'no-logs');
    assert.deepEqual((gathered as { metrics: unknown }).metrics, {
      status: 'read',
      timespan: 'P7D',
      byAuthentication: { AccountKey: 480, SAS: 168, OAuth: 3 },
    });

    const refused = await gatherKeyUsage(new MemoryAzure(), ACCOUNT, 7);
    const metrics = (refused as { metrics: { status: string; reason: string } }).metrics;
    assert.equal(metrics.status, 'failed');
    assert.match(metrics.reason, /403: Forbidden/);
    assert.match(metrics.reason, /Microsoft\.Insights\/metrics\/read/);
  });

  it('with logs: no metrics read', async () => {
    const azure = new MemoryAzure();
    azure.diagnostics.set(`${ACCOUNT}/blobServices/default`, [toLogs]);
    azure.logsAnswer = { table: { columns: [], rows: [] } };
    await gatherKeyUsage(azure, ACCOUNT, 7);
    assert.deepEqual(azure.metricsReads, []);
  });

  it('with one: the one query, on the account, over the window', async () => {
    const azure = new MemoryAzure();
    azure.diagnostics.set(`${ACCOUNT}/fileServices/default`, [toLogs]);
    azure.logsAnswer = { table: { columns: [], rows: [] } };
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 30);
    assert.equal(gathered.status, 'answered');
    assert.deepEqual(azure.logsQueries, [[ACCOUNT, keyUsageQuery(30), 30]]);
    const usage = keyUsageOf(gathered, Object.values(azure.keys));
    assert.equal(usage.status, 'found');
    assert.deepEqual((usage as { services: string[] }).services, ['file']);
  });

  it('log tables the login may not read: the answer is kept, marked as lacking them', async () => {
    const azure = new MemoryAzure();
    azure.diagnostics.set(`${ACCOUNT}/blobServices/default`, [toLogs]);
    azure.logsAnswer = { table: { columns: [], rows: [] } };
    azure.permissions = async (): Promise<Permission[]> => [
      { actions: ['*/read'], notActions: ['Microsoft.Insights/logs/StorageFileLogs/read'] },
    ];
    const usage = keyUsageOf(await gatherKeyUsage(azure, ACCOUNT, 7), Object.values(azure.keys));
    assert.equal(usage.status, 'found');
    assert.deepEqual((usage as { unreadableTables?: string[] }).unreadableTables, [
      'StorageFileLogs',
    ]);

    // Permissions that cannot be read tell nothing: the preflight says so.
    azure.permissions = async (): Promise<Permission[]> => {
      throw Object.assign(new Error('denied'), { statusCode: 403 });
    };
    const unknown = keyUsageOf(await gatherKeyUsage(azure, ACCOUNT, 7), Object.values(azure.keys));
    assert.equal((unknown as { unreadableTables?: string[] }).unreadableTables, undefined);
  });

  it('a refused query is missing evidence with the rights it needs, not an error', async () => {
    const azure = new MemoryAzure();
    azure.diagnostics.set(`${ACCOUNT}/blobServices/default`, [toLogs]);
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 7);
    assert.equal(gathered.status, 'failed');
    assert.match((gathered as { reason: string }).reason, /^The key-usage query failed: 403/);
    assert.match((gathered as { reason: string }).reason, /Log Analytics Reader/);
  });

  it('settings that cannot be read: missing evidence naming the service', async () => {
    const azure = new MemoryAzure();
    azure.diagnosticSettings = async (id: string) => {
      if (id.includes('queueServices'))
        throw Object.assign(new Error('denied'), { statusCode: 403 });
      return [];
    };
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 7);
    assert.equal(gathered.status, 'failed');
    assert.match((gathered as { reason: string }).reason, /the queue service: 403: denied/);
  });
});

describe('gatherKeyUsage, other failures', () => {
  it('a query that fails other than refused: the error, without advice on rights', async () => {
    const azure = new MemoryAzure();
    azure.diagnostics.set(`${ACCOUNT}/blobServices/default`, [toLogs]);
    azure.queryResourceLogs = async () => {
      throw Object.assign(new Error('Bad request'), { statusCode: 400 });
    };
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 7);
    assert.equal(gathered.status, 'failed');
    assert.match(
      (gathered as { reason: string }).reason,
      /^The key-usage query failed: .*Bad request$/,
    );
    assert.doesNotMatch((gathered as { reason: string }).reason, /Log Analytics Reader/);
  });

  it('metrics that fail other than refused: the error, without advice on rights', async () => {
    const azure = new MemoryAzure();
    azure.storageTransactions = async () => {
      throw Object.assign(new Error('Service unavailable'), { statusCode: 503 });
    };
    const gathered = await gatherKeyUsage(azure, ACCOUNT, 7);
    const metrics = (gathered as { metrics: { status: string; reason: string } }).metrics;
    assert.equal(metrics.status, 'failed');
    assert.match(metrics.reason, /could not be read: .*Service unavailable$/);
  });

  it('permissions that cannot be read: no table counts as unreadable', async () => {
    const azure = new MemoryAzure();
    azure.permissions = async (): Promise<Permission[]> => {
      throw Object.assign(new Error('denied'), { statusCode: 403 });
    };
    assert.deepEqual(await unreadableTables(azure, ACCOUNT), []);
  });
});

describe('keyUsageOf', () => {
  it('passes on evidence that is missing as it is', () => {
    const noLogs: LogsEvidence = {
      status: 'no-logs',
      lookbackDays: 7,
      reason: 'No diagnostic setting.',
      metrics: { status: 'failed', reason: '403' },
    };
    assert.deepEqual(keyUsageOf(noLogs, []), noLogs);
  });

  it('an answer it cannot read is missing evidence, naming what is wrong', () => {
    const answered: LogsEvidence = {
      status: 'answered',
      lookbackDays: 7,
      answer: { table: { columns: [], rows: [[]] } },
      coverage: { services: ['blob'], partial: [] },
      unreadable: [],
    };
    const usage = keyUsageOf(answered, []);
    assert.equal(usage.status, 'failed');
    assert.equal(usage.lookbackDays, 7);
    assert.match((usage as { reason: string }).reason, /has no column Key\b/);
  });
});
