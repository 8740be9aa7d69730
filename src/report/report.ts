import { portalLink } from '../azure/cloud.js';
import type { ConsumerOutcome } from '../execute/execute.js';
import {
  managedWorkspaces,
  unreadHolders,
  usesAccountKey,
  type ConsumerKind,
  type Inventory,
} from '../discover/inventory.js';
import { describeLimit } from '../plan/key-age.js';
import { keyUsageNotes } from '../key-usage/notes.js';
import { attentionOf, headlineOf, outcomeOf, rerunAdvice } from './outcome.js';
import { missingEvidenceMessage, missingPermissionsMessage } from '../execute/permissions.js';
import type { Plan, Step } from '../plan/plan.js';
import { appRefreshNotes, appRefreshRows } from './app-refresh.js';
import { consumerRows, keyRows, workspaceRows } from './rows.js';
import type { Report, RunRecord } from './types.js';

export type {
  ConsumerRow,
  KeyRow,
  KeyState,
  Outcome,
  Report,
  RunRecord,
  SasRow,
  Timing,
  WorkspaceRow,
} from './types.js';

/** Builds the report of a run from whatever it got to: pure, so it can tell an early failure too. */
export function buildReport(record: RunRecord, now: Date): Report {
  const { inputs, inventory, plan, execution } = record;
  const cloud = inputs?.cloud;
  const regenerated = execution?.regenerated ?? [];
  const outcomes = [...(execution?.consumers.values() ?? [])];
  const count = (kind: ConsumerKind, statuses: ConsumerOutcome['status'][]) =>
    outcomes.filter((o) => o.ref.kind === kind && statuses.includes(o.status)).length;
  const failed = !!record.failure || !!record.cancelled || !!execution?.failed;
  const ref = inventory?.account.ref ?? inputs?.storageAccount;
  const accountId = inventory?.account.id;
  const partial = {
    mode: inputs?.dryRun ? 'dry-run' : 'rotation',
    generatedAt: now.toISOString(),
    account: {
      name: ref?.name ?? (record.accountInput || 'unknown'),
      resourceGroup: ref?.resourceGroup,
      subscriptionId: ref?.subscriptionId,
      id: accountId,
      link: cloud && accountId ? portalLink(cloud, accountId) : undefined,
    },
    keyName: inputs?.keyName,
    maxKeyAgeDays: inputs?.maxKeyAgeDays,
    ageLimit: plan?.ageLimit && { ...plan.ageLimit, text: describeLimit(plan.ageLimit) },
    decision: plan?.decision,
    regenerate: plan?.regenerate ?? [],
    activeKey: plan && (regenerated.at(-1) ?? plan.activeKey),
    allOnActiveKey: plan ? allOnActiveKey(record, plan) : false,
    keys: inventory ? keyRows(inventory, plan, execution, now) : [],
    keyUsage: inventory?.keyUsage,
    steps: (plan?.steps ?? []).map((step, i) => ({
      text: describeStep(step),
      reason: step.reason,
      status: execution?.steps[i]?.status ?? (record.failure ? 'not run' : 'planned'),
      error: execution?.steps[i]?.error,
    })),
    consumers: inventory && plan ? consumerRows(inventory, plan, execution, cloud) : [],
    workspaces: inventory ? workspaceRows(inventory, plan, execution, cloud) : [],
    ...(record.appRefresh ? { appRefresh: appRefreshRows(record.appRefresh) } : {}),
    otherConsumers: otherConsumers(inventory, false),
    ...(inventory?.workspaces.some((ws) => ws.kind === 'key-vault')
      ? { otherSecrets: otherConsumers(inventory, true) }
      : {}),
    uninspected: inventory?.uninspected ?? [],
    unchecked: inventory
      ? unreadHolders(inventory).map(({ name, reason }) => ({ name, reason }))
      : [],
    refused: plan?.refused,
    blockedBySas: plan?.blockedBySas,
    heldBack: (plan?.held ?? []).map((d) => ({
      key: d.key,
      until: d.until?.toISOString(),
      because: d.because,
    })),
    notes: [
      ...(plan?.notes ?? []),
      ...keyUsageNotes(inventory?.keyUsage),
      ...evidencePermissionNotes(record),
      ...appRefreshNotes(record.appRefresh ?? []),
    ],
    permissions: record.permissions ?? [],
    missingPermissions: missingPermissionsMessage(record.permissions ?? []),
    timings: record.timings,
    failure: record.failure?.message,
    cancelled: record.cancelled,
    result: {
      rotated: regenerated.length > 0,
      regeneratedKeys: regenerated,
      datastoresUpdated: count('datastore', ['updated']),
      datastoresFailed: count('datastore', ['failed', 'not run', 'unknown']),
      connectionsUpdated: count('connection', ['updated']),
      connectionsFailed: count('connection', ['failed', 'not run', 'unknown']),
      secretsUpdated: count('key-vault-secret', ['updated']),
      secretsFailed: count('key-vault-secret', ['failed', 'not run', 'unknown']),
      failed,
      stopped: execution?.stopped,
      rerun: execution?.failed ? rerunAdvice(execution, !!record.cancelled) : undefined,
    },
  } satisfies Omit<Report, 'version' | 'outcome' | 'headline' | 'attention'>;
  const outcome = outcomeOf(partial, record.failure);
  return {
    version: 2,
    outcome,
    headline: headlineOf(partial, outcome),
    attention: attentionOf(partial),
    ...partial,
  };
}

/** What the workspaces (or, `inVaults`, the Key Vaults) hold for other accounts or services. */
function otherConsumers(inventory: Inventory | undefined, inVaults: boolean): number {
  return (inventory?.workspaces ?? [])
    .filter((ws) => (ws.kind === 'key-vault') === inVaults)
    .reduce((n, ws) => n + ws.otherConsumers, 0);
}

function allOnActiveKey(record: RunRecord, plan: Plan): boolean {
  const { inventory, execution } = record;
  if (!inventory || record.failure || execution?.failed) return false;
  const target = execution?.regenerated.at(-1) ?? plan.activeKey;
  if (execution) return [...execution.consumers.values()].every((o) => o.holds === target);
  return managedWorkspaces(inventory)
    .flatMap((ws) => ws.consumers.filter(usesAccountKey))
    .every((c) => c.holds === target);
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
export function countOf(consumers: { kind: ConsumerKind }[]): string {
  const names = { datastore: 'datastore', connection: 'connection', 'key-vault-secret': 'secret' };
  const parts = (['datastore', 'connection', 'key-vault-secret'] as const)
    .map((kind) => [names[kind], consumers.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}${n === 1 ? '' : 's'}`);
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
    : parts[0] || 'no consumer';
}

/** Evidence reads the login lacks: a warning; the rotation itself does not need them. */
function evidencePermissionNotes(record: RunRecord): Report['notes'] {
  const text = missingEvidenceMessage(record.permissions ?? []);
  return text ? [{ level: 'warning', kind: 'key-usage', text, subjects: [] }] : [];
}
