// SAS consumers end to end: the bundled action against the emulator, whose storage service signs
// and checks real tokens. Asserted on the emulator's state, timeline and write log, never on the
// action's own report; the leak scan of every run (act) covers the tokens the emulator issued.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import {
  loadScenario,
  type ConnectionScenario,
  type DatastoreScenario,
} from '../emulator/scenario.js';
import { act, everInvalidSince, snapshot, summaryTable, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const sasDatastore = (
  name: string,
  signedWith: 'key1' | 'key2',
  sas: DatastoreScenario['sas'] = {},
  datastoreType = 'AzureBlob',
): DatastoreScenario => ({
  name,
  datastoreType,
  account: ACCOUNT,
  ...(datastoreType === 'AzureFile'
    ? { fileShareName: name.replace(/_/g, '-') }
    : { containerName: name.replace(/_/g, '-') }),
  credentials: 'Sas',
  signedWith,
  sas,
});

const sasConnection = (
  name: string,
  signedWith: 'key1' | 'key2',
  sas: ConnectionScenario['sas'] = {},
): ConnectionScenario => ({
  name,
  category: 'AzureBlob',
  authType: 'SAS',
  account: ACCOUNT,
  signedWith,
  sas,
});

/** SAS consumers signed by each key, of each kind, beside an AccountKey datastore. */
const SAS_DATASTORES = [
  sasDatastore('sas_container1', 'key1'),
  sasDatastore('sas_container2', 'key2', { version: '2018-11-09', startedDaysAgo: 1 }),
  sasDatastore('sas_account2', 'key2', { kind: 'account', version: '2020-12-06' }),
  sasDatastore('sas_share1', 'key1', { kind: 'share', version: '2015-04-05' }, 'AzureFile'),
  sasDatastore('sas_expired2', 'key2', { expiresInDays: -2 }),
  sasDatastore('sas_delegated', 'key1', { kind: 'user delegation' }),
];
const SAS_CONNECTIONS = [
  sasConnection('conn_account2', 'key2'),
  sasConnection('conn_account1', 'key1', { version: '2026-10-06' }),
];
/**
 * The scenario's world with a tenant ID that shares no 20 characters with the subscription ID: a
 * user delegation token carries the tenant ID (sktid), and the leak scan looks for any 20-character
 * piece of a token in what the action wrote, where the subscription ID is named.
 */
const sasWorld = (...args: Parameters<typeof world>) => ({
  ...world(...args),
  tenantId: '7d1c2b3a-4e5f-4a6b-8c9d-0e1f2a3b4c5d',
});
const scenario = () =>
  sasWorld({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1'), ...SAS_DATASTORES], {
      connections: SAS_CONNECTIONS,
    }),
  ]);

const before = (emu: Emulator) => snapshot(emu, [], [ACCOUNT]);
const sasIds = [
  ...SAS_DATASTORES.map((d) => `datastore:ws-main/${d.name}`),
  ...SAS_CONNECTIONS.map((c) => `connection:ws-main/${c.name}`),
];
/** Who signed each SAS consumer's token, as the emulator's storage service sees it now. */
function signers(emu: Emulator): Record<string, string> {
  const verdict = (id: string) => {
    const sas = emu.sas(id)!;
    return `${sas.valid ? 'valid' : 'invalid'} ${sas.signedWith ?? 'nobody'}`;
  };
  return Object.fromEntries(sasIds.map((id) => [id, verdict(id)]));
}
const validAtStart = (emu: Emulator) => sasIds.filter((id) => !emu.invalidConsumers().includes(id));

