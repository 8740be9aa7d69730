import { json } from '../http.js';
import type { AccountState } from '../state/storage-accounts.js';
import { ACCOUNT, listPage, RG, route, STORAGE, SUB, type ArmRoute } from './arm-route.js';

const type = 'Microsoft.Storage/storageAccounts';

/** Microsoft.Storage/storageAccounts: the account and its keys (SAS issuing: storage-sas.ts). */
export const storageRoutes: ArmRoute[] = [
  route('GET', `${SUB}/${STORAGE}`, 'StorageAccounts.list', {
    type,
    action: 'Microsoft.Storage/storageAccounts/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world.storage.list(undefined, context.params.sub).map(accountResource),
      ),
  }),
  route('GET', `${RG}/${STORAGE}`, 'StorageAccounts.listByResourceGroup', {
    type,
    action: 'Microsoft.Storage/storageAccounts/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world.storage.list(context.params.rg, context.params.sub).map(accountResource),
      ),
  }),
  route('GET', ACCOUNT, 'StorageAccounts.getProperties', {
    type,
    action: 'Microsoft.Storage/storageAccounts/read',
    handle: ({ world, params }) =>
      json(
        200,
        accountResource(
          world.storage.require(
            params.rg as string,
            params.account as string,
            params.sub as string,
          ),
        ),
      ),
  }),
  route('POST', `${ACCOUNT}/listKeys`, 'StorageAccounts.listKeys', {
    type,
    action: 'Microsoft.Storage/storageAccounts/listkeys/action',
    scopeDrop: 1,
    handle: ({ world, params }) =>
      json(
        200,
        keysResult(
          world.storage.require(
            params.rg as string,
            params.account as string,
            params.sub as string,
          ),
        ),
      ),
  }),
  route('POST', `${ACCOUNT}/regenerateKey`, 'StorageAccounts.regenerateKey', {
    type,
    write: true,
    action: 'Microsoft.Storage/storageAccounts/regeneratekey/action',
    scopeDrop: 1,
    handle: ({ world, params, body }) => {
      const account = world.storage.require(
        params.rg as string,
        params.account as string,
        params.sub as string,
      );
      const keyName = (body as { keyName?: unknown } | undefined)?.keyName;
      return json(200, keysResult(world.storage.regenerateKey(account, keyName)));
    },
  }),
];

function accountResource(account: AccountState): unknown {
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
      ...(account.keyPolicy ? { keyPolicy: { ...account.keyPolicy } } : {}),
      ...(account.sasPolicy
        ? {
            sasPolicy: {
              sasExpirationPeriod: account.sasPolicy.sasExpirationPeriod,
              expirationAction: account.sasPolicy.expirationAction ?? 'Log',
            },
          }
        : {}),
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

function keysResult(account: AccountState): unknown {
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
