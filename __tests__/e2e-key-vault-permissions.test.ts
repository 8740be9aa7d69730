// What the login may do on a Key Vault's secrets is checked before the first write, end to end on
// the emulator through the bundled action: an RBAC vault's data actions at the scope of each secret
// the run re-keys (a role on that one secret counts), an access-policy vault's entries for the login
// (named by its token). A missing one stops the run before any write with what to grant; no entry
// naming the login (a group may grant it) is a warning, and a refused write still fails safe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import type { KeyVaultScenario, Scenario } from '../emulator/scenario.js';
import type { ActionRun } from './support/action.js';
import { act, regeneratedSince, snapshot, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const GET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
const LIST = 'Microsoft.KeyVault/vaults/secrets/readMetadata/action';
const SET = 'Microsoft.KeyVault/vaults/secrets/setSecret/action';
const LOGIN = '5f1c0e0a-0000-4000-8000-00000000c0de';

/**
 * key2 (400 days) is the older key, so auto regenerates it; the tagged secret holds key2 and moves
 * off it (grace-period-hours 0: in the same run). `unrelated` holds no key and is never written.
 */
function scenario(vault: Partial<KeyVaultScenario>, permissions?: Scenario['permissions']) {
  const s = world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
  ]);
  s.entra = { principalId: LOGIN };
  if (permissions) s.permissions = permissions;
  s.keyVaults = [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      secrets: [
        { name: 'storage-key', account: ACCOUNT, value: { key: 'key2' }, tutorialTags: true },
        { name: 'unrelated', value: { text: 'not a storage key' } },
      ],
      ...vault,
    },
  ];
  return s;
}

const policies = (...entries: { objectId?: string; secrets: string[] }[]) => ({
  enableRbacAuthorization: false,
  accessPolicies: entries.map(({ objectId, secrets }) => ({
    ...(objectId ? { objectId } : {}),
    permissions: { secrets },
  })),
});

const rotate = (emu: Emulator, extra: Record<string, string> = {}) =>
  act(emu, {
    inputs: inputs({ 'key-vaults': 'kv-apps', 'grace-period-hours': '0', ...extra }),
  });
const errorOf = (run: ActionRun) => run.annotations.find((a) => a.level === 'error')?.message ?? '';
const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const versionsOf = (emu: Emulator, name: string) => emu.vaultSecret('kv-apps', name)!.versions;

/** Nothing written anywhere: no key, datastore, connection or secret version (any status). */
function assertNoWrite(emu: Emulator): void {
  assert.deepEqual(
    emu.writes().map((w) => `${w.method} ${w.path}`),
    [],
  );
  assert.equal(versionsOf(emu, 'storage-key').length, 1);
}

describe('Key Vault permissions before the first write', () => {
  it('RBAC vault, the login may read the secrets but not write them: one error before any write', () =>
    withEmulator(scenario({}, { actions: ['*'], dataActions: [GET, LIST] }), async (emu) => {
      const run = await rotate(emu);
      assert.notEqual(run.exitCode, 0, run.stdout);
      const message = errorOf(run);
      assert.match(message, /lacks permissions this rotation needs \(kv-apps\/storage-key: /);
      assert.ok(message.includes(SET), message);
      assert.ok(!message.includes(GET), 'getSecret is granted: not named');
      assert.match(message, /Nothing was changed\./);
      assert.match(message, /role\/aml-storage-key-rotation-key-vault\.json/);
      assertNoWrite(emu);
    }));

  it('a role on that one secret grants setSecret: the run re-keys it and regenerates the key', () =>
    withEmulator(
      scenario(
        {},
        {
          actions: ['*'],
          dataActions: [GET, LIST],
          overrides: [
            {
              scope: 'vaults/kv-apps/secrets/storage-key',
              actions: ['*'],
              dataActions: [GET, SET],
            },
          ],
        },
      ),
      async (emu) => {
        const before = snapshot(emu, [], [ACCOUNT]);
        const run = await rotate(emu);
        assert.equal(run.exitCode, 0, run.stdout);
        assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
        assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');
        assert.equal(versionsOf(emu, 'storage-key').length, 3, 'moved to key1, then to new key2');
        assert.equal(versionsOf(emu, 'unrelated').length, 1);
      },
    ));

  it('access-policy vault whose entry for the login has get and list only: refused before any write', () =>
    withEmulator(scenario(policies({ objectId: LOGIN, secrets: ['get', 'list'] })), async (emu) => {
      const run = await rotate(emu);
      assert.notEqual(run.exitCode, 0, run.stdout);
      const message = errorOf(run);
      assert.match(message, /\(kv-apps: secrets set \(access policy\)\)\. Nothing was changed\./);
      assert.ok(
        message.includes(
          `az keyvault set-policy --name kv-apps --object-id ${LOGIN} --secret-permissions get list set`,
        ),
        message,
      );
      assertNoWrite(emu);
    }));

  it('no entry names the login, a group grants it: a warning, and the run goes on', () =>
    withEmulator(scenario(policies({ secrets: ['get', 'list', 'set'] })), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await rotate(emu);
      assert.equal(run.exitCode, 0, run.stdout);
      assert.ok(
        warnings(run).some((w) =>
          w.startsWith(
            `No access policy of key vault 'kv-apps' names the login (object ID ${LOGIN})`,
          ),
        ),
        warnings(run).join('\n'),
      );
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');
    }));

  it('no entry names the login, and the group lacks set: a warning; the refused write fails safe', () =>
    withEmulator(scenario(policies({ secrets: ['get', 'list'] })), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await rotate(emu);
      assert.notEqual(run.exitCode, 0, run.stdout);
      assert.ok(warnings(run).some((w) => w.includes('names the login')));
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), [], 'key2 is kept');
      assert.equal(versionsOf(emu, 'storage-key').length, 1);
      assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');
      const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      assert.ok(
        errors.some((e) => e.includes("'storage-key'") && e.includes('403')),
        errors.join('\n'),
      );
    }));

  it('a dry run reports the missing data action as a rotation would meet it, without failing', () =>
    withEmulator(scenario({}, { actions: ['*'], dataActions: [GET, LIST] }), async (emu) => {
      const run = await rotate(emu, { 'dry-run': 'true' });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.ok(
        warnings(run).some(
          (w) =>
            w.startsWith('A rotation would fail: ') && w.includes(`kv-apps/storage-key: ${SET}`),
        ),
        warnings(run).join('\n'),
      );
      const report = run.report as {
        missingPermissions?: string;
        permissions: { name: string; action: string; allowed?: boolean }[];
      };
      assert.ok(report.missingPermissions?.includes(SET));
      assert.deepEqual(
        report.permissions
          .filter((p) => p.name === 'kv-apps/storage-key')
          .map((p) => [p.action, p.allowed]),
        [
          [GET, true],
          [SET, false],
        ],
      );
      assertNoWrite(emu);
    }));
});
