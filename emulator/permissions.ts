import type { PermissionSet, PermissionsScenario } from './scenario-types.js';

const allowEverything: PermissionSet = { actions: ['*'], notActions: [] };

/**
 * The permissions the caller has at a scope: the most specific override whose scope is the
 * resource or one of its ancestors replaces the scenario-wide set (it does not add to it).
 */
export function permissionsAt(
  scenario: PermissionsScenario | undefined,
  scopeId: string,
): PermissionSet {
  if (!scenario) return allowEverything;
  const target = normaliseScope(scopeId);
  let chosen: PermissionSet = scenario;
  let chosenLength = -1;
  for (const override of scenario.overrides ?? []) {
    const scope = normaliseScope(override.scope);
    if (coversScope(scope, target) && scope.length > chosenLength) {
      chosen = override;
      chosenLength = scope.length;
    }
  }
  return { actions: [...chosen.actions], notActions: [...(chosen.notActions ?? [])] };
}

export function isAllowed(permissions: PermissionSet, action: string): boolean {
  const matches = (pattern: string) => wildcard(pattern).test(action);
  return permissions.actions.some(matches) && !(permissions.notActions ?? []).some(matches);
}

function normaliseScope(scope: string): string {
  return scope.toLowerCase().replace(/\/+$/, '');
}

/** A full id covers itself and its children; a tail like "storageAccounts/x" matches anywhere. */
function coversScope(scope: string, target: string): boolean {
  if (scope.startsWith('/')) return target === scope || target.startsWith(`${scope}/`);
  const at = `/${target}/`.indexOf(`/${scope}/`);
  return at >= 0;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
