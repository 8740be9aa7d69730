// The job summary, rendered pure from a report: each section's rows and what they say about the
// run, what is folded away on a large run, and escaping of what comes from Azure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from '@actions/core';
import { buildReport, type Report } from '../src/report/report.js';
import { escape, renderSummary, writeSummary } from '../src/report/summary.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { rotate, world } from './fakes/rotation.js';

const NOW = new Date('2026-12-01T00:00:00Z');

/**
 * Renders the summary and checks its shape: a sequence of whole blocks (h2, h3, p, table, ul, ol,
 * details), each ending its line, tables of rows of cells, lists of items; no stray text between.
 */
function render(report: Report): string {
  const html = renderSummary(report);
  const text = (tag: string) => `<${tag}>(?:(?!</?${tag}>).)*</${tag}>`;
  const cell = `(?:${text('th')}|${text('td')})`;
  const table = `<table>(?:<tr>${cell}*</tr>)*</table>\n`;
  const list = (tag: string) => `<${tag}>(?:${text('li')})*</${tag}>\n`;
  const simple = ['h2', 'h3', 'p'].map((tag) => `${text(tag)}\n`).join('|');
  const inner = `(?:${table}|${list('ul')}|${list('ol')}|${simple})`;
  const details = `<details(?: open)?><summary>[^<]*</summary>\n\n${inner}</details>\n`;
  const block = new RegExp(`^(?:${inner}|${details})`, 's');
  let rest = html;
  while (rest.length > 0) {
    const match = block.exec(rest);
    assert.ok(match, `a well-formed block at: ${rest.slice(0, 120)}`);
    rest = rest.slice(match[0].length);
  }
  return html;
}

/** The part of the summary under an h3 heading, up to the next one; undefined when absent. */
function section(html: string, title: string): string | undefined {
  return html.split(/(?=<h3>)/).find((part) => part.startsWith(`<h3>${title}</h3>\n`));
}
const required = (html: string, title: string) => {
  const part = section(html, title);
  assert.ok(part !== undefined, `a section '${title}'`);
  return part;
};
const headings = (html: string) => [...html.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1]);

/** The rows of the first table in a piece of the summary: header cells in brackets. */
function rows(html: string, index = 0): string[][] {
  const table = [...html.matchAll(/<table>(.*?)<\/table>/g)][index]?.[1];
  assert.ok(table !== undefined, 'a table');
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<(t[hd])>(.*?)<\/t[hd]>/g)].map((c) =>
      c[1] === 'th' ? `[${c[2]}]` : c[2]!,
    ),
  );
}
const items = (html: string) => [...html.matchAll(/<li>(.*?)<\/li>/g)].map((li) => li[1]!);

/** ws in scope (a, b failing, a default datastore, a SAS one, a connection), other outside with x. */
async function rotation(more: (azure: MemoryAzure) => void = () => undefined) {
  const azure = world();
  azure.addDatastore('ws', 'workspaceblobstore', 'key1', { isDefault: true });
  azure.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
  azure.addDatastore('ws', 'far', 'key1', { accountName: 'otherstore' });
  azure.addConnection('ws', 'conn', 'key1');
  azure.addWorkspace('other', 'key2');
  azure.addDatastore('other', 'x', 'key1');
  azure.failPut.add('ws/b');
  more(azure);
  const run = await rotate(azure, 'key2', {
    named: ['ws'],
    policy: { allowOutsideBreakage: true },
  });
  const report = buildReport(
    {
      inputs: run.inputs,
      accountInput: 'store',
      inventory: run.inventory,
      plan: run.plan,
      execution: run.execution,
      permissions: [],
      timings: [
        { phase: 'discovery', ms: 1250 },
        { phase: 'rotation', ms: 3000 },
      ],
    },
    NOW,
  );
  return { azure, run, report };
}

