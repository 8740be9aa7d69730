import type { PermissionSet, PermissionsScenario } from './scenario-types.js';

/** A permission set as the permissions API lists it: every field present. */
export type ResolvedPermissions = Required<PermissionSet>;

const allowEverything: ResolvedPermissions = {
  actions: ['*'],
  notActions: [],
  dataActions: ['*'],
  notDataActions: [],
};

/**
 * The permissions the caller has at a scope: the most specific override whose scope is the
 * resource or one of its ancestors replaces the scenario-wide set (it does not add to it). Data
 * actions an override does not name are the scenario-wide set's.
 */
export function permissionsAt(
  scenario: PermissionsScenario | undefined,
  scopeId: string,
): ResolvedPermissions {
  if (!scenario) return { ...allowEverything };
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
  const data = chosen.dataActions ? chosen : scenario.dataActions ? scenario : allowEverything;
  return {
    actions: [...chosen.actions],
    notActions: [...(chosen.notActions ?? [])],
    dataActions: [...(data.dataActions ?? [])],
    notDataActions: [...(data.notDataActions ?? [])],
  };
}

export function isAllowed(permissions: PermissionSet, action: string): boolean {
  const matches = (pattern: string) => wildcard(pattern).test(action);
  return permissions.actions.some(matches) && !(permissions.notActions ?? []).some(matches);
}

export function isDataAllowed(permissions: PermissionSet, dataAction: string): boolean {
  const matches = (pattern: string) => wildcard(pattern).test(dataAction);
  return (
    (permissions.dataActions ?? []).some(matches) &&
    !(permissions.notDataActions ?? []).some(matches)
  );
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
