import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyName } from './azure/port.js';
import type { ConsumerOutcome, Execution } from './execute.js';
import type { Inputs } from './inputs.js';
import {
  allConsumers,
  consumerId,
  usesAccountKey,
  type ConsumerKind,
  type Holding,
  type Inventory,
  type Uninspected,
} from './inventory.js';
import { ageDays, describeLimit, type AgeLimit } from './key-age.js';
import type { PermissionCheck } from './permissions.js';
import { writeTargets, type Note, type Plan, type Step } from './plan.js';
import { refKey } from './resource-id.js';

/** Everything the run tells, as plain data without any secret: the JSON report and the summary's source. */
export interface Report {
  version: 1;
  mode: 'dry-run' | 'rotation';
  generatedAt: string;
  account: { name: string; resourceGroup: string; subscriptionId: string; id: string };
  keyName: string;
  maxKeyAgeDays?: number;
  decision: string;
  regenerate: KeyName[];
  activeKey: KeyName;
  ageLimit?: AgeLimit & { text: string };
  keys: {
    name: KeyName;
    createdOn?: string;
    ageDays?: number;
    heldBy: number;
    /** Older than the age limit (or of unknown age under one). */
    due: boolean;
  }[];
  steps: { text: string; reason: string; status: string; error?: string }[];
  consumers: ConsumerRow[];
  workspaces: WorkspaceRow[];
  /** Datastores and connections of the workspaces that reach other accounts or services. */
  otherConsumers: number;
  uninspected: Uninspected[];
  /** Why the rotation was refused before its first write, if it was. */
  refused?: string;
  notes: Note[];
  permissions: PermissionCheck[];
  result: {
    rotated: boolean;
    regeneratedKeys: KeyName[];
    datastoresUpdated: number;
    datastoresFailed: number;
    connectionsUpdated: number;
    connectionsFailed: number;
    failed: boolean;
    stopped?: string;
    rerun?: string;
  };
}

export interface ConsumerRow {
  kind: ConsumerKind;
  workspace: string;
  /** Inside the workspaces the run manages. */
  inScope: boolean;
  name: string;
  /** Datastore type or connection category. */
  type: string;
  /** Container, share or filesystem; a connection's target URL. */
  target: string;
  credentials: string;
  isDefault: boolean;
  keyHeld: Holding | '';
  plannedAction: string;
  result: string;
  keyAfter?: Holding;
  error?: string;
}

export interface WorkspaceRow {
  workspace: string;
  resourceGroup: string;
  inScope: boolean;
  defaultStorage: boolean;
  keyHeld?: Holding;
  keyAfter?: Holding;
  resync: string;
  invalidForMs?: number;
  consumersOnAccount: number;
  error?: string;
}

export function buildReport(
  inputs: Inputs,
  inventory: Inventory,
  plan: Plan,
  execution: Execution | undefined,
  permissions: PermissionCheck[],
  now: Date,
): Report {
  const consumers = allConsumers(inventory);
  const rows: ConsumerRow[] = consumers.map((c) => {
    const id = consumerId(c);
    const done = execution?.consumers.get(id);
    return {
      kind: c.kind,
      workspace: c.workspace.name,
      inScope: c.inScope,
      name: c.name,
      type: c.type,
      target: c.target,
      credentials: c.credentials,
      isDefault: c.isDefault,
      keyHeld: c.holds ?? '',
      plannedAction: plan.actions.get(id) ?? '',
      result: consumerResult(done, execution, c.inScope),
      keyAfter: done ? done.holds : undefined,
      error: done?.error,
    };
  });
  const resynced = writeTargets(plan).workspaces;
  const workspaces: WorkspaceRow[] = inventory.workspaces.map((ws) => {
    const done = execution?.workspaces.get(refKey(ws.ref));
    const resyncPlanned = resynced.has(refKey(ws.ref));
    return {
      workspace: ws.ref.name,
      resourceGroup: ws.ref.resourceGroup,
      inScope: ws.inScope,
      defaultStorage: ws.usesAccountAsDefault,
      keyHeld: ws.holds,
      keyAfter: done?.holdsAfter,
      resync: !ws.inScope
        ? 'outside the managed workspaces'
        : !resyncPlanned
          ? 'not needed'
          : !execution
            ? 'planned (dry run)'
            : (done?.status ?? 'not run'),
      invalidForMs: done?.invalidForMs,
      consumersOnAccount: ws.consumers.length,
      error: done?.error,
    };
  });
  const keyed = consumers.filter((c) => c.inScope && usesAccountKey(c));
  const outcomes = [...(execution?.consumers.values() ?? [])];
  const count = (kind: ConsumerKind, statuses: ConsumerOutcome['status'][]) =>
    outcomes.filter((o) => o.ref.kind === kind && statuses.includes(o.status)).length;
  const regenerated = execution?.regenerated ?? [];
  return {
    version: 1,
    mode: execution ? 'rotation' : 'dry-run',
    generatedAt: now.toISOString(),
    account: { ...inventory.account.ref, id: inventory.account.id },
    keyName: inputs.keyName,
    maxKeyAgeDays: inputs.maxKeyAgeDays,
    decision: plan.decision,
    regenerate: plan.regenerate,
    activeKey: plan.activeKey,
    ageLimit: plan.ageLimit && { ...plan.ageLimit, text: describeLimit(plan.ageLimit) },
    keys: inventory.keys.map((k) => ({
      name: k.name,
      createdOn: k.createdOn?.toISOString(),
      ageDays: k.createdOn ? Math.floor(ageDays(k, now)) : undefined,
      heldBy:
        keyed.filter((c) => c.holds === k.name).length +
        inventory.workspaces.filter((w) => w.inScope && w.holds === k.name).length,
      due: plan.due.includes(k.name),
    })),
    steps: plan.steps.map((step, i) => ({
      text: describeStep(step),
      reason: step.reason,
      status: execution?.steps[i]?.status ?? 'planned',
      error: execution?.steps[i]?.error,
    })),
    consumers: rows,
    workspaces,
    otherConsumers: inventory.workspaces.reduce((n, ws) => n + ws.otherConsumers, 0),
    uninspected: inventory.uninspected,
    refused: plan.refused,
    notes: plan.notes,
    permissions,
    result: {
      rotated: regenerated.length > 0,
      regeneratedKeys: regenerated,
      datastoresUpdated: count('datastore', ['updated']),
      datastoresFailed: count('datastore', ['failed', 'not run']),
      connectionsUpdated: count('connection', ['updated']),
      connectionsFailed: count('connection', ['failed', 'not run']),
      failed: execution?.failed ?? false,
      stopped: execution?.stopped,
      rerun: execution?.failed ? rerunAdvice(regenerated, plan) : undefined,
    },
  };
}

