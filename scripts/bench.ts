// `npm run bench`: the bundled action (dist/index.js, as a runner starts it) against the emulator
// with latency injected on every Resource Manager request, at several sizes. For each case: wall
// time, ARM calls by operation and per datastore, the action's peak RSS, and references measured
// in the same run: the critical-path bound, the sequential baseline (the same case at concurrency
// 1) and, for the throttled case, the throttle floor. Prints a table and the targets, and writes
// reports/bench.json.
//
//   npm run bench                   every case (several minutes: the sequential baselines dominate)
//   npm run bench -- --smoke        a few seconds: small cases, exits 1 when a hard target fails
//   npm run bench -- --only 200,throttled-1000   some cases by name (scale-two-jobs: the throttled
//                                                rotations of e2e-scale, whose 429s the bench judges)
//   npm run bench -- --service-timing            adds a key1 rotation with the service's resync
//                                                timing (Retry-After 10 s), printing the workspace window
//
// Run `npm run build` first: the bench measures dist/, not src/. It runs the bundle on Node 24 (the
// runtime action.yml declares) when `npm run node24:install` has installed it, and logs in with
// GitHub OIDC, as a runner does (one case logs in through the Azure CLI stand-in instead).
import '../__tests__/support/loopback-only.mjs';
import './lib/bench-node.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResyncScenario, Scenario } from '../emulator/scenario.js';
import { serviceResyncTiming } from '../emulator/scenario.js';
import { startEmulator, type RequestRecord } from '../emulator/server.js';
import {
  ARM_BUCKETS,
  bucketKindOf,
  bucketsOf,
  type ThrottlingSettings,
} from '../emulator/throttling.js';
import {
  createRunnerWorkspace,
  runAction,
  runActionProcess,
  type ActionRun,
  type LoginMode,
} from '../__tests__/support/action.js';
import { ACTION_ENTRY, ACTION_NODE, REPO_ROOT } from '../__tests__/support/paths.js';
import * as scale from './lib/bench-throttling.js';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    'service-timing': { type: 'boolean', default: false },
    'no-sequential': { type: 'boolean', default: false },
    /** Measure at this concurrency instead of action.yml's default (to compare candidates). */
    concurrency: { type: 'string' },
    out: { type: 'string' },
  },
});

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000b1';
const ACCOUNT = 'benchstore';
const RESYNC: ResyncScenario = { takes: 'key1', durationMs: 300, retryAfterSeconds: 0 };
/** ARM's buckets on a clock 20 times faster: reads 250 at 500/s, writes 200 at 200/s. */
const FAST_ARM: ThrottlingSettings = {
  reads: { capacity: ARM_BUCKETS.reads.capacity, refillPerSecond: 500 },
  writes: { capacity: ARM_BUCKETS.writes.capacity, refillPerSecond: 200 },
};

interface Case {
  name: string;
  datastores: number;
  workspaces: number;
  latencyMs: number;
  dryRun?: boolean;
  throttling?: ThrottlingSettings;
  resync?: ResyncScenario;
  keyName?: string;
  /**
   * How the job logged in (default `oidc`: GitHub's ID token exchanged at Entra ID, in the action's
   * own process, as the README recommends for a runner); `cli` spawns the Azure CLI stand-in.
   */
  login?: LoginMode;
  /** Measure the same case at concurrency 1 too. */
  sequential: boolean;
}

const FULL: Case[] = [
  { name: '50', datastores: 50, workspaces: 1, latencyMs: 30, sequential: true },
  { name: '200', datastores: 200, workspaces: 1, latencyMs: 30, sequential: true },
  {
    name: '200-az',
    datastores: 200,
    workspaces: 1,
    latencyMs: 30,
    login: 'cli',
    sequential: false,
  },
  { name: '1000', datastores: 1000, workspaces: 1, latencyMs: 30, sequential: true },
  { name: '5x200', datastores: 200, workspaces: 5, latencyMs: 30, sequential: true },
  { name: '5000@5ms', datastores: 5000, workspaces: 1, latencyMs: 5, sequential: true },
  {
    name: 'dry-1000',
    datastores: 1000,
    workspaces: 1,
    latencyMs: 30,
    dryRun: true,
    sequential: true,
  },
  {
    name: 'throttled-1000',
    datastores: 1000,
    workspaces: 1,
    latencyMs: 30,
    throttling: FAST_ARM,
    sequential: false,
  },
];

