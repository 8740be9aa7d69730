import type { KeyName } from '../azure/port.js';
import { portalLink, studioDatastoreLink, type Cloud } from '../azure/cloud.js';
import type { ConsumerOutcome, Execution } from '../execute/execute.js';
import type { Inputs } from '../inputs/inputs.js';
import {
  allConsumers,
  consumerId,
  dependsOn,
  managedWorkspaces,
  unreadHolders,
  usesAccountKey,
  type Consumer,
  type ConsumerKind,
  type Holding,
  type Inventory,
  type KeyInfo,
  type Seen,
  type Uninspected,
} from '../discover/inventory.js';
import { ageDays, describeLimit, type AgeLimit } from '../plan/key-age.js';
import type { KeyUsage } from '../key-usage/usage.js';
import { keyUsageNotes } from '../key-usage/notes.js';
import { attentionOf, headlineOf, outcomeOf, rerunAdvice, type Outcome } from './outcome.js';
import { missingPermissionsMessage, type PermissionCheck } from '../execute/permissions.js';
import { writeTargets, type Note, type Plan, type Step } from '../plan/plan.js';
import { refKey } from '../util/resource-id.js';
import { describeSas } from '../plan/sas.js';

export type { Outcome } from './outcome.js';

export interface Timing {
  phase: string;
  ms: number;
}

/** What a run learned and did, as far as it got: everything a report is built from. */
export interface RunRecord {
  inputs?: Inputs;
  /** The storage-account input as given, to name the account when the inputs were invalid. */
  accountInput: string;
  inventory?: Inventory;
  /** The plan that ran (or would run, in a dry run). */
  plan?: Plan;
  permissions?: PermissionCheck[];
  execution?: Execution;
  /** Why the run ended early, already sanitised; refused: the plan was refused before any write. */
  failure?: { message: string; beforeAnyWrite: boolean; refused?: boolean };
  timings: Timing[];
}

