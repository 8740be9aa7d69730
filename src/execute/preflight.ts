import * as core from '@actions/core';
import type { AzurePort, SignedInPrincipal } from '../azure/port.js';
import { appRefreshPermissions } from './app-refresh.js';
import { mapLimit } from '../util/concurrency.js';
import { checkPermissions, requiredPermissions, type PermissionCheck } from './permissions.js';
import {
  checkAccessPolicy,
  policyRequirements,
  secretDataPermissions,
} from './vault-permissions.js';
import type { Inventory } from '../discover/inventory.js';
import type { Plan } from '../plan/plan.js';
import type { ResourceRef } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';

export class PreflightError extends Error {
  override name = 'PreflightError';
}

/**
 * Asks Azure what the login may do on the account, each managed workspace and the vault secrets
 * the plan writes, against what the plan needs, before the first write. The caller decides what a
 * missing action means.
 */
export async function preflight(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
  refreshApps: ResourceRef[] = [],
): Promise<PermissionCheck[]> {
  const required = [
    ...requiredPermissions(inventory, plan),
    ...secretDataPermissions(inventory, plan),
    ...appRefreshPermissions(refreshApps, plan),
  ];
  const policies = policyRequirements(inventory, plan);
  const [checks, principal] = await Promise.all([
    mapLimit(required, 4, async (scope): Promise<PermissionCheck[]> => {
      try {
        return checkPermissions(scope, await azure.permissions(scope.scope));
      } catch (error) {
        core.warning(`Could not read the permissions on ${scope.name}: ${describeError(error)}`);
        return [...scope.actions, ...(scope.dataActions ?? [])].map((action) => ({
          scope: scope.scope,
          name: scope.name,
          action,
        }));
      }
    }),
    policies.length > 0 ? signedIn(azure) : undefined,
  ]);
  const flat = checks.flat();
  for (const policy of policies) {
    const checked = checkAccessPolicy(policy, principal);
    if (checked.warning) core.warning(checked.warning);
    flat.push(...checked.checks);
  }
  for (const c of flat) {
    const state = c.allowed === undefined ? 'unknown' : c.allowed ? 'allowed' : 'MISSING';
    core.info(`${state.padEnd(8)} ${c.action} on ${c.name}`);
  }
  const refreshMissing = flat.filter((c) => c.bestEffort && c.allowed === false);
  for (const app of new Set(refreshMissing.map((c) => c.name))) {
    const actions = refreshMissing.filter((c) => c.name === app).map((c) => c.action);
    core.warning(
      `App ${app}: the login lacks ${actions.join(', ')}, so its Key Vault references may not be refreshed; it reads the new secret versions within 24 hours, inside the grace period.`,
    );
  }
  return flat;
}

/** Who the login is, for access policies; undefined (the policies go unchecked) if unknown. */
async function signedIn(azure: AzurePort): Promise<SignedInPrincipal | undefined> {
  try {
    return await azure.signedInPrincipal();
  } catch (error) {
    core.warning(`Could not tell who the login is from its token: ${describeError(error)}`);
    return undefined;
  }
}
