import { json, type Reply } from '../http.js';
import { isDataAllowed, permissionsAt } from '../permissions.js';
import type { PermissionsScenario } from '../scenario-types.js';
import type { SecretState, VaultState } from './state.js';

export type SecretPermission = 'get' | 'list' | 'set';
const DATA_ACTIONS: Record<SecretPermission, string> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
};

export interface AccessRequest {
  vault: VaultState;
  /** The caller's object ID (the token's oid). */
  principal: string;
  permission: SecretPermission;
  /** The secret read or written; none for the listing of the vault's secrets. */
  secret?: SecretState;
  /** The secret's name as requested (a write may create it). */
  name?: string;
}

/**
 * 403 as Key Vault words it, or undefined: allowed. RBAC vaults: the scenario's data actions at the
 * secret's scope (the vault's for a listing), which take in assignments on the vault and above;
 * access-policy vaults: the policies that apply to the caller. The `forbidden` flags refuse whatever
 * the permissions say.
 */
export function refusal(
  permissions: PermissionsScenario | undefined,
  { vault, principal, permission, secret, name }: AccessRequest,
): Reply | undefined {
  const perSecret = permission !== 'list' && secret?.forbidden;
  const secretName = secret?.name ?? name ?? '';
  if (vault.rbacAuthorization) {
    const scope = permission === 'list' ? vault.id : `${vault.id}/secrets/${secretName}`;
    const granted = isDataAllowed(permissionsAt(permissions, scope), DATA_ACTIONS[permission]);
    if (granted && !vault.forbidden && !perSecret) return undefined;
    return kvError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource.\r\nCaller: oid=${principal}\r\nAction: '${DATA_ACTIONS[permission]}'\r\nResource: '${scope.toLowerCase()}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: ${vault.name};location=${vault.location}\r\n`,
      {},
      'ForbiddenByRbac',
    );
  }
  const policies = vault.accessPolicies.filter((p) => !p.objectId || p.objectId === principal);
  const granted = new Set(
    policies.flatMap((p) => p.permissions.secrets.map((s) => s.toLowerCase())),
  );
  if (!vault.forbidden && !perSecret && (granted.has(permission) || granted.has('all')))
    return undefined;
  return kvError(
    403,
    'Forbidden',
    `The user, group or application 'oid=${principal}' does not have secrets ${permission} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    {},
    'AccessDenied',
  );
}

export function kvError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  inner?: string,
): Reply {
  return json(
    status,
    { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } },
    headers,
  );
}