/** Everything the run tells, as plain data without any secret: the JSON report and the summary's source. */
export interface Report {
  version: 2;
  outcome: Outcome;
  /** One line: what happened, with the numbers. */
  headline: string;
  /** What needs a person, one line each; empty when nothing does. */
  attention: string[];
  mode: 'dry-run' | 'rotation';
  generatedAt: string;
  account: {
    name: string;
    resourceGroup?: string;
    subscriptionId?: string;
    id?: string;
    link?: string;
  };
  keyName?: string;
  maxKeyAgeDays?: number;
  ageLimit?: AgeLimit & { text: string };
  decision?: string;
  regenerate: KeyName[];
  /** The key every AccountKey consumer ends on (planned, in a dry run). */
  activeKey?: KeyName;
  /** Every managed AccountKey consumer holds activeKey now (after the run, or already in a dry run). */
  allOnActiveKey: boolean;
  keys: KeyRow[];
  /** Who signed requests with each key, from the storage logs; absent before discovery. */
  keyUsage?: KeyUsage;
  steps: { text: string; reason: string; status: string; error?: string }[];
  consumers: ConsumerRow[];
  workspaces: WorkspaceRow[];
  /** Datastores and connections of the workspaces that reach other accounts or services. */
  otherConsumers: number;
  /** Listings of workspaces that could not be read; `denied`: outside what the run could check. */
  uninspected: Uninspected[];
  /** What could not be read and so may hold either key (listings not denied included). */
  unchecked: Uninspected[];
  /** Why the rotation was (or would be) refused before its first write. */
  refused?: string;
  /** sas: skip-keys left every key it would regenerate alone (result blocked-by-sas): why. */
  blockedBySas?: string;
  notes: Note[];
  permissions: PermissionCheck[];
  missingPermissions?: string;
  timings: Timing[];
  /** The error that ended the run early (input, login, discovery, permissions, refusal). */
  failure?: string;
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

export interface KeyState {
  createdOn?: string;
  ageDays?: number;
}

export interface KeyRow {
  name: KeyName;
  before: KeyState;
  /** After the run; absent in a dry run or when the run stopped before it. */
  after?: KeyState;
  /**
   * Managed workspaces and consumers that depend on it before the run: holding it, or holding a
   * live SAS token it signed.
   */
  heldBy: number;
  /** Older than the age limit (or of unknown age under one). */
  due: boolean;
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
  keyHeld: Seen | '';
  /** For a SAS consumer: which key signed its token and when it expires. Never the token. */
  sas?: SasRow;
  plannedAction: string;
  result: string;
  keyAfter?: Holding;
  error?: string;
  /** Azure ML studio's page of a datastore. */
  link?: string;
}

export interface SasRow {
  /** key1, key2, user delegation, neither or unknown. */
  signedBy: string;
  /** service, account, user delegation or other. */
  kind: string;
  version?: string;
  expiresOn?: string;
  expired: boolean;
  /** The stored access policy the token refers to. */
  policy?: string;
  reason?: string;
  /** "signed by key1; expires …", as the summary shows it. */
  text: string;
}

export interface WorkspaceRow {
  workspace: string;
  resourceGroup: string;
  inScope: boolean;
  defaultStorage: boolean;
  keyHeld?: Seen;
  keyAfter?: Holding;
  resync: string;
  invalidForMs?: number;
  consumersOnAccount: number;
  error?: string;
  /** The Azure portal's page of the workspace. */
  link?: string;
}

/** Builds the report of a run from whatever it got to: pure, so it can tell an early failure too. */
export function buildReport(record: RunRecord, now: Date): Report {
  const { inputs, inventory, plan, execution } = record;
  const cloud = inputs?.cloud;
  const regenerated = execution?.regenerated ?? [];
  const outcomes = [...(execution?.consumers.values() ?? [])];
  const count = (kind: ConsumerKind, statuses: ConsumerOutcome['status'][]) =>
    outcomes.filter((o) => o.ref.kind === kind && statuses.includes(o.status)).length;
  const failed = !!record.failure || !!execution?.failed;
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
    otherConsumers: inventory?.workspaces.reduce((n, ws) => n + ws.otherConsumers, 0) ?? 0,
    uninspected: inventory?.uninspected ?? [],
    unchecked: inventory
      ? unreadHolders(inventory).map(({ name, reason }) => ({ name, reason }))
      : [],
    refused: plan?.refused,
    blockedBySas: plan?.blockedBySas,
    notes: [...(plan?.notes ?? []), ...keyUsageNotes(inventory?.keyUsage)],
    permissions: record.permissions ?? [],
    missingPermissions: missingPermissionsMessage(record.permissions ?? []),
    timings: record.timings,
    failure: record.failure?.message,
    result: {
      rotated: regenerated.length > 0,
      regeneratedKeys: regenerated,
      datastoresUpdated: count('datastore', ['updated']),
      datastoresFailed: count('datastore', ['failed', 'not run']),
      connectionsUpdated: count('connection', ['updated']),
      connectionsFailed: count('connection', ['failed', 'not run']),
      failed,
      stopped: execution?.stopped,
      rerun: execution?.failed ? rerunAdvice(execution) : undefined,
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

function allOnActiveKey(record: RunRecord, plan: Plan): boolean {
  const { inventory, execution } = record;
  if (!inventory || record.failure || execution?.failed) return false;
  const target = execution?.regenerated.at(-1) ?? plan.activeKey;
  if (execution) return [...execution.consumers.values()].every((o) => o.holds === target);
  return managedWorkspaces(inventory)
    .flatMap((ws) => ws.consumers.filter(usesAccountKey))
    .every((c) => c.holds === target);
}

function keyRows(
  inventory: Inventory,
  plan: Plan | undefined,
  execution: Execution | undefined,
  now: Date,
): KeyRow[] {
  const managed = managedWorkspaces(inventory);
  // A live SAS token depends on the key that signed it as an AccountKey consumer on the key it holds.
  const dependents = managed.flatMap((ws) => ws.consumers);
  const state = (key: Pick<KeyInfo, 'createdOn'> | undefined): KeyState => ({
    createdOn: key?.createdOn?.toISOString(),
    ageDays: key?.createdOn ? Math.floor(ageDays(key as KeyInfo, now)) : undefined,
  });
  return inventory.keys.map((k) => ({
    name: k.name,
    before: state(k),
    after: execution ? state(execution.keysAfter.find((a) => a.name === k.name)) : undefined,
    heldBy:
      dependents.filter((c) => dependsOn(c) === k.name).length +
      managed.filter((w) => w.holds === k.name).length,
    due: plan?.due.includes(k.name) ?? false,
  }));
}

function consumerRows(
  inventory: Inventory,
  plan: Plan,
  execution: Execution | undefined,
  cloud: Cloud | undefined,
): ConsumerRow[] {
  const workspaceIds = new Map(inventory.workspaces.map((ws) => [refKey(ws.ref), ws.id]));
  return allConsumers(inventory).map((c: Consumer) => {
    const id = consumerId(c);
    const done = execution?.consumers.get(id);
    const workspaceId = workspaceIds.get(refKey(c.workspace));
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
      sas: c.auth === 'Sas' ? sasRow(c) : undefined,
      plannedAction: plan.actions.get(id) ?? '',
      result:
        c.auth === 'Sas'
          ? sasResult(c, done, execution, plan.actions.get(id) ?? '')
          : consumerResult(done, execution, c.inScope),
      keyAfter: done ? done.holds : undefined,
      error: done?.error,
      link:
        cloud && workspaceId && c.kind === 'datastore'
          ? studioDatastoreLink(cloud, workspaceId, c.name)
          : undefined,
    };
  });
}

function workspaceRows(
  inventory: Inventory,
  plan: Plan | undefined,
  execution: Execution | undefined,
  cloud: Cloud | undefined,
): WorkspaceRow[] {
  const resynced = plan ? writeTargets(plan).workspaces : new Set<string>();
  return inventory.workspaces.map((ws) => {
    const done = execution?.workspaces.get(refKey(ws.ref));
    return {
      workspace: ws.ref.name,
      resourceGroup: ws.ref.resourceGroup,
      inScope: ws.inScope,
      defaultStorage: ws.usesAccountAsDefault,
      keyHeld: ws.holds,
      keyAfter: done?.holdsAfter,
      resync: !ws.inScope
        ? 'outside the managed workspaces'
        : !resynced.has(refKey(ws.ref))
          ? 'not needed'
          : !execution
            ? 'planned (not run)'
            : (done?.status ?? 'not run'),
      invalidForMs: done?.invalidForMs,
      consumersOnAccount: ws.consumers.length,
      error: done?.error,
      link: cloud ? portalLink(cloud, ws.id) : undefined,
    };
  });
}

function consumerResult(
  done: ConsumerOutcome | undefined,
  execution: Execution | undefined,
  inScope: boolean,
): string {
  if (!inScope) return 'left as it is (outside the managed workspaces)';
  if (!execution) return 'not applied';
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

function sasRow(c: Consumer): SasRow {
  const sas = c.sas;
  return {
    signedBy: sas?.signedBy ?? 'unknown',
    kind: sas?.kind ?? 'other',
    version: sas?.version,
    expiresOn: sas?.expiresOn?.toISOString(),
    expired: sas?.expired ?? false,
    policy: sas?.policy,
    reason: sas?.reason,
    text: describeSas(c),
  };
}

/** What happened to a SAS consumer: renewed (and verified), broken by the run, or left. */
function sasResult(
  c: Consumer,
  done: ConsumerOutcome | undefined,
  execution: Execution | undefined,
  planned: string,
): string {
  if (!c.inScope && !planned.startsWith('BREAKS'))
    return 'left as it is (outside the managed workspaces)';
  if (!execution) return 'not applied';
  if (done) {
    switch (done.status) {
      case 'updated':
        return `renewed: token signed by ${done.fresh ? 'new ' : ''}${done.holds}, verified`;
      case 'failed':
        return `FAILED: token not renewed, signed by ${done.holds}`;
      case 'not run':
        return `NOT RENEWED: token signed by ${done.holds}`;
      default:
        return `no change: token signed by ${done.holds}`;
    }
  }
  const signer = c.sas?.signedBy;
  if (planned.startsWith('BREAKS') && execution.regenerated.some((k) => k === signer)) {
    return `BROKEN: its token was signed by ${signer}, which was regenerated`;
  }
  if (planned.startsWith('BREAKS') && execution.regenerated.length === 2) {
    return 'BROKEN: both keys were regenerated, and an account key signed its token';
  }
  return 'left as it is';
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
  const parts = (['datastore', 'connection'] as const)
    .map((kind) => [kind, consumers.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  return parts.join(' and ') || 'no consumer';
}
