import type { ResourceRef } from '../util/resource-id.js';

/**
 * The narrow interface the action uses to reach Azure: plain data in, plain data out.
 * arm.ts implements it over the SDK clients; unit tests implement it in memory.
 * Every secret value an implementation returns has already been masked.
 */
export type KeyName = 'key1' | 'key2';
export const KEY_NAMES: readonly KeyName[] = ['key1', 'key2'];

export interface AccountKey {
  name: KeyName;
  value: string;
  createdOn?: Date;
}

export interface StorageAccount {
  id: string;
  ref: ResourceRef;
  /** The account's key expiration policy (keyPolicy.keyExpirationPeriodInDays), if it has one. */
  keyExpirationDays?: number;
  /** false: the account refuses account keys and SAS tokens signed with them. */
  allowSharedKeyAccess: boolean;
  /** keyCreationTime from the account's properties, for keys listKeys gives no creation time. */
  keyCreationTime: Partial<Record<KeyName, Date>>;
  /** properties.sasPolicy: the longest validity a SAS may have, and what happens beyond it. */
  sasPolicy?: { sasExpirationPeriod: string; expirationAction: 'Log' | 'Block' };
}

export interface Workspace {
  id: string;
  ref: ResourceRef;
  /** ARM ID of the workspace's default storage account. */
  storageAccountId?: string;
}

/** A datastore as the service returns it; `properties` is the service's object, kept whole. */
export interface Datastore {
  name: string;
  properties: DatastoreProperties;
  /** systemData.lastModifiedAt: when it was last written (it holds what it holds since then). */
  modifiedOn?: Date;
}

export interface DatastoreProperties {
  datastoreType: string;
  credentials: { credentialsType: string; [field: string]: unknown };
  isDefault?: boolean;
  description?: string;
  accountName?: string;
  containerName?: string;
  fileShareName?: string;
  filesystem?: string;
  endpoint?: string;
  [field: string]: unknown;
}

/** A workspace connection as the service lists it (never with credentials). */
export interface Connection {
  name: string;
  properties: ConnectionProperties;
  /** systemData.lastModifiedAt: when it was last written (it holds what it holds since then). */
  modifiedOn?: Date;
}

export interface ConnectionProperties {
  authType: string;
  category?: string;
  target?: string;
  metadata?: Record<string, string>;
  [field: string]: unknown;
}

/** The secret a datastore or connection holds: an account key, a SAS token, or something else. */
export type ConsumerSecret =
  { kind: 'AccountKey'; key: string } | { kind: 'Sas'; sasToken: string } | { kind: 'Other' };

/** One role's share of what the login may do at a scope (Microsoft.Authorization/permissions). */
export interface Permission {
  actions: string[];
  notActions: string[];
  /** Data-plane actions (a Key Vault's secrets); absent: none. */
  dataActions?: string[];
  notDataActions?: string[];
}

/** Who the login is, as its Resource Manager token says (claims oid, tid, appid or azp). */
export interface SignedInPrincipal {
  objectId: string;
  tenantId?: string;
  /** The application the token was issued to (an access policy's compound identity names it). */
  applicationId?: string;
}

/** A diagnostic setting of a resource (Microsoft.Insights/diagnosticSettings, 2021-05-01-preview). */
export interface DiagnosticSetting {
  name: string;
  /** The Log Analytics workspace the logs go to; absent: they go elsewhere (storage, event hub). */
  workspaceId?: string;
  logs: { category?: string; categoryGroup?: string; enabled: boolean }[];
}

/** A Log Analytics answer: its first table, and the partial error the service added, if any. */
export interface LogsAnswer {
  table: { columns: { name: string; type: string }[]; rows: unknown[][] };
  partialError?: string;
}

/** A Key Vault as Resource Manager describes it (Microsoft.KeyVault/vaults). */
export interface Vault {
  id: string;
  ref: ResourceRef;
  /** properties.vaultUri: the data plane's URL, right in every cloud (and in an emulator). */
  uri: string;
  /** properties.enableRbacAuthorization: RBAC data actions decide access; else access policies. */
  rbacAuthorization: boolean;
  accessPolicies: VaultAccessPolicy[];
}

export interface VaultAccessPolicy {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  /** Secret permissions: get, list, set, … (lower case). */
  secrets: string[];
}

/** A secret (its current version) or one version of it: never its value. */
export interface SecretProperties {
  name: string;
  /** Absent where the service lists a secret without naming its current version. */
  version?: string;
  enabled: boolean;
  contentType?: string;
  tags?: Record<string, string>;
  createdOn?: Date;
  updatedOn?: Date;
  expiresOn?: Date;
  notBefore?: Date;
  /** Key Vault manages it (a certificate's secret): never written. */
  managed: boolean;
}

/** A secret version with its value, masked when read. */
export interface VaultSecret {
  properties: SecretProperties;
  value: string;
}

/** What a new secret version carries. */
export interface NewSecretVersion {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  expiresOn?: Date;
}

/** An App Service / Functions app setting that is a Key Vault reference (ApiKVReference). */
export interface AppKeyVaultReference {
  setting: string;
  vaultName?: string;
  secretName?: string;
  /** The version the reference names; absent: it follows the secret's current version. */
  secretVersion?: string;
  /** The version the app resolved and uses. */
  activeVersion?: string;
  /** Resolved, SecretNotFound, AccessToKeyVaultDenied, … as the service says it. */
  status?: string;
  details?: string;
}

