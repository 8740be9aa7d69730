// `npm run demo`: the bundled action (dist/index.js) against the emulator, run the way a GitHub
// runner runs it, four times:
//   1. a dry run and 2. a rotation of the sample scenario;
//   3. a rotation of a fresh copy of it in which a lock makes the writes to one datastore fail, so
//      the run fails part-way, after the regeneration;
//   4. the lock removed, the rerun the README prescribes for that case: `key-name: none`.
// Each run shows its annotations, its job summary rendered as text and its outputs; the summaries
// are also written as one HTML page. `npm run demo -- --log` prints each run's log as well;
// `--unfold` shows what the summaries fold in <details> (GitHub shows it folded).
import '../__tests__/support/loopback-only.mjs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator, type Consumer, type Emulator } from '../emulator/server.js';
import { runAction, type ActionRun } from '../__tests__/support/action.js';
import { LineSplitter, RunnerLogRenderer } from '../__tests__/support/runner-log.js';
import { summaryToText } from './lib/html-to-text.js';
import { wrap } from './lib/text-width.js';
import {
  datastoreLock,
  LOCK_DESCRIPTION,
  LOCKED_DATASTORE,
  newerSourceThanBundle,
  SAMPLE_TARGET,
} from './lib/scenes.js';
import { summaryPage, type PageSection } from './lib/summary-page.js';

const { values: flags } = parseArgs({
  options: {
    log: { type: 'boolean', default: false },
    unfold: { type: 'boolean', default: false },
  },
});
const OUT_DIR = join(tmpdir(), 'aml-storage-key-rotation-demo');
const PAGE = join(OUT_DIR, 'summaries.html');
const INDENT = '  ';
const WIDTH = Math.min(process.stdout.isTTY ? process.stdout.columns || 100 : 100, 160);
const COLOR = process.stdout.isTTY === true && !process.env.NO_COLOR;
const RULE = '═'.repeat(Math.min(WIDTH, 100));
const TOTAL_RUNS = 4;

interface Step {
  title: string;
  /** What is special about this run, in a sentence. */
  setting?: string;
  inputs: Record<string, string>;
  expectedExitCode: number;
}

const pageSections: PageSection[] = [];
const surprises: string[] = [];
let runNumber = 0;

function heading(title: string, ...lines: string[]): void {
  console.log(`\n${RULE}\n${INDENT}${title}`);
  for (const line of lines) console.log(`${INDENT}${line}`);
  console.log(RULE);
}

function section(title: string): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, Math.min(WIDTH, 100) - 4 - title.length))}`);
}

function printIndented(text: string): void {
  for (const line of text.split('\n')) console.log(line === '' ? '' : INDENT + line);
}

/** Word-wrapped to the terminal, the lines after the first indented by `hang` columns. */
function printWrapped(text: string, hang = 4): void {
  const [first = '', ...rest] = wrap(text, WIDTH - INDENT.length);
  printIndented(
    [
      first,
      ...wrap(rest.join(' '), WIDTH - INDENT.length - hang).map((line) => ' '.repeat(hang) + line),
    ]
      .filter((line) => line.trim() !== '')
      .join('\n'),
  );
}

/** Runs dist/index.js once and shows what GitHub would show of it. */
async function runStep(emulator: Emulator, step: Step): Promise<ActionRun> {
  runNumber += 1;
  const title = `Run ${runNumber} of ${TOTAL_RUNS}: ${step.title}`;
  const inputs = Object.entries(step.inputs)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  heading(title, ...(step.setting ? [step.setting] : []), `inputs: ${inputs}`);

  if (flags.log) section('Action log');
  const log = new RunnerLogRenderer();
  const lines = new LineSplitter();
  const show = (line: string) => {
    const shown = log.render(line);
    if (shown !== undefined && flags.log) console.log(`${INDENT}${shown}`);
  };
  const run = await runAction({
    emulator,
    inputs: step.inputs,
    onOutput: (text, stream) => {
      if (stream === 'stderr') process.stderr.write(text);
      else lines.push(text).forEach(show);
    },
  });
  lines.flush().forEach(show);

  const notable = run.annotations;
  section(`Annotations (${notable.length})`);
  for (const annotation of notable) {
    const label = annotation.level[0]!.toUpperCase() + annotation.level.slice(1);
    printWrapped(`${label}: ${annotation.message}`);
  }
  if (notable.length === 0) console.log(`${INDENT}none`);

  section('Job summary');
  const summary = run.summary.trim();
  printIndented(
    summary
      ? summaryToText(summary, {
          width: WIDTH - INDENT.length,
          color: COLOR,
          unfold: flags.unfold,
        })
      : '(the step wrote no job summary)',
  );

  section('Outputs');
  const { 'report-path': reportPath, ...outputs } = run.outputs;
  printWrapped(
    Object.entries(outputs)
      .map(([name, value]) => `${name}=${value}`)
      .join('  '),
    0,
  );
  let reportNote = 'no report';
  if (reportPath && run.report !== undefined) {
    // The runner's RUNNER_TEMP is gone once the run ends: keep a copy of the report.
    const kept = join(OUT_DIR, `run-${runNumber}-report.json`);
    writeFileSync(kept, `${JSON.stringify(run.report, null, 2)}\n`);
    reportNote = `report-path: a copy is at ${kept}`;
  }
  console.log(`${INDENT}${reportNote}`);
  console.log(`${INDENT}exit code ${run.exitCode ?? run.signal} after ${run.durationMs} ms`);
  if (run.exitCode !== step.expectedExitCode) {
    surprises.push(
      `run ${runNumber} exited ${run.exitCode ?? run.signal}, expected ${step.expectedExitCode}`,
    );
  }

  pageSections.push({
    title,
    caption: [step.setting, `inputs: ${inputs}`].filter(Boolean).join(' — '),
    summary: run.summary,
    job: 'rotate',
    annotations: notable,
  });
  return run;
}

/** The emulator's own record: the writes it took, the key each consumer holds, any outage. */
function printEmulatorView(emulator: Emulator, runs: string): void {
  section(`What the emulator saw (${runs})`);
  const writes = new Map<string, number>();
  for (const write of emulator.writes()) {
    const name = `${write.status} ${write.operation ?? write.method}`;
    writes.set(name, (writes.get(name) ?? 0) + 1);
  }
  const total = [...writes.values()].reduce((sum, n) => sum + n, 0);
  console.log(`${INDENT}${emulator.requests().length} requests, ${total} of them writes:`);
  for (const [name, count] of writes) console.log(`${INDENT}  ${count} × ${name}`);
  console.log(`${INDENT}The key each consumer holds now:`);
  for (const consumer of emulator.consumers()) {
    console.log(
      `${INDENT}  ${consumer.id.padEnd(40)} ${consumer.account.padEnd(12)} ${heldKey(emulator, consumer)}`,
    );
  }
  const outages = emulator.timeline().filter((entry) => entry.invalid.length > 0);
  if (outages.length === 0) {
    console.log(`${INDENT}✔ no consumer ever held an invalid key`);
    return;
  }
  surprises.push(`consumers held an invalid key (${runs})`);
  console.log(`${INDENT}✘ consumers held an invalid key:`);
  for (const entry of outages) {
    console.log(`${INDENT}  after #${entry.seq} ${entry.event}: ${entry.invalid.join(', ')}`);
  }
}

