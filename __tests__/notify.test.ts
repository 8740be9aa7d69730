import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { attentionFromReport, needsAttention, runUrl } from '../src/report/attention.js';
import { describeGitHubError, githubTarget, markdownText } from '../src/report/notify.js';
import type { Report } from '../src/report/report.js';

/** The parts of a report attention.ts reads. */
function reportWith(overrides: { mode?: Report['mode']; attention?: string[] }): Report {
  return {
    mode: overrides.mode ?? 'rotation',
    outcome: overrides.mode ?? 'rotated',
    headline: 'Rotated key2 · 3 datastores moved · 0 failed',
    attention: overrides.attention ?? [],
    account: { name: 'mlprodstore', resourceGroup: 'rg', subscriptionId: 's', id: '/x' },
  } as unknown as Report;
}

describe('attention', () => {
  it('needs a person when the report names something that does', () => {
    assert.equal(needsAttention(reportWith({})), false);
    assert.equal(needsAttention(reportWith({ attention: ['datastore a failed'] })), true);
  });

  it('a clean rotation resolves; a clean dry run says nothing', () => {
    const clean = attentionFromReport(reportWith({}), 'https://github.com/o/r/actions/runs/1');
    assert.equal(clean?.needsAttention, false);
    assert.equal(clean!.headline, 'Rotated key2 · 3 datastores moved · 0 failed');
    assert.equal(attentionFromReport(reportWith({ mode: 'dry-run' }), ''), undefined);
    const warned = attentionFromReport(reportWith({ mode: 'dry-run', attention: ['SAS'] }), '');
    assert.deepEqual(warned?.details, ['SAS']);
  });

  it('links the run from the runner variables', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example/',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '42',
    };
    assert.equal(runUrl(env), 'https://ghe.example/o/r/actions/runs/42');
  });
});

describe('notify', () => {
  it('makes Azure text inert in an issue: no secret, markup, mention or reference', () => {
    const key = randomBytes(64).toString('base64');
    const text = markdownText(`Bad key ${key}\n<img src=x> **@ops** [x](y) #77 a_b | \\`);
    assert.ok(!text.includes(key));
    assert.doesNotMatch(text, /[<>*[\]|\\\n]|@ops|#77/);
    assert.match(text, /@\u200bops/);
    assert.match(text, /#\u200b77/);
  });

  it('reads the repository and API from the runner variables', () => {
    const target = githubTarget('t', {
      GITHUB_REPOSITORY: 'contoso/ml',
      GITHUB_API_URL: 'https://ghe.example/api/v3',
    });
    assert.deepEqual(target, {
      owner: 'contoso',
      repo: 'ml',
      token: 't',
      apiUrl: 'https://ghe.example/api/v3',
    });
    assert.throws(() => githubTarget('t', {}), /GITHUB_REPOSITORY is not set/);
  });

  it('describes a refused call with what to do', () => {
    const error = Object.assign(new Error('x'), {
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
    assert.equal(
      describeGitHubError(error, { owner: 'o', repo: 'r', apiUrl: '', token: '' }),
      "403 Resource not accessible by integration. Give the job 'permissions: issues: write' and a github-token that may write issues in o/r.",
    );
  });
});