const SMOKE: Case[] = [
  { name: 'smoke-50', datastores: 50, workspaces: 1, latencyMs: 30, sequential: true },
  {
    name: 'smoke-throttled-150',
    datastores: 150,
    workspaces: 1,
    latencyMs: 10,
    throttling: { writes: { capacity: 40, refillPerSecond: 100 } },
    sequential: false,
  },
];

const SERVICE_TIMING: Case[] = [
  {
    name: 'key1-fast-resync',
    datastores: 100,
    workspaces: 1,
    latencyMs: 30,
    keyName: 'key1',
    resync: { takes: 'key1', durationMs: 1000, retryAfterSeconds: 1 },
    sequential: false,
  },
  {
    name: 'key1-service-resync',
    datastores: 100,
    workspaces: 1,
    latencyMs: 30,
    keyName: 'key1',
    resync: { takes: 'key1', durationMs: 1000, ...serviceResyncTiming },
    sequential: false,
  },
];

function scenario(c: Case): Scenario {
  const workspaces = Array.from({ length: c.workspaces }, (_, i) => ({
    resourceGroup: 'rg-bench',
    name: c.workspaces === 1 ? 'ws-bench' : `ws-bench-${i + 1}`,
    storageAccount: ACCOUNT,
    holds: 'key1' as const,
    datastores: [
      {
        name: 'blob',
        datastoreType: 'AzureBlob',
        account: ACCOUNT,
        containerName: 'data',
        credentials: 'AccountKey' as const,
        holds: 'key1' as const,
        copies: c.datastores,
      },
    ],
  }));
  return {
    subscriptionId: SUBSCRIPTION,
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    pageSize: 30,
    resync: c.resync ?? RESYNC,
    storageAccounts: [
      {
        resourceGroup: 'rg-bench',
        name: ACCOUNT,
        keys: { key1: { ageDays: 90 }, key2: { ageDays: 200 } },
      },
    ],
    workspaces,
    permissions: { actions: ['*'] },
  };
}

/**
 * A wrapper entry that records the action's peak RSS and CPU time as it exits (same process as
 * dist/index.js).
 */
