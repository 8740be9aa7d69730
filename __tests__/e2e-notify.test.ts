import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { Emulator, GitHubIssue } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { assertNoSecrets } from './support/leaks.js';
import { act, withEmulator } from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const LABEL = 'aml-storage-key-rotation';
const TITLE = `Storage key rotation needs attention: ${ACCOUNT}`;
const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  notify: 'issue',
  ...extra,
});

/** The next PUT to a datastore fails, with an error body that echoes a key (as some do). */
function failNextDatastorePut(emu: Emulator, name: string): void {
  emu.addFault({
    kind: 'status',
    status: 400,
    method: 'PUT',
    path: `/datastores/${name}`,
    body: {
      error: {
        code: 'UserError',
        message: `Invalid key ${emu.keys(ACCOUNT).key1} for @ops-team, see #77 <b>now</b>`,
      },
    },
  });
}

/** Every issue, comment and title GitHub holds must be free of every secret of the run. */
function assertNoSecretsInIssues(emu: Emulator): void {
  const text = emu
    .githubIssues()
    .flatMap((issue) => [issue.title, issue.body, ...issue.comments.map((c) => c.body)]);
  assertNoSecrets(
    {
      stdout: '',
      stderr: '',
      summary: '',
      outputs: {},
      files: { 'GitHub issues': text.join('\n') },
    },
    emu.secrets(),
  );
}

