import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyVaultProblems, type KeyVaultScenario } from './keyvault/scenario.js';
import type { SasPolicySetting } from './sas/policy.js';
import { connectionSasProblems, datastoreSasProblems, sasPolicyProblems } from './sas/scenario.js';
import type { SasKindName } from './sas/sign.js';
import type { BucketSettings, ThrottlingSettings } from './throttling.js';

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
}

const scenariosDirectory = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

/** A bare name ("sample") means emulator/scenarios/<name>.json; anything else is a file path. */
export function scenarioPath(nameOrPath: string): string {
  const looksLikePath = nameOrPath.endsWith('.json') || /[\\/]/.test(nameOrPath);
  if (!looksLikePath) return join(scenariosDirectory, `${nameOrPath}.json`);
  return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
}

export function loadScenario(nameOrPath: string): Scenario {
  const path = scenarioPath(nameOrPath);
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
  validateScenario(scenario, path);
  return scenario;
}

export function validateScenario(scenario: Scenario, source = 'scenario'): void {
  const problems: string[] = [];
  if (!scenario.subscriptionId) problems.push('subscriptionId is required');
  if (!scenario.tenantId) problems.push('tenantId is required');
  const accounts = new Set<string>();
  for (const account of scenario.storageAccounts ?? []) {
    const name = account.name?.toLowerCase();
    if (!name || !account.resourceGroup)
      problems.push('a storage account needs name and resourceGroup');
    else if (accounts.has(name)) problems.push(`storage account ${account.name} appears twice`);
    accounts.add(name);
    const days = account.keyPolicy?.keyExpirationPeriodInDays;
    if (account.keyPolicy !== undefined && !(Number.isInteger(days) && (days as number) > 0))
      problems.push(
        `storage account ${account.name}: keyPolicy.keyExpirationPeriodInDays must be a positive integer`,
      );
    problems.push(...sasPolicyProblems(`storage account ${account.name}`, account.sasPolicy));
  }
  const workspaces = new Set<string>();
  for (const workspace of scenario.workspaces ?? []) {
    const name = workspace.name?.toLowerCase();
    if (!name || !workspace.resourceGroup)
      problems.push('a workspace needs name and resourceGroup');
    else if (workspaces.has(name)) problems.push(`workspace ${workspace.name} appears twice`);
    workspaces.add(name);
    if (!accounts.has(workspace.storageAccount?.toLowerCase()))
      problems.push(
        `workspace ${workspace.name}: unknown storageAccount ${workspace.storageAccount}`,
      );
    checkHolds(problems, `workspace ${workspace.name}`, workspace.holds);
    const datastores = new Set<string>();
    for (const datastore of workspace.datastores ?? []) {
      const where = `datastore ${workspace.name}/${datastore.name}`;
      if (!datastore.name || !datastore.datastoreType || !datastore.credentials)
        problems.push(`${where}: name, datastoreType and credentials are required`);
      if (datastores.has(datastore.name?.toLowerCase())) problems.push(`${where} appears twice`);
      datastores.add(datastore.name?.toLowerCase());
      checkHolds(problems, where, datastore.holds);
      checkHolds(problems, where, datastore.signedWith);
      problems.push(...datastoreSasProblems(where, datastore));
      checkWriteFaults(problems, where, datastore.failPut, datastore.loseUpdate);
    }
    checkConnections(problems, workspace);
  }
  problems.push(...keyVaultProblems(scenario.keyVaults, accounts));
  const takes = scenario.resync?.takes;
  if (takes !== undefined && !['key1', 'key2', 'newest', 'oldest', 'unchanged'].includes(takes))
    problems.push(
      `resync.takes must be key1, key2, newest, oldest or unchanged, not ${String(takes)}`,
    );
  for (const field of ['durationMs', 'retryAfterSeconds'] as const) {
    const value = scenario.resync?.[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      problems.push(`resync.${field} must be a whole number ≥ 0, not ${String(value)}`);
  }
  const { global, ...own } = scenario.throttling ?? {};
  checkBuckets(problems, 'throttling', own);
  checkBuckets(problems, 'throttling.global', global ?? {});
  if (problems.length > 0) throw new Error(`Invalid ${source}:\n- ${problems.join('\n- ')}`);
}

function checkBuckets(problems: string[], path: string, buckets: Record<string, BucketSettings>) {
  for (const [kind, bucket] of Object.entries(buckets)) {
    if (!['reads', 'writes', 'deletes'].includes(kind))
      problems.push(`${path}.${kind}: only reads, writes and deletes are metered`);
    else if (!(bucket?.capacity >= 1) || !(bucket?.refillPerSecond > 0))
      problems.push(`${path}.${kind}: capacity must be ≥ 1 and refillPerSecond > 0`);
  }
}

function checkConnections(problems: string[], workspace: WorkspaceScenario): void {
  const names = new Set<string>();
  for (const connection of workspace.connections ?? []) {
    const where = `connection ${workspace.name}/${connection.name}`;
    if (!connection.name || !connection.category || !connection.authType)
      problems.push(`${where}: name, category and authType are required`);
    else if (!connectionAuthTypes.some((known) => sameText(known, connection.authType)))
      problems.push(`${where}: unknown authType ${connection.authType}`);
    if (names.has(connection.name?.toLowerCase())) problems.push(`${where} appears twice`);
    names.add(connection.name?.toLowerCase());
    checkHolds(problems, where, connection.holds);
    checkHolds(problems, where, connection.signedWith);
    problems.push(...connectionSasProblems(where, connection));
    checkWriteFaults(problems, where, connection.failUpdate, connection.loseUpdate);
  }
}

function checkWriteFaults(
  problems: string[],
  where: string,
  failure: PutFailure | undefined,
  loseUpdate: unknown,
): void {
  if (failure !== undefined && (typeof failure.status !== 'number' || !failure.code))
    problems.push(`${where}: a write failure needs a numeric status and a code`);
  if (loseUpdate !== undefined && typeof loseUpdate !== 'boolean')
    problems.push(`${where}: loseUpdate must be true or false`);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function checkHolds(problems: string[], where: string, holds: unknown): void {
  if (holds !== undefined && !['key1', 'key2', 'stale'].includes(holds as string))
    problems.push(`${where}: holds/signedWith must be key1, key2 or stale, not ${String(holds)}`);
}
