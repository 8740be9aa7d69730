// `npm run bench`: how long a rotation takes against the emulator with injected latency, by
// number of datastores and `concurrency`. Timings are the action's own wall time, as a runner sees it.
import '../__tests__/support/loopback-only.mjs';
import type { Scenario } from '../emulator/scenario.js';
import { startEmulator } from '../emulator/server.js';
import { runAction } from '../__tests__/support/action.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const DATASTORES = Number(process.env.BENCH_DATASTORES ?? 100);
const RESYNC_MS = 1000;

function scenario(datastores: number): Scenario {
  return {
    subscriptionId: '00000000-0000-0000-0000-0000000000b1',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    pageSize: 30,
    resync: { takes: 'key1', durationMs: RESYNC_MS, retryAfterSeconds: 1 },
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

async function measure(datastores: number, concurrency: number, dryRun: boolean) {
  const emu = await startEmulator({ scenario: scenario(datastores), latencyMs: LATENCY_MS });
  try {
    const run = await runAction({
      emulator: emu,
      inputs: {
        workspace: 'ws-bench',
        'resource-group': 'rg-bench',
        'storage-account': 'benchstore',
        concurrency: String(concurrency),
        'dry-run': String(dryRun),
      },
      timeoutMs: 600_000,
    });
    if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.stdout.slice(-3000)}`);
    return {
      ms: run.durationMs,
      requests: emu.requests().length,
      updated: run.outputs['datastores-updated'],
    };
  } finally {
    await emu.stop();
  }
}

/** Emulator start-up: the first start creates the certificate, later ones reuse it. */
async function startTimes() {
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const emu = await startEmulator({ scenario: scenario(1) });
    times.push(performance.now() - started);
    await emu.stop();
  }
  return times.map((ms) => `${ms.toFixed(0)} ms`).join(', then ');
}

console.log(`emulator start: ${await startTimes()}`);
console.log(
  `latency ${LATENCY_MS} ms per request, resync ${RESYNC_MS} ms, ${DATASTORES} AccountKey datastores`,
);
console.log('mode      concurrency  wall time  requests  updated');
for (const [dryRun, concurrency] of [
  [true, 8],
  [false, 1],
  [false, 8],
  [false, 16],
] as const) {
  const r = await measure(DATASTORES, concurrency, dryRun);
  console.log(
    `${(dryRun ? 'dry run' : 'rotation').padEnd(10)}${String(concurrency).padStart(11)}  ${`${(r.ms / 1000).toFixed(1)} s`.padStart(9)}  ${String(r.requests).padStart(8)}  ${r.updated}`,
  );
}
