// What the action can be trusted with: key values never leave it (not in errors, not in debug
// logs), its report is private, and hostile or mistaken input gets a clear answer and no write.
// Every run goes through act(): a secret scan of everything the action wrote, and the check that
// it reached nothing but 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { loadScenario, type DatastoreScenario, type Scenario } from '../emulator/scenario.js';
import {
  collectActionRun,
  createRunnerWorkspace,
  runAction,
  runActionProcess,
  type ActionRun,
} from './support/action.js';
import { assertNoSecrets } from './support/leaks.js';
import { act, report, withEmulator } from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const OTHER_SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';
const REGENERATE = 'Microsoft.Storage/storageAccounts/regeneratekey/action';
const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  ...extra,
});
const dryRun = (extra: Record<string, string> = {}) => inputs({ 'dry-run': 'true', ...extra });

/** The sample world with a short resync, so a full rotation takes well under a second more. */
function sample(edit: (scenario: Scenario) => void = () => {}): Scenario {
  const scenario = structuredClone(loadScenario('sample'));
  scenario.resync = { ...scenario.resync, durationMs: 100 };
  edit(scenario);
  return scenario;
}
const withDatastore = (datastore: DatastoreScenario) =>
  sample((s) => s.workspaces[0]!.datastores!.push(datastore));

