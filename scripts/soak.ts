// `npm run test:soak -- --runs 10 --load 2`: runs the whole `npm test` suite N times in a row while
// L busy loops keep the cores occupied, and prints each test that failed (file and name) and in how
// many runs, with each run's duration. A test that fails here depends on how fast the machine is:
// fix its assumption about timing. Exits 1 when any test failed in any run.
//
//   --runs N   runs of the suite (default 10)
//   --load L   busy loops, one process each (default 2; 0: an idle machine)
//
// Each run's TAP output is kept in .tmp/soak/run-<n>.tap.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../__tests__/support/paths.js';
import { failedTests, type Failure } from './lib/tap-failures.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    load: { type: 'string', default: '2' },
  },
});
const runs = wholeNumber('--runs', flags.runs, 1);
const load = wholeNumber('--load', flags.load, 0);

function wholeNumber(name: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least)
    throw new Error(`${name} must be a whole number ≥ ${least}`);
  return n;
}

/** The `npm test` command with the TAP reporter on stdout, whatever reporter a terminal would get. */
function testCommand(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const test = pkg.scripts['test'] ?? '';
  if (!test.startsWith('node '))
    throw new Error(`the test script does not start with node: ${test}`);
  return test.replace(/^node /, 'node --test-reporter=tap --test-reporter-destination=stdout ');
}

const children = new Set<ChildProcess>();
/** Ends what this script started: the busy loops, and the test run in progress (its process group). */
function stopChildren(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopChildren();
    process.exit(130);
  });
}

function busyLoop(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true });
  children.add(child);
  return child;
}

async function runSuite(command: string): Promise<{ tap: string; exitCode: number | null }> {
  const child = spawn('sh', ['-c', command], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.add(child);
  let tap = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (tap += text));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  children.delete(child);
  return { tap, exitCode };
}

const logDir = join(REPO_ROOT, '.tmp', 'soak');
mkdirSync(logDir, { recursive: true });
const command = testCommand();
const failedIn = new Map<string, { failure: Failure; runs: number[] }>();
const durations: number[] = [];
let brokenRuns = 0;
try {
  for (let i = 0; i < load; i++) busyLoop();
  console.log(`${runs} runs of the suite with ${load} busy loop(s): ${command}\n`);
  for (let run = 1; run <= runs; run++) {
    const started = Date.now();
    const { tap, exitCode } = await runSuite(command);
    const seconds = (Date.now() - started) / 1000;
    durations.push(seconds);
    writeFileSync(join(logDir, `run-${run}.tap`), tap);
    const failures = failedTests(tap, REPO_ROOT);
    for (const failure of failures) {
      const key = `${failure.file}\u0000${failure.name}`;
      const entry = failedIn.get(key) ?? { failure, runs: [] };
      entry.runs.push(run);
      failedIn.set(key, entry);
    }
    const counts = /^# pass (\d+)$/m.exec(tap)?.[1] ?? '?';
    // A run that fails with no failed test in its output (a crash, a timeout) still fails the soak.
    if (exitCode !== 0 && failures.length === 0) brokenRuns++;
    console.log(
      `run ${run}/${runs}: ${seconds.toFixed(1)} s, ${counts} passed, ${failures.length} failed (exit ${exitCode})`,
    );
    for (const f of failures) console.log(`    ${f.file}: ${f.name}`);
  }
} finally {
  stopChildren();
}

const sorted = [...durations].sort((a, b) => a - b);
const median =
  (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
console.log(
  `\ndurations: ${durations.map((d) => `${d.toFixed(1)} s`).join(', ')} (median ${median.toFixed(1)} s)`,
);
if (failedIn.size === 0 && brokenRuns === 0) {
  console.log(`every test passed in all ${runs} runs`);
} else {
  console.log('\nfailed tests (runs failed in / runs):');
  for (const { failure, runs: failed } of [...failedIn.values()].sort(
    (a, b) => b.runs.length - a.runs.length,
  ))
    console.log(
      `  ${failed.length}/${runs}  ${failure.file}: ${failure.name}  (runs ${failed.join(', ')})`,
    );
  if (brokenRuns > 0)
    console.log(`  ${brokenRuns} run(s) failed with no failed test in the output`);
  console.log(`TAP of each run: ${logDir}`);
  process.exitCode = 1;
}
