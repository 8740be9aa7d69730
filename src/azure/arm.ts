import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { StorageManagementClient } from '@azure/arm-storage';
import type { StorageAccount as SdkStorageAccount, StorageAccountKey } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/core-auth';
import type { Pipeline } from '@azure/core-rest-pipeline';
import type { Cloud } from './cloud.js';
import { resourceId, STORAGE, WORKSPACES, type ResourceRef } from '../util/resource-id.js';
import { maskSecret } from '../util/secrets.js';
import { createAppServiceOperations } from './app-service.js';
import { createAuthorizationOperations } from './authorization.js';
import { lazyKeyVaultOperations } from './key-vault-lazy.js';
import { createLogsOperations } from './logs.js';
import { Pacer, pacerPolicy } from './pacer.js';
import { sendGatePolicy, unlessCancelled } from './send-gate.js';
import { armRest, modifiedOn, type WireSystemData } from './rest.js';
import { SharedTokenCache } from './token-cache.js';
import {
  KEY_NAMES,
  type AccountKey,
  type AzurePort,
  type Datastore,
  type DatastoreProperties,
  type Connection,
  type ConsumerSecret,
  type StorageAccount,
  type Workspace,
} from './port.js';

/**
 * The newest stable api-version of datastores in the REST specs (Azure/azure-rest-api-specs,
 * machinelearningservices …/stable/2026-07-01). A datastore is read and written whole at one
 * version: 2022-10-01 (what the SDK speaks) lacks `subscriptionId` and `resourceGroup`, which name
 * an account in another subscription, and a PUT at it would drop them.
 */
const DATASTORES_API_VERSION = '2026-07-01';
/** What the SDK asks for: the service's default page of datastores. */
const DATASTORE_PAGE_SIZE = 30;
/** Connections with AccountKey/SAS credentials on storage: 2024-10-01 (the SDK speaks 2022-10-01). */
const CONNECTIONS_API_VERSION = '2024-10-01';

export interface ArmOptions {
  /**
   * How often the resyncKeys long-running operation is polled when the service gives no
   * Retry-After (Azure ML gives 10 s or more, which the poller follows). The SDK's poller also
   * sleeps one interval after the operation is done, holding the process open that long: keep it
   * short. 200 ms: a resync's end is seen within a fifth of a second, at 5 reads a second at most
   * (ARM refills 25 a second).
   */
  pollIntervalMs?: number;
  /** Paces calls to ARM's throttling; one for the run, shared by every client (default: a new one). */
  pacer?: Pacer;
}

