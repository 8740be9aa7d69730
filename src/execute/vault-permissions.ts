import type { SignedInPrincipal, VaultAccessPolicy } from '../azure/port.js';
import { KEY_VAULT_ACTIONS } from '../consumers/key-vault/adapter.js';
import {
  consumerId,
  managedWorkspaces,
  type Inventory,
  type VaultAccess,
} from '../discover/inventory.js';
import { writeTargets, type Plan } from '../plan/plan.js';
import type { PermissionCheck, RequiredPermissions } from './permissions.js';

/**
 * A move reads the secret's current version, writes a new one and reads it back: getSecret and
 * setSecret (RBAC), or the secret permissions get and set (access policy). Reads the run made
 * before the plan are not asked again: discovery has done them, and what it could not read is named
 * and holds back the key it may hold (docs/key-vault.md).
 */
const MOVE_DATA_ACTIONS = [KEY_VAULT_ACTIONS.readSecret, KEY_VAULT_ACTIONS.write];
const MOVE_POLICY_PERMISSIONS = ['get', 'set'];

/** An access-policy vault whose secrets the plan writes: what its policies must grant the login. */
export interface PolicyRequirement {
  /** The vault's resource ID. */
  scope: string;
  name: string;
  permissions: string[];
  policies: VaultAccessPolicy[];
}

export interface PolicyCheck {
  checks: PermissionCheck[];
  /** Why the policies could not tell (the login is not named in them, or its ID is unknown). */
  warning?: string;
}

/** The managed vaults, with the secrets of each that the plan writes (only those it writes). */
function vaultWrites(inventory: Inventory, plan: Plan) {
  const { consumers: moved } = writeTargets(plan);
  return managedWorkspaces(inventory)
    .filter((ws): ws is typeof ws & { vault: VaultAccess } => !!ws.vault)
    .map((ws) => ({
      ws,
      secrets: ws.consumers.filter((c) => moved.has(consumerId(c))).map((c) => c.name),
    }))
    .filter((w) => w.secrets.length > 0);
}

/**
 * RBAC vaults: the data actions each written secret needs, at the secret's own scope. The
 * permissions API answers there with the login's assignments on the secret, the vault and above.
 */
export function secretDataPermissions(inventory: Inventory, plan: Plan): RequiredPermissions[] {
  return vaultWrites(inventory, plan)
    .filter(({ ws }) => ws.vault.rbacAuthorization)
    .flatMap(({ ws, secrets }) =>
      secrets.map((secret) => ({
        scope: `${ws.id}/secrets/${secret}`,
        name: `${ws.ref.name}/${secret}`,
        actions: [],
        dataActions: MOVE_DATA_ACTIONS,
        grant: `On key vault '${ws.ref.name}', assign the role in role/aml-storage-key-rotation-key-vault.json (or the built-in Key Vault Secrets Officer) to the login, on the vault or on each secret it re-keys.`,
      })),
    );
}

/** Access-policy vaults whose secrets the plan writes. */
export function policyRequirements(inventory: Inventory, plan: Plan): PolicyRequirement[] {
  return vaultWrites(inventory, plan)
    .filter(({ ws }) => !ws.vault.rbacAuthorization)
    .map(({ ws }) => ({
      scope: ws.id,
      name: ws.ref.name,
      permissions: MOVE_POLICY_PERMISSIONS,
      policies: ws.vault.accessPolicies,
    }));
}

/**
 * The secret permissions the vault's access policies give the login: the union of the entries that
 * name its object ID (in its tenant; an entry for the login through an application only when it is
 * that application), `all` granting every one. No entry naming the login is no answer: an entry
 * for a group it is in may grant them, which the run cannot see.
 */
export function checkAccessPolicy(
  required: PolicyRequirement,
  principal: SignedInPrincipal | undefined,
): PolicyCheck {
  const check = (permission: string, allowed?: boolean): PermissionCheck => ({
    scope: required.scope,
    name: required.name,
    action: `secrets ${permission} (access policy)`,
    ...(allowed === undefined ? {} : { allowed }),
    grant: policyGrant(required.name, principal),
  });
  const unknown = (warning: string) => ({
    checks: required.permissions.map((p) => check(p)),
    warning,
  });
  if (!principal) {
    return unknown(
      `The login's object ID is not in its token: the access policies of key vault '${required.name}' were not checked. A move they refuse fails, and no key is regenerated after it.`,
    );
  }
  const entries = required.policies.filter((p) => namesLogin(p, principal));
  if (entries.length === 0) {
    return unknown(
      `No access policy of key vault '${required.name}' names the login (object ID ${principal.objectId}): a group it is in may grant the secret permissions ${required.permissions.join(' and ')}, which the run cannot see. A move they refuse fails, and no key is regenerated after it. To be sure: ${policyCommand(required.name, principal.objectId)}.`,
    );
  }
  const granted = new Set(entries.flatMap((p) => p.secrets.map((s) => s.toLowerCase())));
  return {
    checks: required.permissions.map((p) => check(p, granted.has('all') || granted.has(p))),
  };
}

function namesLogin(policy: VaultAccessPolicy, principal: SignedInPrincipal): boolean {
  const same = (a: string | undefined, b: string | undefined) =>
    !!a && !!b && a.toLowerCase() === b.toLowerCase();
  if (!same(policy.objectId, principal.objectId)) return false;
  if (policy.tenantId && principal.tenantId && !same(policy.tenantId, principal.tenantId))
    return false;
  return !policy.applicationId || same(policy.applicationId, principal.applicationId);
}

const policyCommand = (vault: string, objectId: string) =>
  `az keyvault set-policy --name ${vault} --object-id ${objectId} --secret-permissions get list set`;

function policyGrant(vault: string, principal: SignedInPrincipal | undefined): string {
  return `On key vault '${vault}' (access policies), give the login the secret permissions get, list and set: ${policyCommand(vault, principal?.objectId ?? '<object ID of the login>')} (it replaces that entry's secret permissions: add any others it should keep).`;
}
