// The bench's results: one row per case, the table printed, and the targets each row is held to.
import type { LoginMode } from '../../__tests__/support/action.js';
import type { Turnaround } from './bench-bounds.js';

export const seconds = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`;
export const times = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}×`;

export interface Row {
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

export function table(rows: Row[]): string {
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

export interface Target {
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

export function targets(rows: Row[], cold?: { actionMs: number; nodeMs: number }): Target[] {
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
