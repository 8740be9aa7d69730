import { ArmError, userError } from './arm-errors.js';
import type { AccountState, DatastoreState, WorkspaceState, World } from './state.js';

/** Wire shapes of the resources, as the real services return them. */

export function storageAccountResource(account: AccountState): unknown {
  const endpoint = (service: string) => `https://${account.name}.${service}.core.windows.net/`;
  return {
    sku: {
      name: account.skuName,
      tier: account.skuName.startsWith('Premium') ? 'Premium' : 'Standard',
    },
    kind: account.kind,
    id: account.id,
    name: account.name,
    type: 'Microsoft.Storage/storageAccounts',
    location: account.location,
    tags: {},
    properties: {
      keyCreationTime: {
        key1: account.keys.key1.creationTime?.toISOString() ?? null,
        key2: account.keys.key2.creationTime?.toISOString() ?? null,
      },
      allowCrossTenantReplication: false,
      privateEndpointConnections: [],
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: account.allowSharedKeyAccess,
      networkAcls: {
        bypass: 'AzureServices',
        virtualNetworkRules: [],
        ipRules: [],
        defaultAction: 'Allow',
      },
      supportsHttpsTrafficOnly: true,
      encryption: {
        services: {
          file: { keyType: 'Account', enabled: true },
          blob: { keyType: 'Account', enabled: true },
        },
        keySource: 'Microsoft.Storage',
      },
      accessTier: 'Hot',
      provisioningState: 'Succeeded',
      creationTime: account.createdAt.toISOString(),
      primaryEndpoints: {
        dfs: endpoint('dfs'),
        web: endpoint('z6.web'),
        blob: endpoint('blob'),
        queue: endpoint('queue'),
        table: endpoint('table'),
        file: endpoint('file'),
      },
      primaryLocation: account.location,
      statusOfPrimary: 'available',
      ...account.extraProperties,
    },
  };
}

export function storageKeysResult(account: AccountState): unknown {
  return {
    keys: (['key1', 'key2'] as const).map((keyName) => {
      const key = account.keys[keyName];
      return {
        ...(key.creationTime ? { creationTime: key.creationTime.toISOString() } : {}),
        keyName,
        value: key.value,
        permissions: 'FULL',
      };
    }),
  };
}

export function workspaceResource(world: World, workspace: WorkspaceState): unknown {
  const group = `/subscriptions/${world.subscriptionId}/resourceGroups/${workspace.resourceGroup}/providers`;
  const shortName = workspace.name
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 16);
  const created = workspace.createdAt.toISOString();
  const api = `${workspace.location}.api.azureml.ms`;
  return {
    id: workspace.id,
    name: workspace.name,
    type: 'Microsoft.MachineLearningServices/workspaces',
    location: workspace.location,
    tags: {},
    etag: null,
    kind: 'Default',
    sku: { name: 'Basic', tier: 'Basic' },
    identity: {
      type: 'SystemAssigned',
      principalId: workspace.principalId,
      tenantId: world.tenantId,
    },
    systemData: {
      createdAt: created,
      createdBy: 'someone@example.com',
      createdByType: 'User',
      lastModifiedAt: created,
      lastModifiedBy: 'someone@example.com',
      lastModifiedByType: 'User',
    },
    properties: {
      friendlyName: workspace.name,
      description: '',
      storageAccount: workspace.storageAccountId,
      keyVault: `${group}/Microsoft.KeyVault/vaults/kv${shortName}`,
      applicationInsights: `${group}/Microsoft.insights/components/ai${shortName}`,
      containerRegistry: `${group}/Microsoft.ContainerRegistry/registries/cr${shortName}`,
      hbiWorkspace: false,
      provisioningState: 'Succeeded',
      creationTime: created,
      workspaceId: workspace.workspaceId,
      discoveryUrl: `https://${api}/discovery`,
      mlFlowTrackingUri: `azureml://${api}/mlflow/v1.0${workspace.id}`,
      notebookInfo: {
        resourceId: workspace.workspaceId.replace(/-/g, ''),
        fqdn: `ml-${shortName}-${workspace.location}-${workspace.workspaceId}.notebooks.azure.net`,
      },
      privateLinkCount: 0,
      publicNetworkAccess: 'Enabled',
      storageHnsEnabled: false,
      tenantId: world.tenantId,
      v1LegacyMode: false,
      ...workspace.extraProperties,
    },
  };
}

export function workspaceKeysResult(world: World, workspace: WorkspaceState): unknown {
  const account = world.account(workspace.accountName);
  const { otherKeys } = workspace;
  return {
    userStorageKey: workspace.userStorageKey,
    userStorageResourceId: account?.id ?? workspace.storageAccountId,
    appInsightsInstrumentationKey: otherKeys.appInsightsInstrumentationKey,
    containerRegistryCredentials: {
      location: workspace.location,
      username: `cr${workspace.name.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
      passwords: [
        { name: 'password', value: otherKeys.registryPasswords[0] },
        { name: 'password2', value: otherKeys.registryPasswords[1] },
      ],
    },
    notebookAccessKeys: {
      primaryAccessKey: otherKeys.notebookKeys[0],
      secondaryAccessKey: otherKeys.notebookKeys[1],
    },
  };
}

export function datastoreResource(datastore: DatastoreState): unknown {
  return {
    id: datastore.id,
    name: datastore.name,
    type: 'Microsoft.MachineLearningServices/workspaces/datastores',
    systemData: { ...datastore.systemData },
    properties: structuredClone(datastore.properties),
  };
}

export function datastoreSecrets(datastore: DatastoreState): unknown {
  const credentials = datastore.properties.credentials as { credentialsType?: unknown } | undefined;
  const secret = datastore.secret;
  switch (credentials?.credentialsType) {
    case 'AccountKey':
      return { secretsType: 'AccountKey', key: secret };
    case 'Sas':
      return { secretsType: 'Sas', sasToken: secret };
    case 'ServicePrincipal':
      return { secretsType: 'ServicePrincipal', clientSecret: secret };
    case 'Certificate':
      return { secretsType: 'Certificate', certificate: secret };
    default:
      throw userError(
        `Datastore ${datastore.name} has credentials of type ` +
          `${String(credentials?.credentialsType)}, which have no secrets.`,
      );
  }
}

/** The ARM list shape, paged by offset ($skip) with an absolute nextLink. */
export function page<T>(
  items: T[],
  skip: number,
  size: number,
  nextLinkFor: (nextSkip: number) => string,
): { value: T[]; nextLink?: string } {
  const value = items.slice(skip, skip + size);
  const nextSkip = skip + size;
  return nextSkip < items.length ? { value, nextLink: nextLinkFor(nextSkip) } : { value };
}

export function parseSkip(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  const skip = Number(raw);
  if (!Number.isInteger(skip) || skip < 0)
    throw new ArmError(400, 'BadRequest', `Invalid $skip '${raw}'.`);
  return skip;
}
