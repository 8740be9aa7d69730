// Fail safe where the action cannot see: what it cannot read counts as a holder of either key; a
// named key is an order; '*' covers the account's own subscription; a rerun after a complete run
// writes nothing, even when the resync picks the older key. Checked on the emulator's state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import type { Scenario } from '../emulator/scenario.js';
import type { ActionRun } from './support/action.js';
import {
  act,
  everInvalidSince,
  regeneratedSince,
  report,
  snapshot,
  withEmulator,
  writesSince,
} from './e2e/world.js';
import {
  ACCOUNT,
  inputs,
  keyedDatastore,
  SUBSCRIPTION,
  workspace,
  world,
} from './e2e/scenarios.js';

const before = (emu: Emulator) => snapshot(emu, [], [ACCOUNT]);
const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
/** The summary as plain text, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');

const ML = 'Microsoft.MachineLearningServices/workspaces';
const LIST_SECRETS = `${ML}/datastores/listsecrets/action`;
const LIST_KEYS = `${ML}/listKeys/action`;

/**
 * ws-main is managed; ws-other, outside it, uses the account as default storage and holds key1
 * in its own copy and in shared_from_main. The login may not do `denied` in ws-other.
 */
function unseen(denied: string): Scenario {
  const scenario = world({ key1: 10, key2: 12 }, [
    workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key2')]),
    workspace('ws-other', 'key1', [keyedDatastore('shared_from_main', 'key1')]),
  ]);
  scenario.permissions = {
    actions: ['*'],
    overrides: [{ scope: 'workspaces/ws-other', actions: ['*'], notActions: [denied] }],
  };
  return scenario;
}

describe('what the run cannot read counts as a holder of either key', () => {
  for (const [what, denied, named] of [
    [
      "an outside datastore's secret",
      LIST_SECRETS,
      /the secret of datastore 'shared_from_main' \(workspace 'ws-other'\) \(403 AuthorizationFailed/,
    ],
    [
      "an outside workspace's own key",
      LIST_KEYS,
      /the own storage key of workspace 'ws-other' \(403 AuthorizationFailed/,
    ],
  ] as const) {
    it(`403 on ${what}: key-name key1 is refused before any write, naming it`, () =>
      withEmulator(unseen(denied), async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.deepEqual(emu.writes(), []);
        assert.equal(run.outputs['result'], 'blocked');
        const [message] = errors(run);
        assert.match(message!, /may break what this run could not read/);
        assert.match(message!, named);
        assert.match(message!, /allow-outside-breakage: true/);
        assert.match(text(run.summary), named);
      }));

    it(`403 on ${what}: allow-outside-breakage proceeds and still names it as unchecked`, () =>
      withEmulator(unseen(denied), async (emu) => {
        const b = before(emu);
        const run = await act(emu, {
          inputs: inputs({ 'key-name': 'key1', 'allow-outside-breakage': 'true' }),
        });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.deepEqual(regeneratedSince(emu, b, ACCOUNT), ['key1']);
        assert.ok(!emu.writes().some((w) => /ws-other/i.test(w.path)), 'nothing outside written');
        assert.ok(warnings(run).some((w) => /could not be read/.test(w) && named.test(w)));
        const summary = text(run.summary);
        assert.match(summary, /Could not be read \(each may hold either key\)/);
        assert.match(summary, named);
      }));
  }
});

describe('an explicit key-name is an order', () => {
  it('key1 under a 365-day key policy, keys 10 and 12 days old: key1 is regenerated now', () =>
    withEmulator(
      world(
        { key1: 10, key2: 12 },
        [workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key1')])],
        { keyPolicy: { keyExpirationPeriodInDays: 365 } },
      ),
      async (emu) => {
        const b = before(emu);
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.deepEqual(regeneratedSince(emu, b, ACCOUNT), ['key1']);
        assert.equal(run.outputs['result'], 'rotated');
        assert.equal(emu.datastore('ws-main', 'training_data')!.secret, emu.keys(ACCOUNT).key1);
        assert.deepEqual(everInvalidSince(emu, b), []);
        assert.match(report(run).decision, /the age limit applies to auto only/);
      },
    ));
});

describe("workspace: '*' covers the storage account's own subscription", () => {
  const ELSEWHERE = '00000000-0000-0000-0000-00000000000b';
  const scenario = () => {
    const s = world({ key1: 10, key2: 12 }, [
      workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key1')]),
      workspace('ws-far', 'key2', [keyedDatastore('far_data', 'key1')], {
        subscriptionId: ELSEWHERE,
        resourceGroup: 'rg-far',
      }),
    ]);
    Object.assign(s.storageAccounts[0]!, { subscriptionId: ELSEWHERE, resourceGroup: 'rg-far' });
    return s;
  };

  it("finds and re-keys the workspaces of the account's subscription too", () =>
    withEmulator(scenario(), async (emu) => {
      const b = before(emu);
      const run = await act(emu, {
        inputs: inputs({
          workspace: '*',
          'resource-group': '',
          'storage-account': `/subscriptions/${ELSEWHERE}/resourceGroups/rg-far/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`,
          'subscription-id': SUBSCRIPTION,
          'key-name': 'key1',
        }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(regeneratedSince(emu, b, ACCOUNT), ['key1']);
      const key1 = emu.keys(ACCOUNT).key1;
      assert.equal(emu.datastore('ws-far', 'far_data')!.secret, key1);
      assert.equal(emu.datastore('ws-main', 'training_data')!.secret, key1);
      assert.deepEqual(everInvalidSince(emu, b), []);
      assert.deepEqual(
        report(run)
          .workspaces.map((w) => [w.workspace, w.inScope])
          .sort(),
        [
          ['ws-far', true],
          ['ws-main', true],
        ],
      );
    }));
});

describe('quiet reruns', () => {
  // key1 is due under 30 days; the resync always gives the workspace the older key, and rewrites
  // the workspace's default datastore with it: the weekly resync + re-key churn of the issue.
  const churn = () => {
    const s = world({ key1: 400, key2: 10 }, [
      workspace('ws-main', 'key1', [
        { ...keyedDatastore('workspaceblobstore', 'key1'), isDefault: true },
        keyedDatastore('training_data', 'key1'),
      ]),
    ]);
    s.resync = { takes: 'oldest', updatesDefaultDatastores: true, durationMs: 100 };
    return s;
  };

  it('a run right after a complete run writes nothing, though the resync picks the older key', () =>
    withEmulator(churn(), async (emu) => {
      const limit = { 'max-key-age-days': '30' };
      const first = await act(emu, { inputs: inputs(limit) });
      assert.equal(first.exitCode, 0, first.stdout);
      assert.equal(first.outputs['result'], 'rotated');
      assert.equal(emu.holds(ACCOUNT, emu.workspaceKey('ws-main')), 'key2', 'the older key');
      assert.deepEqual(emu.invalidConsumers(), []);

      for (let week = 0; week < 2; week++) {
        const mark = before(emu);
        const rerun = await act(emu, { inputs: inputs(limit) });
        assert.equal(rerun.exitCode, 0, rerun.stdout);
        assert.equal(rerun.outputs['result'], 'not-due');
        assert.deepEqual(writesSince(emu, mark), [], `week ${week + 1}`);
      }
    }));
});
