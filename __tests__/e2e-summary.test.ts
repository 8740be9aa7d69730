// For the people on call: every run writes a summary and a report, the summary leads with the
// outcome, annotations stay within GitHub's ten per level, and `result` says what happened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatastoreScenario, Scenario } from '../emulator/scenario.js';
import type { ActionRun } from './support/action.js';
import { act, summaryTable, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const byLevel = (run: ActionRun, level: string) =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message);
const headline = (run: ActionRun) => /<h2>(.*?)<\/h2>/.exec(run.summary)?.[1] ?? '';
const reportOf = (run: ActionRun) =>
  run.report as { outcome: string; failure?: string; permissions: unknown[]; headline: string };

/** ws-main holds key1; key2 (400 days) is the older key, so auto regenerates it. */
const basic = (edit: (s: Scenario) => void = () => {}) => {
  const scenario = world({ key1: 120, key2: 400 }, [
    workspace('ws-main', 'key1', [
      keyedDatastore('training_data', 'key1'),
      keyedDatastore('features', 'key1'),
    ]),
  ]);
  edit(scenario);
  return scenario;
};

/** The basic world, with a login that may not regenerate keys. */
const withoutRegenerate = () =>
  basic((s) => {
    s.permissions = {
      actions: ['*'],
      notActions: ['Microsoft.Storage/storageAccounts/regeneratekey/action'],
    };
  });

/** A run's report and summary exist, lead with the outcome, and agree with the `result` output. */
function assertReported(run: ActionRun, result: string, icon: string) {
  assert.equal(run.outputs['result'], result, run.stdout);
  assert.ok(run.report, 'a JSON report was written');
  assert.equal(reportOf(run).outcome, result);
  assert.ok(headline(run).startsWith(`${icon} ${ACCOUNT}: `), headline(run));
}

describe('every run writes a summary and a report', () => {
  it('input errors: the summary names the inputs; nothing is called', () =>
    withEmulator({ scenario: basic() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'key-name': 'sometimes', concurrency: '0' }) });
      assert.equal(run.exitCode, 1);
      assertReported(run, 'failed', '❌');
      assert.match(run.summary, /key-name &#39;sometimes&#39; is not one of/);
      assert.match(run.summary, /concurrency &#39;0&#39;/);
      assert.deepEqual(emu.requests(), []);
    }));

  it('a workspace that does not exist: failed before any write, with what was learned', () =>
    withEmulator({ scenario: basic() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ workspace: 'ws-main\nws-missing' }) });
      assert.equal(run.exitCode, 1);
      assertReported(run, 'failed', '❌');
      assert.match(headline(run), /Failed before the first write: nothing changed/);
      assert.match(run.summary, /Needs attention/);
      assert.match(run.summary, /ws-missing/);
      assert.equal(run.outputs['rotated'], 'false');
      assert.deepEqual(emu.writes(), []);
    }));

  it('a missing permission: the rotation fails before any write, with the permission table open', () =>
    withEmulator(
      {
        scenario: withoutRegenerate(),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 1);
        assertReported(run, 'failed', '❌');
        assert.deepEqual(emu.writes(), []);
        assert.match(run.summary, /<details open><summary>Permissions: 1 MISSING<\/summary>/);
        assert.ok(reportOf(run).permissions.length > 0);
      },
    ));

  it('a dry run with a missing permission warns that the real run would fail, and exits 0', () =>
    withEmulator(
      {
        scenario: withoutRegenerate(),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assertReported(run, 'dry-run', '🔎');
        assert.ok(
          byLevel(run, 'warning').some((w) => /^A rotation would fail: .*regeneratekey/.test(w)),
          run.stdout,
        );
        assert.match(headline(run), /a rotation would stop before its first write/);
      },
    ));

  it('a refused rotation is blocked: exit 1, zero writes, result blocked', () =>
    withEmulator(
      {
        scenario: basic((s) =>
          s.workspaces.push(
            workspace('ws-other', 'key1', [keyedDatastore('shared_data', 'key2')], {
              storageAccount: 'otherstore',
            }),
          ),
        ),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
        assert.equal(run.exitCode, 1);
        assertReported(run, 'blocked', '⛔');
        assert.deepEqual(emu.writes(), []);
        assert.equal(run.outputs['active-key'], '');
      },
    ));
});

