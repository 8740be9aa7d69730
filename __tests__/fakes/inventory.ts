import type { KeyName } from '../../src/azure/port.js';
import type {
  DatastoreConsumer,
  Holding,
  Inventory,
  WorkspaceInventory,
} from '../../src/inventory.js';

export const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

export interface WorkspaceSpec {
  name: string;
  /** The key the workspace's own copy holds; undefined when the account is not its default storage. */
  holds?: Holding;
  datastores?: Partial<DatastoreConsumer>[];
  other?: number;
}

/** Builds an Inventory from a compact description: plain data for planner tests. */
export function inventory(spec: {
  ages?: { key1?: number; key2?: number };
  workspaces: WorkspaceSpec[];
}): Inventory {
  const ages = { key1: 100, key2: 200, ...spec.ages };
  const keys = (['key1', 'key2'] as KeyName[]).map((name) => ({
    name,
    value: `value-of-${name}`,
    createdOn: daysAgo(ages[name]),
  }));
  const workspaces: WorkspaceInventory[] = spec.workspaces.map((ws) => {
    const ref = { subscriptionId: 'sub', resourceGroup: 'rg', name: ws.name };
    return {
      ref,
      id: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`,
      usesAccountAsDefault: ws.holds !== undefined,
      holds: ws.holds,
      otherDatastores: ws.other ?? 0,
      datastores: (ws.datastores ?? []).map((d, i) => ({
        workspace: ref,
        name: d.name ?? `ds${i}`,
        datastoreType: d.datastoreType ?? 'AzureBlob',
        container: d.container ?? `container${i}`,
        credentialsType: d.credentialsType ?? 'AccountKey',
        isDefault: d.isDefault ?? false,
        holds:
          d.holds ?? ((d.credentialsType ?? 'AccountKey') === 'AccountKey' ? 'key1' : undefined),
      })),
    };
  });
  return {
    account: {
      ref: { subscriptionId: 'sub', resourceGroup: 'rg', name: 'store' },
      id: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/store',
    },
    keys,
    workspaces,
    observedAt: NOW,
  };
}

export const keyed = (...holds: Holding[]) =>
  holds.map((h, i) => ({ name: `ds${i}`, holds: h }) as Partial<DatastoreConsumer>);