const errors = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
/** The conclusion: the first error annotation. */
const failure = (run: ActionRun) => errors(run)[0] ?? assert.fail(run.stdout);
/** An ARM error body that carries a secret, as some service errors echo the request. */
const armError = (message: string, code = 'UserError') => ({ error: { code, message } });
/** A storage key's shape: 64 random bytes in base64. */
const keyShaped = (slashes = 0) => {
  let key = randomBytes(64).toString('base64').replace(/\//g, 'x');
  for (let i = 0; i < slashes; i++) key = `${key.slice(0, 4 + i * 9)}/${key.slice(5 + i * 9)}`;
  return `${key.slice(0, 10)}7${key.slice(11)}`;
};

describe('errors are reduced to status, code and message, without a key', () => {
  it('a key in the error of listKeys during discovery (as a connection string)', () =>
    withEmulator(sample(), async (emu) => {
      const key = emu.keys(ACCOUNT).key1;
      emu.addFault({
        kind: 'status',
        status: 400,
        path: `/storageAccounts/${ACCOUNT}/listKeys`,
        body: armError(
          `Invalid DefaultEndpointsProtocol=https;AccountName=${ACCOUNT};AccountKey=${key};EndpointSuffix=core.windows.net`,
        ),
      });
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        /^Listing the keys of 'mlprodstore' failed: 400 UserError: Invalid DefaultEndpointsProtocol=https;AccountName=mlprodstore;AccountKey=\[redacted\];EndpointSuffix=core\.windows\.net \(correlation ID [0-9a-f-]{36}\)\. Nothing was changed\.$/,
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('a key the action never read, echoed bare in the error of listKeys', () =>
    withEmulator(sample(), async (emu) => {
      const echoed = keyShaped();
      emu.addFault({
        kind: 'status',
        status: 400,
        path: `/storageAccounts/${ACCOUNT}/listKeys`,
        body: armError(`The key ${echoed} is not valid`),
      });
      const run = await runAction({ emulator: emu, inputs: inputs() });
      assertNoSecrets(run, [...emu.secrets(), echoed]);
      assert.equal(run.exitCode, 1);
      assert.match(failure(run), /400 UserError: The key \[redacted\] is not valid/);
      assert.deepEqual(emu.writes(), []);
    }));

  it('a key the action never read, with several slashes, echoed bare in the error of listKeys', () =>
    withEmulator(sample(), async (emu) => {
      // About 1 key in 370 has 6 or more slashes: 86 base64 characters, 1 in 64 a '/'.
      const echoed = keyShaped(8);
      emu.addFault({
        kind: 'status',
        status: 400,
        path: `/storageAccounts/${ACCOUNT}/listKeys`,
        body: armError(`The key ${echoed} is not valid`),
      });
      const run = await runAction({ emulator: emu, inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assertNoSecrets(run, [...emu.secrets(), echoed]);
    }));

  it("a key in the error of the workspace's listKeys during discovery", () =>
    withEmulator(sample(), async (emu) => {
      emu.addFault({
        kind: 'status',
        status: 400,
        path: '/workspaces/ws-prod/listKeys',
        body: armError(`userStorageKey ${emu.keys(ACCOUNT).key1} does not match`),
      });
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        /^Reading the storage key of workspace 'ws-prod' failed: 400 UserError: userStorageKey \[redacted\] does not match \(correlation ID [0-9a-f-]{36}\)\. Nothing was changed\.$/,
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('a key in the error of regenerateKey', () =>
    withEmulator(sample(), async (emu) => {
      const before = emu.keys(ACCOUNT);
      emu.addFault({
        kind: 'status',
        status: 400,
        path: '/regenerateKey',
        body: armError(`Cannot regenerate: current value ${before.key2}`, 'KeyRegenerationFailed'),
      });
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        /^regenerating key2 failed: 400 KeyRegenerationFailed: Cannot regenerate: current value \[redacted\] \(correlation ID [0-9a-f-]{36}\)\. No key was regenerated\./,
      );
      assert.deepEqual(emu.keys(ACCOUNT), before, 'no key was regenerated');
      assert.equal(run.outputs['rotated'], 'false');
    }));

  it('a key in the error of a datastore PUT', () =>
    withEmulator(sample(), async (emu) => {
      emu.addFault({
        kind: 'status',
        status: 400,
        method: 'PUT',
        path: '/datastores/workspaceblobstore',
        body: armError(`Invalid credentials {"key":"${emu.keys(ACCOUNT).key2}"}`),
      });
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.ok(
        errors(run).some((e) =>
          e.includes(
            `datastore 'workspaceblobstore' (workspace 'ws-prod'): 400 UserError: Invalid credentials {"key":"[redacted]"}`,
          ),
        ),
        errors(run).join('\n'),
      );
      const row = report(run).consumers.find((d) => d.name === 'workspaceblobstore')!;
      assert.match(row.result, /^FAILED/);
      assert.equal(run.outputs['datastores-failed'], '1');
    }));
});

describe('debug logging', () => {
  for (const login of ['cli', 'oidc'] as const) {
    it(`shows no key with ACTIONS_STEP_DEBUG and AZURE_LOG_LEVEL=verbose (${login} login)`, () =>
      withEmulator(sample(), async (emu) => {
        const run = await act(emu, {
          login,
          inputs: inputs(),
          env: { ACTIONS_STEP_DEBUG: 'true', AZURE_LOG_LEVEL: 'verbose' },
        });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.equal(run.outputs['rotated'], 'true');
        // The SDK did log every request (headers sanitised by the SDK itself).
        assert.match(run.stderr, /azure:arm-storage:info Request: \{/);
        assert.match(run.stderr, /regenerateKey/);
      }));
  }
});

describe('the JSON report', () => {
  it('is readable by the owner only (file 0600, folder 0700)', () =>
    withEmulator(sample(), async (emu) => {
      const workspace = createRunnerWorkspace({ emulator: emu, inputs: dryRun() });
      try {
        const run = collectActionRun(workspace, await runActionProcess(workspace));
        assertNoSecrets(run, emu.secrets());
        assert.deepEqual(run.refusedConnections, []);
        assert.equal(run.exitCode, 0, run.stdout);
        const path = run.reportPath!;
        assert.ok(path.startsWith(`${workspace.runnerTemp}/`), path);
        assert.equal((statSync(path).mode & 0o777).toString(8), '600');
        assert.equal((statSync(dirname(path)).mode & 0o777).toString(8), '700');
      } finally {
        workspace.dispose();
      }
    }));
});

describe('hostile or mistaken input: a clear answer and no write', () => {
  it('an unknown workspace', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: inputs({ workspace: 'ws-nope' }) });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        /^Workspace 'ws-nope' in resource group 'rg-ml' failed: 404 ResourceNotFound: .*Nothing was changed\.$/,
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('a resource group that does not exist', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'resource-group': 'rg-nope' }) });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        /^Storage account 'mlprodstore' failed: 404 ResourceGroupNotFound: Resource group 'rg-nope' could not be found\..*Nothing was changed\.$/,
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('an Azure message that ends in a period gets no second one', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'resource-group': 'rg-nope' }) });
      assert.doesNotMatch(failure(run), /\.\./);
    }));

  it('a storage account (resource ID) in another subscription', () =>
    withEmulator(sample(), async (emu) => {
      const id = `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`;
      const run = await act(emu, { inputs: inputs({ 'storage-account': id }) });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        new RegExp(
          `^Storage account 'mlprodstore' failed: 404 SubscriptionNotFound: The subscription '${OTHER_SUBSCRIPTION}' could not be found.*Nothing was changed\\.$`,
        ),
      );
      // The account was looked for where the ID says, not in the workspaces' subscription.
      const first = emu.requests().find((r) => r.path.startsWith('/subscriptions/'))!;
      assert.match(first.path, new RegExp(`^/subscriptions/${OTHER_SUBSCRIPTION}/`));
      assert.deepEqual(emu.writes(), []);
    }));

  it('resource names and IDs that are not valid Azure names are input errors, before any request', async () => {
    const bad: Record<string, string>[] = [
      { 'resource-group': '..' },
      { 'resource-group': 'rg-ml.' },
      {
        'storage-account':
          '/subscriptions/not-a-subscription/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/mlprodstore',
      },
      {
        'storage-account': `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/../providers/Microsoft.Storage/storageAccounts/mlprodstore`,
      },
    ];
    for (const extra of bad) {
      await withEmulator(sample(), async (emu) => {
        const run = await act(emu, { inputs: dryRun(extra) });
        assert.equal(run.exitCode, 1, JSON.stringify(extra));
        assert.match(failure(run), /^Invalid input/, JSON.stringify(extra));
        assert.deepEqual(emu.requests(), [], JSON.stringify(extra));
      });
    }
  });

  it('a datastore whose fields carry markup is escaped in the summary', () =>
    withEmulator(
      withDatastore({
        // Azure allows letters, digits and underscores in a name: enough for markdown emphasis.
        name: '__init__data_',
        datastoreType: 'AzureBlob',
        account: ACCOUNT,
        credentials: 'None',
        containerName: '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) |x|',
        description: '<img src=x onerror=alert(1)>',
        tags: { note: '<script>alert(1)</script>' },
      }),
      async (emu) => {
        const run = await act(emu, { inputs: dryRun() });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.ok(report(run).consumers.some((d) => d.name === '__init__data_'));
        const summary = run.summary;
        assert.doesNotMatch(summary, /<img|<script|onerror=alert\(1\)>/i);
        assert.doesNotMatch(summary, /\*\*bold\*\*|\]\(javascript:|__init__/);
        assert.match(summary, /&#95;&#95;init&#95;&#95;data&#95;/);
        assert.match(summary, /&lt;img src=x onerror=alert\(1\)&gt; &#42;&#42;bold&#42;&#42;/);
        assert.match(summary, /&#91;link&#93;\(javascript:alert\(1\)\) &#124;x&#124;/);
        assert.deepEqual(emu.writes(), []);
      },
    ));

  it('a value from Azure cannot inject a workflow command into the job log', () =>
    withEmulator(
      withDatastore({
        name: 'exports_v2',
        datastoreType: 'AzureBlob',
        account: ACCOUNT,
        credentials: 'None',
        containerName: 'exports\n::error::Rotation hijacked\n::add-mask::ws-prod',
      }),
      async (emu) => {
        const run = await act(emu, { inputs: dryRun() });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.ok(!errors(run).some((m) => m.includes('hijacked')), 'no injected annotation');
        assert.ok(!run.maskedValues.includes('ws-prod'), 'no injected mask');
      },
    ));

  it('a workspace with no datastores: the dry run succeeds with an empty table', () =>
    withEmulator(
      sample((s) =>
        s.workspaces.push({
          name: 'ws-empty',
          resourceGroup: 'rg-ml',
          storageAccount: 'otherstore',
          datastores: [],
        }),
      ),
      async (emu) => {
        const run = await act(emu, { inputs: dryRun({ workspace: 'ws-empty' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const r = report(run);
        assert.deepEqual(
          r.consumers.filter((c) => c.inScope),
          [],
        );
        assert.deepEqual(
          r.workspaces.filter((w) => w.inScope).map((w) => w.workspace),
          ['ws-empty'],
        );
        assert.match(
          run.summary,
          /<h3>Consumers of the account<\/h3>\n<table><tr>(<th>[^<]*<\/th>)+<\/tr><\/table>/,
        );
        assert.deepEqual(emu.writes(), []);
      },
    ));

  it('key-name in another case (KEY1) means key1', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: dryRun({ 'key-name': 'KEY1' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(report(run).regenerate, ['key1']);
      assert.equal((run.report as { keyName: string }).keyName, 'key1');
      assert.deepEqual(emu.writes(), []);
    }));

  it('empty and blank lines in workspace are ignored', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, {
        inputs: dryRun({ workspace: '\n  ws-prod  \n\n \t\nws-prod\n' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(
        report(run).workspaces.map((w) => w.workspace),
        ['ws-prod'],
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('dry-run: yes is an input error, before any request (Azure or login)', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'dry-run': 'yes' }) });
      assert.equal(run.exitCode, 1);
      assert.equal(
        failure(run),
        "Invalid input: dry-run 'yes' is not a boolean. Use true or false.",
      );
      assert.deepEqual(emu.requests(), []);
      assert.deepEqual(emu.tokenRequests(), []);
      assert.deepEqual(run.azCalls, []);
      // The run still reports: the summary and the report name the input.
      assert.match(run.summary, /dry-run &#39;yes&#39; is not a boolean/);
      assert.equal((run.report as { outcome: string }).outcome, 'failed');
    }));
});

describe('permissions', () => {
  const withoutRegenerate = () =>
    sample((s) => (s.permissions = { actions: ['*'], notActions: [REGENERATE] }));
  const permissionRows = (summary: string) =>
    [...summary.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map(
      ([, scope, action, allowed]) => ({ scope, action, allowed }),
    );

  it('a dry run shows every action the rotation needs, and whether it is allowed', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { inputs: dryRun() });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.match(run.summary, /<summary>Permissions: \d+ allowed<\/summary>/);
      const rows = permissionRows(run.summary.split('<summary>Permissions:')[1]!);
      const expected = report(run).permissions.map((p) => p.action);
      assert.deepEqual(
        rows.map((r) => r.action),
        expected,
      );
      for (const action of [
        'Microsoft.Storage/storageAccounts/listkeys/action',
        REGENERATE,
        'Microsoft.MachineLearningServices/workspaces/resynckeys/action',
        'Microsoft.MachineLearningServices/workspaces/datastores/write',
      ]) {
        assert.ok(expected.includes(action), action);
      }
      assert.ok(rows.every((r) => r.allowed === 'yes'));
    }));

  it('a missing action shows as MISSING in a dry run, which still succeeds', () =>
    withEmulator(withoutRegenerate(), async (emu) => {
      const run = await act(emu, { inputs: dryRun() });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.match(run.summary, /<details open><summary>Permissions: 1 MISSING<\/summary>/);
      const rows = permissionRows(run.summary.split('<summary>Permissions:')[1]!);
      assert.deepEqual(
        rows.filter((r) => r.allowed !== 'yes'),
        [{ scope: ACCOUNT, action: REGENERATE, allowed: 'MISSING' }],
      );
      assert.deepEqual(emu.writes(), []);
    }));

  it('a missing action fails a real run before any write, naming the action', () =>
    withEmulator(withoutRegenerate(), async (emu) => {
      const keys = emu.keys(ACCOUNT);
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run),
        new RegExp(`lacks permissions this rotation needs \\(${ACCOUNT}: ${REGENERATE}\\)`),
      );
      assert.match(failure(run), /Nothing was changed/);
      assert.deepEqual(emu.writes(), []);
      assert.deepEqual(emu.keys(ACCOUNT), keys);
    }));
});
