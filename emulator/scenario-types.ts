// The scenario file's shape: the Azure world a test or the dev emulator starts from. Loading and
// checking one is scenario.ts; modules that only need the types import them from here.
import type { SasPolicySetting } from './sas/policy.js';
import type { SasKindName } from './sas/sign.js';
import type { ThrottlingSettings } from './throttling.js';

export type KeyName = 'key1' | 'key2';
/** Which storage key a consumer's copy matches; "stale" is a random value that matches neither. */
export type Holds = KeyName | 'stale';
export type CredentialsKind = 'AccountKey' | 'Sas' | 'None' | 'ServicePrincipal' | 'Certificate';
/**
 * `oldest`: the key that is not the newest. `unchanged`: the operation succeeds but the workspace's
 * copy stays as it was.
 */
export type ResyncTakes = KeyName | 'newest' | 'oldest' | 'unchanged';
/** ConnectionAuthType in the 2024-10-01 REST spec. */
export const connectionAuthTypes = [
  'PAT',
  'ManagedIdentity',
  'UsernamePassword',
  'None',
  'SAS',
  'AccountKey',
  'ServicePrincipal',
  'AccessKey',
  'ApiKey',
  'CustomKeys',
  'OAuth2',
  'AAD',
] as const;

export interface KeyScenario {
  /** Age of the key at start. null: creation time unknown (accounts created before 2019 report none). */
  ageDays?: number | null;
}

export interface StorageAccountScenario {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  location?: string;
  kind?: string;
  sku?: string;
  keys?: Partial<Record<KeyName, KeyScenario>>;
  /**
   * false: the account refuses Shared Key (account keys and SAS tokens signed with them), so its
   * AccountKey and SAS consumers, the workspace's own key copy included, count as invalid. listKeys
   * and regenerateKey still answer, as Azure's do.
   */
  allowSharedKeyAccess?: boolean;
  /** The key expiration policy, returned as `properties.keyPolicy` (Azure Policy checks it). */
  keyPolicy?: KeyPolicy;
  /** The SAS expiration policy, returned as `properties.sasPolicy`; Block makes the emulator refuse out-of-policy tokens. */
  sasPolicy?: SasPolicySetting;
  /** Merged into the GET response's `properties` (e.g. minimumTlsVersion). */
  properties?: Record<string, unknown>;
  /**
   * Diagnostic settings of the account's services (blobServices/default, …), as ARM returns them
   * (2021-05-01-preview properties); the services whose settings send request categories to a
   * workspace have their requests in the logs the key-usage query reads. None: no logs at all.
   */
  diagnosticSettings?: Partial<Record<StorageService, DiagnosticSettingScenario[]>>;
  /** Callers that no workspace knows of: an app on key2, a script on a former value of key1. */
  outsideCallers?: OutsideCallerScenario[];
}

export type StorageService = 'blob' | 'file' | 'queue' | 'table';

export interface DiagnosticSettingScenario {
  name: string;
  /** The Log Analytics workspace's ARM ID; absent: the logs go elsewhere (storage, event hub). */
  workspaceId?: string;
  logs: { category?: string; categoryGroup?: string; enabled: boolean }[];
}

/**
 * A caller of the account outside every workspace. It signs each request with what it holds: a
 * key's current value, or `former-key1`/`former-key2`, the value the key had before its current
 * one (valid until the key's creation time, refused since).
 */
export interface OutsideCallerScenario {
  /** CallerIpAddress without the port. */
  ip: string;
  userAgent: string;
  holds: KeyName | 'former-key1' | 'former-key2';
  /** Default blob. */
  service?: StorageService;
  /** Default 24, evenly spread over each day. */
  requestsPerDay?: number;
}

/** A SAS consumer's token: what it is for and how it was made. Signed with `signedWith`. */
export interface SasScenario {
  /** Default: 'container' for AzureBlob datastores, 'share' for AzureFile, 'account' for connections. */
  kind?: SasKindName;
  /** Signed version (sv); default '2022-11-02' ('2025-07-05' for a user delegation SAS on a share). */
  version?: string;
  /** Days from now to se; negative: already expired. Default 365. */
  expiresInDays?: number;
  /** Days before now of st; undefined: no st. */
  startedDaysAgo?: number;
  /** sp, literal; default 'rl' (account: 'rl'; blob and file: 'r', as list applies to no single blob or file). */
  permissions?: string;
  /** sip and spr */
  ip?: string;
  protocol?: string;
  /** Blob or file path inside the container/share, for kind blob/file; default 'data/file.csv'. */
  path?: string;
}

