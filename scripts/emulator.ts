// `npm run emulator [-- <scenario name or path>] [--port N] [--latency-ms N]`: the emulator alone,
// on 127.0.0.1, and what to give the action to use it, down to a `node dist/index.js` command line.
// Ctrl-C stops it. (For a machine-readable start, as CI does: `tsx emulator/cli.ts`.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/server.js';
import { loadScenario, scenarioPath } from '../emulator/scenario.js';
import { ACTION_ENTRY, REPO_ROOT } from '../__tests__/support/paths.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    'latency-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals.length > 1) {
  console.log(
    'npm run emulator [-- <scenario>] [--port N] [--latency-ms N]\n' +
      '  <scenario>: a name in emulator/scenarios/ (default sample) or a path to a scenario JSON file',
  );
  process.exit(values.help ? 0 : 2);
}

/** The client ID of the made-up service principal; the emulator's Entra ID takes any secret. */
const DEFAULT_CLIENT_ID = '00000000-0000-4000-8000-00000000c11e';
const MADE_UP_SECRET = 'emulated-client-secret-not-a-real-one';

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

/** Quotes a word for sh when it needs it. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const scenarioArg = positionals[0] ?? 'sample';
const scenario = loadScenario(scenarioArg);
const emulator = await startEmulator({
  scenario,
  port: number('port', values.port),
  latencyMs: number('latency-ms', values['latency-ms']),
});

// The files a runner gives a step: the action writes its summary and outputs there.
const runnerDir = mkdtempSync(join(tmpdir(), 'aml-emulator-runner-'));
const summaryFile = join(runnerDir, 'step-summary.md');
const outputFile = join(runnerDir, 'output.txt');
writeFileSync(summaryFile, '');
writeFileSync(outputFile, '');

const workspace = scenario.workspaces[0];
const account = scenario.storageAccounts.find(
  (a) => a.name.toLowerCase() === workspace?.storageAccount.toLowerCase(),
);
const inputs: [string, string][] = [
  ['workspace', workspace?.name ?? '<workspace>'],
  ['resource-group', workspace?.resourceGroup ?? '<resource group>'],
  ['storage-account', account?.name ?? '<storage account>'],
  ...(account && account.resourceGroup !== workspace?.resourceGroup
    ? ([['storage-account-resource-group', account.resourceGroup]] as [string, string][])
    : []),
  ['subscription-id', emulator.subscriptionId],
  ['arm-endpoint', emulator.url],
];
const environment: [string, string][] = [
  ['NODE_EXTRA_CA_CERTS', emulator.caFile],
  ['AZURE_AUTHORITY_HOST', emulator.url],
  ['AZURE_TENANT_ID', emulator.tenantId],
  ['AZURE_CLIENT_ID', scenario.entra?.clientId ?? DEFAULT_CLIENT_ID],
  ['AZURE_CLIENT_SECRET', MADE_UP_SECRET],
  ['GITHUB_API_URL', `${emulator.url}/_github/api`],
  ['GITHUB_SERVER_URL', `${emulator.url}/_github`],
  ['RUNNER_TEMP', runnerDir],
  ['GITHUB_STEP_SUMMARY', summaryFile],
  ['GITHUB_OUTPUT', outputFile],
];

const inputWidth = Math.max(...inputs.map(([name]) => name.length)) + 2;
const lines = [
  `Emulator on ${emulator.url} (127.0.0.1 only), scenario ${relative(REPO_ROOT, scenarioPath(scenarioArg))}`,
  '',
  'Inputs for the action:',
  ...inputs.map(([name, value]) => `  ${`${name}:`.padEnd(inputWidth)}${value}`),
  '',
  "Environment of the step: trust the emulator's certificate authority; log in as a service",
  "principal at the emulator's Entra ID stand-in, which takes any client secret (this one is made",
  "up); GitHub's API (for notify: issue) is the emulator's too; the files a runner provides:",
  ...environment.map(([name, value]) => `  ${name}=${value}`),
  '',
  'A dry run of the bundled action (after `npm run build`), from another terminal. The grep hides',
  "the ::add-mask:: lines that register the keys' values as secrets, as a runner does:",
  '',
  [
    'env',
    ...environment.map(([name, value]) => `${name}=${sh(value)}`),
    ...inputs.map(([name, value]) => `INPUT_${name.toUpperCase()}=${sh(value)}`),
    'INPUT_DRY-RUN=true',
    `node ${sh(ACTION_ENTRY)} | grep -v '^::add-mask::'`,
  ].join(' \\\n    '),
  '',
  `Then the job summary: npm run summary -- ${sh(summaryFile)}`,
  'With INPUT_DRY-RUN=false it rotates; the emulator keeps its state until it stops. Ctrl-C stops it.',
];
console.log(lines.join('\n'));

let stopping = false;
const stop = () => {
  if (stopping) process.exit(130);
  stopping = true;
  emulator.stop().then(
    () => {
      rmSync(runnerDir, { recursive: true, force: true });
      console.log('\nEmulator stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
