import { AssertionError } from 'node:assert';
import { withoutMaskCommands } from './workflow-commands.js';

/** A secret counts as leaked if any run of this many of its characters shows up. */
export const LEAK_FRAGMENT_LENGTH = 20;

/** The parts of a run the action wrote, by the name a failure message gives them. */
export interface LeakSurfaces {
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  files: Record<string, string>;
}

export interface Leak {
  secretIndex: number;
  stream: string;
  form: 'whole' | 'url-encoded' | 'fragment';
}

/**
 * Fails if any secret appears anywhere the action wrote: log (less the `::add-mask::` lines the
 * runner consumes), stderr, job summary, outputs, every file under RUNNER_TEMP — whole,
 * URL-encoded, or as any 20-character piece (a truncated key). The message names the secret by
 * its index and the stream, never by its value.
 */
export function assertNoSecrets(run: LeakSurfaces, secrets: readonly string[]): void {
  const leaks = findLeaks(run, secrets);
  if (leaks.length === 0) return;
  const lines = leaks.map(
    (leak) => `- secret #${leak.secretIndex} found in ${leak.stream} (${describeForm(leak.form)})`,
  );
  throw new AssertionError({
    message: `${leaks.length} secret leak(s) in what the action wrote:\n${lines.join('\n')}`,
  });
}

export function findLeaks(run: LeakSurfaces, secrets: readonly string[]): Leak[] {
  const surfaces = namedSurfaces(run);
  const leaks: Leak[] = [];
  secrets.forEach((secret, secretIndex) => {
    if (secret === '') return;
    for (const [stream, text] of surfaces) {
      const form = leakedForm(text, secret);
      if (form) leaks.push({ secretIndex, stream, form });
    }
  });
  return leaks;
}

function namedSurfaces(run: LeakSurfaces): [string, string][] {
  return [
    ['stdout', withoutMaskCommands(run.stdout)],
    ['stderr', run.stderr],
    ['job summary', run.summary],
    ...Object.entries(run.outputs).map(([name, value]): [string, string] => [
      `output '${name}'`,
      value,
    ]),
    ...Object.entries(run.files).map(([path, text]): [string, string] => [`file ${path}`, text]),
  ];
}

function leakedForm(text: string, secret: string): Leak['form'] | undefined {
  if (text.includes(secret)) return 'whole';
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret && text.includes(encoded)) return 'url-encoded';
  for (const form of new Set([secret, encoded])) {
    if (fragments(form).some((fragment) => text.includes(fragment))) return 'fragment';
  }
  return undefined;
}

function fragments(value: string): string[] {
  if (value.length <= LEAK_FRAGMENT_LENGTH) return [];
  const pieces: string[] = [];
  for (let start = 0; start + LEAK_FRAGMENT_LENGTH <= value.length; start++) {
    pieces.push(value.slice(start, start + LEAK_FRAGMENT_LENGTH));
  }
  return pieces;
}

function describeForm(form: Leak['form']): string {
  if (form === 'whole') return 'whole value';
  if (form === 'url-encoded') return 'URL-encoded';
  return `a ${LEAK_FRAGMENT_LENGTH}-character fragment`;
}
