// The job summary, rendered from a report and captured from @actions/core's summary buffer (no file,
// no runner): each section's rows and what they say about the run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from '@actions/core';
import { buildReport, type Report } from '../src/report.js';
import { escape, writeSummary } from '../src/summary.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { rotate, world } from './fakes/rotation.js';

/** Renders the summary; what write() would append to GITHUB_STEP_SUMMARY. */
async function render(report: Report): Promise<string> {
  const summary = core.summary;
  let written: string | undefined;
  summary.emptyBuffer();
  summary.write = async () => {
    written = summary.stringify();
    return summary.emptyBuffer();
  };
  try {
    await writeSummary(report);
  } finally {
    delete (summary as { write?: unknown }).write;
  }
  assert.ok(written !== undefined, 'writeSummary writes the summary');
  assert.ok(summary.isEmptyBuffer());
  return written;
}

interface Block {
  tag: string;
  html: string;
}

/** One HTML block per line, as GitHub's markdown needs them to render as HTML. */
function blocks(html: string): Block[] {
  assert.ok(html.endsWith('\n'), 'the summary ends with a line break');
  return html
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const tag = /^<(h2|h3|p|table|ul|ol)>/.exec(line)?.[1];
      assert.ok(tag, `a block on its own line: ${line.slice(0, 80)}`);
      const closing = `</${tag}>`;
      assert.ok(line.endsWith(closing), `one block per line: ${line.slice(0, 80)}`);
      return { tag, html: line };
    });
}

const headings = (html: string) =>
  blocks(html)
    .filter((b) => b.tag === 'h2' || b.tag === 'h3')
    .map((b) => b.html.replace(/<\/?h[23]>/g, ''));

/** The blocks under an h3 heading, up to the next one. */
function section(html: string, heading: string): Block[] {
  const all = blocks(html);
  const start = all.findIndex((b) => b.html === `<h3>${heading}</h3>`);
  assert.ok(start >= 0, `section ${heading}`);
  const end = all.findIndex((b, i) => i > start && b.tag === 'h3');
  return all.slice(start + 1, end < 0 ? undefined : end);
}

const rows = (block: Block) =>
  [...block.html.matchAll(/<tr>(.*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<(t[hd])>(.*?)<\/t[hd]>/g)].map((cell) =>
      cell[1] === 'th' ? `[${cell[2]}]` : cell[2]!,
    ),
  );
const items = (block: Block) => [...block.html.matchAll(/<li>(.*?)<\/li>/g)].map((li) => li[1]!);

const NOW = new Date('2026-12-01T00:00:00Z');

/** ws in scope (a, b failing, a default datastore, a SAS one), other outside with x. */
async function rotation() {
  const azure = world();
  azure.addDatastore('ws', 'workspaceblobstore', 'key1', { isDefault: true });
  azure.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
  azure.addDatastore('ws', 'far', 'key1', { accountName: 'otherstore' });
  azure.addConnection('ws', 'conn', 'key1');
  azure.addWorkspace('other', 'key2');
  azure.addDatastore('other', 'x', 'key1');
  azure.failPut.add('ws/b');
  const run = await rotate(azure, 'key2', {
    named: ['ws'],
    policy: { allowOutsideBreakage: true },
  });
  const report = buildReport(run.inputs, run.inventory, run.plan, run.execution, [], NOW);
  return { azure, run, report };
}