export interface KeyPolicy {
  keyExpirationPeriodInDays: number;
}

export interface PutFailure {
  status: number;
  code: string;
  message: string;
}

/**
 * A datastore. Fields the emulator itself uses are declared here; every other field is passed
 * through verbatim into the datastore's `properties` (e.g. description, tags, subscriptionId).
 */
export interface DatastoreScenario {
  name: string;
  datastoreType: string;
  /** Storage account name; becomes `properties.accountName`. */
  account?: string;
  credentials: CredentialsKind;
  /** AccountKey datastores: which key the registration holds (default key1). */
  holds?: Holds;
  /**
   * Sas datastores: which key signed the SAS token (default key1); stale: a dead key. A user
   * delegation token is signed with a user delegation key whatever this says (stale: one the
   * service never issued).
   */
  signedWith?: Holds;
  /** Sas datastores: the token's kind, version, expiry…; for the datastore's container or share. */
  sas?: SasScenario;
  isDefault?: boolean;
  createdDaysAgo?: number;
  /** Every PUT to this datastore fails with this error (after authorization). */
  failPut?: PutFailure;
  /** Every PUT answers 200 but the stored secret does not change (a lost write). */
  loseUpdate?: boolean;
  /** Expands into this many datastores named `<name>_01`, `<name>_02`, … (for paging scenarios). */
  copies?: number;
  [passThrough: string]: unknown;
}

/**
 * A workspace connection (WorkspaceConnectionPropertiesV2, 2024-10-01 shape). Fields the emulator
 * uses are declared here; every other field is copied into `properties` verbatim (e.g.
 * isSharedToAll, expiryTime). AccountKey and SAS connections whose target host (or metadata
 * AccountName) is a scenario storage account are consumers of that account.
 */
export interface ConnectionScenario {
  name: string;
  /** ConnectionCategory, e.g. AzureBlob, ADLSGen2, AzureOneLake, ApiKey, CustomKeys. */
  category: string;
  /** The discriminator: AccountKey, SAS, None, ApiKey, PAT, AAD, CustomKeys, ServicePrincipal… */
  authType: string;
  /** Storage account name: the target defaults to https://{account}.blob.core.windows.net/. */
  account?: string;
  target?: string;
  /** AccountKey connections: which key the connection holds (default key1); stale: a dead key. */
  holds?: Holds;
  /** SAS connections: which key signed the token (default key1); stale: a dead key. */
  signedWith?: Holds;
  /**
   * SAS connections: the token, for the target (an account SAS by default). A service SAS needs
   * a container or share in the target; without a target, one is made for the kind
   * (`https://{account}.blob.core.windows.net/data[/path]`, `…file…/share[/path]`).
   */
  sas?: SasScenario;
  metadata?: Record<string, string>;
  /** Every PUT and PATCH to this connection fails with this error (after authorization). */
  failUpdate?: PutFailure;
  /** Every PUT and PATCH answers 200 but the stored credentials do not change (a lost write). */
  loseUpdate?: boolean;
  [passThrough: string]: unknown;
}

export interface WorkspaceScenario {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** Name of one of the scenario's storage accounts: the workspace's default storage. */
  storageAccount: string;
  /** Overrides the id reported in properties.storageAccount (e.g. in other casing, as ARM often does). */
  storageAccountId?: string;
  /** Which key the workspace's own copy (userStorageKey) matches (default key1). */
  holds?: Holds;
  datastores?: DatastoreScenario[];
  connections?: ConnectionScenario[];
  /** Merged into the GET response's `properties`. */
  properties?: Record<string, unknown>;
}

/**
 * How Workspaces_ResyncKeys behaves. The defaults are fast for tests. The service's own timing: the
 * 2024-10-01 spec declares Retry-After on the 202 as 10 to 600 seconds, so `retryAfterSeconds: 10`
 * (see serviceResyncTiming) makes a client wait as long as against Azure; how long the operation
 * itself runs is not documented.
 */
export interface ResyncScenario {
  /** The key the workspace copy holds after resyncKeys (newest/oldest: by creation time). */
  takes?: ResyncTakes;
  /** How long the operation runs after its 202 (default 1500 ms). */
  durationMs?: number;
  /** Whether a completed resync also rewrites the system datastores (workspaceblobstore, …). */
  updatesDefaultDatastores?: boolean;
  /** "location+async": 202 with Location and Azure-AsyncOperation; "location": Location only. */
  pollingHeaders?: 'location+async' | 'location';
  /** Retry-After on the 202 and on every poll while in progress; 0 (default): the client's interval. */
  retryAfterSeconds?: number;
  /** The operation is accepted, then fails with this error and changes nothing. */
  fail?: { code: string; message: string };
}