/** A loopback port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning');
const notifyWarnings = (run: ActionRun) =>
  warnings(run).filter((a) => a.message.startsWith('Could not notify through a GitHub issue'));
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');
const githubCalls = (emu: Emulator) =>
  emu.requests().filter((r) => r.path.startsWith('/_github/api/'));

describe('notify: issue', () => {
  it('opens an issue on a failed run, comments on the next failure, and closes it after a clean run', () =>
    withEmulator('sample', async (emu) => {
      const runUrl = `${emu.url}/_github/contoso/ml-platform/actions/runs/9000000001`;

      failNextDatastorePut(emu, 'workspacefilestore');
      const first = await act(emu, { inputs: inputs() });
      assert.equal(first.exitCode, 1, first.stdout);
      let issues = emu.githubIssues();
      assert.equal(issues.length, 1);
      const issue = issues[0] as GitHubIssue;
      assert.equal(issue.repository, 'contoso/ml-platform');
      assert.equal(issue.title, TITLE);
      assert.deepEqual(issue.labels, [LABEL]);
      assert.equal(issue.state, 'open');
      assert.match(issue.body, /<!-- aml-storage-key-rotation: account=mlprodstore -->/);
      assert.match(issue.body, /\*\*Failed after regenerating key2 · /);
      assert.match(issue.body, /### Needs attention/);
      assert.match(
        issue.body,
        /Datastore 'workspacefilestore' \(workspace 'ws-prod'\) was not updated: 400/,
      );
      assert.match(issue.body, /rerun with key-name: none/);
      assert.ok(issue.body.includes(`Workflow run: ${runUrl}`), issue.body);
      // Azure's text cannot mention anyone, link an issue or carry markup.
      assert.doesNotMatch(issue.body, /@ops-team|#77|<b>/);
      assert.match(issue.body, /@\u200bops-team/);
      assert.match(first.stdout, /GitHub issue: opened #1/);

      failNextDatastorePut(emu, 'workspacefilestore');
      const second = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
      assert.equal(second.exitCode, 1, second.stdout);
      issues = emu.githubIssues();
      assert.equal(issues.length, 1, 'no duplicate issue');
      assert.equal(issues[0]!.state, 'open');
      assert.equal(issues[0]!.comments.length, 1);
      assert.match(
        issues[0]!.comments[0]!.body,
        /workspacefilestore' \(workspace 'ws-prod'\) was not updated/,
      );
      assert.match(second.stdout, /GitHub issue: commented #1/);

      const third = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
      assert.equal(third.exitCode, 0, third.stdout);
      issues = emu.githubIssues();
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.state, 'closed');
      assert.equal(issues[0]!.stateReason, 'completed');
      assert.equal(issues[0]!.comments.length, 2);
      assert.match(
        issues[0]!.comments[1]!.body,
        /No key regenerated \(key-name is none.*\) · 2 datastores moved · 0 failed/,
      );
      assert.match(issues[0]!.comments[1]!.body, /this issue is closed/);
      assert.match(third.stdout, /GitHub issue: closed #1/);

      for (const run of [first, second, third]) assert.deepEqual(notifyWarnings(run), []);
      assertNoSecretsInIssues(emu);
      const tokens = githubCalls(emu);
      assert.ok(tokens.every((call) => call.status >= 200 && call.status < 300));
    }));

  it('opens an issue when the run fails before its report (a workspace that does not exist)', () =>
    withEmulator('sample', async (emu) => {
      const run = await act(emu, { inputs: inputs({ workspace: 'ws-missing' }) });
      assert.equal(run.exitCode, 1);
      const [issue] = emu.githubIssues();
      assert.equal(issue?.title, TITLE);
      assert.match(issue!.body, /\*\*Failed before the first write: nothing changed/);
      assert.match(issue!.body, /ws-missing/);
      assertNoSecretsInIssues(emu);
    }));

  it('says nothing to GitHub after a clean dry run, or with notify: none', () =>
    withEmulator('sample', async (emu) => {
      const dry = await act(emu, { inputs: inputs({ 'dry-run': 'true', 'key-name': 'none' }) });
      assert.equal(dry.exitCode, 0, dry.stdout);
      failNextDatastorePut(emu, 'workspacefilestore');
      const quiet = await act(emu, { inputs: inputs({ notify: 'none' }) });
      assert.equal(quiet.exitCode, 1);
      assert.deepEqual(githubCalls(emu), []);
    }));
});

describe('notify: a GitHub that refuses or cannot be reached changes nothing', () => {
  it('a 403 on creating the issue is a warning; the rotation still succeeds', () =>
    withEmulator({ scenario: 'sample', github: { access: 'read' } }, async (emu) => {
      // key1 signed sas_exports' token: regenerating it leaves a SAS consumer to tell someone about.
      const run = await act(emu, { inputs: inputs({ 'key-name': 'key1' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.equal(run.outputs['rotated'], 'true');
      assert.deepEqual(errors(run), []);
      const [warning, ...more] = notifyWarnings(run);
      assert.deepEqual(more, []);
      assert.match(warning!.message, /403 Resource not accessible by integration\./);
      assert.match(warning!.message, /permissions: issues: write/);
      assert.ok(githubCalls(emu).some((call) => call.status === 403));
      assert.deepEqual(emu.githubIssues(), []);
    }));

  it('a 403 on every call leaves a failed run failed with the same error, plus a warning', () =>
    withEmulator({ scenario: 'sample', github: { access: 'none' } }, async (emu) => {
      failNextDatastorePut(emu, 'workspacefilestore');
      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 1);
      assert.ok(errors(run).some((e) => e.message.includes('workspacefilestore')));
      assert.equal(notifyWarnings(run).length, 1);
      assert.equal(run.outputs['datastores-failed'], '1');
    }));

  it('an unreachable GitHub API is a warning', () =>
    withEmulator('sample', async (emu) => {
      const port = await closedPort();
      const run = await act(emu, {
        inputs: inputs(),
        env: { GITHUB_API_URL: `https://127.0.0.1:${port}/api` },
      });
      assert.equal(run.exitCode, 0, run.stdout);
      const [warning] = notifyWarnings(run);
      assert.match(
        warning!.message,
        new RegExp(
          `^Could not notify through a GitHub issue: .*\\bECONNREFUSED 127\\.0\\.0\\.1:${port}\\b.*The rotation's result does not depend on it\\.$`,
        ),
      );
    }));
});
