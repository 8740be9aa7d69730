import * as core from '@actions/core';
import type { AzurePort } from '../azure/port.js';
import { mapLimit } from '../util/concurrency.js';
import { checkPermissions, requiredPermissions, type PermissionCheck } from './permissions.js';
import type { Inventory } from '../discover/inventory.js';
import type { Plan } from '../plan/plan.js';
import { describeError } from '../util/secrets.js';

export class PreflightError extends Error {
  override name = 'PreflightError';
}

/**
 * Asks Azure what the login may do on the account and each managed workspace, against what the
 * plan needs, before the first write. The caller decides what a missing action means.
 */
export async function preflight(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
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
  return flat;
}
