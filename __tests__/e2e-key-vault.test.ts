// Key Vault secrets as consumers, end to end on the emulator through the bundled action: a secret
// tagged the way Microsoft's dual-credential tutorial tags it (holding key2) and a named
// connection-string secret (holding key1). A dry run lists them with the key each holds; a rotation
// writes new versions (old ones untouched and enabled) and no secret is ever on a dead key; a
// secret the login cannot read blocks the regeneration of the key it may hold, and is named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Emulator } from '../emulator/server.js';
import type { Scenario } from '../emulator/scenario.js';
import type { ActionRun } from './support/action.js';
import {
  act,
  everInvalidSince,
  regeneratedSince,
  snapshot,
  summaryTable,
  withEmulator,
} from './e2e/world.js';
import {
  ACCOUNT,
  inputs,
  keyedDatastore,
  SUBSCRIPTION,
  workspace,
  world,
} from './e2e/scenarios.js';
import { NETWORK_GUARD_MODULE } from './support/paths.js';

const TAGGED = 'key-vault-secret:kv-apps/storage-key';
const CONNECTION = 'key-vault-secret:kv-apps/storage-conn';

/** key2 (400 days) is the older key, so auto regenerates it; the tagged secret holds it. */
function scenario(locked = false): Scenario {
  const s = world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
  ]);
  s.keyVaults = [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      secrets: [
        {
          name: 'storage-key',
          account: ACCOUNT,
          value: { key: 'key2' },
          tutorialTags: { validityPeriodDays: 60 },
          contentType: 'text/plain',
        },
        { name: 'storage-conn', account: ACCOUNT, value: { connectionString: 'key1' } },
        { name: 'unrelated', value: { text: 'not a storage key' } },
        ...(locked
          ? [{ name: 'locked', account: ACCOUNT, value: { key: 'key2' as const }, forbidden: true }]
          : []),
      ],
    },
  ];
  return s;
}

const HOUR = 3_600_000;
const SHIFTED_CLOCK = new URL('./support/shifted-clock.mjs', import.meta.url).href;
interface HeldReport {
  heldBack: { key: string; until?: string; because: string[] }[];
}

/** Runs the action at the emulator's time (moved on by advanceClock, if it was). */
function actNow(emu: Emulator, extra: Record<string, string>): Promise<ActionRun> {
  return act(emu, {
    inputs: inputs(extra),
    env: {
      NODE_OPTIONS: `--import=${pathToFileURL(NETWORK_GUARD_MODULE).href} --import=${SHIFTED_CLOCK}`,
      SHIFTED_CLOCK_MS: String(emu.clockOffsetMs()),
    },
  });
}

const vaultInput = (extra = '') => ({ 'key-vaults': `kv-apps\nkv-apps/storage-conn${extra}` });
const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const consumersTable = (run: ActionRun) => summaryTable(run.summary, 'Consumers of the account');
const versionsOf = (emu: Emulator, name: string) => emu.vaultSecret('kv-apps', name)!.versions;

