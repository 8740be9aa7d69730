import { ArmError, authorizationFailed, badRequest, subscriptionNotFound } from '../arm-errors.js';
import { json, matchSegments, queryString, type Reply } from '../http.js';
import { isAllowed, permissionsAt } from '../permissions.js';
import {
  datastoreResource,
  datastoreSecrets,
  page,
  parseSkip,
  storageAccountResource,
  storageKeysResult,
  workspaceKeysResult,
  workspaceResource,
} from '../resources.js';
import type { PermissionsScenario } from '../scenario.js';
import type { DatastoreState, World } from '../state.js';

export interface ArmContext {
  world: World;
  permissions: PermissionsScenario | undefined;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  baseUrl: string;
  pathname: string;
  apiVersion: string;
  principal: string;
  /** Called after a resync starts so its completion can be scheduled. */
  onResyncStarted: () => void;
}

interface ArmRoute {
  method: string;
  pattern: string[];
  /** SDK-style operation name, recorded on each request. */
  operation: string;
  /** Changes state: listed by Emulator.writes(). */
  write?: boolean;
  /** RBAC action checked against the scenario's permissions; none for always-allowed routes. */
  action?: string;
  /** How many trailing path segments to drop to get the authorization scope. */
  scopeDrop?: number;
  handle: (context: ArmContext) => Reply;
}

const SUB = 'subscriptions/:sub';
const RG = `${SUB}/resourceGroups/:rg`;
const STORAGE = 'providers/Microsoft.Storage/storageAccounts';
const ML = 'providers/Microsoft.MachineLearningServices/workspaces';
const ACCOUNT = `${RG}/${STORAGE}/:account`;
const WORKSPACE = `${RG}/${ML}/:ws`;
const DATASTORE = `${WORKSPACE}/datastores/:ds`;
const OPERATION_STATUS = `${SUB}/providers/Microsoft.MachineLearningServices/locations/:location/workspaceOperationsStatus/:operation`;
const PERMISSIONS_SUFFIX = ['providers', 'microsoft.authorization', 'permissions'];

function route(
  method: string,
  pattern: string,
  operation: string,
  details: Omit<ArmRoute, 'method' | 'pattern' | 'operation'>,
): ArmRoute {
  return { method, pattern: pattern.split('/'), operation, ...details };
}

