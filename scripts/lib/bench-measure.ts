// One measured run of the bundled action against the emulator (wall time, start, ARM calls, peak
// RSS and CPU), and the cold start of dist/index.js.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RequestRecord } from '../../emulator/server.js';
import {
  createRunnerWorkspace,
  runAction,
  runActionProcess,
  type ActionRun,
} from '../../__tests__/support/action.js';
import { ACTION_ENTRY } from '../../__tests__/support/paths.js';
import { ACCOUNT, FULL, scenario, type Case } from './bench-cases.js';

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

export interface Measured {
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

export async function measure(
  c: Case,
  concurrency: number | undefined,
  dir: string,
): Promise<Measured> {
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

/** Time from spawning `node dist/index.js` to its first line of output, median of five. */
export async function coldStart(dir: string): Promise<{ actionMs: number; nodeMs: number }> {
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