describe('SAS consumers end to end', () => {
  it('renew with key-name both: every SAS consumer valid at the start is valid at every moment and at the end', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const b = before(emu);
      const valid = validAtStart(emu);
      // The expired token is invalid from the start; every other one is valid.
      assert.deepEqual(
        sasIds.filter((id) => !valid.includes(id)),
        ['datastore:ws-main/sas_expired2'],
      );
      const run = await act(emu, { inputs: inputs({ 'key-name': 'both', sas: 'renew' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      const keys = emu.keys(ACCOUNT);
      assert.notEqual(keys.key1, b.keys[ACCOUNT]!.key1);
      assert.notEqual(keys.key2, b.keys[ACCOUNT]!.key2);
      // The workspace's own copy has its window with both keys (Azure ML picks the key a resync
      // gives it: see the README); every datastore and connection stays valid throughout.
      assert.deepEqual(
        everInvalidSince(emu, b).filter((id) => !id.startsWith('workspace:')),
        [],
      );
      assert.deepEqual(
        emu.invalidConsumers().filter((id) => valid.includes(id)),
        [],
      );
      // Key-signed tokens were re-issued; the user delegation one was never written to.
      const now = signers(emu);
      for (const id of valid.filter((v) => !v.endsWith('sas_delegated'))) {
        assert.match(now[id]!, /^valid key[12]$/, id);
      }
      const written = emu.writes().map((w) => w.path.toLowerCase());
      assert.ok(!written.some((p) => p.includes('sas_delegated') || p.includes('sas_expired2')));
      assert.ok(written.some((p) => p.endsWith('/datastores/sas_container1')));
      assert.ok(written.some((p) => p.endsWith('/connections/conn_account2')));
    }));

  it('renew with one key: the tokens it signed are re-issued before it is regenerated, the others are not touched', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const b = before(emu);
      const run = await act(emu, { inputs: inputs({ 'key-name': 'key2', sas: 'renew' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(everInvalidSince(emu, b), []);
      const writes = emu.writes();
      const regenerate = writes.find((w) => w.path.endsWith('/regenerateKey'))!;
      const firstWrite = (name: string) =>
        writes.find((w) => w.path.toLowerCase().endsWith(`/${name}`))?.seq ?? Infinity;
      for (const name of ['sas_container2', 'sas_account2', 'conn_account2']) {
        assert.ok(firstWrite(name) < regenerate.seq, name);
      }
      // Signed by key1, which stays: left alone.
      for (const name of ['sas_container1', 'sas_share1', 'conn_account1']) {
        assert.equal(firstWrite(name), Infinity, name);
      }
      assert.equal(signers(emu)['datastore:ws-main/sas_container2'], 'valid key2');
    }));

  it("renew under the account's Block SAS policy: a token it refuses is already broken and left alone, the others are re-issued", () =>
    withEmulator(
      {
        scenario: sasWorld(
          { key1: 120, key2: 400 },
          [
            workspace('ws-main', 'key1', [
              keyedDatastore('training_data', 'key1'),
              sasDatastore('sas_short2', 'key2', { startedDaysAgo: 1, expiresInDays: 3 }),
              sasDatastore('sas_long2', 'key2', { startedDaysAgo: 1, expiresInDays: 30 }),
              sasDatastore('sas_nostart2', 'key2', { expiresInDays: 3 }),
            ]),
          ],
          { sasPolicy: { sasExpirationPeriod: '7.00:00:00', expirationAction: 'Block' } },
        ),
      },
      async (emu) => {
        const b = before(emu);
        // The service refuses the long-lived token and the one without a start time already.
        assert.deepEqual(emu.invalidConsumers().sort(), [
          'datastore:ws-main/sas_long2',
          'datastore:ws-main/sas_nostart2',
        ]);
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key2', sas: 'renew' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.deepEqual(everInvalidSince(emu, b), []);
        assert.equal(emu.sas('datastore:ws-main/sas_short2')!.valid, true);
        const written = emu.writes().map((w) => w.path.toLowerCase());
        assert.ok(written.some((p) => p.endsWith('/datastores/sas_short2')));
        assert.ok(!written.some((p) => p.includes('sas_long2') || p.includes('sas_nostart2')));
      },
    ));

  it('skip-keys regenerates nothing that signs a live SAS token', () =>
    withEmulator(
      {
        scenario: sasWorld({ key1: 120, key2: 400 }, [
          workspace('ws-main', 'key2', [
            keyedDatastore('training_data', 'key1'),
            sasDatastore('sas_container2', 'key2'),
            sasDatastore('sas_expired1', 'key1', { expiresInDays: -2 }),
          ]),
        ]),
      },
      async (emu) => {
        const b = before(emu);
        const both = await act(emu, { inputs: inputs({ 'key-name': 'both', sas: 'skip-keys' }) });
        assert.equal(both.exitCode, 0, both.stdout);
        // key2 signs a live token: only key1 (whose only SAS has expired) was regenerated.
        assert.equal(emu.keys(ACCOUNT).key2, b.keys[ACCOUNT]!.key2);
        assert.notEqual(emu.keys(ACCOUNT).key1, b.keys[ACCOUNT]!.key1);
        assert.deepEqual(everInvalidSince(emu, b), []);

        const again = before(emu);
        const key2 = await act(emu, { inputs: inputs({ 'key-name': 'key2', sas: 'skip-keys' }) });
        assert.equal(key2.exitCode, 0, key2.stdout);
        assert.equal(key2.outputs.result, 'blocked-by-sas');
        assert.deepEqual(emu.keys(ACCOUNT), again.keys[ACCOUNT]);
        assert.ok(
          !emu.writes().some((w) => w.seq > again.seq && w.path.endsWith('/regenerateKey')),
        );
      },
    ));

  it('a dry run reads the signing key of each SAS consumer and writes nothing', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const run = await act(emu, {
        inputs: inputs({ 'key-name': 'both', sas: 'renew', 'dry-run': 'true' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.writes(), []);
      // Every SAS consumer's token was read (listSecrets), and nothing else was posted.
      const read = emu
        .requests()
        .filter((r) => /listsecrets$/i.test(r.path))
        .map((r) => r.path.split('/').at(-2)!.toLowerCase());
      for (const d of [...SAS_DATASTORES, ...SAS_CONNECTIONS])
        assert.ok(read.includes(d.name), d.name);
      // The summary names the key that signed each token, as the emulator's storage service has it.
      const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
      const column = (name: string) => header!.indexOf(name);
      for (const id of sasIds) {
        const name = id.split('/').at(-1)!;
        const row = rows.find((r) => r[column('Name')] === name);
        assert.ok(row, `a row for ${name}`);
        const sas = emu.sas(id)!;
        const expected =
          sas.signedWith === 'user delegation'
            ? /^user delegation \(unaffected\)/
            : sas.valid
              ? new RegExp(`^signed by ${sas.signedWith}; expires `)
              : /; expired /;
        assert.match(row[column('Key held / SAS signed by')]!, expected, name);
      }
    }));

  it('warn: the rotation breaks exactly the SAS consumers its key signed', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const b = before(emu);
      const run = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(everInvalidSince(emu, b), [
        'connection:ws-main/conn_account2',
        'datastore:ws-main/sas_account2',
        'datastore:ws-main/sas_container2',
      ]);
      assert.ok(!emu.writes().some((w) => /sas_|conn_/.test(w.path)));
    }));

  describe('every kind of token (scenario sas-kinds)', () => {
    // The tenant ID made distinct from the subscription ID, as above, for the leak scan.
    const kinds = () => ({
      ...loadScenario('sas-kinds'),
      tenantId: '7d1c2b3a-4e5f-4a6b-8c9d-0e1f2a3b4c5d',
    });
    const kindsInputs = (extra: Record<string, string>) => ({
      workspace: 'ws-sas',
      'resource-group': 'rg-sas',
      'storage-account': 'sasstore',
      'subscription-id': kinds().subscriptionId,
      ...extra,
    });

    it('a dry run reads every SAS token and writes nothing', () =>
      withEmulator({ scenario: kinds() }, async (emu) => {
        const run = await act(emu, { inputs: kindsInputs({ 'dry-run': 'true', sas: 'renew' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.deepEqual(emu.writes(), []);
        const read = new Set(
          emu
            .requests()
            .filter((r) => /listsecrets$/i.test(r.path))
            .map((r) => r.path.split('/').at(-2)!.toLowerCase()),
        );
        for (const ws of kinds().workspaces) {
          for (const c of [...(ws.datastores ?? []), ...(ws.connections ?? [])]) {
            assert.ok(read.has(c.name.toLowerCase()), c.name);
          }
        }
      }));

    it('renew with both keys stops before its first write: a blob and a file token on a datastore cannot be told apart', () =>
      withEmulator({ scenario: kinds() }, async (emu) => {
        const run = await act(emu, { inputs: kindsInputs({ 'key-name': 'both', sas: 'renew' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.deepEqual(emu.writes(), []);
        const error = run.annotations.find((a) => a.level === 'error')!.message;
        // A datastore names its container or share, not the blob or file such a token signs.
        assert.match(error, /datastore 'report_blob' \(workspace 'ws-sas'\): which key signed/);
        assert.match(error, /datastore 'config_file' \(workspace 'ws-sas'\): which key signed/);
      }));
  });
});
