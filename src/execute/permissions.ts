import type { Permission } from '../azure/port.js';
import { ADAPTERS, adapterFor } from '../consumers/index.js';
import {
  consumerId,
  managedWorkspaces,
  type Consumer,
  type Inventory,
} from '../discover/inventory.js';
import { EVIDENCE_ACTIONS, evidenceActions } from '../key-usage/permissions.js';
import { writeTargets, type Plan } from '../plan/plan.js';
import { isDataGranted, isGranted } from '../azure/rbac.js';
import { refKey } from '../util/resource-id.js';

const STORAGE = 'Microsoft.Storage/storageAccounts';
const WORKSPACE = 'Microsoft.MachineLearningServices/workspaces';
const KEY_VAULT = 'Microsoft.KeyVault/vaults';

/** Every action the action may use, for the least-privilege role (role/ in the repository). */
export const ALL_ACTIONS = [
  `${STORAGE}/read`,
  `${STORAGE}/listkeys/action`,
  `${STORAGE}/regeneratekey/action`,
  `${WORKSPACE}/read`,
  `${WORKSPACE}/listKeys/action`,
  `${WORKSPACE}/resynckeys/action`,
  `${WORKSPACE}/datastores/read`,
  `${WORKSPACE}/datastores/write`,
  `${WORKSPACE}/datastores/listsecrets/action`,
  `${WORKSPACE}/connections/read`,
  `${WORKSPACE}/connections/write`,
  `${WORKSPACE}/connections/listsecrets/action`,
  ...EVIDENCE_ACTIONS,
];

export interface RequiredPermissions {
  scope: string;
  /** Short name for the summary: the account or workspace name. */
  name: string;
  actions: string[];
  /** Data-plane actions (a Key Vault secret's), checked against the roles' dataActions. */
  dataActions?: string[];
  /** Reads for the key-usage evidence: missing ones are a warning, never a reason to stop. */
  evidence?: string[];
  /** How to grant what is missing here, when the role in role/ does not (a vault's data plane). */
  grant?: string;
  /** For a best-effort call (an app's refresh): missing is a warning, never a reason to stop. */
  bestEffort?: true;
}

export interface PermissionCheck {
  scope: string;
  name: string;
  action: string;
  /** undefined: the permissions could not be read for this scope. */
  allowed?: boolean;
  /** A read for the key-usage evidence, not for the rotation. */
  evidence?: true;
  /** How to grant it, when the role in role/aml-storage-key-rotation.json does not. */
  grant?: string;
  /** A best-effort call's (an app's refresh): missing is a warning. */
  bestEffort?: true;
}

/** The actions the plan needs, per scope: reads always, writes only where the plan writes. */
export function requiredPermissions(inventory: Inventory, plan: Plan): RequiredPermissions[] {
  const storage = [`${STORAGE}/read`, `${STORAGE}/listkeys/action`];
  if (plan.regenerate.length > 0) storage.push(`${STORAGE}/regeneratekey/action`);
  const { consumers: moved, workspaces: resynced } = writeTargets(plan);
  const managed = managedWorkspaces(inventory);
  const workspaces = managed
    .filter((ws) => ws.kind !== 'key-vault')
    .map((ws) => {
      const actions = [`${WORKSPACE}/read`, ...ADAPTERS.map((a) => a.actions.list)];
      if (ws.usesAccountAsDefault) actions.push(`${WORKSPACE}/listKeys/action`);
      // Discovery reads the secret of every AccountKey and SAS consumer (a SAS token's signer).
      const keyed = ws.consumers.filter((c) => c.auth !== 'Other');
      actions.push(...kindsOf(keyed).map((a) => a.actions.readSecret));
      if (resynced.has(refKey(ws.ref))) actions.push(`${WORKSPACE}/resynckeys/action`);
      // Re-keying and SAS renewal need only the write action of the consumer's kind.
      const rekeyed = keyed.filter((c) => moved.has(consumerId(c)));
      actions.push(...kindsOf(rekeyed).map((a) => a.actions.write));
      return { scope: ws.id, name: ws.ref.name, actions };
    });
  // A vault's secrets are reached through its data plane: what its moves need there is checked
  // apart (execute/vault-permissions.ts), at each secret's scope or against its access policies.
  const vaults = managed
    .filter((ws) => ws.kind === 'key-vault')
    .map((ws) => ({ scope: ws.id, name: ws.ref.name, actions: [`${KEY_VAULT}/read`] }));
  const evidence = evidenceActions(inventory.keyUsage);
  return [
    {
      scope: inventory.account.id,
      name: inventory.account.ref.name,
      actions: storage,
      ...(evidence.length > 0 ? { evidence } : {}),
    },
    ...workspaces,
    ...vaults,
  ];
}

const kindsOf = (consumers: Consumer[]) =>
  [...new Set(consumers.map((c) => c.kind))].map(adapterFor);

/** Whether the granted permissions (Microsoft.Authorization/permissions) allow each action. */
export function checkPermissions(
  required: RequiredPermissions,
  granted: Permission[],
): PermissionCheck[] {
  const check = (action: string, allowed = isGranted(granted, action)): PermissionCheck => ({
    scope: required.scope,
    name: required.name,
    action,
    allowed,
    ...(required.grant ? { grant: required.grant } : {}),
    ...(required.bestEffort ? { bestEffort: true as const } : {}),
  });
  return [
    ...required.actions.map((action) => check(action)),
    ...(required.dataActions ?? []).map((action) => check(action, isDataGranted(granted, action))),
    ...(required.evidence ?? []).map((action) => ({ ...check(action), evidence: true as const })),
  ];
}

const ROLE_ADVICE = 'Assign the role in role/aml-storage-key-rotation.json (see the README).';

export function missingPermissionsMessage(checks: PermissionCheck[]): string | undefined {
  const missing = checks.filter((c) => c.allowed === false && !c.evidence && !c.bestEffort);
  if (missing.length === 0) return undefined;
  const byScope = new Map<string, string[]>();
  for (const c of missing) byScope.set(c.name, [...(byScope.get(c.name) ?? []), c.action]);
  const list = [...byScope].map(([name, actions]) => `${name}: ${actions.join(', ')}`).join('; ');
  const advice = [...new Set(missing.map((c) => c.grant ?? ROLE_ADVICE))].join(' ');
  return `The login lacks permissions this rotation needs (${list}). Nothing was changed. ${advice}`;
}

/** The evidence reads the login lacks: the run goes on, knowing less of who uses each key. */
export function missingEvidenceMessage(checks: PermissionCheck[]): string | undefined {
  const missing = checks.filter((c) => c.allowed === false && c.evidence);
  if (missing.length === 0) return undefined;
  const list = missing.map((c) => `${c.action} on ${c.name}`).join(', ');
  return `The login lacks reads the key-usage evidence needs (${list}): who uses each key is unknown or incomplete, and under require-unused-days no key is regenerated. The role in role/aml-storage-key-rotation.json grants them.`;
}
