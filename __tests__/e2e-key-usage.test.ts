// Who uses each key, from the account's storage logs, in every run: the bundled action on the
// emulator, whose Log Analytics stand-in answers the key-usage query from its model of storage traffic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/server.js';
import { act, summaryTable, withEmulator } from './e2e/world.js';
import { inputs, keyedDatastore, SUBSCRIPTION, workspace, world } from './e2e/scenarios.js';

const LOGS_WORKSPACE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ml/providers/Microsoft.OperationalInsights/workspaces/logs`;
const TITLE = 'Who uses each key (storage logs, last 7 days)';

/** key1 made 3 days ago; the managed workspace on key1; an app on key2 and a script on key1's former value. */
function logged(withSettings = true): Scenario {
  return world(
    { key1: 3, key2: 60 },
    [workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')])],
    {
      ...(withSettings
        ? {
            diagnosticSettings: {
              blob: [
                {
                  name: 'to-logs',
                  workspaceId: LOGS_WORKSPACE,
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
  );
}

interface UsageReport {
  keyUsage: {
    status: string;
    reason?: string;
    keys: {
      key: string;
      current: { requests: number; top: { ip: string; userAgent: string }[] };
      older?: { top: { ip: string; broken: boolean }[] };
    }[];
  };
  keys: unknown[];
}

describe('key usage from the storage logs', () => {
  it('a dry run shows the outside app on key2 and the script on an old key1 value as already broken', () =>
    withEmulator({ scenario: logged() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.writes(), []);

      const rows = summaryTable(run.summary, TITLE);
      const callers = rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[10]]);
      assert.deepEqual(
        callers.filter((c) => c[2] !== '10.20.0.4'),
        [
          [
            'key1',
            'older value',
            '198.51.100.9',
            'nightly-export.py',
            '96',
            'already broken: not seen on a current key since',
          ],
          ['key2', 'current', '203.0.113.7', 'contoso-app/2.1', '168', ''],
          ['none named', 'refused', '198.51.100.9', 'nightly-export.py', '72', ''],
        ],
      );
      const keys = summaryTable(run.summary, 'Keys');
      assert.equal(keys[0]![5], 'Used (storage logs)');
      assert.match(keys[2]![5]!, /^168 requests by 1 caller\(s\), last /);

      const report = run.report as UsageReport;
      assert.equal(report.keyUsage.status, 'found');
      const key2 = report.keyUsage.keys.find((k) => k.key === 'key2')!;
      assert.deepEqual(
        key2.current.top.map((c) => [c.ip, c.userAgent]),
        [['203.0.113.7', 'contoso-app/2.1']],
      );

      const broken = run.annotations.find(
        (a) => a.level === 'warning' && /already broken/.test(a.message),
      );
      assert.match(broken?.message ?? '', /198\.51\.100\.9 \(nightly-export\.py\) on key1/);
      const queries = emu.requests().filter((r) => r.operation === 'LogsQuery.queryResource');
      assert.equal(queries.length, 1, 'one query per account per run');
    }));

  it('without a diagnostic setting: one notice that says so and which setting would', () =>
    withEmulator({ scenario: logged(false) }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      const notices = run.annotations.filter(
        (a) => a.level === 'notice' && /diagnostic setting/.test(a.message),
      );
      assert.equal(notices.length, 1);
      assert.match(notices[0]!.message, /blobServices\/default/);
      assert.match(notices[0]!.message, /allLogs/);
      assert.equal((run.report as UsageReport).keyUsage.status, 'no-logs');
      assert.equal(
        emu.requests().filter((r) => r.operation === 'LogsQuery.queryResource').length,
        0,
      );
      assert.match(run.summary, /No diagnostic setting of the account/);
    }));

  it('without a diagnostic setting: the platform metrics instead, which cannot tell key1 from key2', () =>
    withEmulator({ scenario: logged(false) }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      // The workspace and its datastore on key1 (3 days), the app on key2 (7 days), the script on
      // key1's former value (4 days signed, 3 refused): every request counts, logged or not.
      const accountKey = 72 + 72 + 168 + 96 + 72;
      assert.deepEqual(summaryTable(run.summary, TITLE), [
        ['Authentication', 'Requests (both keys)'],
        ['AccountKey', String(accountKey)],
        ['SAS', '0'],
      ]);
      assert.match(run.summary, /cannot tell key1 from key2/);
      const notice = run.annotations.find(
        (a) => a.level === 'notice' && /diagnostic setting/.test(a.message),
      );
      assert.match(
        notice?.message ?? '',
        new RegExp(
          `${accountKey} request\\(s\\) authorised with an account key and 0 with a SAS in the last 7 days`,
        ),
      );
      const usage = (run.report as { keyUsage: { metrics?: unknown } }).keyUsage;
      assert.deepEqual(usage.metrics, {
        status: 'read',
        timespan: (usage.metrics as { timespan: string }).timespan,
        byAuthentication: { AccountKey: accountKey },
      });
      assert.equal(emu.requests().filter((r) => r.operation === 'Metrics.list').length, 1);
    }));

  it('a refused query is named, and the run goes on without the evidence', () =>
    withEmulator(
      {
        scenario: logged(),
        faults: [
          {
            method: 'POST',
            path: /^\/v1\//,
            kind: 'status',
            status: 403,
            body: {
              error: {
                code: 'InsufficientAccessError',
                message:
                  'The provided credentials have insufficient access to perform the requested operation',
              },
            },
          },
        ],
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const warning = run.annotations.find(
          (a) => a.level === 'warning' && /Who uses each key/.test(a.message),
        );
        assert.match(warning?.message ?? '', /403 InsufficientAccessError/);
        assert.match(warning?.message ?? '', /Microsoft\.Insights\/logs\/\*\/read/);
        assert.equal((run.report as UsageReport).keyUsage.status, 'failed');
      },
    ));
});
