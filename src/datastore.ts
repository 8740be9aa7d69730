import type { Datastore } from './azure/port.js';

const READ_ONLY = ['isDefault'] as const;

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
