// The emulator's stand-in for GitHub's REST API (issues), spoken to over HTTPS as Octokit does.
import assert from 'node:assert/strict';
import https from 'node:https';
import { describe, it } from 'node:test';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../emulator/server.js';

const REPO = '/_github/api/repos/contoso/ml-platform';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function call(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
  authorization: string | null = 'token ghs_emulator_test_token',
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${emu.url}${path}`,
      { method, headers, ca: emu.caPem },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function withGitHub(
  options: Partial<StartEmulatorOptions>,
  fn: (emu: Emulator) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator({ scenario: 'sample', ...options });
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

describe('emulator: GitHub issues API', () => {
  it('creates, lists by label and state, comments on and closes issues', () =>
    withGitHub({}, async (emu) => {
      const created = await call(emu, 'POST', `${REPO}/issues`, {
        title: 'A',
        body: 'first',
        labels: ['aml-storage-key-rotation'],
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.number, 1);
      assert.equal(created.body.state, 'open');
      assert.deepEqual(
        created.body.labels.map((l: { name: string }) => l.name),
        ['aml-storage-key-rotation'],
      );
      assert.equal(created.body.html_url, `${emu.url}/_github/contoso/ml-platform/issues/1`);
      await call(emu, 'POST', `${REPO}/issues`, { title: 'B', labels: ['other'] });

      const labelled = await call(emu, 'GET', `${REPO}/issues?labels=aml-storage-key-rotation`);
      assert.deepEqual(
        labelled.body.map((i: { title: string }) => i.title),
        ['A'],
      );

      const comment = await call(emu, 'POST', `${REPO}/issues/1/comments`, { body: 'again' });
      assert.equal(comment.status, 201);
      const closed = await call(emu, 'PATCH', `${REPO}/issues/1`, {
        state: 'closed',
        state_reason: 'completed',
      });
      assert.equal(closed.body.state, 'closed');
      assert.equal(closed.body.comments, 1);
      assert.ok(closed.body.closed_at);

      const open = await call(emu, 'GET', `${REPO}/issues?state=open`);
      assert.deepEqual(
        open.body.map((i: { title: string }) => i.title),
        ['B'],
      );
      const [issue] = emu.githubIssues();
      assert.deepEqual(
        issue?.comments.map((c) => c.body),
        ['again'],
      );
      assert.ok(emu.secrets().includes('ghs_emulator_test_token'), 'the token is a secret');
    }));

  it('pages with a Link header, as Octokit follows it', () =>
    withGitHub({}, async (emu) => {
      for (let n = 1; n <= 3; n++) await call(emu, 'POST', `${REPO}/issues`, { title: `#${n}` });
      const first = await call(emu, 'GET', `${REPO}/issues?per_page=2`);
      assert.equal(first.body.length, 2);
      const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
      assert.ok(next?.startsWith(`${emu.url}${REPO}/issues?`), String(first.headers.link));
      const second = await call(emu, 'GET', next!.slice(emu.url.length));
      assert.equal(second.body.length, 1);
      assert.equal(second.headers.link, undefined);
    }));

  it('answers like GitHub: 401 without a token, 403 without access, 404, 422', () =>
    withGitHub({ github: { access: 'read' } }, async (emu) => {
      const anonymous = await call(emu, 'GET', `${REPO}/issues`, undefined, null);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.message, 'Requires authentication');
      assert.equal((await call(emu, 'GET', `${REPO}/issues`, undefined, 'Bearer x1')).status, 200);
      const refused = await call(emu, 'POST', `${REPO}/issues`, { title: 'x' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.message, 'Resource not accessible by integration');
      assert.equal((await call(emu, 'PATCH', `${REPO}/issues/9`, {})).status, 403);
    }).then(() =>
      withGitHub({}, async (emu) => {
        assert.equal((await call(emu, 'PATCH', `${REPO}/issues/9`, {})).status, 404);
        const invalid = await call(emu, 'POST', `${REPO}/issues`, { body: 'no title' });
        assert.equal(invalid.status, 422);
        assert.equal(invalid.body.errors[0].field, 'title');
        assert.deepEqual(emu.writes(), [], 'GitHub calls are not Azure writes');
      }),
    ));
});