function consumerResult(
  done: ConsumerOutcome | undefined,
  execution: Execution | undefined,
  inScope: boolean,
): string {
  if (!inScope) return 'left as it is (outside the managed workspaces)';
  if (!execution) return 'dry run: not applied';
  if (!done) return 'no change';
  switch (done.status) {
    case 'updated':
      return `updated: holds ${done.fresh ? 'new ' : ''}${done.holds}, verified`;
    case 'failed':
      return `FAILED: still holds ${done.holds}`;
    case 'not run':
      return `NOT UPDATED: still holds ${done.holds}`;
    default:
      return `no change: holds ${done.holds}`;
  }
}

function rerunAdvice(regenerated: KeyName[], plan: Plan): string {
  return regenerated.length > 0
    ? `Fix the cause, then rerun with key-name: none. It regenerates nothing and moves every remaining consumer onto ${plan.activeKey}.`
    : 'No key was regenerated. Fix the cause, then rerun with the same inputs.';
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'regenerate':
      return `Regenerate ${step.key}`;
    case 'resync':
      return `Resync the keys of workspace ${step.workspace.name}`;
    case 'move': {
      const names = step.consumers.map((c) => `${c.workspace.name}/${c.name}`);
      const shown = names.length > 5 ? [...names.slice(0, 5), `${names.length - 5} more`] : names;
      return `Re-key ${countOf(step.consumers)} with ${step.to} (${shown.join(', ')})`;
    }
  }
}

/** "3 datastores and 1 connection". */
function countOf(consumers: { kind: ConsumerKind }[]): string {
  const parts = (['datastore', 'connection'] as const)
    .map((kind) => [kind, consumers.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/** Writes the JSON report under RUNNER_TEMP, readable by the runner's user only. */
export async function writeReportFile(report: Report): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'aml-storage-key-rotation');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = report.generatedAt.replace(/[:.]/g, '-');
  const path = join(dir, `report-${report.account.name}-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return path;
}

export function setOutputs(report: Report, reportPath: string): void {
  core.setOutput('rotated', String(report.result.rotated));
  core.setOutput('regenerated-keys', report.result.regeneratedKeys.join(','));
  core.setOutput('active-key', report.activeKey);
  core.setOutput('datastores-updated', String(report.result.datastoresUpdated));
  core.setOutput('datastores-failed', String(report.result.datastoresFailed));
  core.setOutput('connections-updated', String(report.result.connectionsUpdated));
  core.setOutput('connections-failed', String(report.result.connectionsFailed));
  core.setOutput('report-path', reportPath);
}

/** Outputs of a run that stopped before its first write: nothing rotated, nothing updated. */
export function setUnchangedOutputs(): void {
  core.setOutput('rotated', 'false');
  core.setOutput('regenerated-keys', '');
  core.setOutput('datastores-updated', '0');
  core.setOutput('datastores-failed', '0');
  core.setOutput('connections-updated', '0');
  core.setOutput('connections-failed', '0');
}
