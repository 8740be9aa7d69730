// The key-usage evidence's cost at 1,000 datastores, for `npm run bench`: a dry run with the
// storage logs on (four diagnostic settings read, the one query) and one without (the settings,
// then the platform metrics). The evidence runs alongside discovery; the bench tells how long its
// calls took from the first to the last answer, and how much of that came after discovery's own
// last Resource Manager read: what the evidence adds to the run's critical path.
//
// The emulator answers the query from its traffic model at once: Log Analytics' own query time
// (seconds) is not in the figure, only Resource Manager's latency on the settings and metrics.
import { startEmulator, type RequestRecord } from '../../emulator/server.js';
import { runAction } from '../../__tests__/support/action.js';
import {
  inputs,
  keyedDatastore,
  SUBSCRIPTION,
  workspace,
  world,
} from '../../__tests__/e2e/scenarios.js';

export interface KeyUsageBenchCase {
  name: string;
  datastores: number;
  latencyMs: number;
  logs: boolean;
}

export const KEY_USAGE_CASES: KeyUsageBenchCase[] = [
  { name: 'evidence-logs-1000', datastores: 1000, latencyMs: 30, logs: true },
  { name: 'evidence-metrics-1000', datastores: 1000, latencyMs: 30, logs: false },
];

export interface KeyUsageBenchResult {
  name: string;
  exitCode: number | null;
  status?: string;
  /** From the first evidence request to its last answer. */
  evidenceMs: number;
  /** How far the evidence's last answer came after discovery's last other read (0: hidden). */
  addedMs: number;
  /** Of which the emulator took to answer the query or the metrics from its traffic model. */
  answerMs: number;
  discoveryMs?: number;
  wallMs: number;
  calls: Record<string, number>;
}

const EVIDENCE = ['DiagnosticSettings.list', 'LogsQuery.queryResource', 'Metrics.list'];
const LOGS_WORKSPACE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ml/providers/Microsoft.OperationalInsights/workspaces/logs`;
const ALL_LOGS = [
  {
    name: 'to-logs',
    workspaceId: LOGS_WORKSPACE,
    logs: [{ categoryGroup: 'allLogs', enabled: true }],
  },
];

export async function runKeyUsageCase(c: KeyUsageBenchCase): Promise<KeyUsageBenchResult> {
  const emu = await startEmulator({
    scenario: world(
      { key1: 90, key2: 200 },
      [workspace('ws-main', 'key1', [{ ...keyedDatastore('data', 'key1'), copies: c.datastores }])],
      {
        ...(c.logs
          ? {
              diagnosticSettings: {
                blob: ALL_LOGS,
                file: ALL_LOGS,
                queue: ALL_LOGS,
                table: ALL_LOGS,
              },
            }
          : {}),
        outsideCallers: [{ ip: '203.0.113.7', userAgent: 'contoso-app/2.1', holds: 'key2' }],
      },
    ),
    latencyMs: c.latencyMs,
  });
  try {
    const run = await runAction({
      emulator: emu,
      login: 'oidc',
      inputs: inputs({ 'dry-run': 'true' }),
      timeoutMs: 900_000,
    });
    const requests = emu.requests();
    const evidence = requests.filter((r) => EVIDENCE.includes(r.operation ?? ''));
    // A dry run's other requests are discovery's (the permission check comes after it).
    const reads = requests.filter(
      (r) =>
        r.path.toLowerCase().startsWith('/subscriptions/') &&
        !EVIDENCE.includes(r.operation ?? '') &&
        r.operation !== 'Permissions.listForResource',
    );
    const end = (rs: RequestRecord[]) => Math.max(...rs.map((r) => r.answeredAt ?? r.time));
    const report = run.report as
      { keyUsage?: { status: string }; timings?: { phase: string; ms: number }[] } | undefined;
    const calls: Record<string, number> = {};
    for (const r of evidence) calls[r.operation!] = (calls[r.operation!] ?? 0) + 1;
    return {
      name: c.name,
      exitCode: run.exitCode,
      status: report?.keyUsage?.status,
      evidenceMs:
        evidence.length > 0 ? end(evidence) - Math.min(...evidence.map((r) => r.time)) : 0,
      answerMs: evidence
        .filter((r) => r.operation !== 'DiagnosticSettings.list')
        .reduce((ms, r) => ms + (r.answeredAt ?? r.time) - r.time, 0),
      addedMs: evidence.length > 0 ? Math.max(0, end(evidence) - end(reads)) : 0,
      discoveryMs: report?.timings?.find((t) => t.phase === 'Discovery')?.ms,
      wallMs: run.durationMs,
      calls,
    };
  } finally {
    await emu.stop();
  }
}

/** Every case `only` (the bench's --only list) lets through. */
export async function runKeyUsageCases(only?: string): Promise<KeyUsageBenchResult[]> {
  const results: KeyUsageBenchResult[] = [];
  for (const c of KEY_USAGE_CASES) {
    if (only && !only.split(',').includes(c.name)) continue;
    process.stderr.write(`${c.name}… `);
    results.push(await runKeyUsageCase(c));
    process.stderr.write('done\n');
  }
  return results;
}

export function describeKeyUsageResult(r: KeyUsageBenchResult): string {
  const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
  const calls = Object.entries(r.calls)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return (
    `${r.name}: exit ${r.exitCode}, evidence ${r.status ?? '-'} in ${s(r.evidenceMs)} (${calls}; ` +
    `the emulator's answer ${s(r.answerMs)}), ` +
    `${s(r.addedMs)} after discovery's last read; discovery ${s(r.discoveryMs)}, run ${s(r.wallMs)}`
  );
}
