import { ArmError } from '../arm-errors.js';
import { json, queryString, type Reply } from '../http.js';
import type { WorkspaceState } from '../state/workspaces.js';
import type { World } from '../world.js';
import {
  listPage,
  ML,
  RG,
  route,
  SUB,
  WORKSPACE,
  workspaceOf,
  type ArmContext,
  type ArmRoute,
} from './arm-route.js';

const OPERATION_STATUS = `${SUB}/providers/Microsoft.MachineLearningServices/locations/:location/workspaceOperationsStatus/:operation`;

const type = 'Microsoft.MachineLearningServices/workspaces';

/** Microsoft.MachineLearningServices/workspaces: the workspace, its keys, and resyncKeys. */
export const workspaceRoutes: ArmRoute[] = [
  route('GET', `${SUB}/${ML}`, 'Workspaces.listBySubscription', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world.workspaces
          .list(undefined, context.params.sub)
          .map((ws) => workspaceResource(context.world, ws)),
      ),
  }),
  route('GET', `${RG}/${ML}`, 'Workspaces.listByResourceGroup', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world.workspaces
          .list(context.params.rg, context.params.sub)
          .map((ws) => workspaceResource(context.world, ws)),
      ),
  }),
  route('GET', WORKSPACE, 'Workspaces.get', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    handle: (context) => json(200, workspaceResource(context.world, workspaceOf(context))),
  }),
  route('POST', `${WORKSPACE}/listKeys`, 'Workspaces.listKeys', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/listKeys/action',
    scopeDrop: 1,
    handle: (context) => json(200, workspaceKeysResult(context.world, workspaceOf(context))),
  }),
  route('POST', `${WORKSPACE}/resyncKeys`, 'Workspaces.resyncKeys', {
    type,
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/resynckeys/action',
    scopeDrop: 1,
    handle: startResync,
  }),
  route('GET', OPERATION_STATUS, 'Workspaces.operationStatus', {
    type: 'Microsoft.MachineLearningServices/locations/workspaceOperationsStatus',
    handle: operationStatus,
  }),
];

function operationUrl(
  context: ArmContext,
  location: string,
  operationId: string,
  type: string,
): string {
  const path =
    `/subscriptions/${context.params.sub}/providers/Microsoft.MachineLearningServices` +
    `/locations/${location}/workspaceOperationsStatus/${operationId}`;
  return `${context.baseUrl}${path}?${queryString([
    ['api-version', context.apiVersion],
    ['type', type],
  ])}`;
}

function startResync(context: ArmContext): Reply {
  const { world } = context;
  const operation = world.workspaces.startResync(workspaceOf(context));
  context.onResyncStarted();
  const headers: Record<string, string> = {
    Location: operationUrl(context, operation.location, operation.id, 'location'),
    'Retry-After': String(world.workspaces.resync.retryAfterSeconds),
  };
  if (world.workspaces.resync.pollingHeaders === 'location+async')
    headers['Azure-AsyncOperation'] = operationUrl(
      context,
      operation.location,
      operation.id,
      'async',
    );
  return json(202, undefined, headers);
}

function operationStatus(context: ArmContext): Reply {
  const { world, params, query } = context;
  const operation = world.workspaces.operation(params.operation as string);
  if (!operation) {
    throw new ArmError(404, 'ResourceNotFound', `Operation ${params.operation} was not found.`);
  }
  const retryAfter = { 'Retry-After': String(world.workspaces.resync.retryAfterSeconds) };
  if (query.get('type')?.toLowerCase() === 'async') {
    return json(
      200,
      {
        id: `${context.pathname}`,
        name: operation.id,
        status: operation.status,
        startTime: new Date(operation.startedAt).toISOString(),
        ...(operation.endedAt ? { endTime: new Date(operation.endedAt).toISOString() } : {}),
        ...(operation.error ? { error: operation.error } : {}),
      },
      operation.status === 'InProgress' ? retryAfter : {},
    );
  }
  if (operation.status === 'InProgress') {
    return json(202, undefined, {
      ...retryAfter,
      Location: operationUrl(context, operation.location, operation.id, 'location'),
    });
  }
  if (operation.status === 'Failed' && operation.error) {
    throw new ArmError(400, operation.error.code, operation.error.message);
  }
  return json(200);
}

function workspaceResource(world: World, workspace: WorkspaceState): unknown {
  const group = `/subscriptions/${workspace.subscriptionId}/resourceGroups/${workspace.resourceGroup}/providers`;
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

function workspaceKeysResult(world: World, workspace: WorkspaceState): unknown {
  const account = world.storage.get(workspace.accountName);
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