/** The AzurePort over the Azure SDK clients: the only module that imports them. */
export function createArmPort(
  credential: TokenCredential,
  cloud: Cloud,
  options: ArmOptions = {},
): AzurePort {
  // Every client of the run takes its tokens from one cache (one `az` call, not one per client).
  const tokens = new SharedTokenCache(credential);
  const pacer = options.pacer ?? new Pacer();
  // After the retry phase: every attempt, the SDK's retries of a 429 too, waits for a token.
  const paced = <T extends { pipeline: Pipeline }>(client: T): T => {
    client.pipeline.addPolicy(pacerPolicy(pacer), { afterPhase: 'Retry' });
    client.pipeline.addPolicy(sendGatePolicy(), { afterPhase: 'Sign' });
    return client;
  };
  const storageClients = new Map<string, StorageManagementClient>();
  const mlClients = new Map<string, AzureMachineLearningWorkspaces>();
  const pollIntervalMs = options.pollIntervalMs ?? 200;

  const storage = (subscriptionId: string) =>
    memo(storageClients, subscriptionId, () => {
      return paced(
        new StorageManagementClient(tokens, subscriptionId, {
          endpoint: cloud.armEndpoint,
          credentials: { scopes: [cloud.armScope] },
        }),
      );
    });
  const ml = (subscriptionId: string) =>
    memo(mlClients, subscriptionId, () => {
      return paced(
        new AzureMachineLearningWorkspaces(tokens, subscriptionId, {
          endpoint: cloud.armEndpoint,
          credentialScopes: [cloud.armScope],
        }),
      );
    });
  const rest = (subscriptionId: string) => armRest(ml(subscriptionId), cloud.armEndpoint);

  return {
    ...createLogsOperations(tokens, cloud, rest),
    ...lazyKeyVaultOperations(tokens, cloud, rest),
    ...createAuthorizationOperations(tokens, cloud, rest),
    ...createAppServiceOperations(rest),

    async getStorageAccount(account) {
      const props = await storage(account.subscriptionId).storageAccounts.getProperties(
        account.resourceGroup,
        account.name,
      );
      return toStorageAccount(props, account);
    },

    async listStorageAccounts(subscriptionId) {
      const accounts: StorageAccount[] = [];
      for await (const props of storage(subscriptionId).storageAccounts.list()) {
        const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(props.id ?? '')?.[1] ?? '';
        accounts.push(
          toStorageAccount(props, { subscriptionId, resourceGroup, name: props.name ?? '' }),
        );
      }
      return accounts;
    },

    async listKeys(account) {
      const result = await storage(account.subscriptionId).storageAccounts.listKeys(
        account.resourceGroup,
        account.name,
      );
      return toAccountKeys(result.keys);
    },

    async regenerateKey(account, key, { cancel } = {}) {
      const accounts = storage(account.subscriptionId).storageAccounts;
      const { resourceGroup, name } = account;
      const result = await unlessCancelled(cancel, (options) =>
        accounts.regenerateKey(resourceGroup, name, { keyName: key }, options),
      );
      return toAccountKeys(result.keys);
    },

    async listWorkspaces(subscriptionId, resourceGroup) {
      const pages = resourceGroup
        ? ml(subscriptionId).workspaces.listByResourceGroup(resourceGroup)
        : ml(subscriptionId).workspaces.listBySubscription();
      const workspaces: Workspace[] = [];
      for await (const ws of pages) workspaces.push(toWorkspace(ws, subscriptionId));
      return workspaces;
    },

    async getWorkspace(ref) {
      const ws = await ml(ref.subscriptionId).workspaces.get(ref.resourceGroup, ref.name);
      return toWorkspace(ws, ref.subscriptionId, ref);
    },

    async workspaceStorageKey(ref) {
      const keys = await ml(ref.subscriptionId).workspaces.listKeys(ref.resourceGroup, ref.name);
      maskSecret(keys.userStorageKey);
      return keys.userStorageKey;
    },

    async resyncKeys(ref, { abortSignal } = {}) {
      // The signal goes with every request of the operation; stopping the poller ends the wait at
      // once, where the poller would otherwise sleep out its interval (Retry-After: up to 600 s).
      const poller = await ml(ref.subscriptionId).workspaces.beginResyncKeys(
        ref.resourceGroup,
        ref.name,
        { updateIntervalInMs: pollIntervalMs, abortSignal },
      );
      const stop = () => poller.stopPolling();
      if (abortSignal?.aborted) stop();
      abortSignal?.addEventListener('abort', stop, { once: true });
      try {
        await poller.pollUntilDone({ abortSignal });
      } finally {
        abortSignal?.removeEventListener('abort', stop);
      }
    },

    // Datastores go through the REST helper (the ML client's pipeline: token, retries, pacing),
    // not the SDK's operations: a rotation makes three calls per datastore, and the SDK's
    // serializer costs more CPU per call than the call's own JSON, and drops from a PUT body any
    // property its 2022-10-01 models do not know. Raw JSON keeps every property as listed.
    async *datastorePages(ref) {
      const pages = rest(ref.subscriptionId).pages<WireDatastore>(
        datastoresPath(ref),
        DATASTORES_API_VERSION,
        { count: String(DATASTORE_PAGE_SIZE) },
      );
      for await (const page of pages) yield page.map(toDatastore);
    },

    async getDatastore(ref, name) {
      const ds = await rest(ref.subscriptionId).send<WireDatastore>(
        'GET',
        `${datastoresPath(ref)}/${encodeURIComponent(name)}`,
        DATASTORES_API_VERSION,
      );
      return toDatastore(ds);
    },

    async datastoreSecret(ref, name) {
      const secrets = await rest(ref.subscriptionId).send<{
        secretsType?: string;
        key?: string;
        sasToken?: string;
      }>(
        'POST',
        `${datastoresPath(ref)}/${encodeURIComponent(name)}/listSecrets`,
        DATASTORES_API_VERSION,
      );
      if (secrets.secretsType === 'AccountKey') return accountKeySecret(secrets.key);
      if (secrets.secretsType === 'Sas') return sasSecret(secrets.sasToken);
      return { kind: 'Other' };
    },

    async putDatastore(ref, datastore) {
      // skipValidation: the service's own check reaches the account over the network and fails
      // behind a firewall or private endpoint; the caller verifies with listSecrets instead.
      await rest(ref.subscriptionId).send(
        'PUT',
        `${datastoresPath(ref)}/${encodeURIComponent(datastore.name)}`,
        DATASTORES_API_VERSION,
        { properties: datastore.properties },
        { skipValidation: 'true' },
      );
    },

    async *connectionPages(ref) {
      const pages = rest(ref.subscriptionId).pages<Connection & WireSystemData>(
        `${resourceId(ref, ...WORKSPACES)}/connections`,
        CONNECTIONS_API_VERSION,
      );
      for await (const page of pages) {
        yield page.map((c) => ({
          name: c.name ?? '',
          properties: c.properties ?? { authType: '' },
          modifiedOn: modifiedOn(c),
        }));
      }
    },

    async connectionSecret(ref, name) {
      const connection = await rest(ref.subscriptionId).send<Connection>(
        'POST',
        `${resourceId(ref, ...WORKSPACES)}/connections/${encodeURIComponent(name)}/listsecrets`,
        CONNECTIONS_API_VERSION,
      );
      const authType = connection.properties?.authType;
      const credentials = (connection.properties?.credentials ?? {}) as {
        key?: string;
        sas?: string;
      };
      if (authType === 'AccountKey') return accountKeySecret(credentials.key);
      if (authType === 'SAS') return sasSecret(credentials.sas);
      return { kind: 'Other' };
    },

    async updateConnection(ref, name, properties) {
      await rest(ref.subscriptionId).send(
        'PATCH',
        `${resourceId(ref, ...WORKSPACES)}/connections/${encodeURIComponent(name)}`,
        CONNECTIONS_API_VERSION,
        { properties },
      );
    },
  };
}