/**
 * The storage account's Transactions platform metric over a window, split by its Authentication
 * dimension (AccountKey, SAS, OAuth, Anonymous, …): request counts, never which key signed them.
 */
export interface StorageTransactions {
  /** The window the metrics answered for, as Azure Monitor gives it ("start/end"). */
  timespan: string;
  /** Requests per way of authorising, as the dimension names it. */
  byAuthentication: Record<string, number>;
}

/** A request held back by a cancel before it went out (or before a retry of it went out). */
export class NotSentError extends Error {
  override name = 'NotSentError';
  /** An earlier attempt of the same call was sent: its effect is not known from this error. */
  readonly earlierAttemptSent: boolean;

  constructor(earlierAttemptSent: boolean) {
    super(
      earlierAttemptSent
        ? 'the run was cancelled: the request was not sent again'
        : 'the run was cancelled before the request was sent',
    );
    this.earlierAttemptSent = earlierAttemptSent;
  }
}

export interface AzurePort {
  getStorageAccount(account: ResourceRef): Promise<StorageAccount>;
  /** Every storage account of the subscription the login can read. */
  listStorageAccounts(subscriptionId: string): Promise<StorageAccount[]>;
  listKeys(account: ResourceRef): Promise<AccountKey[]>;
  /**
   * Returns the account's keys after the regeneration. Once `cancel` aborts, the request is not
   * sent (nor sent again by a retry): it rejects with a NotSentError. A request already sent is
   * waited for, since cutting it off would lose the answer that tells whether the key changed.
   */
  regenerateKey(
    account: ResourceRef,
    key: KeyName,
    options?: { cancel?: AbortSignal },
  ): Promise<AccountKey[]>;

  listWorkspaces(subscriptionId: string, resourceGroup?: string): Promise<Workspace[]>;
  getWorkspace(workspace: ResourceRef): Promise<Workspace>;
  /** The storage key the workspace itself holds for its default storage (Workspaces_ListKeys). */
  workspaceStorageKey(workspace: ResourceRef): Promise<string | undefined>;
  /** workspaces/resyncKeys, waited for to completion, or until `abortSignal` aborts (rejects). */
  resyncKeys(workspace: ResourceRef, options?: { abortSignal?: AbortSignal }): Promise<void>;

  /** The workspace's datastores, a page at a time, as the service pages them. */
  datastorePages(workspace: ResourceRef): AsyncIterable<Datastore[]>;
  getDatastore(workspace: ResourceRef, name: string): Promise<Datastore>;
  datastoreSecret(workspace: ResourceRef, name: string): Promise<ConsumerSecret>;
  /** Full replace of the datastore, without the service's own credential check. */
  putDatastore(workspace: ResourceRef, datastore: Datastore): Promise<void>;

  /** The workspace's connections, a page at a time. */
  connectionPages(workspace: ResourceRef): AsyncIterable<Connection[]>;
  connectionSecret(workspace: ResourceRef, name: string): Promise<ConsumerSecret>;
  /** PATCH: sets the given properties (authType always among them), keeps every other one. */
  updateConnection(
    workspace: ResourceRef,
    name: string,
    properties: ConnectionProperties,
  ): Promise<void>;

  /** The Key Vaults of a subscription (to find one by name), and one by its resource ID. */
  listVaults(subscriptionId: string): Promise<Vault[]>;
  getVault(vault: ResourceRef): Promise<Vault>;
  /** Every secret of the vault at `vaultUri`, its current version's properties, no values. */
  listSecretProperties(vaultUri: string): Promise<SecretProperties[]>;
  /** A secret's current version (or the given one), value included. */
  getSecret(vaultUri: string, name: string, version?: string): Promise<VaultSecret>;
  /** Writes a new version of the secret; older versions stay as they are. */
  setSecret(vaultUri: string, name: string, version: NewSecretVersion): Promise<SecretProperties>;

  /** Makes an App Service / Functions app resolve its Key Vault references again, now. */
  refreshAppKeyVaultReferences(app: ResourceRef): Promise<void>;
  /** The app's app settings that are Key Vault references, with their state. */
  appKeyVaultReferences(app: ResourceRef): Promise<AppKeyVaultReference[]>;

  /** What the login may do at a scope (Microsoft.Authorization/permissions). */
  permissions(scopeId: string): Promise<Permission[]>;
  /** The login's identity from its own token; undefined when the token does not say. */
  signedInPrincipal(): Promise<SignedInPrincipal | undefined>;

  /** The diagnostic settings of a resource (a storage service: `<account id>/blobServices/default`). */
  diagnosticSettings(resourceId: string): Promise<DiagnosticSetting[]>;
  /** A Log Analytics query in the context of a resource, over the last `days` days. */
  queryResourceLogs(resourceId: string, query: string, days: number): Promise<LogsAnswer>;
  /** The account's Transactions metric by Authentication over the last `days` days. */
  storageTransactions(accountId: string, days: number): Promise<StorageTransactions>;
}
