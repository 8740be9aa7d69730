import type { AzurePort, Datastore, Workspace } from './azure/port.js';
import type { Cloud } from './cloud.js';
import { mapLimit } from './concurrency.js';
import type { Inputs } from './inputs.js';
import {
  holdingOf,
  workspaceHolding,
  type DatastoreConsumer,
  type Inventory,
  type KeyInfo,
  type WorkspaceInventory,
} from './inventory.js';
import { sameResource, type ResourceRef } from './resource-id.js';

const ACCOUNT_DATASTORE_TYPES = new Set(['AzureBlob', 'AzureFile', 'AzureDataLakeGen2']);

/**
 * Observes everything that depends on the account's keys. Reads only; every key value it sees is
 * already masked by the port and is compared in memory.
 */
export async function discover(azure: AzurePort, inputs: Inputs): Promise<Inventory> {
  const account = await step(`Storage account '${inputs.storageAccount.name}'`, () =>
    azure.getStorageAccount(inputs.storageAccount),
  );
  const keys: KeyInfo[] = await step(`Listing the keys of '${inputs.storageAccount.name}'`, () =>
    azure.listKeys(inputs.storageAccount),
  );
  if (keys.length !== 2) {
    throw new Error(
      `Storage account '${inputs.storageAccount.name}' returned ${keys.length} access keys instead of key1 and key2: is shared key access disabled?`,
    );
  }
  const workspaces = await findWorkspaces(azure, inputs);
  const inventories = await mapLimit(workspaces, inputs.concurrency, (ws) =>
    inspectWorkspace(azure, ws, account.id, keys, inputs),
  );
  return { account, keys, workspaces: inventories, observedAt: new Date() };
}

async function findWorkspaces(azure: AzurePort, inputs: Inputs): Promise<Workspace[]> {
  const scope = inputs.workspaces;
  if (scope.kind === 'all') {
    const where = scope.resourceGroup
      ? `resource group '${scope.resourceGroup}'`
      : `subscription ${scope.subscriptionId}`;
    return step(`Listing the workspaces in ${where}`, () =>
      azure.listWorkspaces(scope.subscriptionId, scope.resourceGroup),
    );
  }
  return mapLimit(scope.workspaces, inputs.concurrency, (ref) =>
    step(`Workspace '${ref.name}' in resource group '${ref.resourceGroup}'`, () =>
      azure.getWorkspace(ref),
    ),
  );
}

async function inspectWorkspace(
  azure: AzurePort,
  workspace: Workspace,
  accountId: string,
  keys: KeyInfo[],
  inputs: Inputs,
): Promise<WorkspaceInventory> {
  const ref = workspace.ref;
  const usesAccountAsDefault = sameResource(workspace.storageAccountId, accountId);
  const all = await step(`Listing the datastores of workspace '${ref.name}'`, () =>
    azure.listDatastores(ref),
  );
  const onAccount = all.filter((ds) => pointsAt(ds, inputs.storageAccount.name, inputs.cloud));
  const datastores = await mapLimit(onAccount, inputs.concurrency, (ds) =>
    toConsumer(azure, ref, ds, keys),
  );
  const ownKey = usesAccountAsDefault
    ? await step(`Reading the storage key of workspace '${ref.name}'`, () =>
        azure.workspaceStorageKey(ref),
      )
    : undefined;
  const holds = workspaceHolding(ownKey, keys);
  return {
    ref,
    id: workspace.id,
    usesAccountAsDefault,
    holds,
    datastores: datastores.sort((a, b) => a.name.localeCompare(b.name)),
    otherDatastores: all.length - onAccount.length,
  };
}

export function pointsAt(ds: Datastore, accountName: string, cloud: Cloud): boolean {
  const p = ds.properties;
  if (!ACCOUNT_DATASTORE_TYPES.has(p.datastoreType)) return false;
  const endpoint = (p.endpoint || cloud.storageSuffix).toLowerCase();
  return (
    p.accountName?.toLowerCase() === accountName.toLowerCase() &&
    endpoint === cloud.storageSuffix.toLowerCase()
  );
}

async function toConsumer(
  azure: AzurePort,
  workspace: ResourceRef,
  ds: Datastore,
  keys: KeyInfo[],
): Promise<DatastoreConsumer> {
  const p = ds.properties;
  const credentialsType = p.credentials?.credentialsType ?? 'None';
  const consumer: DatastoreConsumer = {
    workspace,
    name: ds.name,
    datastoreType: p.datastoreType,
    container: p.containerName ?? p.fileShareName ?? p.filesystem ?? '',
    credentialsType,
    isDefault: p.isDefault === true,
  };
  if (credentialsType === 'AccountKey') {
    const secret = await step(
      `Reading the secret of datastore '${ds.name}' in workspace '${workspace.name}'`,
      () => azure.datastoreSecret(workspace, ds.name),
    );
    consumer.holds = holdingOf(secret.kind === 'AccountKey' ? secret.key : undefined, keys);
  }
  return consumer;
}

/** Prefixes a failed read with what was being read, so the one error says where discovery stopped. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new DiscoveryError(what, error);
  }
}

export class DiscoveryError extends Error {
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(what);
    this.name = 'DiscoveryError';
  }
}
