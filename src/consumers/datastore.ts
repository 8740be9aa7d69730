import type { Datastore } from '../azure/port.js';
import { rewrittenByResync, type Auth } from '../discover/inventory.js';
import type { ResourceRef } from '../util/resource-id.js';
import type { SasResource } from '../sas/index.js';
import { describeError } from '../util/secrets.js';
import {
  listAll,
  rekeying,
  streamConsumers,
  type AccountReference,
  type AccountTarget,
  type WorkspaceAdapter,
  type ListedConsumer,
  type NewSecret,
} from './adapter.js';

const ACCOUNT_DATASTORE_TYPES = new Set(['AzureBlob', 'AzureFile', 'AzureDataLakeGen2']);
const READ_ONLY = ['isDefault'] as const;
const ACTIONS = 'Microsoft.MachineLearningServices/workspaces/datastores';

export const datastores: WorkspaceAdapter = {
  kind: 'datastore',
  actions: {
    list: `${ACTIONS}/read`,
    readSecret: `${ACTIONS}/listsecrets/action`,
    write: `${ACTIONS}/write`,
  },

  discover(azure, workspace, context) {
    return streamConsumers(
      azure.datastorePages(workspace),
      context,
      (ds) => {
        if (!pointsAt(ds, context.account)) return undefined;
        const consumer = toConsumer(workspace, ds);
        // Kept to re-key it without reading it again: a list item has every property a PUT needs.
        if (consumer.auth !== 'Other') consumer.listed = ds;
        return consumer;
      },
      (ds) => azure.datastoreSecret(workspace, ds.name),
      sasResourceOf,
    );
  },

  async survey(azure, workspace, { storageSuffix, limit }) {
    const all = await listAll(azure.datastorePages(workspace), limit);
    return all.flatMap((ds): AccountReference[] => {
      const p = ds.properties;
      if (!ACCOUNT_DATASTORE_TYPES.has(p.datastoreType) || !p.accountName) return [];
      if ((p.endpoint || storageSuffix).toLowerCase() !== storageSuffix.toLowerCase()) return [];
      const named = (field: string) =>
        typeof p[field] === 'string' && p[field] ? (p[field] as string) : undefined;
      return [
        {
          kind: 'datastore',
          name: ds.name,
          auth: authOf(p.credentials?.credentialsType ?? 'None'),
          account: p.accountName.toLowerCase(),
          subscriptionId: named('subscriptionId'),
          resourceGroup: named('resourceGroup'),
        },
      ];
    });
  },

  /**
   * Re-registers the datastore with the key, or a SAS datastore with its token re-signed by the key
   * (a PUT is a full replace: every property kept), and reads the secret back: two calls. The PUT
   * body is the registration as discovery listed it; the datastore is read again only when that may
   * be out of date — a resync of its workspace may have rewritten it, or the PUT failed and the
   * datastore may have changed since.
   */
  async rekey(azure, target, key) {
    const { consumer: ref, resyncedSinceListing } = target;
    const change = rekeying(target, key);
    if (typeof change === 'string') return change;
    const read = async (): Promise<Datastore | string> => {
      const current = await azure.getDatastore(ref.workspace, ref.name);
      const type = current.properties.credentials?.credentialsType;
      return type === change.secret.kind
        ? current
        : `its credentials changed to ${type} since discovery; left as it is`;
    };
    try {
      const listed = asListed(ref.listed);
      const outdated = resyncedSinceListing && rewrittenByResync(ref);
      const body = listed && !outdated ? listed : await read();
      if (typeof body === 'string') return body;
      try {
        await azure.putDatastore(ref.workspace, withSecret(body, change.secret));
      } catch (error) {
        if (body !== listed) throw error;
        const current = await read();
        if (typeof current === 'string') return current;
        // Unchanged since discovery: the failure is not about an outdated body.
        if (sameRegistration(current, listed)) throw error;
        await azure.putDatastore(ref.workspace, withSecret(current, change.secret));
      }
      return change.verify(await azure.datastoreSecret(ref.workspace, ref.name));
    } catch (error) {
      return describeError(error);
    }
  },
};

function asListed(listed: unknown): Datastore | undefined {
  const ds = listed as Datastore | undefined;
  return ds && typeof ds.name === 'string' && typeof ds.properties === 'object' ? ds : undefined;
}

function sameRegistration(a: Datastore, b: Datastore): boolean {
  return JSON.stringify(a.properties) === JSON.stringify(b.properties);
}

export function pointsAt(ds: Datastore, account: AccountTarget): boolean {
  const p = ds.properties;
  if (!ACCOUNT_DATASTORE_TYPES.has(p.datastoreType)) return false;
  const endpoint = (p.endpoint || account.storageSuffix).toLowerCase();
  return (
    p.accountName?.toLowerCase() === account.name.toLowerCase() &&
    endpoint === account.storageSuffix.toLowerCase()
  );
}

function toConsumer(workspace: ResourceRef, ds: Datastore): ListedConsumer {
  const p = ds.properties;
  const credentials = p.credentials?.credentialsType ?? 'None';
  return {
    kind: 'datastore',
    workspace,
    name: ds.name,
    auth: authOf(credentials),
    type: p.datastoreType,
    target: p.containerName ?? p.fileShareName ?? p.filesystem ?? '',
    credentials,
    isDefault: p.isDefault === true,
    ...(ds.modifiedOn ? { writtenOn: ds.modifiedOn } : {}),
  };
}

function authOf(credentialsType: string): Auth {
  if (credentialsType === 'AccountKey') return 'AccountKey';
  return credentialsType === 'Sas' ? 'Sas' : 'Other';
}

/** The container or file share a SAS datastore's token is used on. */
function sasResourceOf(ds: Datastore): SasResource | undefined {
  const p = ds.properties;
  if (p.datastoreType === 'AzureFile') {
    return p.fileShareName ? { service: 'file', share: p.fileShareName } : undefined;
  }
  const container = p.containerName ?? p.filesystem;
  return container ? { service: 'blob', container } : undefined;
}

/**
 * The PUT body that re-registers a datastore with a new account key: the datastore as the service
 * returned it, every property kept, only the credentials replaced (a PUT is a full replace).
 */
export function withAccountKey(datastore: Datastore, key: string): Datastore {
  return withSecret(datastore, { kind: 'AccountKey', key });
}

/** The PUT body with new credentials: an account key, or a SAS token. */
export function withSecret(datastore: Datastore, secret: NewSecret): Datastore {
  const properties = { ...datastore.properties };
  for (const field of READ_ONLY) delete properties[field];
  properties.credentials =
    secret.kind === 'AccountKey'
      ? { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: secret.key } }
      : { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: secret.sasToken } };
  return { name: datastore.name, properties };
}
