// Every relative link in the README, CONTRIBUTING.md, the other top-level pages and docs/ leads to
// a file that exists and, with a #fragment, to a heading that exists (GitHub's anchors). No network.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './support/paths.js';

/** GitHub's anchor for a heading: lowercase, punctuation dropped but `-` and `_`, spaces → `-`. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image: its text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, ''); // code and emphasis marks
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The text outside fenced code blocks, line by line (a fence's lines are blanked). */
function prose(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || marker.startsWith(fence))) {
      fence = fence ? undefined : marker;
      return '';
    }
    return fence ? '' : line;
  });
}

/** The anchors of a page's headings; a repeated one gets -1, -2, … as on GitHub. */
function anchorsOf(markdown: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  for (const line of prose(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.push(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Problems with one page's links, each as `page: target (why)`. */
function problemsIn(page: string): string[] {
  const lines = prose(readFileSync(page, 'utf8')).map((line) => line.replace(/`[^`]*`/g, ''));
  const text = lines.join('\n');
  const labels = new Set<string>();
  const targets: string[] = [];
  for (const [, label, target] of text.matchAll(/^\s{0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?/gm)) {
    labels.add(label!.toLowerCase());
    targets.push(target!);
  }
  for (const [, target] of text.matchAll(/\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(target!);
  }
  const name = relative(REPO_ROOT, page);
  const problems: string[] = [];
  for (const [, label] of text.matchAll(/\]\[([^\]]+)\]/g)) {
    if (!labels.has(label!.toLowerCase())) problems.push(`${name}: [${label}] (no such reference)`);
  }
  for (const target of targets) {
    if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) continue; // https:, mailto:, …
    const [path = '', fragment] = target.split('#');
    const file = path ? resolve(dirname(page), decodeURI(path)) : page;
    if (!existsSync(file)) {
      problems.push(`${name}: ${target} (no such file)`);
    } else if (fragment !== undefined) {
      const anchors = file.endsWith('.md') ? anchorsOf(readFileSync(file, 'utf8')) : [];
      if (!anchors.includes(decodeURIComponent(fragment))) {
        problems.push(`${name}: ${target} (no such heading)`);
      }
    }
  }
  return problems;
}

const markdownIn = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(dir, file));

describe('documentation links', () => {
  it('every relative link leads to a file and heading that exist', () => {
    const pages = [...markdownIn(REPO_ROOT), ...markdownIn(join(REPO_ROOT, 'docs'))];
    assert.ok(pages.some((page) => page.endsWith('README.md')));
    assert.deepEqual(pages.flatMap(problemsIn), []);
  });

  it("anchors follow GitHub's rules", () => {
    assert.deepEqual(
      anchorsOf(
        [
          '# Many accounts: one job per account',
          "## The workspace's own copy",
          '## `auto` and SAS — [more](x.md)',
          '```',
          '# not a heading',
          '```',
          '## Notes',
          '## Notes',
          '## Notes ##',
        ].join('\n'),
      ),
      [
        'many-accounts-one-job-per-account',
        'the-workspaces-own-copy',
        'auto-and-sas--more',
        'notes',
        'notes-1',
        'notes-2',
      ],
    );
  });

  it('reports a missing file, a missing heading and a missing reference, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-links-'));
    try {
      writeFileSync(join(dir, 'b.md'), '# B\n\n## Second part\n');
      writeFileSync(
        join(dir, 'a.md'),
        [
          '# A',
          '[ok](b.md) [ok](b.md#second-part) [ok](#a) [ok][ref] [web](https://example.com/x.md)',
          '[gone](missing.md) [gone](b.md#third-part) [gone](#nowhere) [gone][nope]',
          'In code: `[x](missing.md)`',
          '```md',
          '[x](also-missing.md)',
          '```',
          '[ref]: ./b.md#b',
        ].join('\n'),
      );
      const name = relative(REPO_ROOT, join(dir, 'a.md'));
      assert.deepEqual(problemsIn(join(dir, 'a.md')).sort(), [
        `${name}: #nowhere (no such heading)`,
        `${name}: [nope] (no such reference)`,
        `${name}: b.md#third-part (no such heading)`,
        `${name}: missing.md (no such file)`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
