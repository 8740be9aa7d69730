// The reads the key-usage evidence needs, in the permission check: a missing one is a warning for
// a plain rotation, and under require-unused-days the key is not regenerated — a log table the
// login may not read is left out of the query's answer without an error (table-level RBAC).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { act, regeneratedSince, snapshot, withEmulator } from './e2e/world.js';
import {
  ACCOUNT,
  inputs,
  keyedDatastore,
  SUBSCRIPTION,
  workspace,
  world,
} from './e2e/scenarios.js';

const LOGS_WORKSPACE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ml/providers/Microsoft.OperationalInsights/workspaces/logs`;
const ALL_LOGS = [
  {
    name: 'to-logs',
    workspaceId: LOGS_WORKSPACE,
    logs: [{ categoryGroup: 'allLogs', enabled: true }],
  },
];
const NO_FILE_LOGS = 'Microsoft.Insights/logs/StorageFileLogs/read';

/** key1 40 days old, key2 100; the workspace and its datastore on key1, so key2 is long free; all four services logged. */
function scenario(notActions: string[] = []): Scenario {
  const s = world(
    { key1: 40, key2: 100 },
    [workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')])],
    {
      diagnosticSettings: { blob: ALL_LOGS, file: ALL_LOGS, queue: ALL_LOGS, table: ALL_LOGS },
    },
  );
  s.permissions = { actions: ['*'], notActions };
  return s;
}

const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

interface PermissionsReport {
  heldBack: { key: string; because: string[] }[];
  permissions: { action: string; allowed?: boolean; evidence?: boolean }[];
}

describe('the reads the key-usage evidence needs', () => {
  it('with every read, require-unused-days regenerates a key the logs prove unused', () =>
    withEmulator(scenario(), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await act(emu, {
        inputs: inputs({ 'key-name': 'key2', 'require-unused-days': '7' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      const checked = (run.report as PermissionsReport).permissions.filter((p) => p.evidence);
      assert.deepEqual(
        checked.map((p) => [p.action, p.allowed]),
        [
          ['Microsoft.Insights/diagnosticSettings/read', true],
          ['Microsoft.Insights/logs/StorageBlobLogs/read', true],
          [NO_FILE_LOGS, true],
          ['Microsoft.Insights/logs/StorageQueueLogs/read', true],
          ['Microsoft.Insights/logs/StorageTableLogs/read', true],
        ],
      );
    }));

  it('a log table the login may not read: under require-unused-days the key is not regenerated', () =>
    withEmulator(scenario([NO_FILE_LOGS]), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await act(emu, {
        inputs: inputs({ 'key-name': 'key2', 'require-unused-days': '7' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), []);
      const held = (run.report as PermissionsReport).heldBack.find((h) => h.key === 'key2');
      assert.match(held?.because.join(' ') ?? '', /the login may not read StorageFileLogs/);
      assert.ok(warnings(run).some((w) => /lacks reads the key-usage evidence needs/.test(w)));
    }));

  it('a plain rotation goes on: the missing read is a warning and the check shows it', () =>
    withEmulator(scenario([NO_FILE_LOGS]), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      const warning = warnings(run).find((w) => /lacks reads the key-usage evidence needs/.test(w));
      assert.match(warning ?? '', new RegExp(`${NO_FILE_LOGS} on ${ACCOUNT}`));
      assert.match(run.summary, /missing \(key-usage evidence only\)/);
      assert.doesNotMatch(run.summary, /Permissions: \d+ MISSING/);
    }));
});
