import { requireApiVersion, type VersionedType } from '../api-versions.js';
import { authorizationFailed, subscriptionNotFound } from '../arm-errors.js';
import { json, matchSegments, type Reply } from '../http.js';
import { isAllowed, permissionsAt } from '../permissions.js';
import type { World } from '../world.js';
import type { ArmContext, ArmRoute } from './arm-route.js';
import { connectionRoutes } from './connections.js';
import { datastoreRoutes } from './datastores.js';
import { diagnosticSettingsRoutes } from './diagnostic-settings.js';
import { keyVaultRoutes } from './key-vaults.js';
import { metricsRoutes } from './metrics.js';
import { resourceGroupRoutes } from './resource-groups.js';
import { storageSasRoutes } from './storage-sas.js';
import { storageRoutes } from './storage.js';
import { webAppRoutes } from './web-apps.js';
import { workspaceRoutes } from './workspaces.js';

export type { ArmContext } from './arm-route.js';

/** Every ARM route, by resource: a new resource is one more table here. */
const routes: ArmRoute[] = [
  ...resourceGroupRoutes,
  ...storageRoutes,
  ...storageSasRoutes,
  ...workspaceRoutes,
  ...datastoreRoutes,
  ...connectionRoutes,
  ...diagnosticSettingsRoutes,
  ...keyVaultRoutes,
  ...metricsRoutes,
  ...webAppRoutes,
];

const PERMISSIONS_SUFFIX = ['providers', 'microsoft.authorization', 'permissions'];

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
  requireVersionOf(context, candidate.type, candidate.since);
  if (candidate.action) {
    const scope = `/${segments.slice(0, segments.length - (candidate.scopeDrop ?? 0)).join('/')}`;
    if (!isAllowed(permissionsAt(context.permissions, scope), candidate.action))
      throw authorizationFailed(candidate.action, scope, context.principal);
  }
  return candidate.handle(context);
}

function requireVersionOf(
  context: Omit<ArmContext, 'params'>,
  type: VersionedType,
  since?: string,
): void {
  const { world, apiVersion } = context;
  requireApiVersion({
    type,
    apiVersion,
    since,
    location: world.location,
    locations: world.locations(),
  });
}

function requireSubscription(world: World, subscriptionId: string): void {
  if (!world.hasSubscription(subscriptionId)) throw subscriptionNotFound(subscriptionId);
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
  requireVersionOf(context, 'Microsoft.Authorization/permissions');
  const permissions = permissionsAt(context.permissions, `/${scopeSegments.join('/')}`);
  return json(200, { value: [permissions] });
}
