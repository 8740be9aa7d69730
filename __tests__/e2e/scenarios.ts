import type {
  DatastoreScenario,
  Holds,
  Scenario,
  WorkspaceScenario,
} from '../../emulator/scenario.js';

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000007';
export const ACCOUNT = 'mlprodstore';

/** A blob datastore on the account, registered with an account key. */
export function keyedDatastore(name: string, holds: Holds, account = ACCOUNT): DatastoreScenario {
  return {
    name,
    datastoreType: 'AzureBlob',
    account,
    containerName: name.replace(/_/g, '-'),
    credentials: 'AccountKey',
    holds,
  };
}

/** A workspace in rg-ml; its default storage is the account unless `storageAccount` says otherwise. */
export function workspace(
  name: string,
  holds: Holds,
  datastores: DatastoreScenario[],
  extra: Partial<WorkspaceScenario> = {},
): WorkspaceScenario {
  return { resourceGroup: 'rg-ml', name, storageAccount: ACCOUNT, holds, datastores, ...extra };
}

/** One subscription, the account (key ages in days, null for unknown) and a second account. */
export function world(
  ages: { key1: number | null; key2: number | null },
  workspaces: WorkspaceScenario[],
  account: Partial<Scenario['storageAccounts'][number]> = {},
): Scenario {
  return {
    subscriptionId: SUBSCRIPTION,
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    resync: { takes: 'key1', durationMs: 200 },
    storageAccounts: [
      {
        resourceGroup: 'rg-ml',
        name: ACCOUNT,
        keys: { key1: { ageDays: ages.key1 }, key2: { ageDays: ages.key2 } },
        ...account,
      },
      {
        resourceGroup: 'rg-ml',
        name: 'otherstore',
        keys: { key1: { ageDays: 10 }, key2: { ageDays: 10 } },
      },
    ],
    workspaces,
    permissions: { actions: ['*'] },
  };
}

export const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-main',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  'subscription-id': SUBSCRIPTION,
  ...extra,
});
