import type { Datastore } from '../azure/port.js';
import { mapLimit } from '../concurrency.js';
import type { Auth } from '../inventory.js';
import type { ResourceRef } from '../resource-id.js';
import { describeError } from '../secrets.js';
import {
  holdingOfSecret,
  verifyStored,
  type AccountTarget,
  type ConsumerAdapter,
  type ListedConsumer,
} from './adapter.js';

const ACCOUNT_DATASTORE_TYPES = new Set(['AzureBlob', 'AzureFile', 'AzureDataLakeGen2']);
const READ_ONLY = ['isDefault'] as const;
const ACTIONS = 'Microsoft.MachineLearningServices/workspaces/datastores';

export const datastores: ConsumerAdapter = {
  kind: 'datastore',
  actions: {
    list: `${ACTIONS}/read`,
    readSecret: `${ACTIONS}/listsecrets/action`,
    write: `${ACTIONS}/write`,
  },

  async discover(azure, workspace, account, keys, concurrency) {
    const all = await azure.listDatastores(workspace);
    const onAccount = all.filter((ds) => pointsAt(ds, account));
    const consumers = await mapLimit(onAccount, concurrency, async (ds) => {
      const consumer = toConsumer(workspace, ds);
      if (consumer.auth === 'AccountKey') {
        consumer.holds = holdingOfSecret(await azure.datastoreSecret(workspace, ds.name), keys);
      }
      return consumer;
    });
    return { consumers, others: all.length - onAccount.length };
  },

  /** Re-registers the datastore with the key (a PUT is a full replace: every property kept). */
  async rekey(azure, ref, key) {
    try {
      const current = await azure.getDatastore(ref.workspace, ref.name);
      const type = current.properties.credentials?.credentialsType;
      if (type !== 'AccountKey') {
        return `its credentials changed to ${type} since discovery; left as it is`;
      }
      await azure.putDatastore(ref.workspace, withAccountKey(current, key));
      return verifyStored(await azure.datastoreSecret(ref.workspace, ref.name), key);
    } catch (error) {
      return describeError(error);
    }
  },
};

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
  };
}

function authOf(credentialsType: string): Auth {
  if (credentialsType === 'AccountKey') return 'AccountKey';
  return credentialsType === 'Sas' ? 'Sas' : 'Other';
}

/**
 * The PUT body that re-registers a datastore with a new account key: the datastore as the service
 * returned it, every property kept, only the credentials replaced (a PUT is a full replace).
 */
export function withAccountKey(datastore: Datastore, key: string): Datastore {
  const properties = { ...datastore.properties };
  for (const field of READ_ONLY) delete properties[field];
  properties.credentials = {
    credentialsType: 'AccountKey',
    secrets: { secretsType: 'AccountKey', key },
  };
  return { name: datastore.name, properties };
}
