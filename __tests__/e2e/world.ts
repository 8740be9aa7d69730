import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/server.js';
import { runAction, type ActionRun, type RunActionOptions } from '../support/action.js';
import { assertNoSecrets } from '../support/leaks.js';

/** The action's JSON report, as far as these tests read it. */
export interface ReportView {
  mode: string;
  activeKey: string;
  regenerate: string[];
  decision: string;
  consumers: {
    kind: 'datastore' | 'connection';
    workspace: string;
    inScope: boolean;
    name: string;
    keyHeld: string;
    credentials: string;
    result: string;
  }[];
  workspaces: {
    workspace: string;
    inScope: boolean;
    keyHeld?: string;
    keyAfter?: string;
    invalidForMs?: number;
    resync?: string;
  }[];
  result: {
    rotated: boolean;
    datastoresUpdated: number;
    datastoresFailed: number;
    failed: boolean;
    rerun?: string;
  };
  permissions: { action: string; allowed?: boolean }[];
}

export interface Snapshot {
  datastores: Map<string, { properties: Record<string, unknown>; secret?: string }>;
  invalid: Set<string>;
  keys: Record<string, { key1: string; key2: string }>;
  /** Highest sequence number in the request log and timeline so far. */
  seq: number;
}

/** Every datastore of every workspace in the scenario, as the emulator stores it. */
export function snapshot(
  emu: Emulator,
  datastores: [workspace: string, name: string][],
  accounts: string[],
): Snapshot {
  const seqs = [...emu.requests(), ...emu.timeline()].map((r) => r.seq);
  return {
    keys: Object.fromEntries(accounts.map((a) => [a, emu.keys(a)])),
    seq: Math.max(0, ...seqs),
    datastores: new Map(
      datastores.map(([ws, name]) => [`${ws}/${name}`, structuredClone(emu.datastore(ws, name)!)]),
    ),
    invalid: new Set(emu.invalidConsumers()),
  };
}

/** Runs the bundled action and checks what every run must satisfy: no secret anywhere, no stray traffic. */
export async function act(
  emu: Emulator,
  options: Omit<RunActionOptions, 'emulator'>,
): Promise<ActionRun> {
  const run = await runAction({ emulator: emu, ...options });
  assertNoSecrets(run, emu.secrets());
  assert.deepEqual(
    run.refusedConnections,
    [],
    'the action tried to reach something other than 127.0.0.1',
  );
  return run;
}

export const report = (run: ActionRun) => run.report as ReportView;

export function writesSince(emu: Emulator, before: Snapshot) {
  return emu.writes().filter((w) => w.seq > before.seq);
}

/** Consumers that became invalid at any point since the snapshot, leaving out those already invalid. */
export function everInvalidSince(emu: Emulator, before: Snapshot): string[] {
  const seen = new Set<string>();
  for (const entry of emu.timeline().filter((e) => e.seq > before.seq)) {
    for (const id of entry.invalid) if (!before.invalid.has(id)) seen.add(id);
  }
  return [...seen].sort();
}

export function withoutCredentials(properties: Record<string, unknown>) {
  const { credentials: _credentials, ...rest } = properties;
  return rest;
}

/** Starts an emulator for one test and stops it whatever happens. */
export async function withEmulator(
  options: StartEmulatorOptions | StartEmulatorOptions['scenario'],
  fn: (emu: Emulator) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator(
    typeof options === 'object' && 'scenario' in options ? options : { scenario: options },
  );
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

/** The keys of an account the emulator regenerated since the snapshot, in order. */
export function regeneratedSince(emu: Emulator, before: Snapshot, account: string): string[] {
  return emu
    .timeline()
    .filter((e) => e.seq > before.seq)
    .map((e) => new RegExp(`^regenerateKey ${account} (key[12])$`).exec(e.event)?.[1])
    .filter((key) => key !== undefined);
}

/** The rows of the first table under an h3 heading of the job summary, as plain text cells. */
export function summaryTable(summary: string, title: string): string[][] {
  const part = summary.split(/(?=<h3>)/).find((p) => p.startsWith(`<h3>${title}</h3>`));
  assert.ok(part, `a section '${title}' in the summary`);
  const table = /<table>(.*?)<\/table>/s.exec(part)?.[1] ?? '';
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => text(c[1]!)),
  );
}
