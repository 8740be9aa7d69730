import { userError } from '../arm-errors.js';
import { json, type Reply } from '../http.js';
import type { DatastoreState } from '../state/datastores.js';
import {
  listPage,
  route,
  WORKSPACE,
  workspaceOf,
  type ArmContext,
  type ArmRoute,
} from './arm-route.js';

const DATASTORE = `${WORKSPACE}/datastores/:ds`;
const type = 'Microsoft.MachineLearningServices/workspaces/datastores';

/** Microsoft.MachineLearningServices/workspaces/datastores, as @azure/arm-machinelearning uses them. */
export const datastoreRoutes: ArmRoute[] = [
  route('GET', `${WORKSPACE}/datastores`, 'Datastores.list', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/read',
    scopeDrop: 1,
    handle: listDatastores,
  }),
  route('GET', DATASTORE, 'Datastores.get', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/read',
    handle: (context) =>
      json(
        200,
        datastoreResource(
          context.world.datastores.require(workspaceOf(context), context.params.ds as string),
          context.apiVersion,
        ),
      ),
  }),
  route('PUT', DATASTORE, 'Datastores.createOrUpdate', {
    type,
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/write',
    handle: (context) => {
      const skipValidation = context.query.get('skipValidation')?.toLowerCase() === 'true';
      const { created, datastore } = context.world.datastores.put(
        workspaceOf(context),
        context.params.ds as string,
        withoutUnknownFields(context.body, context.apiVersion),
        skipValidation,
      );
      return json(created ? 201 : 200, datastoreResource(datastore, context.apiVersion));
    },
  }),
  route('DELETE', DATASTORE, 'Datastores.delete', {
    type,
    write: true,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/delete',
    handle: (context) => {
      const deleted = context.world.datastores.delete(
        workspaceOf(context),
        context.params.ds as string,
      );
      return json(deleted ? 200 : 204);
    },
  }),
  route('POST', `${DATASTORE}/listSecrets`, 'Datastores.listSecrets', {
    type,
    action: 'Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action',
    scopeDrop: 1,
    handle: (context) =>
      json(
        200,
        datastoreSecrets(
          context.world.datastores.require(workspaceOf(context), context.params.ds as string),
        ),
      ),
  }),
];

/** Datastores_List: filters isDefault, names, searchText; orderBy; `count` per page. */
function listDatastores(context: ArmContext): Reply {
  const { world, query } = context;
  let datastores: readonly DatastoreState[] = world.datastores.list(workspaceOf(context));
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
  return listPage(context, datastores, size, (d) => datastoreResource(d, context.apiVersion));
}

function ordered(
  datastores: readonly DatastoreState[],
  orderBy: string | null,
  ascending: boolean,
): readonly DatastoreState[] {
  const key = orderBy?.toLowerCase();
  if (!key) return datastores;
  const valueOf = (datastore: DatastoreState) =>
    key === 'name' ? datastore.name.toLowerCase() : datastore.systemData.createdAt;
  const sorted = [...datastores].sort((a, b) =>
    valueOf(a) < valueOf(b) ? -1 : valueOf(a) > valueOf(b) ? 1 : 0,
  );
  return ascending ? sorted : sorted.reverse();
}

/**
 * Properties of a datastore that an api-version up to this one does not have: 2022-10-01 lacks
 * the storage account's subscriptionId and resourceGroup (stable 2026-07-01 has them; the version
 * that added them is not modelled: every version after 2022-10-01 shows them). The service shows a
 * datastore as the request's version describes it and ignores what that version does not know in
 * a PUT body, so a read-modify-write at 2022-10-01 loses them.
 */
const LATER_FIELDS = { through: '2022-10-01', fields: ['subscriptionId', 'resourceGroup'] };

const knowsLaterFields = (apiVersion: string) => apiVersion.toLowerCase() > LATER_FIELDS.through;

function withoutLaterFields(properties: Record<string, unknown>, apiVersion: string) {
  if (knowsLaterFields(apiVersion)) return properties;
  const shown = { ...properties };
  for (const field of LATER_FIELDS.fields) delete shown[field];
  return shown;
}

function withoutUnknownFields(body: unknown, apiVersion: string): unknown {
  const properties = (body as { properties?: unknown } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return body;
  return {
    ...(body as object),
    properties: withoutLaterFields(properties as Record<string, unknown>, apiVersion),
  };
}

function datastoreResource(datastore: DatastoreState, apiVersion: string): unknown {
  return {
    id: datastore.id,
    name: datastore.name,
    type: 'Microsoft.MachineLearningServices/workspaces/datastores',
    systemData: { ...datastore.systemData },
    properties: structuredClone(withoutLaterFields(datastore.properties, apiVersion)),
  };
}

function datastoreSecrets(datastore: DatastoreState): unknown {
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
