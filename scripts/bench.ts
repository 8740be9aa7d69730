// `npm run bench`: how long a rotation takes against the emulator with injected latency, by
// number of datastores and `concurrency`. Timings are the action's own wall time, as a runner sees it;
// "ws window" is how long the report says the workspace's key copy was invalid (invalidForMs).
// BENCH_SERVICE_TIMING=1 (or --service-timing) adds two rotations of key1, the key the workspace
// holds and resync gives it, so the workspace is without a valid key until the resync completes:
// one with the fast resync, one with the service's timing (Retry-After 10 s on resyncKeys and its
// polls, the least the 2024-10-01 spec declares).
import '../__tests__/support/loopback-only.mjs';
import { serviceResyncTiming, type ResyncScenario, type Scenario } from '../emulator/scenario.js';
import { startEmulator } from '../emulator/server.js';
import { runAction } from '../__tests__/support/action.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const DATASTORES = Number(process.env.BENCH_DATASTORES ?? 100);
const RESYNC_MS = 1000;
const SERVICE_TIMING =
  process.env.BENCH_SERVICE_TIMING === '1' || process.argv.includes('--service-timing');

const fastResync: ResyncScenario = { takes: 'key1', durationMs: RESYNC_MS, retryAfterSeconds: 1 };
const serviceResync: ResyncScenario = { ...fastResync, ...serviceResyncTiming };

interface Configuration {
  dryRun: boolean;
  concurrency: number;
  resync: ResyncScenario;
  keyName?: 'key1';
}

function scenario(datastores: number, resync: ResyncScenario): Scenario {
  return {
    subscriptionId: '00000000-0000-0000-0000-0000000000b1',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    pageSize: 30,
    resync,
    storageAccounts: [
      {
        resourceGroup: 'rg-bench',
        name: 'benchstore',
        keys: { key1: { ageDays: 90 }, key2: { ageDays: 200 } },
      },
    ],
    workspaces: [
      {
        resourceGroup: 'rg-bench',
        name: 'ws-bench',
        storageAccount: 'benchstore',
        holds: 'key1',
        datastores: [
          {
            name: 'blob',
            datastoreType: 'AzureBlob',
            account: 'benchstore',
            containerName: 'data',
            credentials: 'AccountKey',
            holds: 'key1',
            copies: datastores,
          },
        ],
      },
    ],
  };
}

async function measure(datastores: number, configuration: Configuration) {
  const { dryRun, concurrency, resync, keyName } = configuration;
  const emu = await startEmulator({
    scenario: scenario(datastores, resync),
    latencyMs: LATENCY_MS,
  });
  try {
    const run = await runAction({
      emulator: emu,
      inputs: {
        workspace: 'ws-bench',
        'resource-group': 'rg-bench',
        'storage-account': 'benchstore',
        concurrency: String(concurrency),
        'dry-run': String(dryRun),
        ...(keyName ? { 'key-name': keyName } : {}),
      },
      timeoutMs: 600_000,
    });
    if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout.slice(-3000)}`);
    const report = run.report as { workspaces?: { invalidForMs?: number }[] } | undefined;
    return {
      ms: run.durationMs,
      requests: emu.requests().length,
      updated: run.outputs['datastores-updated'],
      workspaceWindowMs: report?.workspaces?.[0]?.invalidForMs,
    };
  } finally {
    await emu.stop();
  }
}

const configurations: Configuration[] = [
  { dryRun: true, concurrency: 8, resync: fastResync },
  { dryRun: false, concurrency: 1, resync: fastResync },
  { dryRun: false, concurrency: 8, resync: fastResync },
  { dryRun: false, concurrency: 16, resync: fastResync },
  ...(SERVICE_TIMING
    ? [
        { dryRun: false, concurrency: 8, resync: fastResync, keyName: 'key1' as const },
        { dryRun: false, concurrency: 8, resync: serviceResync, keyName: 'key1' as const },
      ]
    : []),
];

const seconds = (ms: number | undefined) =>
  ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`;

console.log(
  `latency ${LATENCY_MS} ms per request, resync ${RESYNC_MS} ms, ${DATASTORES} AccountKey datastores`,
);
console.log('mode                    concurrency  wall time  ws window  requests  updated');
for (const configuration of configurations) {
  const r = await measure(DATASTORES, configuration);
  const mode = configuration.dryRun
    ? 'dry run'
    : [
        'rotation',
        configuration.keyName ?? '',
        configuration.resync === serviceResync ? 'RA 10s' : '',
      ]
        .filter(Boolean)
        .join(' ');
  console.log(
    `${mode.padEnd(24)}${String(configuration.concurrency).padStart(11)}  ${seconds(r.ms).padStart(9)}  ${seconds(r.workspaceWindowMs).padStart(9)}  ${String(r.requests).padStart(8)}  ${r.updated}`,
  );
}
