// refresh-apps end to end on the emulator through the bundled action: an App Service app whose
// Key Vault reference reads the tagged secret. After a rotation that wrote the secret's new
// version the app resolves it at once; a dry run refreshes nothing and says what it would; a
// refresh the login may not make is a warning naming the app, and the run still succeeds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import type { Scenario } from '../emulator/scenario.js';
import type { ActionRun } from './support/action.js';
import { act, withEmulator } from './e2e/world.js';
import {
  ACCOUNT,
  inputs,
  keyedDatastore,
  SUBSCRIPTION,
  workspace,
  world,
} from './e2e/scenarios.js';

const APP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Web/sites/web-orders`;

/** key2 is the older key; the tagged secret holds it, and the app reads the secret. */
function scenario(refreshRefused = false): Scenario {
  const s = world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
  ]);
  s.keyVaults = [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      secrets: [
        { name: 'storage-key', account: ACCOUNT, value: { key: 'key2' }, tutorialTags: true },
      ],
    },
  ];
  s.webApps = [
    {
      resourceGroup: 'rg-web',
      name: 'web-orders',
      keyVaultReferences: [{ setting: 'STORAGE_KEY', vault: 'kv-apps', secret: 'storage-key' }],
    },
  ];
  if (refreshRefused) {
    s.permissions = {
      actions: ['*'],
      overrides: [
        {
          scope: 'sites/web-orders',
          actions: ['*'],
          notActions: ['Microsoft.Web/sites/config/write'],
        },
      ],
    };
  }
  return s;
}

const refreshInputs = (extra: Record<string, string> = {}) =>
  inputs({ 'key-vaults': 'kv-apps', 'refresh-apps': APP_ID, 'grace-period-hours': '0', ...extra });

interface AppRefreshReport {
  appRefresh?: {
    app: string;
    result: string;
    error?: string;
    references: { setting: string; secret: string; onNewVersion: boolean; newVersion: string }[];
  }[];
}
const appRows = (run: ActionRun) => (run.report as AppRefreshReport).appRefresh ?? [];
const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const refreshes = (emu: Emulator) =>
  emu.requests().filter((r) => r.operation === 'WebApps.refreshAppSettingsKeyVaultReferences');

describe('refresh-apps', () => {
  it("after the secret's new version, the app's reference resolves to it at once", () =>
    withEmulator(scenario(), async (emu) => {
      const before = emu.appReferences('web-orders')![0]!.activeVersion;
      const run = await act(emu, { inputs: refreshInputs() });
      assert.equal(run.exitCode, 0, run.stdout);
      const versions = emu.vaultSecret('kv-apps', 'storage-key')!.versions;
      assert.ok(versions.length > 1, 'the secret got new versions');
      const newest = versions.at(-1)!.version;
      assert.notEqual(before, newest);
      const [reference] = emu.appReferences('web-orders')!;
      assert.deepEqual([reference!.status, reference!.activeVersion], ['Resolved', newest]);
      assert.equal(refreshes(emu).length, 1);
      assert.deepEqual(appRows(run), [
        {
          app: 'web-orders',
          resourceGroup: 'rg-web',
          id: APP_ID,
          result: 'refreshed',
          references: [
            {
              setting: 'STORAGE_KEY',
              secret: 'kv-apps/storage-key',
              onNewVersion: true,
              status: 'Resolved',
              activeVersion: newest,
              newVersion: newest,
            },
          ],
        },
      ]);
      assert.ok(!warnings(run).some((w) => w.includes('web-orders')), warnings(run).join('\n'));
      assert.match(run.summary, /Apps \(Key Vault references\)/);
    }));

  it('a dry run refreshes nothing and says which apps it would refresh', () =>
    withEmulator(scenario(), async (emu) => {
      const before = emu.appReferences('web-orders');
      const run = await act(emu, { inputs: refreshInputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.writes(), []);
      assert.equal(refreshes(emu).length, 0);
      assert.deepEqual(emu.appReferences('web-orders'), before);
      assert.deepEqual(
        appRows(run).map((r) => [r.app, r.result]),
        [['web-orders', 'would refresh']],
      );
      assert.match(run.stdout, /Would refresh: web-orders/);
    }));

  it('a refused refresh is a warning naming the app; the run succeeds with the secrets moved', () =>
    withEmulator(scenario(true), async (emu) => {
      const before = emu.appReferences('web-orders')![0]!.activeVersion;
      const run = await act(emu, { inputs: refreshInputs() });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.equal(run.outputs['result'], 'rotated');
      assert.equal(run.outputs['secrets-failed'], '0');
      assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');
      assert.equal(emu.appReferences('web-orders')![0]!.activeVersion, before, 'not refreshed');
      const [row] = appRows(run);
      assert.equal(row!.result, 'failed');
      assert.match(
        row!.error!,
        /the refresh failed: .*AuthorizationFailed|does not have authorization/,
      );
      const named = warnings(run).filter((w) => w.includes('web-orders'));
      assert.ok(
        named.some((w) => /lacks Microsoft\.Web\/sites\/config\/write/.test(w)),
        'the preflight warns',
      );
      assert.ok(
        named.some((w) => /^App web-orders: the refresh failed/.test(w)),
        named.join('\n'),
      );
      // Once, and where a person looks: the report's attention list (the summary, the issue).
      assert.equal(named.filter((w) => /^App web-orders: the refresh failed/.test(w)).length, 1);
      const { attention } = run.report as { attention: string[] };
      assert.ok(attention.some((line) => /^App web-orders: the refresh failed/.test(line)));
    }));
});