function rssEntry(dir: string): string {
  const entry = join(dir, 'rss-entry.mjs');
  writeFileSync(
    entry,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRSS: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
});
await import(${JSON.stringify(new URL(`file://${ACTION_ENTRY}`).href)});
`,
  );
  return entry;
}

interface Measured {
  wallMs: number;
  /** From spawning the action to its first Resource Manager call: node, the bundle, the login. */
  startMs: number;
  /**
   * From spawning the action to its first phase (the `Discovery` group in its log): node, loading the
   * bundle, reading the inputs. The rest of `startMs` is the login (and the first TLS handshake).
   */
  loadMs: number;
  exitCode: number | null;
  /** ARM requests the emulator answered (429s included), in arrival order. */
  arm: RequestRecord[];
  peakRssMiB: number;
  /** CPU time of the action's process (user and system). */
  actionCpuMs: number;
  /** CPU time of the bench's own process while the action ran: the emulator's, mostly. */
  emulatorCpuMs: number;
  updated: number;
  onAccount: number;
  workspaceWindowMs?: number;
  stdoutTail: string;
}

async function measure(c: Case, concurrency: number | undefined, dir: string): Promise<Measured> {
  const emu = await startEmulator({
    scenario: scenario(c),
    latencyMs: c.latencyMs,
    throttling: c.throttling,
  });
  const rssFile = join(dir, `rss-${c.name}-${concurrency ?? 'default'}`);
  try {
    const spawned = Date.now();
    const cpuBefore = process.cpuUsage();
    let discoveryAt: number | undefined;
    const run: ActionRun = await runAction({
      onOutput: (text, stream) => {
        if (stream === 'stdout' && text.includes('::group::Discovery')) discoveryAt ??= Date.now();
      },
      emulator: emu,
      entry: rssEntry(dir),
      env: { BENCH_RSS_FILE: rssFile },
      login: c.login ?? 'oidc',
      inputs: {
        workspace: Array.from({ length: c.workspaces }, (_, i) =>
          c.workspaces === 1 ? 'ws-bench' : `ws-bench-${i + 1}`,
        ).join('\n'),
        'resource-group': 'rg-bench',
        'storage-account': ACCOUNT,
        'dry-run': String(c.dryRun ?? false),
        ...(concurrency ? { concurrency: String(concurrency) } : {}),
        ...(c.keyName ? { 'key-name': c.keyName } : {}),
      },
      timeoutMs: 900_000,
    });
    const report = run.report as
      | {
          result?: { datastoresUpdated?: number };
          consumers?: { kind: string; credentials: string; inScope: boolean }[];
          workspaces?: { invalidForMs?: number }[];
        }
      | undefined;
    const emulatorCpu = process.cpuUsage(cpuBefore);
    const usage = existsSync(rssFile)
      ? (JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; cpuMicros: number })
      : undefined;
    const arm = emu.requests().filter((r) => r.path.toLowerCase().startsWith('/subscriptions/'));
    const firstArm = arm[0]?.time ?? spawned;
    return {
      wallMs: run.durationMs,
      startMs: firstArm - spawned,
      loadMs: (discoveryAt ?? firstArm) - spawned,
      exitCode: run.exitCode,
      arm,
      peakRssMiB: usage ? usage.maxRSS / 1024 : NaN,
      actionCpuMs: usage ? usage.cpuMicros / 1000 : NaN,
      emulatorCpuMs: (emulatorCpu.user + emulatorCpu.system) / 1000,
      updated: report?.result?.datastoresUpdated ?? 0,
      onAccount:
        report?.consumers?.filter(
          (r) => r.kind === 'datastore' && r.inScope && r.credentials === 'AccountKey',
        ).length ?? 0,
      workspaceWindowMs: report?.workspaces?.[0]?.invalidForMs,
      stdoutTail: run.stdout.slice(-3000),
    };
  } finally {
    await emu.stop();
  }
}

/**
 * The critical-path bound: the least time the run's calls allow at its concurrency. The action's
 * phases follow one another (discovery, permissions, then each step of the plan: a key's move is a
 * key read, then every consumer's write then read-back; a regeneration; a resync, which waits on
 * the service). Within a phase, calls go at most `concurrency` at a time and along their longest
 * chain of calls that must follow one another (a list's pages; a write before its read-back), so a
 * phase takes at least max(chain, ⌈calls / concurrency⌉) × latency; a resync adds the service's
 * own duration. Phases are read from the emulator's log of this run. Starting node, loading the
 * bundle and logging in are not in the bound: the bound is what Resource Manager allows, the rest
 * is the action's own cost.
 */
export function criticalPathBound(
  arm: RequestRecord[],
  concurrency: number,
  latencyMs: number,
  resyncMs: number,
): number {
  const answered = arm.filter((r) => !r.throttled);
  type Phase = {
    kind: 'discovery' | 'permissions' | 'move' | 'regenerate' | 'resync';
    ops: string[];
  };
  const phases: Phase[] = [{ kind: 'discovery', ops: [] }];
  let seenPermissions = false;
  for (const request of answered) {
    const op = request.operation ?? '';
    const current = phases.at(-1)!;
    let kind: Phase['kind'] | undefined;
    if (op === 'Permissions.listForResource') {
      if (current.kind !== 'permissions') kind = 'permissions';
      seenPermissions = true;
    } else if (seenPermissions && op === 'StorageAccounts.listKeys') kind = 'move';
    else if (op === 'StorageAccounts.regenerateKey') kind = 'regenerate';
    else if (op === 'Workspaces.resyncKeys' && current.kind !== 'resync') kind = 'resync';
    if (kind) phases.push({ kind, ops: [op] });
    else current.ops.push(op);
  }
  let units = 0;
  let serviceMs = 0;
  for (const phase of phases) {
    const n = phase.ops.length;
    if (n === 0) continue;
    const count = (operation: string) => phase.ops.filter((op) => op === operation).length;
    let chain = 1;
    if (phase.kind === 'discovery') {
      const workspaces = Math.max(1, count('Workspaces.get'));
      const pages = Math.ceil(count('Datastores.list') / workspaces);
      chain = 1 + pages + 1; // the workspace, its pages in turn, the last page's secret reads
    } else if (phase.kind === 'move') {
      chain = 1 + 2; // the key, then a write and its read-back
    } else if (phase.kind === 'resync') {
      // Resyncs next to each other run together: accepted, polled once done, the key read; the
      // service's own duration once.
      chain = 3;
      serviceMs += resyncMs;
    }
    units += Math.max(chain, Math.ceil(n / concurrency));
  }
  return units * latencyMs + serviceMs;
}

/**
 * What one step of a chain costs beyond the latency: for each datastore the run wrote, the time from
 * its PUT reaching the emulator to its read-back reaching it, less the latency (the emulator answering,
 * the action reading the answer and sending the next call, and every wait for a CPU in between).
 * The action's part is from the PUT's answer leaving the emulator to the read-back reaching it.
 * Median and 90th percentile of each; undefined without writes.
 */
export function turnaround(arm: RequestRecord[], latencyMs: number): Turnaround | undefined {
  const written = new Map<string, RequestRecord>();
  const extra: number[] = [];
  const action: number[] = [];
  for (const r of arm) {
    if (r.throttled) continue;
    if (r.operation === 'Datastores.createOrUpdate') written.set(r.path.toLowerCase(), r);
    else if (r.operation === 'Datastores.listSecrets') {
      const path = r.path.toLowerCase().replace(/\/listsecrets$/, '');
      const put = written.get(path);
      if (put === undefined) continue;
      written.delete(path);
      extra.push(r.time - put.time - latencyMs);
      if (put.answeredAt !== undefined) action.push(r.time - put.answeredAt);
    }
  }
  if (extra.length === 0) return undefined;
  const { medianMs, p90Ms } = quantiles(extra);
  const ofAction = action.length > 0 ? quantiles(action) : undefined;
  return { medianMs, p90Ms, actionMedianMs: ofAction?.medianMs, actionP90Ms: ofAction?.p90Ms };
}

interface Turnaround {
  medianMs: number;
  p90Ms: number;
  actionMedianMs?: number;
  actionP90Ms?: number;
}

function quantiles(values: number[]): { medianMs: number; p90Ms: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p90Ms: at(0.9) };
}

/**
 * The fewest milliseconds the buckets allow for the calls the run made (ARM admits them all): the
 * principal's and the subscription's global bucket, whichever is slower to give them.
 */
function throttleFloorMs(arm: RequestRecord[], throttling: ThrottlingSettings): number {
  const { own, global } = bucketsOf(throttling);
  let floor = 0;
  for (const kind of ['reads', 'writes', 'deletes'] as const) {
    const calls = arm.filter((r) => !r.throttled && bucketKindOf(r.method) === kind).length;
    for (const b of [own[kind], global[kind]])
      floor = Math.max(floor, ((calls - b.capacity) / b.refillPerSecond) * 1000);
  }
  return Math.max(0, floor);
}

function byOperation(arm: RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of arm) {
    const op = `${r.operation ?? `${r.method} ?`}${r.throttled ? ' (429)' : ''}`;
    counts[op] = (counts[op] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

/** Time from spawning `node dist/index.js` to its first line of output, median of five. */
async function coldStart(dir: string): Promise<{ actionMs: number; nodeMs: number }> {
  const emptyEntry = join(dir, 'empty.mjs');
  writeFileSync(emptyEntry, "process.stdout.write('first line\\n');\n");
  const emu = await startEmulator({ scenario: scenario(FULL[0]!) });
  const firstLine = async (entry?: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const workspace = createRunnerWorkspace({
        emulator: emu,
        inputs: { workspace: 'ws-bench', 'resource-group': 'rg-bench', 'storage-account': ACCOUNT },
      });
      const started = performance.now();
      let first: number | undefined;
      try {
        await runActionProcess(workspace, {
          entry,
          onOutput: () => (first ??= performance.now() - started),
        });
      } finally {
        workspace.dispose();
      }
      samples.push(first ?? NaN);
    }
    return samples.sort((a, b) => a - b)[2]!;
  };
  try {
    return { actionMs: await firstLine(), nodeMs: await firstLine(emptyEntry) };
  } finally {
    await emu.stop();
  }
}

function warnIfStale(): void {
  if (!existsSync(ACTION_ENTRY)) throw new Error('dist/index.js does not exist: run npm run build');
  const built = statSync(ACTION_ENTRY).mtimeMs;
  const newest = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0);
  if (newest > built) console.warn('warning: src/ is newer than dist/: run npm run build first\n');
}

const seconds = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`;
const times = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}×`;

interface Row {
  name: string;
  mode: 'rotation' | 'dry run';
  login: LoginMode;
  datastores: number;
  latencyMs: number;
  concurrency: string;
  exitCode: number | null;
  wallMs: number;
  startMs: number;
  /** Spawn to the first phase: node, the bundle, the inputs. */
  loadMs: number;
  affected: number;
  calls: number;
  callsByOperation: Record<string, number>;
  /** Calls that address one datastore (listSecrets, get, PUT) per affected datastore. */
  datastoreCallsPerDatastore: number;
  /** Every ARM call of the run per affected datastore (list pages and the run's own calls too). */
  allCallsPerDatastore: number;
  throttled: number;
  peakRssMiB: number;
  actionCpuMs: number;
  emulatorCpuMs: number;
  /** A datastore's PUT to its read-back, beyond the latency (median, 90th percentile). */
  turnaround?: Turnaround;
  boundMs: number;
  vsBound: number;
  /** (wall − start) / bound: how close the Resource Manager part of the run comes to the bound. */
  vsBoundAfterStart: number;
  sequentialMs?: number;
  speedup?: number;
  floorMs?: number;
  vsFloor?: number;
  workspaceWindowMs?: number;
}

async function runCase(c: Case, dir: string): Promise<Row> {
  const chosen = flags.concurrency ? Number(flags.concurrency) : undefined;
  process.stderr.write(`${c.name}: concurrency ${chosen ?? 'default'}… `);
  const main = await measure(c, chosen, dir);
  if (main.exitCode !== 0) throw new Error(`${c.name}: the action failed\n${main.stdoutTail}`);
  const concurrency = chosen ?? Number(readActionDefault('concurrency'));
  let sequential: Measured | undefined;
  if (c.sequential && !flags['no-sequential']) {
    process.stderr.write('concurrency 1… ');
    sequential = await measure(c, 1, dir);
    if (sequential.exitCode !== 0)
      throw new Error(`${c.name} at concurrency 1: the action failed\n${sequential.stdoutTail}`);
  }
  process.stderr.write('done\n');
  const affected = c.dryRun ? main.onAccount : main.updated;
  const datastoreCalls = main.arm.filter(
    (r) => !r.throttled && /^Datastores\.(get|createOrUpdate|listSecrets)$/.test(r.operation ?? ''),
  ).length;
  const answered = main.arm.filter((r) => !r.throttled).length;
  const resyncMs = (c.resync ?? RESYNC).durationMs ?? 0;
  const boundMs = criticalPathBound(main.arm, concurrency, c.latencyMs, resyncMs);
  const floorMs = c.throttling ? throttleFloorMs(main.arm, c.throttling) : undefined;
  return {
    name: c.name,
    mode: c.dryRun ? 'dry run' : 'rotation',
    login: c.login ?? 'oidc',
    datastores: c.datastores * c.workspaces,
    latencyMs: c.latencyMs,
    concurrency: String(concurrency),
    exitCode: main.exitCode,
    wallMs: main.wallMs,
    startMs: main.startMs,
    loadMs: main.loadMs,
    affected,
    calls: answered,
    callsByOperation: byOperation(main.arm),
    datastoreCallsPerDatastore: datastoreCalls / affected,
    allCallsPerDatastore: answered / affected,
    throttled: main.arm.filter((r) => r.throttled).length,
    peakRssMiB: main.peakRssMiB,
    actionCpuMs: main.actionCpuMs,
    emulatorCpuMs: main.emulatorCpuMs,
    turnaround: turnaround(main.arm, c.latencyMs),
    boundMs,
    vsBound: main.wallMs / boundMs,
    vsBoundAfterStart: (main.wallMs - main.startMs) / boundMs,
    sequentialMs: sequential?.wallMs,
    speedup: sequential && sequential.wallMs / main.wallMs,
    floorMs,
    vsFloor: floorMs ? main.wallMs / floorMs : undefined,
    workspaceWindowMs: main.workspaceWindowMs,
  };
}

/** The default of an input, from action.yml (the bench runs the action as a workflow would). */
function readActionDefault(input: string): string {
  const yml = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
  const block = new RegExp(`\\n  ${input}:\\n(?:    .*\\n)*?    default: '?([^'\\n]*)'?`).exec(yml);
  return block?.[1] ?? '';
}