describe('the outcome, at a glance', () => {
  it('rotated: the headline has the key, the counts and the time; active-key is set', () =>
    withEmulator({ scenario: basic() }, async (emu) => {
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 0, run.stdout);
      assertReported(run, 'rotated', '✅');
      assert.match(
        headline(run),
        /Rotated key2 · 2 datastores moved · 0 failed · workspace copy invalid 0\.0 s · \d+\.\d s/,
      );
      assert.equal(run.outputs['active-key'], 'key2');
      // Every section there is, by heading: nothing needs attention. The account sends no logs,
      // so the key-usage section says so (once: not again under Notes).
      assert.deepEqual(
        [...run.summary.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1]),
        [
          'Keys',
          'Who uses each key (storage logs, last 7 days)',
          'Consumers of the account',
          'Workspaces',
          'Steps',
        ],
      );
      assert.equal(run.summary.match(/No diagnostic setting/g)?.length, 1);
      assert.match(run.summary, /<b>Timings<\/b>: Discovery \d+\.\d s/);
      // Links built from resource IDs for the cloud.
      assert.match(
        run.summary,
        /href="https:\/\/portal\.azure\.com\/#@\/resource\/subscriptions\//,
      );
      assert.match(
        run.summary,
        /href="https:\/\/ml\.azure\.com\/data\/datastore\/training&#95;data\?wsid=/,
      );
    }));

  it('a Key Vault secret is counted in the headline and listed where it lives, in one table', () =>
    withEmulator(
      {
        scenario: basic((s) => {
          s.keyVaults = [
            {
              resourceGroup: 'rg-apps',
              name: 'kv-apps',
              secrets: [
                { name: 'app-conn', account: ACCOUNT, value: { connectionString: 'key1' } },
              ],
            },
          ];
        }),
      },
      async (emu) => {
        const run = await act(emu, {
          inputs: inputs({ 'key-vaults': 'kv-apps/app-conn', 'grace-period-hours': '0' }),
        });
        assert.equal(run.exitCode, 0, run.stdout);
        assertReported(run, 'rotated', '✅');
        assert.match(headline(run), /Rotated key2 · 2 datastores and 1 secret moved · 0 failed · /);
        const [header, ...rows] = summaryTable(run.summary, 'Consumers of the account');
        const columns = ['Where', 'Kind', 'Name', 'Type', 'Result'].map((c) => header!.indexOf(c));
        const shown = rows.map((r) =>
          columns.map((i) => r[i]!.replace(/; new version \w+ \(created .*\)$/, '')),
        );
        const moved = 'updated: holds new key2, verified';
        assert.deepEqual(shown.sort(), [
          ['key vault kv-apps', 'secret', 'app-conn', 'connection string', moved],
          ['workspace ws-main', 'datastore', 'features', 'AzureBlob', moved],
          ['workspace ws-main', 'datastore', 'training_data', 'AzureBlob', moved],
        ]);
        assert.match(
          rows.find((r) => r[2] === 'app-conn')![header!.indexOf('Result')]!,
          /; new version \w+ \(created /,
        );
      },
    ));

  it('not-due: nothing regenerated, each key with its age', () =>
    withEmulator({ scenario: basic() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'max-key-age-days': '500' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assertReported(run, 'not-due', '✅');
      assert.match(
        headline(run),
        /No key regenerated \(not due: key1 is 120 days old, key2 is 400 days old/,
      );
    }));

  it('failed part-way: the conclusion and rerun instruction are the first annotation', () =>
    withEmulator(
      {
        scenario: basic((s) => {
          // features holds key2: it must move off before key2 is regenerated, and cannot.
          Object.assign(s.workspaces[0]!.datastores![1]!, {
            holds: 'key2',
            failPut: { status: 400, code: 'UserError', message: 'The datastore is locked.' },
          });
        }),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 1);
        assertReported(run, 'failed', '❌');
        assert.match(
          headline(run),
          /Failed, no key regenerated · 0 datastores moved · 2 not updated/,
        );
        const [first] = byLevel(run, 'error');
        assert.match(first!, /stopped before regenerating key2.*rerun with the same inputs/);
        assert.ok(!emu.writes().some((w) => /regenerateKey/i.test(w.path)), 'no key regenerated');
        assert.equal(run.outputs['active-key'], '');
      },
    ));
});

describe('annotations within GitHub’s budget', () => {
  it('30 SAS datastores and 12 failed datastores: at most ten per level, conclusion first', () => {
    const sas: DatastoreScenario[] = Array.from({ length: 30 }, (_, i) => ({
      name: `sas_${String(i).padStart(2, '0')}`,
      datastoreType: 'AzureBlob',
      account: ACCOUNT,
      containerName: `sas${i}`,
      credentials: 'Sas',
    }));
    const failing: DatastoreScenario[] = Array.from({ length: 12 }, (_, i) => ({
      ...keyedDatastore(`locked_${String(i).padStart(2, '0')}`, 'key2'),
      failPut: { status: 400, code: 'UserError', message: 'The datastore is locked.' },
    }));
    // key-name key1: the twelve move off key1... they hold key2, so they move onto the new key1.
    const scenario = world({ key1: 120, key2: 400 }, [
      workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key2'), ...sas, ...failing]),
    ]);
    return withEmulator({ scenario }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
      assert.equal(run.exitCode, 1);
      const errors = byLevel(run, 'error');
      const warnings = byLevel(run, 'warning');
      assert.ok(errors.length <= 10, errors.join('\n'));
      assert.ok(warnings.length <= 10, warnings.join('\n'));
      assert.match(errors[0]!, /Fix the cause, then rerun with key-name: none/);
      assert.ok(
        errors.some((e) => /^12 consumer\(s\) were not updated: datastore 'locked_00'/.test(e)),
      );
      const sasWarning = warnings.filter((w) => /breaks 30 SAS consumer\(s\)/.test(w));
      assert.equal(sasWarning.length, 1);
      assert.match(sasWarning[0]!, /and 25 more/);
      // The summary leads with what needs attention, failed rows first in the table.
      const table = run.summary.slice(run.summary.indexOf('Consumers of the account'));
      assert.ok(table.indexOf('locked') < table.indexOf('training'), 'failed rows first');
      assert.match(run.summary, /<details><summary>\d+ more \(/);
    });
  });
});
