import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import { findLeaks } from './support/leaks.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';
import {
  act,
  regeneratedSince,
  report,
  snapshot,
  summaryTable,
  withEmulator,
  withoutCredentials,
} from './e2e/world.js';

const mark = (emu: Emulator) => snapshot(emu, [], [ACCOUNT]);
const holdsOf = (emu: Emulator, name: string) =>
  emu.holds(ACCOUNT, emu.datastore('ws-main', name)!.secret);
const withResync = (scenario: Scenario, resync: Scenario['resync']): Scenario => ({
  ...scenario,
  resync: { ...scenario.resync, ...resync },
});
const workspaceRow = (summary: string, name: string) => {
  const [header, ...rows] = summaryTable(summary, 'Workspaces');
  const row = rows.find((r) => r[0] === name)!;
  return (column: string) => row[header!.indexOf(column)]!;
};
const needsAttention = (summary: string) =>
  summary.split(/(?=<h3>)/).find((part) => part.startsWith('<h3>Needs attention</h3>')) ?? '';

describe('a resync that changes nothing', () => {
  it('fails the step, names the workspace and counts its copy invalid until the end of the run', () =>
    withEmulator(
      withResync(
        world({ key1: 100, key2: 50 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training', 'key1')]),
        ]),
        { takes: 'unchanged' },
      ),
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key1', notify: 'issue' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key1']);
        assert.equal(emu.holds(ACCOUNT, emu.workspaceKey('ws-main')), 'stale');

        const cell = workspaceRow(run.summary, 'ws-main');
        assert.match(cell('Resync'), /^failed: the resync completed, but .*neither/);
        assert.equal(cell('After the run'), 'stale');
        assert.notEqual(cell('Invalid for'), '0.0 s');
        const ws = report(run).workspaces.find((w) => w.workspace === 'ws-main')!;
        assert.ok((ws.invalidForMs ?? 0) > 0, 'counted until the end of the run');
        assert.match(needsAttention(run.summary), /ws-main/);
        assert.match(report(run).result.rerun ?? '', /key-name: none.*'ws-main'/s);
        const [issue] = emu.githubIssues();
        assert.ok(issue, 'an issue is opened');
        assert.match(issue.body, /Resync the keys of workspace ws-main: the resync completed/);
        // The datastore is still moved onto the new key1: the failure is the workspace's alone.
        assert.equal(holdsOf(emu, 'training'), 'key1');
      },
    ));

  it('stops a rotation of both keys before the second regeneration', () =>
    withEmulator(
      withResync(
        world({ key1: 100, key2: 50 }, [
          workspace('ws-main', 'stale', [keyedDatastore('training', 'key1')]),
        ]),
        { takes: 'unchanged' },
      ),
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs({ 'key-name': 'both' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        const regenerated = regeneratedSince(emu, before, ACCOUNT);
        assert.equal(regenerated.length, 1, `regenerated ${regenerated.join(', ')}`);
        assert.equal(run.outputs['regenerated-keys'], regenerated[0]);
        assert.match(needsAttention(run.summary), /ws-main/);
        assert.match(run.summary, /stopped before regenerating/i);
      },
    ));
});

describe('a regeneration whose answer was lost', () => {
  it('reads the keys back and reports the key as regenerated; a rerun with none finishes', () =>
    withEmulator(
      {
        scenario: withResync(
          world({ key1: 100, key2: 50 }, [
            workspace('ws-main', 'key2', [keyedDatastore('training', 'key2')]),
          ]),
          { takes: 'key2' },
        ),
        // Applied, then answered 500: every retry of the SDK applies it again.
        faults: [{ kind: 'lost-answer', path: '/regenerateKey', times: Infinity }],
      },
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.notEqual(emu.keys(ACCOUNT).key2, before.keys[ACCOUNT]!.key2);
        assert.ok(regeneratedSince(emu, before, ACCOUNT).every((k) => k === 'key2'));
        assert.equal(run.outputs['regenerated-keys'], 'key2');
        assert.equal(run.outputs['rotated'], 'true');
        assert.doesNotMatch(run.allText(), /No key was regenerated/);
        assert.match(report(run).result.rerun ?? '', /key-name: none.*onto key2/);
        assert.match(needsAttention(run.summary), /key2 was regenerated all the same/);
        assert.equal(workspaceRow(run.summary, 'ws-main')('After the run'), 'stale');
        // Moved off key2 before the regeneration: the datastore never broke.
        assert.equal(holdsOf(emu, 'training'), 'key1');

        emu.clearFaults();
        const rerun = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
        assert.equal(rerun.exitCode, 0, rerun.stdout);
        assert.equal(holdsOf(emu, 'training'), 'key2');
        assert.equal(emu.holds(ACCOUNT, emu.workspaceKey('ws-main')), 'key2');
      },
    ));
});