describe('writeSummary', () => {
  it('a rotation: sections in order, and every row says what happened', async () => {
    const { report } = await rotation();
    const html = await render(report);
    assert.deepEqual(headings(html), [
      'Storage key rotation: store',
      'Keys',
      'Steps',
      'Datastores and connections on the account',
      'Outside the managed workspaces (observed, never changed)',
      'Workspaces',
      'Permissions',
      'Notes',
      'The run did not finish',
    ]);
    const intro = blocks(html)[1]!;
    assert.equal(intro.tag, 'p');
    assert.equal(
      intro.html,
      '<p><b>Account</b>: store (resource group rg)<br>' +
        '<b>Workspaces</b>: ws, other<br>' +
        '<b>Mode</b>: rotation; key-name key2<br>' +
        '<b>Age limit</b>: none<br>' +
        `<b>Decision</b>: ${escape(report.decision)}</p>`,
    );

    assert.deepEqual(rows(section(html, 'Keys')[0]!), [
      ['[Key]', '[Age (days)]', '[Created]', '[Consumers holding it]', '[Planned]'],
      ['key1', '183', '2026-06-01T00:00:00.000Z', '5', '-'],
      [
        'key2',
        '334',
        '2026-01-01T00:00:00.000Z',
        '0',
        'regenerate; every AccountKey consumer ends on it',
      ],
    ]);

    const steps = section(html, 'Steps');
    assert.equal(steps[0]!.tag, 'ol');
    assert.deepEqual(
      items(steps[0]!),
      report.steps.map(
        (s) =>
          `${escape(s.text)} <i>(${escape(s.reason)})</i> <b>${escape(s.status)}</b>` +
          (s.error ? `: ${escape(s.error)}` : ''),
      ),
    );
    assert.ok(items(steps[0]!).some((item) => item.includes('<b>partly failed</b>: 1 of 4')));

    const [consumers, others] = section(html, 'Datastores and connections on the account');
    assert.deepEqual(rows(consumers!), [
      [
        '[Workspace]',
        '[Kind]',
        '[Name]',
        '[Type]',
        '[Container / target]',
        '[Credentials]',
        '[Key held]',
        '[Planned action]',
        '[Result]',
      ],
      ...report.consumers
        .filter((c) => c.inScope)
        .map((c) => [
          c.workspace,
          c.kind,
          c.name + (c.isDefault ? ' (default)' : ''),
          escape(c.type),
          escape(c.target),
          c.credentials,
          c.keyHeld || '-',
          escape(c.plannedAction),
          escape(c.error ? `${c.result}: ${c.error}` : c.result),
        ]),
    ]);
    const byName = new Map(rows(consumers!).map((r) => [r[2], r]));
    assert.equal(byName.get('a')![8], 'updated: holds new key2, verified');
    assert.match(byName.get('b')![8]!, /^FAILED: still holds key1: 400 UserError: /);
    assert.equal(byName.get('sas')![6], '-');
    assert.ok(byName.has('workspaceblobstore (default)'));
    assert.ok(!byName.has('x'), 'outside consumers are not in the managed table');
    assert.equal(
      others!.html,
      '<p>1 datastore(s) and connection(s) on other accounts or services were not affected.</p>',
    );

    const outside = section(html, 'Outside the managed workspaces (observed, never changed)');
    assert.equal(outside.length, 1, 'no uninspected list');
    assert.deepEqual(rows(outside[0]!), [
      ['[Workspace]', '[Own copy (default storage)]', '[Kind]', '[Name]', '[Key held]', '[Effect]'],
      ['other', 'key2', '-', '-', '-', '-'],
      [
        'other',
        '-',
        'datastore',
        'x',
        'key1',
        escape(report.consumers.find((c) => c.name === 'x')!.plannedAction),
      ],
    ]);

    assert.deepEqual(rows(section(html, 'Workspaces')[0]!), [
      [
        '[Workspace]',
        '[Default storage]',
        '[Own copy holds]',
        '[After the run]',
        '[Resync]',
        '[Invalid for]',
      ],
      ['ws', 'this account', 'key1', 'key1', 'resynced', 'never'],
    ]);

    assert.deepEqual(rows(section(html, 'Permissions')[0]!), [
      ['[Scope]', '[Action]', '[Allowed]'],
    ]);
    assert.deepEqual(
      items(section(html, 'Notes')[0]!),
      report.notes.map((n) => escape(n.text)),
    );
    assert.ok(report.notes.length > 0);

    const [unfinished] = section(html, 'The run did not finish');
    assert.equal(
      unfinished!.html,
      `<p>1 consumer(s) were not updated.<br>${escape(report.result.rerun)}</p>`,
    );
  });

  it('a dry run: says so, plans without statuses, and nothing after the run', async () => {
    const azure = world();
    azure.addWorkspace('ws2', 'key1');
    const run = await rotate(azure, 'auto', { dryRun: true, policy: { maxKeyAgeDays: 30 } });
    const report = buildReport(
      { ...run.inputs, maxKeyAgeDays: 30 },
      run.inventory,
      run.plan,
      undefined,
      [],
      NOW,
    );
    const html = await render(report);
    assert.equal(headings(html)[0], 'Storage key rotation: store (dry run)');
    assert.ok(headings(html).includes('Plan') && !headings(html).includes('Steps'));
    assert.ok(!headings(html).includes('The run did not finish'));
    assert.ok(!headings(html).includes('Outside the managed workspaces (observed, never changed)'));
    assert.match(
      blocks(html)[1]!.html,
      /<b>Mode<\/b>: dry run: nothing was changed; key-name auto, max-key-age-days 30<br><b>Age limit<\/b>: max-key-age-days: 30<br>/,
    );
    const keys = rows(section(html, 'Keys')[0]!);
    assert.deepEqual(
      keys.slice(1).map((r) => r[1]),
      ['183 (due under max-key-age-days: 30)', '334 (due under max-key-age-days: 30)'],
    );
    assert.deepEqual(
      items(section(html, 'Plan')[0]!),
      report.steps.map((s) => `${escape(s.text)} <i>(${escape(s.reason)})</i>`),
    );
    assert.deepEqual(rows(section(html, 'Workspaces')[0]!).slice(1), [
      ['ws', 'this account', 'key1', '-', 'planned (dry run)', '-'],
      ['ws2', 'this account', 'key1', '-', 'planned (dry run)', '-'],
    ]);
  });

  it('nothing to do; a refusal; a key without an age; a workspace on another account', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key1');
    azure.workspaceKey.set('ws', '');
    delete azure.keys.key2.createdOn;
    const run = await rotate(azure, 'none');
    const base = buildReport(run.inputs, run.inventory, run.plan, run.execution, [], NOW);
    const report: Report = {
      ...base,
      refused: 'Regenerating <key2> would break consumers.',
      workspaces: [
        { ...base.workspaces[0]!, defaultStorage: false, keyHeld: undefined, keyAfter: undefined },
      ],
    };
    const html = await render(report);
    assert.deepEqual(section(html, 'Refused'), [
      { tag: 'p', html: '<p>Regenerating &lt;key2&gt; would break consumers.</p>' },
    ]);
    assert.deepEqual(section(html, 'Steps'), [
      { tag: 'p', html: '<p>Nothing to do: every consumer is on the key in use.</p>' },
    ]);
    assert.deepEqual(rows(section(html, 'Keys')[0]!)[2], ['key2', 'unknown', 'unknown', '0', '-']);
    assert.deepEqual(rows(section(html, 'Workspaces')[0]!)[1], [
      'ws',
      'another account',
      '-',
      '-',
      'not needed',
      'never',
    ]);
    assert.ok(!headings(html).includes('Notes'));

    const dry = await render({ ...report, mode: 'dry-run' });
    assert.deepEqual(section(dry, 'A rotation would stop before its first write'), [
      { tag: 'p', html: '<p>Regenerating &lt;key2&gt; would break consumers.</p>' },
    ]);
  });

  it('outside workspaces, uninspected listings, permissions, outage windows and a stop', async () => {
    const { report } = await rotation();
    const html = await render({
      ...report,
      uninspected: [{ name: 'ws <9>', reason: '403 AuthorizationFailed' }],
      permissions: [
        { scope: 's', name: 'store', action: 'read', allowed: true },
        { scope: 's', name: 'store', action: 'regenerate', allowed: false },
        { scope: 's', name: 'ws', action: 'resync', allowed: undefined },
      ],
      workspaces: report.workspaces.map((w) =>
        w.inScope ? { ...w, invalidForMs: 1250, error: 'boom' } : { ...w, defaultStorage: false },
      ),
      result: { ...report.result, stopped: 'stopped before regenerating key1' },
    });
    const outside = section(html, 'Outside the managed workspaces (observed, never changed)');
    assert.deepEqual(
      rows(outside[0]!)
        .slice(1)
        .map((r) => r[3]),
      ['x'],
      'a workspace on another account has no own copy row',
    );
    assert.equal(
      outside[1]!.html,
      '<p>Could not be inspected (consumers there are unknown to this run):</p>',
    );
    assert.deepEqual(items(outside[2]!), ['ws &lt;9&gt;: 403 AuthorizationFailed']);
    assert.deepEqual(rows(section(html, 'Permissions')[0]!).slice(1), [
      ['store', 'read', 'yes'],
      ['store', 'regenerate', 'MISSING'],
      ['ws', 'resync', 'could not check'],
    ]);
    assert.deepEqual(rows(section(html, 'Workspaces')[0]!)[1]!.slice(4), [
      'resynced: boom',
      '1.3 s',
    ]);
    assert.match(
      section(html, 'The run did not finish')[0]!.html,
      /^<p>stopped before regenerating key1<br>/,
    );
  });

  it('uninspected listings alone get the outside section; no workspace at all is none', async () => {
    const { report } = await rotation();
    const html = await render({
      ...report,
      workspaces: [],
      consumers: [],
      uninspected: [{ name: 'sub', reason: 'denied' }],
      result: { ...report.result, datastoresFailed: 2, connectionsFailed: 3, rerun: undefined },
    });
    assert.match(blocks(html)[1]!.html, /<b>Workspaces<\/b>: none<br>/);
    const outside = section(html, 'Outside the managed workspaces (observed, never changed)');
    assert.deepEqual(items(outside[2]!), ['sub: denied']);
    assert.equal(
      section(html, 'The run did not finish')[0]!.html,
      '<p>5 consumer(s) were not updated.<br></p>',
    );
  });

  it('an outside workspace alone, with nothing uninspected, still gets its section', async () => {
    const azure = world();
    azure.addWorkspace('other', 'key1');
    const run = await rotate(azure, 'none', { named: ['ws'] });
    const html = await render(
      buildReport(run.inputs, run.inventory, run.plan, run.execution, [], NOW),
    );
    assert.deepEqual(
      rows(section(html, 'Outside the managed workspaces (observed, never changed)')[0]!).slice(1),
      [['other', 'key1', '-', '-', '-', '-']],
    );
    const report = buildReport(run.inputs, run.inventory, run.plan, run.execution, [], NOW);
    const noKey = await render({
      ...report,
      workspaces: report.workspaces.map((w) => (w.inScope ? w : { ...w, keyHeld: undefined })),
    });
    assert.deepEqual(
      rows(section(noKey, 'Outside the managed workspaces (observed, never changed)')[0]!)[1],
      ['other', 'no key', '-', '-', '-', '-'],
    );
  });

  it('keeps the table to 500 consumers and points to the JSON report for the rest', async () => {
    const { report } = await rotation();
    const one = report.consumers.find((c) => c.inScope)!;
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...one, name: `ds${i}`, inScope: true }));
    const at500 = await render({ ...report, consumers: many(500) });
    const table = section(at500, 'Datastores and connections on the account');
    assert.equal(rows(table[0]!).length, 501);
    assert.match(table[1]!.html, /^<p>1 datastore\(s\) and connection\(s\) on other accounts/);
    const over = section(
      await render({ ...report, consumers: many(503) }),
      'Datastores and connections on the account',
    );
    assert.equal(rows(over[0]!).length, 501);
    assert.equal(rows(over[0]!).at(-1)![2], 'ds499');
    assert.equal(over[1]!.html, '<p>3 more are in the JSON report.</p>');
  });

  it('escapes what comes from Azure', async () => {
    const { report } = await rotation();
    const html = await render({
      ...report,
      account: { ...report.account, name: '<img src=x onerror=alert(1)>' },
      consumers: report.consumers.map((c) => ({ ...c, name: `${c.name}|*_[x](y)` })),
    });
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('a&#124;&#42;&#95;&#91;x&#93;(y)'));
  });
});

describe('escape', () => {
  it('replaces every character that is markup in HTML or markdown', () => {
    assert.equal(
      escape(`&<>"'\`*_[]|\\`),
      '&amp;&lt;&gt;&quot;&#39;&#96;&#42;&#95;&#91;&#93;&#124;&#92;',
    );
    assert.equal(escape('a&b&c'), 'a&amp;b&amp;c');
    assert.equal(escape('plain text (1) - ok.'), 'plain text (1) - ok.');
  });

  it('renders numbers and nothing', () => {
    assert.equal(escape(42), '42');
    assert.equal(escape(undefined), '');
    assert.equal(escape(null), '');
  });
});
