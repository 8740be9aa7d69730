// The throttled rotations of __tests__/e2e-scale.test.ts, for `npm run bench`. The tests assert
// what must hold however fast the machine is (exit 0, every consumer on a valid key, none ever
// invalid); how many requests ARM answers 429 depends on scheduling, so the bench counts and judges
// it here, with the limits the tests once asserted.
import { startEmulator } from '../../emulator/server.js';
import type { ThrottlingSettings } from '../../emulator/throttling.js';
import { runAction } from '../../__tests__/support/action.js';
import {
  ACCOUNT,
  inputs,
  keyedDatastore,
  workspace,
  world,
} from '../../__tests__/e2e/scenarios.js';

export interface ThrottledScaleCase {
  name: string;
  /** One job, or two of one principal at once (one account each), as a matrix would run them. */
  jobs: 1 | 2;
  datastores: number;
  throttling: ThrottlingSettings;
  /** The most 429s a paced run should meet; without pacing these runs meet 100 to 150. */
  most429s: number;
}

export const THROTTLED_SCALE: ThrottledScaleCase[] = [
  {
    name: 'scale-principal-bucket',
    jobs: 1,
    datastores: 60,
    throttling: {
      reads: { capacity: 20, refillPerSecond: 40 },
      writes: { capacity: 20, refillPerSecond: 40 },
    },
    most429s: 5,
  },
  {
    name: 'scale-global-bucket',
    jobs: 1,
    datastores: 60,
    throttling: {
      reads: { capacity: 1000, refillPerSecond: 1000 },
      writes: { capacity: 1000, refillPerSecond: 1000 },
      global: { writes: { capacity: 20, refillPerSecond: 40 } },
    },
    most429s: 5,
  },
  {
    // Each job's pacer sees the other's calls only in what the answers say is left, so at times
    // both send into the last tokens: some 429s, not the ~150 of the same two runs unpaced.
    name: 'scale-two-jobs',
    jobs: 2,
    datastores: 50,
    throttling: {
      reads: { capacity: 1000, refillPerSecond: 1000 },
      writes: { capacity: 20, refillPerSecond: 40 },
    },
    most429s: 50,
  },
];

export interface ThrottledScaleResult {
  name: string;
  exitCodes: (number | null)[];
  throttled: number;
  calls: number;
  wallMs: number;
  most429s: number;
}

/** Runs one case as its e2e test does (latency 5 ms, concurrency 16) and counts the 429s. */
export async function runThrottledScale(c: ThrottledScaleCase): Promise<ThrottledScaleResult> {
  const jobs = [
    { workspace: 'ws-main', account: ACCOUNT, datastore: keyedDatastore('data', 'key1') },
    {
      workspace: 'ws-other',
      account: 'otherstore',
      datastore: keyedDatastore('more', 'key1', 'otherstore'),
    },
  ].slice(0, c.jobs);
  const emu = await startEmulator({
    scenario: world(
      { key1: 90, key2: 200 },
      jobs.map((j) =>
        workspace(j.workspace, 'key1', [{ ...j.datastore, copies: c.datastores }], {
          storageAccount: j.account,
        }),
      ),
    ),
    latencyMs: 5,
    throttling: c.throttling,
  });
  try {
    const started = Date.now();
    const runs = await Promise.all(
      jobs.map((j) =>
        runAction({
          emulator: emu,
          login: 'oidc',
          inputs: inputs({
            workspace: j.workspace,
            'storage-account': j.account,
            concurrency: '16',
          }),
          timeoutMs: 300_000,
        }),
      ),
    );
    const arm = emu.requests().filter((r) => r.path.toLowerCase().startsWith('/subscriptions/'));
    return {
      name: c.name,
      exitCodes: runs.map((r) => r.exitCode),
      throttled: arm.filter((r) => r.throttled).length,
      calls: arm.length,
      wallMs: Date.now() - started,
      most429s: c.most429s,
    };
  } finally {
    await emu.stop();
  }
}

/** The bench's targets for one result: every job exits 0 (hard); few 429s (soft: scheduling). */
export function throttledScaleTargets(r: ThrottledScaleResult) {
  return [
    {
      what: `${r.name}: every job exits 0`,
      value: r.exitCodes.join(', '),
      holds: r.exitCodes.every((code) => code === 0),
      hard: true,
    },
    {
      what: `${r.name}: ≤ ${r.most429s} requests answered 429`,
      value: `${r.throttled} of ${r.calls} ARM requests`,
      holds: r.throttled <= r.most429s,
      hard: false,
    },
  ];
}
