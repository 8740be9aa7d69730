// The bundle on the runtime a runner gives it: ACTION_NODE (Node 24 in `npm run test:node24`,
// the runtime action.yml declares), else the node running the tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loadScenario, type Scenario } from '../emulator/scenario.js';
import { ACTION_NODE } from './support/paths.js';
import { act, snapshot, withEmulator, writesSince } from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const KEYED = ['workspaceblobstore', 'workspacefilestore', 'training_data'];
const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  ...extra,
});
const runtime = execFileSync(ACTION_NODE, ['-p', 'process.versions.node'], {
  encoding: 'utf8',
}).trim();

describe(`the bundle on Node ${runtime}`, () => {
  it('is the runtime asked for', () => {
    const expected = process.env.EXPECT_ACTION_NODE_MAJOR;
    if (expected) assert.equal(runtime.split('.')[0], expected, ACTION_NODE);
  });

  it('completes a dry run and changes nothing', () =>
    withEmulator('sample', async (emu) => {
      const before = snapshot(emu, [], [ACCOUNT]);
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.equal(run.outputs['result'], 'dry-run');
      assert.match(run.summary, /<h2>🔎 mlprodstore: Dry run: would regenerate key2 · /);
      assert.deepEqual(writesSince(emu, before), []);
    }));

  it('rotates, moves every account-key datastore onto the new key, and opens the issue', () =>
    withEmulator('sample', async (emu) => {
      const before = emu.keys(ACCOUNT);
      // key1 signed sas_exports' token: its regeneration breaks it, and an issue tells a person.
      const run = await act(emu, { inputs: inputs({ notify: 'issue', 'key-name': 'key1' }) });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.equal(run.outputs['rotated'], 'true');
      // key-name: key1 regenerates key1, and every account-key datastore ends on its new value.
      const active = 'key1';
      assert.notEqual(emu.keys(ACCOUNT)[active], before[active]);
      for (const name of KEYED) {
        assert.equal(emu.holds(ACCOUNT, emu.datastore('ws-prod', name)!.secret), active, name);
      }
      // The SAS datastore needs a new token (sas: warn): a person is told through an issue.
      assert.equal(emu.githubIssues().length, 1);
    }));

  // The Key Vault SDK and the inventory mode are chunks of their own, loaded on first use: each is
  // loaded once on this runtime too.
  it('moves a Key Vault secret onto the new key (the Key Vault chunk)', () =>
    withEmulator(withVault(), async (emu) => {
      const run = await act(emu, {
        inputs: inputs({ 'key-vaults': 'kv-apps', 'grace-period-hours': '0' }),
      });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.equal(run.outputs['secrets-updated'], '1');
      const secret = emu.vaultSecret('kv-apps', 'storage-key')!;
      assert.equal(secret.versions.length, 3, 'moved off key2, then onto the new key2');
      assert.equal(secret.holds, 'key2');
    }));

  it('lists the accounts in use (the inventory chunk)', () =>
    withEmulator('sample', async (emu) => {
      const run = await act(emu, {
        inputs: { mode: 'inventory', 'subscription-id': emu.subscriptionId },
      });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      const matrix = JSON.parse(run.outputs['accounts']!) as {
        include: { 'storage-account': string }[];
      };
      assert.deepEqual(matrix.include.map((a) => a['storage-account']).sort(), [
        'mlprodstore',
        'otherstore',
      ]);
    }));
});

/** The sample scenario with a tutorial-tagged secret that holds key2, the key auto regenerates. */
function withVault(): Scenario {
  const scenario = loadScenario('sample');
  scenario.keyVaults = [
    {
      resourceGroup: 'rg-ml',
      name: 'kv-apps',
      secrets: [
        { name: 'storage-key', account: ACCOUNT, value: { key: 'key2' }, tutorialTags: true },
      ],
    },
  ];
  return scenario;
}
