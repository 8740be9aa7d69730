import * as core from '@actions/core';
import type { AzurePort } from './azure/port.js';
import { mapLimit } from './concurrency.js';
import {
  checkPermissions,
  missingPermissionsMessage,
  requiredPermissions,
  type PermissionCheck,
} from './permissions.js';
import type { Inventory } from './inventory.js';
import type { Plan } from './plan.js';
import { describeError } from './secrets.js';

export class PreflightError extends Error {
  override name = 'PreflightError';
}

/**
 * Asks Azure what the login may do on the account and each workspace, against what the plan
 * needs. A rotation that lacks an action fails here, before its first write; a dry run reports.
 */
export async function preflight(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
  dryRun: boolean,
): Promise<PermissionCheck[]> {
  const required = requiredPermissions(inventory, plan);
  const checks = await mapLimit(required, 4, async (scope): Promise<PermissionCheck[]> => {
    try {
      return checkPermissions(scope, await azure.permissions(scope.scope));
    } catch (error) {
      core.warning(`Could not read the permissions on ${scope.name}: ${describeError(error)}`);
      return scope.actions.map((action) => ({ scope: scope.scope, name: scope.name, action }));
    }
  });
  const flat = checks.flat();
  for (const c of flat) {
    const state = c.allowed === undefined ? 'unknown' : c.allowed ? 'allowed' : 'MISSING';
    core.info(`${state.padEnd(8)} ${c.action} on ${c.name}`);
  }
  const missing = missingPermissionsMessage(flat);
  if (missing && !dryRun) throw new PreflightError(missing);
  return flat;
}
