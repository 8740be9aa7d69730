import { json, type Reply } from '../http.js';
import type { ConnectionState } from '../state/connections.js';
import {
  listPage,
  route,
  WORKSPACE,
  workspaceOf,
  type ArmContext,
  type ArmRoute,
} from './arm-route.js';

const CONNECTION = `${WORKSPACE}/connections/:connection`;
const type = 'Microsoft.MachineLearningServices/workspaces/connections';

/** Microsoft.MachineLearningServices/workspaces/connections with the 2024-10-01 wire shape. */
export const connectionRoutes: ArmRoute[] = [
  route('GET', `${WORKSPACE}/connections`, 'WorkspaceConnections.list', {
    type,
    action: `${type}/read`,
    scopeDrop: 1,
    handle: listConnections,
  }),
  route('GET', CONNECTION, 'WorkspaceConnections.get', {
    type,
    action: `${type}/read`,
    handle: (context) => json(200, connectionResource(connectionOf(context))),
  }),
  route('PUT', CONNECTION, 'WorkspaceConnections.create', {
    type,
    write: true,
    action: `${type}/write`,
    handle: (context) => {
      const { world, params, body } = context;
      const connection = world.connections.put(
        workspaceOf(context),
        params.connection as string,
        body,
      );
      return json(200, connectionResource(connection));
    },
  }),
  route('PATCH', CONNECTION, 'WorkspaceConnections.update', {
    type,
    since: '2024-10-01',
    write: true,
    action: `${type}/write`,
    handle: (context) => {
      const { world, params, body } = context;
      const connection = world.connections.patch(
        workspaceOf(context),
        params.connection as string,
        body,
      );
      return json(200, connectionResource(connection));
    },
  }),
  route('DELETE', CONNECTION, 'WorkspaceConnections.delete', {
    type,
    write: true,
    action: `${type}/delete`,
    handle: (context) => {
      const deleted = context.world.connections.delete(
        workspaceOf(context),
        context.params.connection as string,
      );
      return json(deleted ? 200 : 204);
    },
  }),
  route('POST', `${CONNECTION}/listsecrets`, 'WorkspaceConnections.listSecrets', {
    type,
    action: `${type}/listsecrets/action`,
    scopeDrop: 1,
    handle: (context) => json(200, connectionResource(connectionOf(context), true)),
  }),
];

function connectionOf(context: ArmContext): ConnectionState {
  return context.world.connections.require(
    workspaceOf(context),
    context.params.connection as string,
  );
}

function listConnections(context: ArmContext): Reply {
  const { world, query } = context;
  const connections = world.connections.list(workspaceOf(context), {
    target: query.get('target') ?? undefined,
    category: query.get('category') ?? undefined,
  });
  return listPage(
    context,
    connections.map((connection) => connectionResource(connection)),
  );
}

/** GET and list never carry credentials; listsecrets does. */
function connectionResource(connection: ConnectionState, withCredentials = false): unknown {
  const properties = structuredClone(connection.properties);
  if (withCredentials && connection.credentials)
    properties.credentials = structuredClone(connection.credentials);
  return {
    id: connection.id,
    name: connection.name,
    type,
    systemData: { ...connection.systemData },
    properties,
  };
}
