import type { Permission } from './port.js';

/** ARM action patterns: case-insensitive, `*` matches any run of characters. */
export function actionMatches(pattern: string, action: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}

/** Whether granted permissions (Microsoft.Authorization/permissions) allow an action. */
export function isGranted(granted: Permission[], action: string): boolean {
  return granted.some(
    (p) =>
      p.actions.some((a) => actionMatches(a, action)) &&
      !p.notActions.some((n) => actionMatches(n, action)),
  );
}

/** Whether granted permissions allow a data action (a Key Vault secret's getSecret, setSecret…). */
export function isDataGranted(granted: Permission[], dataAction: string): boolean {
  return granted.some(
    (p) =>
      (p.dataActions ?? []).some((a) => actionMatches(a, dataAction)) &&
      !(p.notDataActions ?? []).some((n) => actionMatches(n, dataAction)),
  );
}