describe('renderSummary', () => {
  it('a run that failed part-way: outcome first, then what needs a person, then every row', async () => {
    const { report, azure } = await rotation();
    const html = render(report);
    assert.ok(html.startsWith(`<h2>❌ store: ${escape(report.headline)}</h2>\n`));
    assert.deepEqual(headings(html), [
      'Needs attention',
      'Keys',
      'Consumers of the account',
      'Workspaces',
      'Outside the managed workspaces (observed, never changed)',
      'Steps',
    ]);
    const account = `<a href="${escape(report.account.link)}">store</a>`;
    assert.ok(
      html.includes(
        `<p><b>Account</b>: ${account} (resource group rg)<br>` +
          '<b>Mode</b>: rotation; key-name key2; age limit: none<br>' +
          `<b>Decision</b>: ${escape(report.decision)}</p>\n`,
      ),
    );
    assert.deepEqual(items(required(html, 'Needs attention')), report.attention.map(escape));
    assert.ok(report.attention.length > 0);

    const regeneratedOn = azure.keys.key2.createdOn!.toISOString();
    assert.deepEqual(rows(required(html, 'Keys')), [
      [
        '[Key]',
        '[Before]',
        '[After]',
        '[Due]',
        '[Held by (managed)]',
        '[Used (storage logs)]',
        '[Plan]',
      ],
      [
        'key1',
        '183 days (2026-06-01T00:00:00.000Z)',
        '183 days (2026-06-01T00:00:00.000Z)',
        '-',
        '5',
        '-',
        '-',
      ],
      [
        'key2',
        '334 days (2026-01-01T00:00:00.000Z)',
        `${report.keys[1]!.after!.ageDays} days (${regeneratedOn})`,
        '-',
        '0',
        '-',
        'regenerate; every AccountKey consumer ends on it',
      ],
    ]);

    const consumers = required(html, 'Consumers of the account');
    const table = rows(consumers);
    assert.deepEqual(table[0], [
      '[Where]',
      '[Kind]',
      '[Name]',
      '[Type]',
      '[Container / target]',
      '[Credentials]',
      '[Key held / SAS signed by]',
      '[Planned action]',
      '[Result]',
    ]);
    assert.deepEqual(
      table.slice(1).map((r) => [r[2]!.replace(/<a href="[^"]*">(.*)<\/a>/, '$1'), r[6], r[8]]),
      [
        // Problems first: the failed one, then the SAS one whose token may break.
        ['b', 'key1', escape(`FAILED: still holds key1: ${rowOf(report, 'b').error}`)],
        ['sas', 'unknown: the service returned no SAS token for it; no expiry', 'left as it is'],
        ['conn', 'key1', 'updated: holds new key2, verified'],
        ['a', 'key1', 'updated: holds new key2, verified'],
        ['workspaceblobstore (default)', 'key1', 'updated: holds new key2, verified'],
      ],
    );
    assert.ok(consumers.includes(`<a href="${escape(rowOf(report, 'a').link)}">a</a>`));
    assert.ok(!table.some((r) => r[2] === 'x'), 'outside consumers are not in the managed table');
    assert.ok(
      consumers.includes(
        '<p>1 datastore(s) and connection(s) on other accounts or services were not affected.</p>',
      ),
    );

    assert.deepEqual(rows(required(html, 'Workspaces')).slice(1), [
      [
        `<a href="${escape(report.workspaces[0]!.link)}">ws</a>`,
        'this account',
        'key1',
        'key1',
        'resynced',
        'never',
      ],
    ]);
    assert.deepEqual(
      rows(required(html, 'Outside the managed workspaces (observed, never changed)')),
      [
        ['[Workspace]', '[Kind]', '[Name]', '[Holds]', '[Effect]'],
        [
          `<a href="${escape(report.workspaces[1]!.link)}">other</a>`,
          'own copy (default storage)',
          '-',
          'key2',
          '-',
        ],
        ['other', 'datastore', 'x', 'key1', escape(rowOf(report, 'x').plannedAction)],
      ],
    );
    assert.deepEqual(
      items(required(html, 'Steps')),
      report.steps.map(
        (s) =>
          `${escape(s.text)} <i>(${escape(s.reason)})</i> <b>${escape(s.status)}</b>` +
          (s.error ? `: ${escape(s.error)}` : ''),
      ),
    );
    assert.ok(required(html, 'Steps').includes('<ol>'));
    assert.ok(
      html.includes('<p><b>Timings</b>: discovery 1.3 s · rotation 3.0 s · total 4.3 s</p>\n'),
    );
  });

  it('a dry run: says so, plans, and leaves what comes after the run empty', async () => {
    const azure = world();
    azure.addWorkspace('ws2', 'key1');
    const run = await rotate(azure, 'auto', { dryRun: true, policy: { maxKeyAgeDays: 30 } });
    const report = buildReport(
      {
        inputs: { ...run.inputs, maxKeyAgeDays: 30 },
        accountInput: 'store',
        inventory: run.inventory,
        plan: run.plan,
        timings: [],
      },
      NOW,
    );
    const html = render(report);
    assert.ok(html.startsWith('<h2>🔎 store: '));
    assert.ok(headings(html).includes('Plan') && !headings(html).includes('Steps'));
    assert.match(
      html,
      /<b>Mode<\/b>: dry run, nothing was changed; key-name auto; age limit: max-key-age-days: 30<br>/,
    );
    assert.deepEqual(
      rows(required(html, 'Keys'))
        .slice(1)
        .map((r) => [r[2], r[3]]),
      [
        ['dry run', 'due under max-key-age-days: 30'],
        ['dry run', 'due under max-key-age-days: 30'],
      ],
    );
    assert.deepEqual(
      items(required(html, 'Plan')),
      report.steps.map((s) => `${escape(s.text)} <i>(${escape(s.reason)})</i> <b>planned</b>`),
    );
    assert.deepEqual(rows(required(html, 'Workspaces')).slice(1), [
      [
        `<a href="${escape(report.workspaces[0]!.link)}">ws</a>`,
        'this account',
        'key1',
        '-',
        'planned (not run)',
        '-',
      ],
      [
        `<a href="${escape(report.workspaces[1]!.link)}">ws2</a>`,
        'this account',
        'key1',
        '-',
        'planned (not run)',
        '-',
      ],
    ]);
    assert.ok(!html.includes('<b>Timings</b>'));
  });

  it('an age limit that finds nothing due, and keys without a creation time', async () => {
    const azure = world();
    delete azure.keys.key2.createdOn;
    azure.keys.key1.createdOn = new Date(NOW.getTime() - 5 * 86_400_000);
    const run = await rotate(azure, 'none', { policy: { maxKeyAgeDays: 3650 } });
    const report = buildReport(
      {
        inputs: { ...run.inputs, maxKeyAgeDays: 3650 },
        accountInput: 'store',
        inventory: run.inventory,
        plan: run.plan,
        execution: run.execution,
        timings: [],
      },
      NOW,
    );
    const html = render(report);
    assert.ok(html.startsWith('<h2>✅ store: '));
    assert.deepEqual(
      rows(required(html, 'Keys'))
        .slice(1)
        .map((r) => [r[1], r[3]]),
      [
        ['5 days (2026-11-26T00:00:00.000Z)', 'no'],
        ['unknown days (created at an unknown time)', 'due under max-key-age-days: 3650'],
      ],
    );
    assert.deepEqual(
      [...required(html, 'Steps').matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]),
      ['Nothing to do: every consumer is on the key in use.'],
    );
  });

  it('an early failure tells what it knows: the account and what needs a person', () => {
    const report = buildReport(
      {
        accountInput: 'My_Account',
        failure: { message: 'Invalid input: storage-account is wrong.', beforeAnyWrite: true },
        timings: [],
      },
      NOW,
    );
    const html = render(report);
    assert.ok(html.startsWith('<h2>❌ My&#95;Account: '));
    assert.deepEqual(headings(html), ['Needs attention']);
    assert.deepEqual(items(required(html, 'Needs attention')), [
      'Invalid input: storage-account is wrong.',
    ]);
    assert.ok(html.includes('<p><b>Account</b>: My&#95;Account</p>\n'), 'no link, no mode');
  });

  it('a refused run is blocked', async () => {
    const { report } = await rotation();
    const html = render({ ...report, outcome: 'blocked' });
    assert.ok(html.startsWith('<h2>⛔ store: '));
  });

  it('folds what does not fit: attention beyond 30 lines, rows beyond 30 and 500, steps beyond 12', async () => {
    const { report } = await rotation();
    const one = report.consumers.find((c) => c.name === 'a')!;
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...one, name: `ds${i}`, link: undefined }));
    const html = render({
      ...report,
      attention: Array.from({ length: 33 }, (_, i) => `line ${i}`),
      consumers: [
        ...many(502),
        { ...one, name: 'broken', result: 'FAILED: still holds key1', link: undefined },
      ],
      steps: Array.from({ length: 13 }, (_, i) => ({
        text: `step ${i}`,
        reason: 'r',
        status: 'done',
      })),
    });
    const attention = required(html, 'Needs attention');
    assert.equal(items(attention).length, 33);
    assert.ok(attention.includes('<details><summary>3 more</summary>\n\n<ul><li>line 30</li>'));

    const consumers = required(html, 'Consumers of the account');
    assert.equal(rows(consumers, 0).length, 31);
    assert.equal(rows(consumers, 0)[1]![2], 'broken', 'a problem first');
    assert.ok(consumers.includes('<details><summary>473 more (473 updated)</summary>\n\n<table>'));
    assert.equal(rows(consumers, 1).length, 471, 'up to the 500th row');
    assert.ok(consumers.includes('<p>3 more are in the JSON report.</p>\n'));

    assert.ok(!headings(html).includes('Steps'));
    assert.ok(html.includes('<details><summary>Steps: 13 steps</summary>\n\n<ol>'));
  });

  it('permissions: folded, open when one is missing', async () => {
    const { report } = await rotation();
    const checks = [
      { scope: 's', name: 'store', action: 'read', allowed: true },
      { scope: 's', name: 'ws', action: 'resync', allowed: undefined },
    ];
    const allowed = render({ ...report, permissions: checks });
    assert.ok(
      allowed.includes(
        '<details><summary>Permissions: 1 allowed, 1 could not be checked</summary>\n\n<table>',
      ),
    );
    assert.deepEqual(rows(allowed.slice(allowed.indexOf('<summary>Permissions'))), [
      ['[Scope]', '[Action]', '[Allowed]'],
      ['store', 'read', 'yes'],
      ['ws', 'resync', 'could not check'],
    ]);
    const onlyAllowed = render({ ...report, permissions: [checks[0]!] });
    assert.ok(onlyAllowed.includes('<details><summary>Permissions: 1 allowed</summary>'));
    const missing = render({
      ...report,
      permissions: [...checks, { scope: 's', name: 'store', action: 'regenerate', allowed: false }],
    });
    assert.ok(missing.includes('<details open><summary>Permissions: 1 MISSING</summary>'));
    assert.ok(missing.includes('<td>regenerate</td><td>MISSING</td>'));
  });

  it('notices with every subject; warnings are in what needs attention', async () => {
    const { report } = await rotation();
    const html = render({
      ...report,
      notes: [
        {
          level: 'notice',
          kind: 'outside',
          text: 'Left alone.',
          subjects: Array.from({ length: 7 }, (_, i) => `w${i}`),
        },
        { level: 'warning', kind: 'sas', text: 'A warning.', subjects: [] },
      ],
    });
    assert.deepEqual(items(required(html, 'Notes')), ['Left alone: w0; w1; w2; w3; w4; w5; w6.']);
  });

  it('outside: uninspected listings alone, and an outside workspace on another account', async () => {
    const { report } = await rotation();
    const html = render({
      ...report,
      workspaces: report.workspaces.map((w) => (w.inScope ? w : { ...w, defaultStorage: false })),
      consumers: report.consumers.filter((c) => c.inScope),
      uninspected: [{ name: 'sub <9>', reason: '403 AuthorizationFailed', denied: true }],
      unchecked: [{ name: "the datastores of workspace 'w'", reason: '503 unavailable' }],
    });
    const outside = required(html, 'Outside the managed workspaces (observed, never changed)');
    assert.ok(
      !outside.includes('<table>'),
      'no rows: the workspace has no own copy of this account',
    );
    assert.ok(
      outside.includes('<p>Outside what this run could check (the login may not list them):</p>'),
    );
    assert.deepEqual(items(outside), ['sub &lt;9&gt;: 403 AuthorizationFailed']);
    // What could not be read may be in a managed Key Vault too: its own section, not "outside".
    assert.deepEqual(items(required(html, 'Could not be read (each may hold either key)')), [
      'the datastores of workspace &#39;w&#39;: 503 unavailable',
    ]);

    const noKey = render({
      ...report,
      workspaces: report.workspaces.map((w) => (w.inScope ? w : { ...w, keyHeld: undefined })),
    });
    assert.equal(
      rows(required(noKey, 'Outside the managed workspaces (observed, never changed)'))[1]![3],
      'no key',
    );
    const none = render({
      ...report,
      workspaces: report.workspaces.filter((w) => w.inScope),
      uninspected: [],
    });
    assert.equal(
      section(none, 'Outside the managed workspaces (observed, never changed)'),
      undefined,
    );
  });

  it('a workspace on another account, an outage window, a failed resync', async () => {
    const { report } = await rotation();
    const html = render({
      ...report,
      workspaces: report.workspaces.map((w) =>
        w.inScope
          ? { ...w, defaultStorage: false, invalidForMs: 1250, error: 'boom', keyAfter: undefined }
          : w,
      ),
    });
    assert.deepEqual(rows(required(html, 'Workspaces'))[1]!.slice(1), [
      'another account',
      'key1',
      'key1',
      'resynced: boom',
      '1.3 s',
    ]);
  });

  it('a copy stale before the run is not "never" invalid: from before the run, until its resync', async () => {
    const { report } = await rotation();
    const stale = (keyAfter: 'key2' | 'stale' | undefined, dryRun = false) =>
      rows(
        required(
          render({
            ...report,
            ...(dryRun ? { mode: 'dry-run' as const } : {}),
            workspaces: report.workspaces.map((w) =>
              w.inScope
                ? { ...w, keyHeld: 'stale' as const, keyAfter, invalidForMs: undefined }
                : w,
            ),
          }),
          'Workspaces',
        ),
      )[1]!.at(-1);
    assert.equal(stale('key2'), 'from before the run, until its resync');
    assert.equal(stale('stale'), 'from before the run, still');
    assert.equal(stale(undefined, true), 'already before the run');
  });

  it('escapes what comes from Azure', async () => {
    const { report } = await rotation();
    const html = render({
      ...report,
      account: { ...report.account, name: '<img src=x onerror=alert(1)>', link: 'javascript:"x"' },
      consumers: report.consumers.map((c) => ({ ...c, name: `${c.name}|*_[x](y)` })),
    });
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('href="javascript:&quot;x&quot;"'));
    assert.ok(html.includes('a&#124;&#42;&#95;&#91;x&#93;(y)'));
  });
});