const routes: ArmRoute[] = [
  route('GET', RG, 'ResourceGroups.get', {
    action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handle: ({ world, params }) => {
      const name = world.requireResourceGroup(params.rg as string);
      return json(200, {
        id: `/subscriptions/${world.subscriptionId}/resourceGroups/${name}`,
        name,
        type: 'Microsoft.Resources/resourceGroups',
        location: 'westeurope',
        properties: { provisioningState: 'Succeeded' },
      });
    },
  }),
  route('GET', `${SUB}/${STORAGE}`, 'StorageAccounts.list', {
    action: 'Microsoft.Storage/storageAccounts/read',
    scopeDrop: 3,
    handle: (context) => listPage(context, context.world.accountsIn().map(storageAccountResource)),
  }),
  route('GET', `${RG}/${STORAGE}`, 'StorageAccounts.listByResourceGroup', {
    action: 'Microsoft.Storage/storageAccounts/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(context, context.world.accountsIn(context.params.rg).map(storageAccountResource)),
  }),
  route('GET', ACCOUNT, 'StorageAccounts.getProperties', {
    action: 'Microsoft.Storage/storageAccounts/read',
    handle: ({ world, params }) =>
      json(
        200,
        storageAccountResource(world.requireAccount(params.rg as string, params.account as string)),
      ),
  }),
  route('POST', `${ACCOUNT}/listKeys`, 'StorageAccounts.listKeys', {
    action: 'Microsoft.Storage/storageAccounts/listkeys/action',
    scopeDrop: 1,
    handle: ({ world, params }) =>
      json(
        200,
        storageKeysResult(world.requireAccount(params.rg as string, params.account as string)),
      ),
  }),
  route('POST', `${ACCOUNT}/regenerateKey`, 'StorageAccounts.regenerateKey', {
    write: true,
    action: 'Microsoft.Storage/storageAccounts/regeneratekey/action',
    scopeDrop: 1,
    handle: ({ world, params, body }) => {
      const account = world.requireAccount(params.rg as string, params.account as string);
      const keyName = (body as { keyName?: unknown } | undefined)?.keyName;
      return json(200, storageKeysResult(world.regenerateKey(account, keyName)));
    },
  }),
  route('POST', `${ACCOUNT}/ListAccountSas`, 'StorageAccounts.listAccountSAS', {
    action: 'Microsoft.Storage/storageAccounts/ListAccountSas/action',
    scopeDrop: 1,
    handle: ({ world, params, body }) => {
      const account = world.requireAccount(params.rg as string, params.account as string);
      const fields = (body ?? {}) as Record<string, string | undefined>;
      if (!fields.signedExpiry)
        throw badRequest('signedExpiry is required.', 'InvalidValuesForRequestParameters');
      const accountSasToken = world.issueAccountSas(account, fields.keyToSign, {
        services: fields.signedServices,
        resourceTypes: fields.signedResourceTypes,
        permissions: fields.signedPermission,
        start: fields.signedStart,
        expiry: fields.signedExpiry,
        protocols: fields.signedProtocol,
        ip: fields.signedIp,
      });
      return json(200, { accountSasToken });
    },
  }),
  route('GET', `${SUB}/${ML}`, 'Workspaces.listBySubscription', {
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world.workspacesIn().map((ws) => workspaceResource(context.world, ws)),
      ),
  }),
  route('GET', `${RG}/${ML}`, 'Workspaces.listByResourceGroup', {
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    scopeDrop: 3,
    handle: (context) =>
      listPage(
        context,
        context.world
          .workspacesIn(context.params.rg)
          .map((ws) => workspaceResource(context.world, ws)),
      ),
  }),
  route('GET', WORKSPACE, 'Workspaces.get', {
    action: 'Microsoft.MachineLearningServices/workspaces/read',
    handle: ({ world, params }) =>
      json(
        200,
        workspaceResource(world, world.requireWorkspace(params.rg as string, params.ws as string)),
      ),
  }),
  route('POST', `${WORKSPACE}/listKeys`, 'Workspaces.listKeys', {
    action: 'Microsoft.MachineLearningServices/workspaces/listKeys/action',
    scopeDrop: 1,
    handle: ({ world, params }) =>
      json(
        200,
        workspaceKeysResult(
          world,
          world.requireWorkspace(params.rg as string, params.ws as string),
        ),
      ),
  }),
  route('POST', `${WORKSPACE}/resyncKeys`, 'Workspaces.resyncKeys', {
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/resynckeys/action',
    scopeDrop: 1,
    handle: startResync,
  }),
  route('GET', OPERATION_STATUS, 'Workspaces.operationStatus', { handle: operationStatus }),
  route('GET', `${WORKSPACE}/datastores`, 'Datastores.list', {
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/read',
    scopeDrop: 1,
    handle: listDatastores,
  }),
  route('GET', DATASTORE, 'Datastores.get', {
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/read',
    handle: ({ world, params }) => {
      const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
      return json(200, datastoreResource(world.requireDatastore(workspace, params.ds as string)));
    },
  }),
  route('PUT', DATASTORE, 'Datastores.createOrUpdate', {
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/write',
    handle: ({ world, params, body, query }) => {
      const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
      const skipValidation = query.get('skipValidation')?.toLowerCase() === 'true';
      const { created, datastore } = world.putDatastore(
        workspace,
        params.ds as string,
        body,
        skipValidation,
      );
      return json(created ? 201 : 200, datastoreResource(datastore));
    },
  }),
  route('DELETE', DATASTORE, 'Datastores.delete', {
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/delete',
    handle: ({ world, params }) => {
      const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
      return json(world.deleteDatastore(workspace, params.ds as string) ? 200 : 204);
    },
  }),
  route('POST', `${DATASTORE}/listSecrets`, 'Datastores.listSecrets', {
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action',
    scopeDrop: 1,
    handle: ({ world, params }) => {
      const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
      return json(200, datastoreSecrets(world.requireDatastore(workspace, params.ds as string)));
    },
  }),
];

export interface ArmRouteMatch {
  operation: string;
  write: boolean;
  run: (context: Omit<ArmContext, 'params'>) => Reply;
}

/** Finds the route for a request; undefined when the path is not an ARM path at all. */
export function matchArmRoute(method: string, segments: string[]): ArmRouteMatch | undefined {
  const lower = segments.map((segment) => segment.toLowerCase());
  if (lower[0] !== 'subscriptions' && lower[0] !== 'providers') return undefined;
  if (PERMISSIONS_SUFFIX.every((segment, index) => lower[lower.length - 3 + index] === segment)) {
    return {
      operation: 'Permissions.listForResource',
      write: false,
      run: (context) =>
        method === 'GET'
          ? listPermissions(context, segments.slice(0, -3))
          : methodNotAllowed(method),
    };
  }
  let pathMatched = false;
  for (const candidate of routes) {
    const params = matchSegments(candidate.pattern, segments);
    if (!params) continue;
    pathMatched = true;
    if (candidate.method !== method) continue;
    return {
      operation: candidate.operation,
      write: candidate.write ?? false,
      run: (context) => runRoute(candidate, { ...context, params }, segments),
    };
  }
  return {
    operation: 'Unknown',
    write: false,
    run: () =>
      pathMatched
        ? methodNotAllowed(method)
        : json(404, {
            error: {
              code: 'NotFound',
              message: `The emulator has no resource at ${method} /${segments.join('/')}.`,
            },
          }),
  };
}