function table(rows: Row[]): string {
  const header = [
    'case',
    'mode',
    'login',
    'latency',
    'conc.',
    'wall',
    'load',
    'start',
    'bound',
    '×bound',
    '×bound after start',
    'sequential',
    'speedup',
    'floor',
    '×floor',
    'ds calls/ds',
    'all calls/ds',
    '429s',
    'peak RSS',
    'CPU: action',
    'CPU: emulator',
    'turnaround',
    'of it, the action',
  ];
  const lines = rows.map((r) => [
    r.name,
    r.mode,
    r.login,
    `${r.latencyMs} ms`,
    r.concurrency,
    seconds(r.wallMs),
    seconds(r.loadMs),
    seconds(r.startMs),
    seconds(r.boundMs),
    times(r.vsBound),
    times(r.vsBoundAfterStart),
    seconds(r.sequentialMs),
    times(r.speedup),
    seconds(r.floorMs),
    times(r.vsFloor),
    r.datastoreCallsPerDatastore.toFixed(2),
    r.allCallsPerDatastore.toFixed(2),
    String(r.throttled),
    `${r.peakRssMiB.toFixed(0)} MiB`,
    seconds(r.actionCpuMs),
    seconds(r.emulatorCpuMs),
    r.turnaround ? `${r.turnaround.medianMs} / ${r.turnaround.p90Ms} ms` : '-',
    r.turnaround?.actionMedianMs !== undefined
      ? `${r.turnaround.actionMedianMs} / ${r.turnaround.actionP90Ms} ms`
      : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    format(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(format),
  ].join('\n');
}

interface Target {
  what: string;
  value: string;
  holds: boolean;
  /** Deterministic (counts, exit codes), not a timing: the smoke bench fails on these. */
  hard: boolean;
}

/**
 * A ratio to the bound, with what it is after the start and the best this start allows: the bound
 * leaves out starting node, loading the bundle and logging in, so even a run whose every call took
 * exactly the bound would be (start + bound) / bound.
 */
function againstBound(r: Row): string {
  const best = (r.startMs + r.boundMs) / r.boundMs;
  return `${times(r.vsBound)} (after the start: ${times(r.vsBoundAfterStart)}; with this start and every call at the bound: ${times(best)})`;
}

function targets(rows: Row[], cold?: { actionMs: number; nodeMs: number }): Target[] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const list: Target[] = [];
  for (const r of rows.filter((x) => x.mode === 'rotation')) {
    list.push({
      what: `${r.name}: ≤ 3.0 calls per affected datastore`,
      value: `${r.datastoreCallsPerDatastore.toFixed(2)} (all calls: ${r.allCallsPerDatastore.toFixed(2)})`,
      holds: r.datastoreCallsPerDatastore <= 3.0,
      hard: true,
    });
  }
  const r200 = row('200');
  if (r200) {
    list.push({
      what: '200: ≥ 8× faster than sequential',
      value: times(r200.speedup),
      holds: (r200.speedup ?? 0) >= 8,
      hard: false,
    });
    list.push({
      what: '200: ≤ 1.2× the bound',
      value: againstBound(r200),
      holds: r200.vsBound <= 1.2,
      hard: false,
    });
  }
  const r1000 = row('1000');
  if (r1000) {
    list.push({
      what: '1000: ≤ 1.15× the bound',
      value: againstBound(r1000),
      holds: r1000.vsBound <= 1.15,
      hard: false,
    });
  }
  const dry = row('dry-1000');
  if (dry) {
    list.push({
      what: 'dry run of 1000: ≤ 1.2× its bound',
      value: againstBound(dry),
      holds: dry.vsBound <= 1.2,
      hard: false,
    });
  }
  for (const r of rows.filter((x) => x.floorMs !== undefined)) {
    list.push({
      what: `${r.name}: exits 0`,
      value: String(r.exitCode),
      holds: r.exitCode === 0,
      hard: true,
    });
    list.push({
      what: `${r.name}: within 1.3× the throttle floor`,
      value: times(r.vsFloor),
      holds: (r.vsFloor ?? Infinity) <= 1.3,
      hard: false,
    });
  }
  const big = row('5000@5ms');
  if (big) {
    list.push({
      what: '5000: peak RSS under 250 MiB',
      value: `${big.peakRssMiB.toFixed(0)} MiB`,
      holds: big.peakRssMiB < 250,
      hard: false,
    });
  }
  if (cold) {
    list.push({
      what: 'cold start of dist/index.js to its first line ≤ 0.2 s',
      value: `${seconds(cold.actionMs)} (node alone: ${seconds(cold.nodeMs)})`,
      holds: cold.actionMs <= 200,
      hard: false,
    });
  }
  return list;
}

warnIfStale();
const dir = mkdtempSync(join(tmpdir(), 'aml-bench-'));
const chosen = flags.smoke
  ? SMOKE
  : [...FULL, ...(flags['service-timing'] ? SERVICE_TIMING : [])].filter(
      (c) => !flags.only || flags.only.split(',').includes(c.name),
    );
const actionNode = execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' }).trim();
const loadAverage = () =>
  existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3) : [];