/** Which of its account's keys a consumer's copy matches: key1, key2 or stale. */
function heldKey(emulator: Emulator, consumer: Consumer): string {
  const [kind, path = ''] = consumer.id.split(':');
  const [workspace = '', name = ''] = path.split('/');
  const value =
    kind === 'workspace'
      ? emulator.workspaceKey(workspace)
      : kind === 'connection'
        ? emulator.connection(workspace, name)?.secret
        : emulator.datastore(workspace, name)?.secret;
  return emulator.holds(consumer.account, value);
}

async function main(): Promise<number> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  console.log(
    'The bundled action (dist/index.js) against the local emulator (127.0.0.1), as a runner',
  );
  console.log(
    'runs it: a dry run and a rotation, then a rotation that fails part-way and its rerun.',
  );
  console.log("Options: --log (each run's log), --unfold (what the summaries fold).");
  const stale = newerSourceThanBundle();
  if (stale) {
    console.log(`Note: ${stale} changed after dist/index.js was built; run \`npm run build\` to`);
    console.log('see that change (the demo runs the bundle, as a runner does).');
  }

  const sample = await startEmulator({ scenario: 'sample' });
  try {
    await runStep(sample, {
      title: 'dry run',
      inputs: { ...SAMPLE_TARGET, 'dry-run': 'true' },
      expectedExitCode: 0,
    });
    await runStep(sample, { title: 'rotation', inputs: { ...SAMPLE_TARGET }, expectedExitCode: 0 });
    printEmulatorView(sample, 'runs 1 and 2');
  } finally {
    await sample.stop();
  }

  const locked = await startEmulator({ scenario: 'sample' });
  try {
    locked.addFault(datastoreLock);
    await runStep(locked, {
      title: 'rotation that fails part-way',
      setting: `A fresh copy of the sample scenario, with ${LOCK_DESCRIPTION}.`,
      inputs: { ...SAMPLE_TARGET },
      expectedExitCode: 1,
    });
    locked.clearFaults();
    await runStep(locked, {
      title: 'the rerun that finishes it',
      setting: `The lock on ${LOCKED_DATASTORE} is removed; rerun with key-name: none, as the failed run says.`,
      inputs: { ...SAMPLE_TARGET, 'key-name': 'none' },
      expectedExitCode: 0,
    });
    printEmulatorView(locked, 'runs 3 and 4');
  } finally {
    await locked.stop();
  }

  writeFileSync(PAGE, summaryPage('aml-storage-key-rotation demo: job summaries', pageSections));
  section('Done');
  console.log(`${INDENT}The four job summaries as GitHub shows them: file://${PAGE}`);
  if (surprises.length === 0) {
    console.log(`${INDENT}✔ every run ended as expected`);
    return 0;
  }
  for (const surprise of surprises) console.log(`${INDENT}✘ unexpected: ${surprise}`);
  return 1;
}

process.exitCode = await main();