describe('a resync that does not finish', () => {
  it('is stopped by resync-timeout-minutes: a named failure, no regeneration, a report', () =>
    withEmulator(
      withResync(
        world({ key1: 100, key2: 50 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training', 'key1')]),
        ]),
        { durationMs: 3_600_000 },
      ),
      async (emu) => {
        const before = mark(emu);
        const run = await act(emu, {
          inputs: inputs({ 'key-name': 'key1', 'resync-timeout-minutes': '0.02' }),
        });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), []);
        assert.ok(run.report, 'the JSON report is written');
        assert.equal(report(run).result.failed, true);
        assert.match(
          workspaceRow(run.summary, 'ws-main')('Resync'),
          /^failed: the resync did not finish within 0\.02 minute\(s\) \(resync-timeout-minutes\)/,
        );
        assert.match(needsAttention(run.summary), /ws-main/);
      },
    ));
});

describe('a re-key keeps every property', () => {
  const OTHER_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000cc';
  it('of a datastore on an account in another subscription and of a full connection', () =>
    withEmulator(
      world({ key1: 100, key2: 50 }, [
        workspace(
          'ws-main',
          'key2',
          [
            {
              ...keyedDatastore('training', 'key1'),
              subscriptionId: OTHER_SUBSCRIPTION,
              resourceGroup: 'rg-data',
              description: 'training data',
              tags: { team: 'ml' },
              serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity',
            },
          ],
          {
            connections: [
              {
                name: 'blob_full',
                category: 'AzureBlob',
                authType: 'AccountKey',
                target: `https://${ACCOUNT}.blob.core.windows.net/`,
                holds: 'key1',
                metadata: { ContainerName: 'training', AccountName: ACCOUNT },
                isSharedToAll: true,
                expiryTime: '2030-01-01T00:00:00Z',
                sharedUserList: ['someone@example.com'],
              },
            ],
          },
        ),
      ]),
      async (emu) => {
        const datastoreBefore = structuredClone(emu.datastore('ws-main', 'training')!.properties);
        const connectionBefore = structuredClone(
          emu.connection('ws-main', 'blob_full')!.properties,
        );
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const datastore = emu.datastore('ws-main', 'training')!;
        assert.equal(emu.holds(ACCOUNT, datastore.secret), 'key1');
        assert.deepEqual(
          withoutCredentials(datastore.properties as Record<string, unknown>),
          withoutCredentials(datastoreBefore as Record<string, unknown>),
        );
        const connection = emu.connection('ws-main', 'blob_full')!;
        assert.equal(emu.holds(ACCOUNT, connection.secret), 'key1');
        assert.deepEqual(
          withoutCredentials(connection.properties as Record<string, unknown>),
          withoutCredentials(connectionBefore as Record<string, unknown>),
        );
      },
    ));
});

describe('secrets in what the action writes', () => {
  it('redacts a key that an error message carries across its truncation point', () =>
    withEmulator(
      world({ key1: 100, key2: 50 }, [
        workspace('ws-main', 'key2', [keyedDatastore('training', 'key1')]),
      ]),
      async (emu) => {
        // The key starts 30 characters before the 500th of the message: cut there first, the
        // 30 characters before the cut would no longer be the key, nor long enough to look like one.
        const key = emu.keys(ACCOUNT).key2;
        emu.addFault({
          kind: 'status',
          status: 400,
          method: 'PUT',
          path: '/datastores/training',
          body: { error: { code: 'UserError', message: `${'x'.repeat(469)} ${key} rest` } },
        });
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.match(run.stdout, /UserError: x+ \[redacted\] rest/);
      },
    ));

  it('never echoes a connection string given as storage-account', () =>
    withEmulator(
      world({ key1: 100, key2: 50 }, [workspace('ws-main', 'key1', [])]),
      async (emu) => {
        const pasted = `DefaultEndpointsProtocol=https;AccountName=${ACCOUNT};AccountKey=${emu.keys(ACCOUNT).key1};EndpointSuffix=core.windows.net`;
        const run = await act(emu, { inputs: inputs({ 'storage-account': pasted }) });
        assert.equal(run.exitCode, 1);
        assert.match(
          run.stdout,
          /::error::Invalid input: storage-account looks like a key, SAS token or connection string; its value is not shown/,
        );
        assert.deepEqual(findLeaks(run, [pasted]), []);
        assert.ok(!run.allText().includes('AccountKey='), 'no part of the connection string');
        assert.ok(run.maskedValues.includes(pasted), 'masked');
        assert.deepEqual(emu.writes(), []);
      },
    ));
});