describe('renderSummary: only what there is', () => {
  it('a clean rotation: no attention, nothing folded, no permissions or notes sections', async () => {
    const run = await rotate(world(), 'auto');
    const html = render(run.report);
    assert.ok(html.startsWith('<h2>✅ store: Rotated key2 · '));
    assert.deepEqual(headings(html), ['Keys', 'Consumers of the account', 'Workspaces', 'Steps']);
    assert.ok(!html.includes('<details'));
    assert.ok(!html.includes('Could not be inspected'));
    assert.deepEqual(rows(required(html, 'Workspaces'))[0], [
      '[Workspace]',
      '[Default storage]',
      '[Own copy holds]',
      '[After the run]',
      '[Resync]',
      '[Invalid for]',
    ]);
  });

  it('stopped before the rotation (after planning): keys have no after, the workspace no key', async () => {
    const azure = world();
    azure.workspaceKey.set('ws', 'an old key');
    const { inputs, inventory, plan } = await rotate(azure, 'auto', { dryRun: true });
    inventory.workspaces[0]!.holds = undefined;
    const report = buildReport(
      {
        inputs: { ...inputs, dryRun: false },
        accountInput: 'store',
        inventory,
        plan,
        failure: { message: 'The login lacks permissions.', beforeAnyWrite: true },
        timings: [],
      },
      NOW,
    );
    const html = render(report);
    assert.deepEqual(
      rows(required(html, 'Keys'))
        .slice(1)
        .map((r) => r[2]),
      ['-', '-'],
    );
    assert.deepEqual(rows(required(html, 'Workspaces'))[1]!.slice(2, 4), ['-', '-']);
  });

  it('problems first, whatever makes them one', async () => {
    const { report } = await rotation();
    const plain = report.consumers.find((c) => c.name === 'a')!;
    const as = (name: string, change: Partial<typeof plain>) => ({
      ...plain,
      name,
      link: undefined,
      ...change,
    });
    const html = render({
      ...report,
      consumers: [
        as('fine1', {}),
        as('erred', { error: 'x' }),
        as('breaks', { plannedAction: 'BREAKS: holds key2' }),
        as('stale', { keyHeld: 'stale' }),
        as('notupdated', { result: 'NOT UPDATED: still holds key1' }),
        as('sas', {
          sas: {
            signedBy: 'unknown',
            kind: 'other',
            expired: false,
            text: 'unknown: no signature',
          },
        }),
        as('fine2', { plannedAction: 'move to key2 (BREAKS nothing)' }),
      ],
    });
    assert.deepEqual(
      rows(required(html, 'Consumers of the account'))
        .slice(1)
        .map((r) => r[2]),
      ['erred', 'breaks', 'stale', 'notupdated', 'sas', 'fine1', 'fine2'],
    );
  });

  it('exactly 500 rows and 12 steps are not cut; folded rows are counted by result', async () => {
    const { report } = await rotation();
    const one = report.consumers.find((c) => c.name === 'a')!;
    const html = render({
      ...report,
      attention: [],
      consumers: Array.from({ length: 500 }, (_, i) => ({
        ...one,
        name: `ds${i}`,
        link: undefined,
        result: i % 2 ? 'no change: holds key2' : one.result,
      })),
      steps: Array.from({ length: 12 }, (_, i) => ({
        text: `step ${i}`,
        reason: 'r',
        status: 'done',
      })),
    });
    const consumers = required(html, 'Consumers of the account');
    assert.ok(
      consumers.includes('<details><summary>470 more (235 updated, 235 no change)</summary>'),
    );
    assert.ok(!consumers.includes('in the JSON report'));
    assert.equal(items(required(html, 'Steps')).length, 12);
  });

  it('uninspected listings without any outside workspace still get the outside section', async () => {
    const { report } = await rotation();
    const html = render({
      ...report,
      workspaces: report.workspaces.filter((w) => w.inScope),
      consumers: report.consumers.filter((c) => c.inScope),
      uninspected: [{ name: 'sub', reason: 'denied', denied: true }],
    });
    assert.deepEqual(
      items(required(html, 'Outside the managed workspaces (observed, never changed)')),
      ['sub: denied'],
    );
  });
});

