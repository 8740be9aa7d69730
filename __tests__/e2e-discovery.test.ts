import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario } from '../emulator/scenario.js';
import {
  act,
  everInvalidSince,
  report,
  snapshot,
  summaryTable,
  withEmulator,
} from './e2e/world.js';

describe('discovery report and dry run', () => {
  it('lists exactly the datastores on the account, with the key each holds, and writes nothing', () =>
    withEmulator('sample', async (emu) => {
      const run = await act(emu, {
        inputs: {
          workspace: 'ws-prod',
          'resource-group': 'rg-ml',
          'storage-account': 'mlprodstore',
          'dry-run': 'true',
        },
      });
      assert.equal(run.exitCode, 0, run.stdout);
      const r = report(run);
      assert.equal(r.mode, 'dry-run');
      const rows = Object.fromEntries(r.consumers.map((d) => [d.name, d]));
      assert.deepEqual(Object.keys(rows).sort(), [
        'identity_blob',
        'lake',
        'sas_exports',
        'training_data',
        'workspaceblobstore',
        'workspacefilestore',
      ]);
      for (const name of ['workspaceblobstore', 'workspacefilestore', 'training_data']) {
        const held = emu.holds('mlprodstore', emu.datastore('ws-prod', name)!.secret);
        assert.equal(rows[name]!.keyHeld, held, name);
      }
      assert.equal(rows['sas_exports']!.credentials, 'Sas');
      assert.equal(rows['identity_blob']!.credentials, 'None');
      assert.equal(r.workspaces[0]!.keyHeld, emu.holds('mlprodstore', emu.workspaceKey('ws-prod')));
      assert.deepEqual(emu.writes(), [], 'a dry run makes no write');
      assert.equal(run.outputs['rotated'], 'false');
      assert.match(run.summary, /dry run/);
      assert.match(run.summary, /<h3>Plan<\/h3>/);
      assert.match(run.summary, /1 datastore\(s\) and connection\(s\) on other accounts/);
    }));

  it('follows every page of a workspace with many datastores', () =>
    withEmulator('paged', async (emu) => {
      const run = await act(emu, {
        inputs: {
          workspace: 'ws-big',
          'resource-group': 'rg-big',
          'storage-account': 'bigstore',
          'dry-run': 'true',
        },
      });
      assert.equal(run.exitCode, 0, run.stdout);
      const listed = emu
        .requests()
        .filter((q) => q.method === 'GET' && /\/datastores$/i.test(q.path));
      assert.ok(listed.length >= 2, 'more than one page was read');
      const onAccount = emu.consumers().filter((c) => c.id.startsWith('datastore:ws-big/')).length;
      const keyedRows = report(run).consumers.filter((d) => d.credentials === 'AccountKey').length;
      assert.equal(keyedRows, onAccount);
    }));
});

describe('several workspaces sharing one account', () => {
  const shared =
    '/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/sharedstore';
  for (const takes of ['newest', 'key1', 'key2'] as const) {
    it(`rotates the older key, datastores never on a dead key, when resyncKeys takes ${takes}`, async () => {
      const base = loadScenario('multi-workspace');
      const scenario = { ...base, resync: { ...base.resync, takes } };
      await withEmulator(scenario, async (emu) => {
        const before = snapshot(emu, [], ['sharedstore', 'teamcstore']);
        const run = await act(emu, {
          inputs: {
            workspace: '*',
            'storage-account': shared.replace(
              '00000000-0000-0000-0000-000000000002',
              emu.subscriptionId,
            ),
          },
        });
        assert.equal(run.exitCode, 0, run.stdout);
        const broken = everInvalidSince(emu, before).filter((id) => !id.includes('features'));
        // Settled by a resync, both workspaces hold what resyncKeys gives. auto regenerates the
        // older key1 (200 days): when resyncKeys keeps giving key1, no resync can move the
        // workspaces off it, and their own copies are invalid until the resync right after.
        const windows = takes === 'key1' ? ['workspace:ws-team-a', 'workspace:ws-team-b'] : [];
        assert.deepEqual(broken, windows);
        assert.notEqual(emu.keys('sharedstore').key1, before.keys['sharedstore']!.key1);
        assert.equal(emu.keys('sharedstore').key2, before.keys['sharedstore']!.key2);
        for (const [ws, name] of [
          ['ws-team-a', 'workspaceblobstore'],
          ['ws-team-a', 'workspacefilestore'],
          ['ws-team-b', 'workspaceblobstore'],
          ['ws-team-c', 'shared_reference'],
        ] as const) {
          assert.equal(
            emu.holds('sharedstore', emu.datastore(ws, name)!.secret),
            'key1',
            `${ws}/${name}`,
          );
        }
        assert.deepEqual(
          emu.keys('teamcstore'),
          before.keys['teamcstore'],
          'the other account is untouched',
        );
        assert.ok(
          !emu.writes().some((w) => w.path.includes('ws-team-c/datastores/workspaceblobstore')),
        );
      });
    });
  }
});

describe('stale consumers', () => {
  it('repairs datastores whose key matches neither key', () =>
    withEmulator('stale', async (emu) => {
      for (const name of ['forgotten', 'old_share']) {
        assert.equal(emu.holds('stalestore', emu.datastore('ws-stale', name)!.secret), 'stale');
      }
      const keysBefore = emu.keys('stalestore');
      const run = await act(emu, {
        inputs: {
          workspace: 'ws-stale',
          'resource-group': 'rg-ml',
          'storage-account': 'stalestore',
          'key-name': 'none',
        },
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.keys('stalestore'), keysBefore, 'key-name none regenerates nothing');
      // Onto the newest key: key1 (60 days; key2 is 500).
      for (const name of ['forgotten', 'old_share', 'workspaceblobstore']) {
        assert.equal(
          emu.holds('stalestore', emu.datastore('ws-stale', name)!.secret),
          'key1',
          name,
        );
      }
      const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
      const forgotten = rows.find((row) => row[header!.indexOf('Name')] === 'forgotten')!;
      assert.equal(forgotten[header!.indexOf('Key held / SAS signed by')], 'stale');
      assert.match(run.summary, /matches neither key/);
    }));
});
