import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { act, report, withEmulator } from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const KEYED = ['workspaceblobstore', 'workspacefilestore', 'training_data'];
const inputs = { workspace: 'ws-prod', 'resource-group': 'rg-ml', 'storage-account': ACCOUNT };

const reportingWarnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning' && a.message.startsWith('Could not '));

function assertRotated(run: ActionRun, emu: Emulator): void {
  assert.equal(run.exitCode, 0, run.stdout);
  assert.deepEqual(
    run.annotations.filter((a) => a.level === 'error'),
    [],
  );
  assert.equal(run.outputs['rotated'], 'true');
  assert.equal(run.outputs['datastores-failed'], '0');
  assert.equal(run.outputs['datastores-updated'], '3');
  const active = run.outputs['active-key'];
  for (const name of KEYED) {
    assert.equal(emu.holds(ACCOUNT, emu.datastore('ws-prod', name)!.secret), active, name);
  }
}

describe('reporting never changes the result', () => {
  it('completes a rotation with no job summary available: exit 0, outputs set, one warning', () =>
    withEmulator('sample', async (emu) => {
      const run = await act(emu, { inputs, env: { GITHUB_STEP_SUMMARY: undefined } });
      assertRotated(run, emu);
      assert.equal(run.summary, '');
      const warnings = reportingWarnings(run);
      assert.equal(warnings.length, 1, JSON.stringify(run.annotations));
      assert.match(warnings[0]!.message, /^Could not write the job summary: .*GITHUB_STEP_SUMMARY/);
      assert.ok(run.reportPath, 'the JSON report is still written');
      assert.equal(report(run).result.rotated, true);
    }));

  it('completes a rotation when RUNNER_TEMP cannot hold the report: a warning, no report-path', () =>
    withEmulator('sample', async (emu) => {
      // A directory cannot be made under a device file, even by root.
      const run = await act(emu, { inputs, env: { RUNNER_TEMP: '/dev/null' } });
      assertRotated(run, emu);
      const warnings = reportingWarnings(run);
      assert.equal(warnings.length, 1, JSON.stringify(run.annotations));
      assert.match(warnings[0]!.message, /^Could not write the JSON report: /);
      assert.equal(run.outputs['report-path'], '');
      assert.match(run.summary, /<h2>✅ mlprodstore: Rotated key2 · /);
    }));
});

describe('login errors read as whole sentences', () => {
  it('ends the ID-token failure before the hint starts', () =>
    withEmulator(
      {
        scenario: 'sample',
        faults: [
          {
            kind: 'status',
            status: 501,
            path: '/_github/idtoken',
            body: { message: 'Not implemented' },
            times: Infinity,
          },
        ],
      },
      async (emu) => {
        const run = await act(emu, { login: 'oidc', inputs: { ...inputs, 'dry-run': 'true' } });
        assert.equal(run.exitCode, 1);
        const message = run.annotations.find((a) => a.level === 'error')?.message ?? '';
        assert.match(
          message,
          /the GitHub ID token request failed: 501 Not implemented\. Make sure the job has /,
        );
        assert.doesNotMatch(message, /\n/);
        assert.match(message, /Nothing was changed\.$/);
      },
    ));

  it('ends the Azure CLI reason before the hint starts', () =>
    withEmulator('sample', async (emu) => {
      // The CLI cannot reach Entra (nothing listens on port 1): az says "ERROR: fetch failed".
      const unreachable = 'https://127.0.0.1:1/{tenant}/oauth2/v2.0/token';
      const run = await act(emu, { login: 'cli', inputs, env: { FAKE_AZ_TOKEN_URL: unreachable } });
      assert.equal(run.exitCode, 1);
      const message = run.annotations.find((a) => a.level === 'error')?.message ?? '';
      assert.match(message, /fetch failed\. /);
      assert.match(message, /[.!?] Add an azure\/login step before this action/);
    }));
});
