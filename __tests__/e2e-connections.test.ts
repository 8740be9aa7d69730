// Workspace connections on the account: AccountKey ones move with the datastores and are verified,
// SAS ones are reported, other connections are left alone. Checked on the emulator's state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionScenario } from '../emulator/scenario.js';
import { act, everInvalidSince, snapshot, summaryTable, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const connections: ConnectionScenario[] = [
  {
    name: 'blob_conn',
    category: 'AzureBlob',
    authType: 'AccountKey',
    account: ACCOUNT,
    holds: 'key2',
    metadata: { ContainerName: 'prompts', AccountName: ACCOUNT },
    isSharedToAll: true,
  },
  {
    name: 'lake_conn',
    category: 'ADLSGen2',
    authType: 'AccountKey',
    target: `https://${ACCOUNT}.dfs.core.windows.net/raw`,
    holds: 'key1',
  },
  {
    name: 'sas_conn',
    category: 'AzureBlob',
    authType: 'SAS',
    account: ACCOUNT,
    signedWith: 'key1',
  },
  {
    name: 'openai',
    category: 'AzureOpenAI',
    authType: 'ApiKey',
    target: 'https://example-openai.openai.azure.com/',
  },
  { name: 'elsewhere', category: 'AzureBlob', authType: 'AccountKey', account: 'otherstore' },
];

// key2 (400 days) is the older key: auto regenerates it; blob_conn holds it.
const scenario = () =>
  world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')], { connections }),
  ]);

describe('workspace connections', () => {
  it('a rotation re-keys AccountKey connections with zero downtime and keeps their other properties', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT, 'otherstore']);
      const was = (name: string) => structuredClone(emu.connection('ws-main', name)!);
      const untouched = ['sas_conn', 'openai', 'elsewhere'].map((n) => [n, was(n)] as const);
      const blob = was('blob_conn');
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 0, run.stdout);
      const keys = emu.keys(ACCOUNT);
      assert.notEqual(keys.key2, before.keys[ACCOUNT]!.key2);
      for (const name of ['blob_conn', 'lake_conn']) {
        assert.equal(emu.connection('ws-main', name)!.secret, keys.key2, name);
      }
      assert.equal(emu.datastore('ws-main', 'training_data')!.secret, keys.key2);
      const after = emu.connection('ws-main', 'blob_conn')!;
      assert.equal(after.properties.isSharedToAll, true);
      assert.deepEqual(after.properties.metadata, blob.properties.metadata);
      assert.equal(after.properties.target, blob.properties.target);
      for (const [name, connection] of untouched) {
        assert.deepEqual(emu.connection('ws-main', name), connection, name);
      }
      assert.ok(
        !emu.writes().some((w) => /connections\/(openai|elsewhere|sas_conn)$/.test(w.path)),
      );
      // Only the SAS connection (signed with key1, which stays) may be invalid: nothing broke.
      assert.deepEqual(everInvalidSince(emu, before), []);
      assert.equal(run.outputs['connections-updated'], '2');
      assert.equal(run.outputs['connections-failed'], '0');
      const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
      const result = (name: string) =>
        rows.find((r) => r[header!.indexOf('Name')] === name)?.[header!.indexOf('Result')];
      for (const name of ['blob_conn', 'lake_conn', 'training_data']) {
        assert.equal(result(name), 'updated: holds new key2, verified', name);
      }
      assert.doesNotMatch(result('sas_conn') ?? 'missing', /updated|FAILED|missing/);
    }));

  it('a dry run names every connection on the account with the key it holds, and writes nothing', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.writes(), []);
      assert.match(
        run.stdout,
        /connection blob_conn: AzureBlob .*AccountKey credentials, holds key2/,
      );
      assert.match(run.stdout, /connection lake_conn: ADLSGen2 .*holds key1/);
      assert.match(
        run.stdout,
        /connection sas_conn: AzureBlob .*SAS credentials, SAS token signed by key1/,
      );
      assert.doesNotMatch(run.stdout, /connection openai|connection elsewhere/);
      const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      // key1, which signed sas_conn's token, stays (auto passes it over): no SAS consumer breaks.
      assert.deepEqual(
        warnings.filter((w) => /SAS/.test(w)),
        [],
      );
    }));

  it('a connection that loses the write fails, its key is not regenerated, and a rerun converges', () =>
    withEmulator(
      {
        scenario: world({ key1: 120, key2: 400 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')], {
            connections: [{ ...connections[0]!, loseUpdate: true }],
          }),
        ]),
      },
      async (emu) => {
        const before = snapshot(emu, [], [ACCOUNT]);
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 1, run.stdout);
        // blob_conn still holds key2, so key2 must not have been regenerated.
        assert.equal(emu.keys(ACCOUNT).key2, before.keys[ACCOUNT]!.key2);
        assert.deepEqual(everInvalidSince(emu, before), []);
        const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
        assert.ok(
          errors.some((e) =>
            e.includes("connection 'blob_conn' (workspace 'ws-main'): the service accepted"),
          ),
        );
      },
    ));

  it('an outside workspace whose connection holds the key stops the run, naming the connection', () =>
    withEmulator(
      {
        scenario: world({ key1: 120, key2: 400 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
          workspace('ws-ai', 'key1', [], {
            storageAccount: 'otherstore',
            connections: [connections[0]!],
          }),
        ]),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs() });
        // auto passes over key2 (held outside) and regenerates key1 instead.
        assert.equal(run.exitCode, 0, run.stdout);
        assert.ok(!emu.writes().some((w) => /ws-ai/.test(w.path)));
        const refused = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
        assert.equal(refused.exitCode, 1);
        const [error] = refused.annotations.filter((a) => a.level === 'error');
        assert.match(error!.message, /connection 'blob_conn' \(workspace 'ws-ai'\) holds key2/);
      },
    ));
});
