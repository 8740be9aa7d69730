import { randomUUID } from 'node:crypto';
import { datastoreSasResource } from '../sas/resource.js';
import { sasRequestFor } from '../sas/scenario.js';
import type { SasKindName } from '../sas/sign.js';
import type { DatastoreScenario, Holds } from '../scenario-types.js';
import { newCertificateSecret, newClientSecret } from '../secrets.js';
import { DAY_MS, systemData, type JsonObject } from './common.js';
import type { WorldContext } from './context.js';
import { typeDefaults, type DatastoreState } from './datastore-rules.js';
import type { StorageAccounts } from './storage-accounts.js';
import type { WorkspaceState } from './workspaces.js';

/**
 * A scenario's datastore as the service would have stored it: the type's defaults, and the key
 * the scenario says, a token signed with it, or a fresh secret for a service principal.
 */
export function datastoreFromScenario(
  world: WorldContext,
  storage: StorageAccounts,
  workspace: WorkspaceState,
  scenario: DatastoreScenario,
): DatastoreState {
  const {
    name,
    datastoreType,
    account,
    credentials: credentialsType,
    holds,
    signedWith,
    sas,
    isDefault,
    createdDaysAgo,
    failPut,
    loseUpdate,
    ...passThrough
  } = scenario;
  delete passThrough.copies;
  const created = new Date(world.now() - (createdDaysAgo ?? 200) * DAY_MS).toISOString();
  const properties: JsonObject = {
    description: null,
    tags: {},
    properties: {},
    isDefault: isDefault ?? false,
    credentials: { credentialsType },
    datastoreType,
    ...(account === undefined ? {} : { accountName: account }),
    ...typeDefaults(datastoreType),
    ...passThrough,
  };
  const datastore: DatastoreState = {
    id: `${workspace.id}/datastores/${name}`,
    name,
    workspace: workspace.name,
    properties,
    failPut,
    loseUpdate,
    systemData: systemData(created, created),
  };
  if (credentialsType === 'Sas') {
    const request = sasRequestFor(
      account ?? 'unknown',
      datastoreSasResource(properties),
      defaultSasKind(datastoreType),
      sas,
      world.now(),
    );
    datastore.sasPath = request.resource.path;
    datastore.secret = storage.issueSas(account, signedWith ?? 'key1', request);
  } else {
    const { credentials, secret } = credentialsFor(world, storage, credentialsType, account, holds);
    properties.credentials = credentials;
    datastore.secret = secret;
  }
  return datastore;
}

function credentialsFor(
  world: WorldContext,
  storage: StorageAccounts,
  credentialsType: string,
  accountName: string | undefined,
  holds: Holds | undefined,
): { credentials: JsonObject; secret?: string } {
  const credentials: JsonObject = { credentialsType };
  switch (credentialsType) {
    case 'AccountKey':
      return { credentials, secret: storage.valueHeld(accountName, holds ?? 'key1') };
    case 'ServicePrincipal':
    case 'Certificate':
      Object.assign(credentials, {
        authorityUrl: 'https://login.microsoftonline.com',
        clientId: randomUUID(),
        resourceUrl: 'https://storage.azure.com/',
        tenantId: world.tenantId,
        ...(credentialsType === 'Certificate'
          ? { thumbprint: randomUUID().replace(/-/g, '') }
          : {}),
      });
      return {
        credentials,
        secret: world.secret(
          credentialsType === 'Certificate' ? newCertificateSecret() : newClientSecret(),
        ),
      };
    default:
      return { credentials };
  }
}

/** A scenario SAS datastore's token kind when it names none. */
function defaultSasKind(datastoreType: string): SasKindName {
  if (datastoreType === 'AzureFile') return 'share';
  if (datastoreType === 'AzureBlob' || datastoreType === 'AzureDataLakeGen2') return 'container';
  return 'account';
}
