// The report's tables: a row per key, per consumer and per workspace, before and after the run.
import type { Cloud } from '../azure/cloud.js';
import { portalLink, studioDatastoreLink } from '../azure/cloud.js';
import type { ConsumerOutcome, Execution } from '../execute/execute.js';
import {
  allConsumers,
  consumerId,
  dependsOn,
  managedWorkspaces,
  type Consumer,
  type Inventory,
  type KeyInfo,
} from '../discover/inventory.js';
import { ageDays } from '../plan/key-age.js';
import { writeTargets, type Plan } from '../plan/plan.js';
import { describeSas } from '../plan/sas.js';
import { refKey } from '../util/resource-id.js';
import type { ConsumerRow, KeyRow, KeyState, SasRow, SecretRow, WorkspaceRow } from './types.js';

/** The result of a consumer whose write a cancel cut short: its error says why. */
export const UNANSWERED = 'UNKNOWN';

export function keyRows(
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

export function consumerRows(
  inventory: Inventory,
  plan: Plan,
  execution: Execution | undefined,
  cloud: Cloud | undefined,
): ConsumerRow[] {
  const places = new Map(inventory.workspaces.map((ws) => [refKey(ws.ref), ws]));
  return allConsumers(inventory).map((c: Consumer): ConsumerRow => {
    const id = consumerId(c);
    const done = execution?.consumers.get(id);
    const place = places.get(refKey(c.workspace));
    const workspaceId = place?.id;
    const isSecret = c.kind === 'key-vault-secret';
    return {
      kind: c.kind,
      ...(isSecret ? {} : { workspace: c.workspace.name }),
      where: {
        kind: isSecret ? 'key-vault' : 'workspace',
        name: c.workspace.name,
        resourceGroup: c.workspace.resourceGroup,
        ...(place ? { id: place.id } : {}),
      },
      inScope: c.inScope,
      name: c.name,
      type: c.type,
      target: c.target,
      credentials: c.credentials,
      isDefault: c.isDefault,
      keyHeld: c.holds ?? '',
      ...(c.remarks ? { remarks: c.remarks } : {}),
      sas: c.auth === 'Sas' ? sasRow(c) : undefined,
      plannedAction: plan.actions.get(id) ?? '',
      result:
        c.auth === 'Sas'
          ? sasResult(c, done, execution, plan.actions.get(id) ?? '')
          : consumerResult(done, execution, c.inScope),
      keyAfter: done && done.status !== 'unknown' ? done.holds : undefined,
      error: done?.error,
      link:
        cloud && workspaceId && c.kind === 'datastore'
          ? studioDatastoreLink(cloud, workspaceId, c.name)
          : undefined,
      ...(isSecret ? { secret: secretRow(c, plan, done) } : {}),
    };
  });
}

/** A secret's versions, and the key it leaves with when the grace period lets that key go. */
function secretRow(c: Consumer, plan: Plan, done: ConsumerOutcome | undefined): SecretRow {
  const drain = plan.held.find((d) => d.holders?.includes(consumerId(c)));
  const written = done?.written;
  return {
    ...(c.versionCreatedOn ? { versionCreatedOn: c.versionCreatedOn.toISOString() } : {}),
    ...(written
      ? {
          newVersion: {
            ...(written.version ? { version: written.version } : {}),
            ...(written.createdOn ? { createdOn: written.createdOn.toISOString() } : {}),
          },
        }
      : {}),
    ...(drain
      ? { leaves: { key: drain.key, ...(drain.until ? { until: drain.until.toISOString() } : {}) } }
      : {}),
  };
}

export function workspaceRows(
  inventory: Inventory,
  plan: Plan | undefined,
  execution: Execution | undefined,
  cloud: Cloud | undefined,
): WorkspaceRow[] {
  const resynced = plan ? writeTargets(plan).workspaces : new Set<string>();
  // A Key Vault's secrets are in the consumers' rows; the vault itself holds no key to resync.
  return inventory.workspaces
    .filter((ws) => ws.kind !== 'key-vault')
    .map((ws) => {
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
    case 'unknown':
      return UNANSWERED;
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
      case 'unknown':
        return UNANSWERED;
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
