/** A resource inside a resource group, as an ARM resource ID names it. */
export interface ResourceRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const RESOURCE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/?$/i;

export function looksLikeResourceId(value: string): boolean {
  return value.startsWith('/');
}

/** Parses `/subscriptions/…/resourceGroups/…/providers/<namespace>/<type>/<name>`. */
export function parseResourceId(
  id: string,
  namespace: string,
  type: string,
): ResourceRef | undefined {
  const match = RESOURCE_ID.exec(id.trim());
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, ns, t, name] = match as unknown as string[];
  if (ns!.toLowerCase() !== namespace.toLowerCase() || t!.toLowerCase() !== type.toLowerCase()) {
    return undefined;
  }
  return { subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, name: name! };
}

/** The subscription a resource or scope ID is in; '' for an ID outside any subscription. */
export function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
}

export function resourceId(ref: ResourceRef, namespace: string, type: string): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${namespace}/${type}/${ref.name}`;
}

export const STORAGE = ['Microsoft.Storage', 'storageAccounts'] as const;
export const WORKSPACES = ['Microsoft.MachineLearningServices', 'workspaces'] as const;

export function sameResource(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/** A stable map key for a resource. */
export function refKey(ref: ResourceRef): string {
  return `${ref.subscriptionId}/${ref.resourceGroup}/${ref.name}`.toLowerCase();
}
