import { parseResourceId, type ResourceRef } from '../util/resource-id.js';

/**
 * Parses `refresh-apps`: App Service / Functions apps by resource ID (Microsoft.Web/sites), one a
 * line; the same app twice is one. Their Key Vault references are refreshed after the run wrote
 * new versions of the secrets `key-vaults` names, so the input means nothing without it.
 */
export function parseRefreshApps(
  lines: string[],
  keyVaultsGiven: boolean,
): { apps: ResourceRef[]; problems: string[] } {
  const apps = new Map<string, ResourceRef>();
  const problems: string[] = [];
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const ref = parseResourceId(line, 'Microsoft.Web', 'sites');
    if (!ref) {
      problems.push(
        `refresh-apps: '${line}' is not the resource ID of an App Service or Functions app (/subscriptions/…/resourceGroups/…/providers/Microsoft.Web/sites/<name>)`,
      );
      continue;
    }
    apps.set(line.toLowerCase().replace(/\/+$/, ''), ref);
  }
  if (apps.size > 0 && !keyVaultsGiven) {
    problems.push(
      'refresh-apps needs key-vaults: the apps are refreshed after the run writes new versions of the secrets key-vaults names.',
    );
  }
  return { apps: [...apps.values()], problems };
}