function runRoute(candidate: ArmRoute, context: ArmContext, segments: string[]): Reply {
  requireSubscription(context.world, context.params.sub as string);
  if (candidate.action) {
    const scope = `/${segments.slice(0, segments.length - (candidate.scopeDrop ?? 0)).join('/')}`;
    if (!isAllowed(permissionsAt(context.permissions, scope), candidate.action))
      throw authorizationFailed(candidate.action, scope, context.principal);
  }
  return candidate.handle(context);
}

function requireSubscription(world: World, subscriptionId: string): void {
  if (subscriptionId.toLowerCase() !== world.subscriptionId.toLowerCase())
    throw subscriptionNotFound(subscriptionId);
}

function methodNotAllowed(method: string): Reply {
  return json(405, {
    error: {
      code: 'HttpMethodNotSupported',
      message: `The http method '${method}' is not supported here.`,
    },
  });
}

function listPermissions(context: Omit<ArmContext, 'params'>, scopeSegments: string[]): Reply {
  if (scopeSegments[0]?.toLowerCase() === 'subscriptions')
    requireSubscription(context.world, scopeSegments[1] ?? '');
  const permissions = permissionsAt(context.permissions, `/${scopeSegments.join('/')}`);
  return json(200, {
    value: [
      {
        ...permissions,
        notActions: permissions.notActions ?? [],
        dataActions: [],
        notDataActions: [],
      },
    ],
  });
}

function nextLink(context: ArmContext, nextSkip: number): string {
  const values: Array<[string, string]> = [];
  for (const [name, value] of context.query) if (name !== '$skip') values.push([name, value]);
  values.push(['$skip', String(nextSkip)]);
  return `${context.baseUrl}${context.pathname}?${queryString(values)}`;
}

function listPage(context: ArmContext, items: unknown[]): Reply {
  const skip = parseSkip(context.query.get('$skip'));
  return json(
    200,
    page(items, skip, context.world.pageSize, (next) => nextLink(context, next)),
  );
}

function listDatastores(context: ArmContext): Reply {
  const { world, params, query } = context;
  const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
  let datastores: DatastoreState[] = [...workspace.datastores.values()];
  const isDefault = query.get('isDefault')?.toLowerCase();
  if (isDefault === 'true' || isDefault === 'false')
    datastores = datastores.filter(
      (d) => (d.properties.isDefault === true) === (isDefault === 'true'),
    );
  const names = query
    .getAll('names')
    .flatMap((value) => value.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length > 0) datastores = datastores.filter((d) => names.includes(d.name.toLowerCase()));
  const searchText = query.get('searchText')?.toLowerCase();
  if (searchText) datastores = datastores.filter((d) => d.name.toLowerCase().includes(searchText));
  datastores = ordered(
    datastores,
    query.get('orderBy'),
    query.get('orderByAsc')?.toLowerCase() === 'true',
  );
  const requested = Number(query.get('count'));
  const size =
    Number.isInteger(requested) && requested > 0
      ? Math.min(requested, world.pageSize)
      : world.pageSize;
  const skip = parseSkip(query.get('$skip'));
  return json(
    200,
    page(datastores.map(datastoreResource), skip, size, (next) => nextLink(context, next)),
  );
}

function ordered(
  datastores: DatastoreState[],
  orderBy: string | null,
  ascending: boolean,
): DatastoreState[] {
  const key = orderBy?.toLowerCase();
  if (!key) return datastores;
  const valueOf = (datastore: DatastoreState) =>
    key === 'name' ? datastore.name.toLowerCase() : datastore.systemData.createdAt;
  const sorted = [...datastores].sort((a, b) =>
    valueOf(a) < valueOf(b) ? -1 : valueOf(a) > valueOf(b) ? 1 : 0,
  );
  return ascending ? sorted : sorted.reverse();
}

function operationUrl(
  context: ArmContext,
  location: string,
  operationId: string,
  type: string,
): string {
  const path =
    `/subscriptions/${context.world.subscriptionId}/providers/Microsoft.MachineLearningServices` +
    `/locations/${location}/workspaceOperationsStatus/${operationId}`;
  return `${context.baseUrl}${path}?${queryString([
    ['api-version', context.apiVersion],
    ['type', type],
  ])}`;
}

function startResync(context: ArmContext): Reply {
  const { world, params } = context;
  const workspace = world.requireWorkspace(params.rg as string, params.ws as string);
  const operation = world.startResync(workspace);
  context.onResyncStarted();
  const headers: Record<string, string> = {
    Location: operationUrl(context, operation.location, operation.id, 'location'),
    'Retry-After': String(world.resync.retryAfterSeconds),
  };
  if (world.resync.pollingHeaders === 'location+async')
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
  const operation = world.operation(params.operation as string);
  if (!operation) {
    throw new ArmError(404, 'ResourceNotFound', `Operation ${params.operation} was not found.`);
  }
  const retryAfter = { 'Retry-After': String(world.resync.retryAfterSeconds) };
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