describe('Key Vault secrets', () => {
  it('a dry run lists the secrets with the key each holds, and writes nothing', () =>
    withEmulator(scenario(), async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true', ...vaultInput() }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(emu.writes(), []);
      const rows = consumersTable(run).map((r) => r.join(' | '));
      const row = (name: string) => rows.find((r) => r.includes(name)) ?? '';
      assert.match(row('storage-key'), /key2/);
      assert.match(row('storage-conn'), /key1/);
      assert.ok(
        !rows.some((r) => r.includes('unrelated')),
        'a secret holding no key is no consumer',
      );
      const consumers = (run.report as { consumers: { name: string; keyHeld: string }[] })
        .consumers;
      assert.deepEqual(
        consumers
          .filter((c) => c.name.startsWith('storage-'))
          .map((c) => [c.name, c.keyHeld])
          .sort(),
        [
          ['storage-conn', 'key1'],
          ['storage-key', 'key2'],
        ],
      );
    }));

  it('grace-period-hours 0: one run writes new versions, keeps the old ones, no secret ever on a dead key', () =>
    withEmulator(scenario(), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const oldTagged = structuredClone(versionsOf(emu, 'storage-key'));
      const run = await act(emu, {
        inputs: inputs({ ...vaultInput(), 'grace-period-hours': '0' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      assert.deepEqual(everInvalidSince(emu, before), []);
      const keys = emu.keys(ACCOUNT);

      // Moved to key1 before key2 was regenerated, then onto the new key2 like every consumer.
      const tagged = versionsOf(emu, 'storage-key');
      assert.equal(tagged.length, 3);
      assert.deepEqual(tagged[0], oldTagged[0], 'the old version is untouched');
      assert.ok(
        tagged.every((v) => v.enabled),
        'no version is disabled',
      );
      assert.deepEqual(
        tagged.map((v) => [v.tags?.CredentialId, v.contentType, v.tags?.ValidityPeriodDays]),
        [
          ['key2', 'text/plain', '60'],
          ['key1', 'text/plain', '60'],
          ['key2', 'text/plain', '60'],
        ],
      );
      assert.equal(tagged[1]!.value, before.keys[ACCOUNT]!.key1);
      assert.equal(tagged[2]!.value, keys.key2);
      assert.ok(tagged[2]!.expires! > Date.now() + 59 * 86_400_000, 'expiry renewed');
      assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');

      // On key1, which stayed: moved once, onto the new key2, the connection string kept whole.
      const connection = versionsOf(emu, 'storage-conn');
      assert.equal(connection.length, 2);
      assert.equal(
        connection[1]!.value,
        connection[0]!.value.replace(before.keys[ACCOUNT]!.key1, keys.key2),
      );
      assert.equal(emu.vaultSecret('kv-apps', 'storage-conn')!.holds, 'key2');
      assert.equal(versionsOf(emu, 'unrelated').length, 1);
      assert.equal(run.outputs['secrets-updated'], '2', 'storage-key and storage-conn');
      assert.equal(run.outputs['secrets-failed'], '0');
      assert.ok(!emu.invalidConsumers().includes(TAGGED));
      assert.ok(!emu.invalidConsumers().includes(CONNECTION));
    }));

  it('the key a secret moved off is held back for the grace period; a run after it regenerates it', () =>
    withEmulator(scenario(), async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const first = await actNow(emu, vaultInput());
      assert.equal(first.exitCode, 0, first.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), [], 'key2 is kept');
      assert.equal(first.outputs['result'], 'drained');
      const [held] = (first.report as HeldReport).heldBack;
      assert.equal(held!.key, 'key2');
      const until = Date.parse(held!.until!);
      assert.ok(until > Date.now() + 23 * HOUR && until <= Date.now() + 24 * HOUR, held!.until);
      assert.deepEqual(held!.because, [
        "secret 'storage-key' (key vault 'kv-apps') moves off key2 in this run",
      ]);
      assert.match(first.summary, /key2 was not regenerated: it is held back/);
      assert.deepEqual(
        versionsOf(emu, 'storage-key').map((v) => v.tags?.CredentialId),
        ['key2', 'key1'],
      );
      // The summary and the report name the version written and from when key2 may go.
      const written = versionsOf(emu, 'storage-key')[1]!;
      const utc = (ms: number) =>
        `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      const [header, ...rows] = consumersTable(first);
      const cell = (name: string, column: string) =>
        rows.find((r) => r[header!.indexOf('Name')] === name)![header!.indexOf(column)];
      assert.equal(cell('storage-key', 'Where'), 'key vault kv-apps');
      assert.equal(cell('storage-key', 'Kind'), 'secret');
      assert.equal(cell('storage-key', 'Type'), 'raw key');
      assert.equal(
        cell('storage-key', 'Result'),
        `updated: holds key1, verified; new version ${written.version} (created ${utc(written.created)}); key2 may be regenerated from ${utc(until)} (grace period)`,
      );
      assert.equal(cell('training_data', 'Where'), 'workspace ws-main');
      assert.match(first.summary, / · 0 datastores and 1 secret moved · 0 failed · /);
      const row = (first.report as { consumers: Record<string, unknown>[] }).consumers.find(
        (c) => c['name'] === 'storage-key',
      )!;
      assert.equal(row['workspace'], undefined, 'a secret is not in a workspace');
      assert.deepEqual(row['where'], {
        kind: 'key-vault',
        name: 'kv-apps',
        resourceGroup: 'rg-apps',
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/kv-apps`,
      });
      assert.deepEqual((row['secret'] as { newVersion: unknown }).newVersion, {
        version: written.version,
        // Key Vault's attributes carry whole seconds.
        createdOn: new Date(Math.floor(written.created / 1000) * 1000).toISOString(),
      });
      assert.deepEqual((row['secret'] as { leaves: unknown }).leaves, {
        key: 'key2',
        until: held!.until,
      });
      assert.equal(versionsOf(emu, 'storage-conn').length, 1, 'already on key1');

      // A day later, less than the grace period after the new version: key2 is still held back.
      emu.advanceClock(23 * HOUR);
      const again = await actNow(emu, vaultInput());
      assert.equal(again.outputs['result'], 'drained');
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), []);

      emu.advanceClock(2 * HOUR);
      const later = await actNow(emu, vaultInput());
      assert.equal(later.exitCode, 0, later.stdout);
      assert.deepEqual(regeneratedSince(emu, before, ACCOUNT), ['key2']);
      assert.equal(later.outputs['result'], 'rotated');
      assert.deepEqual(everInvalidSince(emu, before), [], 'no secret was ever on a dead key');
      assert.equal(emu.vaultSecret('kv-apps', 'storage-key')!.holds, 'key2');
      assert.equal(emu.vaultSecret('kv-apps', 'storage-conn')!.holds, 'key2');
    }));

  it('a secret the login cannot read blocks the regeneration of the key it may hold, and is named', () =>
    withEmulator(scenario(true), async (emu) => {
      const run = await act(emu, {
        inputs: inputs({ ...vaultInput('\nkv-apps/locked'), 'grace-period-hours': '0' }),
      });
      assert.equal(run.exitCode, 1, run.stdout);
      assert.deepEqual(
        emu
          .writes()
          .filter(
            (w) =>
              w.status < 300 && w.status > 0 && w.operation === 'StorageAccounts.regenerateKey',
          ),
        [],
      );
      const [message] = errors(run);
      assert.match(message!, /secret 'locked' \(key vault 'kv-apps'\)/);
      assert.match(message!, /403 Forbidden/);
      assert.match(message!, /allow-outside-breakage: true/);
    }));
});