describe('writeSummary', () => {
  it('appends the rendered summary to the step summary', async () => {
    const { report } = await rotation();
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
    assert.equal(written, `${renderSummary(report)}\n`);
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

const rowOf = (report: Report, name: string) => report.consumers.find((c) => c.name === name)!;

describe('renderSummary: nothing folded or listed that is not there', () => {
  it('attention up to the rows shown has no "more" fold; no uninspected listing, no paragraph', async () => {
    const { report } = await rotation();
    assert.ok(report.attention.length > 0 && report.attention.length <= 30);
    assert.deepEqual(report.uninspected, []);
    const html = render(report);
    const attention = required(html, 'Needs attention');
    assert.ok(!attention.includes('<details'), attention);
    assert.deepEqual(items(attention), report.attention.map(escape));
    const outside = required(html, 'Outside the managed workspaces (observed, never changed)');
    assert.ok(!outside.includes('Could not be read'), outside);
    assert.ok(!outside.includes('Outside what this run could check'), outside);
  });

  it('31 attention lines: 30 shown, 1 folded', async () => {
    const { report } = await rotation();
    const attention = Array.from({ length: 31 }, (_, i) => `line ${i}`);
    const html = render({ ...report, attention });
    const part = required(html, 'Needs attention');
    assert.ok(part.includes('<details><summary>1 more</summary>'), part);
    assert.deepEqual(items(part), attention);
  });
});

describe('renderSummary: a key of unknown age', () => {
  it('says so in the Keys table instead of a number', async () => {
    const { report } = await rotation();
    const keys = report.keys.map((k, i) => (i === 0 ? { ...k, before: {} } : k));
    const part = required(render({ ...report, keys }), 'Keys');
    const [, first] = rows(part);
    assert.equal(first![0], 'key1');
    assert.equal(first![1], 'unknown days (created at an unknown time)');
  });
});
