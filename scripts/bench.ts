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
import { ACTION_ENTRY, ACTION_NODE, REPO_ROOT } from '../__tests__/support/paths.js';
import { byOperation, criticalPathBound, throttleFloorMs, turnaround } from './lib/bench-bounds.js';
import { FULL, RESYNC, SERVICE_TIMING, SMOKE, type Case } from './lib/bench-cases.js';
import { coldStart, measure, type Measured } from './lib/bench-measure.js';
import { seconds, table, targets, type Row } from './lib/bench-table.js';
import * as scale from './lib/bench-throttling.js';
import * as keyUsage from './lib/bench-key-usage.js';

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

function warnIfStale(): void {
  if (!existsSync(ACTION_ENTRY)) throw new Error('dist/index.js does not exist: run npm run build');
  const built = statSync(ACTION_ENTRY).mtimeMs;
  const newest = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0);
  if (newest > built) console.warn('warning: src/ is newer than dist/: run npm run build first\n');
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
const evidenceRuns = flags.smoke ? [] : await keyUsage.runKeyUsageCases(flags.only);
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
for (const r of evidenceRuns) console.log(keyUsage.describeKeyUsageResult(r));
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
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, actionNode, loadAverage: { before: loadBefore, after: loadAfter }, rows, throttledScale: scaleRuns, keyUsage: evidenceRuns, coldStart: cold, targets: checks }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
if (flags.smoke && checks.some((t) => t.hard && !t.holds)) process.exitCode = 1;