/** The shortest Retry-After the service declares for resyncKeys (10–600 s in the 2024-10-01 spec). */
export const serviceResyncTiming = { retryAfterSeconds: 10 } as const satisfies ResyncScenario;

export interface PermissionSet {
  actions: string[];
  notActions?: string[];
  /**
   * Data-plane actions (a Key Vault's secrets), which RBAC vaults enforce at the secret's scope.
   * Absent: those of the scenario-wide set, and every data action (`*`) when it names none.
   */
  dataActions?: string[];
  notDataActions?: string[];
}

export interface PermissionOverride extends PermissionSet {
  /** Resource id, or its tail such as "storageAccounts/otherstore"; applies to that resource and its children. */
  scope: string;
}

export interface PermissionsScenario extends PermissionSet {
  overrides?: PermissionOverride[];
}

export interface EntraScenario {
  /** When set, token requests for any other client_id fail with AADSTS700016. */
  clientId?: string;
  tokenLifetimeSeconds?: number;
  principalId?: string;
}

export interface Scenario {
  /** Where every resource is, unless a storage account or workspace names another subscription. */
  subscriptionId: string;
  tenantId: string;
  location?: string;
  pageSize?: number;
  resync?: ResyncScenario;
  storageAccounts: StorageAccountScenario[];
  workspaces: WorkspaceScenario[];
  permissions?: PermissionsScenario;
  entra?: EntraScenario;
  /**
   * ARM's throttling: token buckets per subscription and principal for reads, writes and deletes,
   * and the subscription's global ones (`global`, 15 times as large unless set), 429 with
   * Retry-After when one is empty. Off when absent; `{}` gives ARM's own buckets.
   */
  throttling?: ThrottlingSettings;
  /** Key Vaults with secrets holding a key (raw or in a connection string); see keyvault/. */
  keyVaults?: KeyVaultScenario[];
  /** App Service / Functions apps whose app settings are Key Vault references; see web/. */
  webApps?: WebAppScenario[];
}

/** An app (Microsoft.Web/sites) and its app settings that are Key Vault references. */
export interface WebAppScenario {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  /** Each resolved when the scenario starts; version: the reference names that version. */
  keyVaultReferences: { setting: string; vault: string; secret: string; version?: string }[];
}

/**
 * A Key Vault (Microsoft.KeyVault/vaults) with its secrets. Its data plane is served on a port of
 * its own (a vault's secret IDs are `https://<host>/secrets/<name>/<version>`, with no path prefix),
 * and ARM's `properties.vaultUri` names it.
 */
export interface KeyVaultScenario {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  /** properties.enableRbacAuthorization (default true); false: access policies decide. */
  enableRbacAuthorization?: boolean;
  /**
   * Access policies (for enableRbacAuthorization false): the login's permissions are those of the
   * policies whose objectId is the login's principal. A policy without objectId stands for a group
   * the login is a member of: it applies to the login, and ARM shows it under another object ID.
   */
  accessPolicies?: { objectId?: string; tenantId?: string; permissions: { secrets: string[] } }[];
  /** Every data-plane request of the login is refused (403). */
  forbidden?: boolean;
  /**
   * Key Vault's throttling, made deterministic: the first this many authenticated data-plane
   * requests answer 429 with Retry-After (as a vault past its per-10-second limits does).
   */
  throttledRequests?: number;
  secrets?: SecretScenario[];
}

/** What a secret's (first) version holds: a key of an account, raw or in a connection string. */
export type SecretValueScenario =
  | { key: Holds }
  | { connectionString: Holds }
  /** Anything else (a password): no consumer of any account. */
  | { text: string };

export interface SecretScenario {
  name: string;
  value: SecretValueScenario;
  /** The storage account whose key the value holds (default: the scenario's first account). */
  account?: string;
  contentType?: string;
  tags?: Record<string, string>;
  /**
   * Adds the tags of Microsoft's dual-credential rotation tutorial: CredentialId (the key held),
   * ProviderAddress (the account's resource ID) and, when given, ValidityPeriodDays.
   */
  tutorialTags?: boolean | { validityPeriodDays: number };
  /** Age of the version (default 30 days). */
  createdDaysAgo?: number;
  /** Days until the version expires (attributes.exp); negative: expired. */
  expiresInDays?: number;
  /** Reading or writing this secret is refused (403), as by a role assignment on other secrets. */
  forbidden?: boolean;
}
