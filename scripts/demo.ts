// `npm run demo`: the action on the emulator's `sample` scenario, run the way a GitHub runner runs
// it — first a dry run, then a real rotation — and what the emulator saw afterwards.
import '../__tests__/support/loopback-only.mjs';
import { startEmulator, type Consumer, type Emulator } from '../emulator/server.js';
import {
  collectActionRun,
  createRunnerWorkspace,
  runActionProcess,
  type ActionRun,
} from '../__tests__/support/action.js';
import { LineSplitter, RunnerLogRenderer } from '../__tests__/support/runner-log.js';

const SAMPLE_TARGET = {
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': 'mlprodstore',
};
const RULE = '═'.repeat(78);

function heading(title: string): void {
  console.log(`\n${RULE}\n  ${title}\n${RULE}`);
}

function section(title: string): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 74 - title.length))}`);
}

/** Runs dist/index.js once, printing its log live as a runner's job log shows it. */
async function runStep(emulator: Emulator, title: string, dryRun: boolean): Promise<ActionRun> {
  heading(title);
  const inputs = { ...SAMPLE_TARGET, 'dry-run': String(dryRun) };
  console.log(
    Object.entries(inputs)
      .map(([name, value]) => `  ${name}: ${value}`)
      .join('\n'),
  );
  section('Action log');
  const workspace = createRunnerWorkspace({ emulator, inputs });
  const log = new RunnerLogRenderer();
  const lines = new LineSplitter();
  const show = (line: string) => {
    const shown = log.render(line);
    if (shown !== undefined) console.log(`  ${shown}`);
  };
  try {
    const result = await runActionProcess(workspace, {
      onOutput: (text, stream) => {
        if (stream === 'stderr') process.stderr.write(text);
        else lines.push(text).forEach(show);
      },
    });
    lines.flush().forEach(show);
    const run = collectActionRun(workspace, result);
    section('Job summary (markdown)');
    console.log(run.summary.trim() || '(empty)');
    section('Outputs');
    for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`);
    console.log(`\n  exit code ${run.exitCode ?? run.signal} after ${run.durationMs} ms`);
    return run;
  } finally {
    workspace.dispose();
  }
}

function printEmulatorView(emulator: Emulator): void {
  heading('What the emulator saw');
  const writes = emulator.writes();
  console.log(`  ${emulator.requests().length} requests, ${writes.length} of them writes:`);
  for (const write of writes) console.log(`    ${write.status} ${write.operation ?? write.method}`);
  section('The key each consumer holds now');
  for (const consumer of emulator.consumers()) {
    console.log(
      `  ${consumer.id.padEnd(40)} ${consumer.account.padEnd(14)} ${heldKey(emulator, consumer)}`,
    );
  }
  section('Outage check');
  const outages = emulator.timeline().filter((entry) => entry.invalid.length > 0);
  if (outages.length === 0) {
    console.log('  ✔ no consumer ever held an invalid key');
    return;
  }
  console.log('  ✘ consumers held an invalid key:');
  for (const entry of outages) {
    console.log(`    after #${entry.seq} ${entry.event}: ${entry.invalid.join(', ')}`);
  }
}

/** Which of its account's keys a consumer's copy matches: key1, key2 or stale. */
function heldKey(emulator: Emulator, consumer: Consumer): string {
  const [kind, path = ''] = consumer.id.split(':');
  const [workspace = '', datastore = ''] = path.split('/');
  const value =
    kind === 'workspace'
      ? emulator.workspaceKey(workspace)
      : emulator.datastore(workspace, datastore)?.secret;
  return emulator.holds(consumer.account, value);
}

async function main(): Promise<number> {
  const emulator = await startEmulator({ scenario: 'sample' });
  try {
    const dryRun = await runStep(emulator, 'Run 1 of 2: dry run', true);
    const rotation = await runStep(emulator, 'Run 2 of 2: rotation', false);
    printEmulatorView(emulator);
    return dryRun.exitCode === 0 && rotation.exitCode === 0 ? 0 : 1;
  } finally {
    await emulator.stop();
  }
}

process.exitCode = await main();