const loadBefore = loadAverage();
console.log(`the action runs on node ${actionNode}; load average ${loadBefore.join(' ')}\n`);
const started = Date.now();
const rows: Row[] = [];
for (const c of chosen) rows.push(await runCase(c, dir));
const scaleRuns: scale.ThrottledScaleResult[] = [];
for (const c of flags.smoke ? [] : scale.THROTTLED_SCALE) {
  if (flags.only && !flags.only.split(',').includes(c.name)) continue;
  process.stderr.write(`${c.name}… `);
  scaleRuns.push(await scale.runThrottledScale(c));
  process.stderr.write('done\n');
}
const cold = flags.smoke ? undefined : await coldStart(dir);

if (rows.length > 0) console.log(`\n${table(rows)}\n`);
for (const r of rows) {
  const ops = Object.entries(r.callsByOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const window =
    r.workspaceWindowMs === undefined ? '' : `; workspace window ${seconds(r.workspaceWindowMs)}`;
  console.log(`${r.name}: ${r.calls} calls for ${r.affected} datastores${window}: ${ops}`);
}
for (const r of scaleRuns)
  console.log(
    `${r.name}: ${r.throttled} of ${r.calls} ARM requests answered 429, ${seconds(r.wallMs)}`,
  );
const checks = [...targets(rows, cold), ...scaleRuns.flatMap(scale.throttledScaleTargets)];
console.log('\nTargets:');
for (const t of checks) console.log(`  ${t.holds ? 'holds ' : 'MISSED'}  ${t.what}: ${t.value}`);
const loadAfter = loadAverage();
console.log(`\nbench took ${seconds(Date.now() - started)}; load average ${loadAfter.join(' ')}`);

const out =
  flags.out ?? join(REPO_ROOT, 'reports', flags.smoke ? 'bench-smoke.json' : 'bench.json');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, actionNode, loadAverage: { before: loadBefore, after: loadAfter }, rows, throttledScale: scaleRuns, coldStart: cold, targets: checks }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
if (flags.smoke && checks.some((t) => t.hard && !t.holds)) process.exitCode = 1;