const datastoresPath = (ref: ResourceRef) => `${resourceId(ref, ...WORKSPACES)}/datastores`;

function toStorageAccount(props: SdkStorageAccount, ref: ResourceRef): StorageAccount {
  return {
    id: props.id ?? resourceId(ref, ...STORAGE),
    ref,
    keyExpirationDays: props.keyPolicy?.keyExpirationPeriodInDays,
    allowSharedKeyAccess: props.allowSharedKeyAccess !== false,
    keyCreationTime: {
      key1: props.keyCreationTime?.key1 ?? undefined,
      key2: props.keyCreationTime?.key2 ?? undefined,
    },
    sasPolicy: props.sasPolicy && {
      sasExpirationPeriod: props.sasPolicy.sasExpirationPeriod,
      expirationAction: props.sasPolicy.expirationAction === 'Block' ? 'Block' : 'Log',
    },
  };
}

function accountKeySecret(key: string | undefined): ConsumerSecret {
  maskSecret(key);
  return { kind: 'AccountKey', key: key ?? '' };
}

function sasSecret(token: string | undefined): ConsumerSecret {
  maskSecret(token);
  return { kind: 'Sas', sasToken: token ?? '' };
}

function memo<T>(cache: Map<string, T>, key: string, create: () => T): T {
  let value = cache.get(key);
  if (!value) cache.set(key, (value = create()));
  return value;
}

function toAccountKeys(keys: StorageAccountKey[] | undefined): AccountKey[] {
  const result: AccountKey[] = [];
  for (const key of keys ?? []) {
    const name = KEY_NAMES.find((n) => n === key.keyName?.toLowerCase());
    if (!name || !key.value) continue;
    maskSecret(key.value);
    result.push({ name, value: key.value, createdOn: key.creationTime });
  }
  return result;
}

function toWorkspace(
  ws: { id?: string; name?: string; storageAccount?: string | null },
  subscriptionId: string,
  known?: ResourceRef,
): Workspace {
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(ws.id ?? '')?.[1];
  const ref: ResourceRef = known ?? {
    subscriptionId,
    resourceGroup: resourceGroup ?? '',
    name: ws.name ?? '',
  };
  return {
    id: ws.id ?? resourceId(ref, ...WORKSPACES),
    ref,
    storageAccountId: ws.storageAccount ?? undefined,
  };
}

/** A datastore as the REST API sends it. */
interface WireDatastore extends WireSystemData {
  name?: string;
  properties?: DatastoreProperties;
}

function toDatastore(ds: WireDatastore): Datastore {
  return {
    name: ds.name ?? '',
    properties: ds.properties ?? { datastoreType: '', credentials: { credentialsType: 'None' } },
    modifiedOn: modifiedOn(ds),
  };
}
