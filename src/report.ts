import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyName } from './azure/port.js';
import type { DatastoreOutcome, Execution } from './execute.js';
import type { Inputs } from './inputs.js';
import { type Holding, type Inventory, usesAccountKey } from './inventory.js';
import type { PermissionCheck } from './permissions.js';
import { ageDays, datastoreId, writeTargets, type Note, type Plan, type Step } from './plan.js';
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
  keys: { name: KeyName; createdOn?: string; ageDays?: number; heldBy: number }[];
  steps: { text: string; reason: string; status: string; error?: string }[];
  datastores: DatastoreRow[];
  workspaces: WorkspaceRow[];
  otherDatastores: number;
  notes: Note[];
  permissions: PermissionCheck[];
  result: {
    rotated: boolean;
    regeneratedKeys: KeyName[];
    datastoresUpdated: number;
    datastoresFailed: number;
    failed: boolean;
    stopped?: string;
    rerun?: string;
  };
}

export interface DatastoreRow {
  workspace: string;
  name: string;
  type: string;
  container: string;
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
  defaultStorage: boolean;
  keyHeld?: Holding;
  keyAfter?: Holding;
  resync: string;
  invalidForMs?: number;
  datastoresOnAccount: number;
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
  const datastores = inventory.workspaces.flatMap((ws) => ws.datastores);
  const outcome = (id: string) => execution?.datastores.get(id);
  const rows: DatastoreRow[] = datastores.map((ds) => {
    const id = datastoreId(ds);
    const done = outcome(id);
    return {
      workspace: ds.workspace.name,
      name: ds.name,
      type: ds.datastoreType,
      container: ds.container,
      credentials: ds.credentialsType,
      isDefault: ds.isDefault,
      keyHeld: ds.holds ?? '',
      plannedAction: plan.actions.get(id) ?? '',
      result: datastoreResult(done, execution),
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
      defaultStorage: ws.usesAccountAsDefault,
      keyHeld: ws.holds,
      keyAfter: done?.holdsAfter,
      resync: !resyncPlanned
        ? 'not needed'
        : !execution
          ? 'planned (dry run)'
          : (done?.status ?? 'not run'),
      invalidForMs: done?.invalidForMs,
      datastoresOnAccount: ws.datastores.length,
      error: done?.error,
    };
  });
  const keyed = datastores.filter(usesAccountKey);
  const updated = [...(execution?.datastores.values() ?? [])].filter((d) => d.status === 'updated');
  const failed = [...(execution?.datastores.values() ?? [])].filter(
    (d) => d.status === 'failed' || d.status === 'not run',
  );
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
    keys: inventory.keys.map((k) => ({
      name: k.name,
      createdOn: k.createdOn?.toISOString(),
      ageDays: k.createdOn ? Math.floor(ageDays(k, now)) : undefined,
      heldBy:
        keyed.filter((d) => d.holds === k.name).length +
        inventory.workspaces.filter((w) => w.holds === k.name).length,
    })),
    steps: plan.steps.map((step, i) => ({
      text: describeStep(step),
      reason: step.reason,
      status: execution?.steps[i]?.status ?? 'planned',
      error: execution?.steps[i]?.error,
    })),
    datastores: rows,
    workspaces,
    otherDatastores: inventory.workspaces.reduce((n, ws) => n + ws.otherDatastores, 0),
    notes: plan.notes,
    permissions,
    result: {
      rotated: regenerated.length > 0,
      regeneratedKeys: regenerated,
      datastoresUpdated: updated.length,
      datastoresFailed: failed.length,
      failed: execution?.failed ?? false,
      stopped: execution?.stopped,
      rerun: execution?.failed ? rerunAdvice(regenerated, plan) : undefined,
    },
  };
}

function datastoreResult(
  done: DatastoreOutcome | undefined,
  execution: Execution | undefined,
): string {
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
      const names = step.datastores.map((d) => `${d.workspace.name}/${d.name}`);
      const shown = names.length > 5 ? [...names.slice(0, 5), `${names.length - 5} more`] : names;
      const count = `${step.datastores.length} datastore${step.datastores.length === 1 ? '' : 's'}`;
      return `Re-register ${count} with ${step.to} (${shown.join(', ')})`;
    }
  }
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
  core.setOutput('report-path', reportPath);
}

/** Outputs of a run that stopped before its first write: nothing rotated, nothing updated. */
export function setUnchangedOutputs(): void {
  core.setOutput('rotated', 'false');
  core.setOutput('regenerated-keys', '');
  core.setOutput('datastores-updated', '0');
  core.setOutput('datastores-failed', '0');
}
