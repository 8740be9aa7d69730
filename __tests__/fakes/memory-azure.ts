import { randomBytes } from 'node:crypto';
import { NotSentError } from '../../src/azure/port.js';
import type {
  Permission,
  AccountKey,
  AppKeyVaultReference,
  AzurePort,
  ConnectionProperties,
  ConsumerSecret,
  Datastore,
  DiagnosticSetting,
  KeyName,
  LogsAnswer,
  SignedInPrincipal,
  StorageAccount,
  Workspace,
} from '../../src/azure/port.js';
import type { ResourceRef } from '../../src/util/resource-id.js';
import { MemoryVaults } from './memory-vaults.js';

const newKey = () => randomBytes(64).toString('base64');

/** Our own narrow port, in memory: enough world for executor tests, with a log and failures. */
export class MemoryAzure implements AzurePort {
  keys: Record<KeyName, AccountKey> = {
    key1: { name: 'key1', value: newKey(), createdOn: new Date('2026-06-01') },
    key2: { name: 'key2', value: newKey(), createdOn: new Date('2026-01-01') },
  };
  workspaceKey = new Map<string, string>();
  datastores = new Map<
    string,
    { properties: Datastore['properties']; key?: string; sasToken?: string }
  >();
  connections = new Map<
    string,
    { properties: ConnectionProperties; key?: string; sasToken?: string }
  >();
  /** The account's properties.sasPolicy, if any. */
  sasPolicy?: { sasExpirationPeriod: string; expirationAction: 'Log' | 'Block' };
  log: string[] = [];
  /** Every call, reads too, as "operation ws/name" (or just the operation). */
  calls: string[] = [];
  /** Writes to these (`ws/name`) fail with a 400 whose message carries a key. */
  failPut = new Set<string>();
  /** Writes to these are answered as successful but not kept (a lost write). */
  loseWrites = new Set<string>();
  resyncTakes: KeyName = 'key1';

  readonly account: ResourceRef = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'store' };
  readonly accountId =
    '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/store';

  addWorkspace(name: string, holds: KeyName) {
    this.workspaceKey.set(name, this.keys[holds].value);
  }

  addDatastore(
    workspace: string,
    name: string,
    holds: KeyName,
    extra: Record<string, unknown> = {},
  ) {
    this.datastores.set(`${workspace}/${name}`, {
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'store',
        containerName: name,
        endpoint: 'core.windows.net',
        credentials: { credentialsType: 'AccountKey' },
        ...extra,
      },
      key: this.keys[holds].value,
    });
  }

  addConnection(
    workspace: string,
    name: string,
    holds: KeyName,
    extra: Record<string, unknown> = {},
  ) {
    this.connections.set(`${workspace}/${name}`, {
      properties: {
        authType: 'AccountKey',
        category: 'AzureBlob',
        target: 'https://store.blob.core.windows.net/',
        metadata: { ContainerName: name },
        ...extra,
      },
      key: this.keys[holds].value,
    });
  }

  /** A SAS datastore (on a blob container named like it) holding the given token. */
  addSasDatastore(workspace: string, name: string, sasToken: string) {
    this.datastores.set(`${workspace}/${name}`, {
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'store',
        containerName: name,
        endpoint: 'core.windows.net',
        credentials: { credentialsType: 'Sas' },
      },
      sasToken,
    });
  }

  /** A SAS connection on the account's blob endpoint holding the given (account SAS) token. */
  addSasConnection(workspace: string, name: string, sasToken: string) {
    this.connections.set(`${workspace}/${name}`, {
      properties: {
        authType: 'SAS',
        category: 'AzureBlob',
        target: 'https://store.blob.core.windows.net/',
      },
      sasToken,
    });
  }

  holds(value: string | undefined): KeyName | 'stale' {
    return value === this.keys.key1.value
      ? 'key1'
      : value === this.keys.key2.value
        ? 'key2'
        : 'stale';
  }

  async getStorageAccount(account: ResourceRef): Promise<StorageAccount> {
    return {
      id: this.accountId,
      ref: account,
      allowSharedKeyAccess: true,
      keyCreationTime: {},
      sasPolicy: this.sasPolicy,
    };
  }
  async listStorageAccounts(subscriptionId: string) {
    return [await this.getStorageAccount({ ...this.account, subscriptionId })];
  }
  async listKeys() {
    this.calls.push('listKeys');
    return [this.keys.key1, this.keys.key2];
  }
  async regenerateKey(_account: ResourceRef, key: KeyName, options?: { cancel?: AbortSignal }) {
    if (options?.cancel?.aborted) throw new NotSentError(false);
    this.log.push(`regenerate ${key}`);
    this.keys[key] = { name: key, value: newKey(), createdOn: new Date() };
    return [this.keys.key1, this.keys.key2];
  }
  async listWorkspaces() {
    return [...this.workspaceKey.keys()].map((name) => this.workspace(name));
  }
  async getWorkspace(ref: ResourceRef) {
    return this.workspace(ref.name);
  }
  private workspace(name: string): Workspace {
    return {
      id: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/${name}`,
      ref: { subscriptionId: 'sub', resourceGroup: 'rg', name },
      storageAccountId: this.accountId,
    };
  }
  async workspaceStorageKey(ref: ResourceRef) {
    return this.workspaceKey.get(ref.name);
  }
  async resyncKeys(ref: ResourceRef, _options?: { abortSignal?: AbortSignal }) {
    this.log.push(`resync ${ref.name}`);
    this.workspaceKey.set(ref.name, this.keys[this.resyncTakes].value);
  }
  /** Pages of `pageSize`, as the service pages them. */
  pageSize = 30;
  async *datastorePages(ref: ResourceRef) {
    const all = [...this.datastores]
      .filter(([id]) => id.startsWith(`${ref.name}/`))
      .map(([id, ds]) => ({ name: id.split('/')[1]!, properties: structuredClone(ds.properties) }));
    for (let i = 0; i === 0 || i < all.length; i += this.pageSize) {
      this.calls.push(`listDatastores ${ref.name}`);
      yield all.slice(i, i + this.pageSize);
    }
  }
  async getDatastore(ref: ResourceRef, name: string) {
    this.calls.push(`getDatastore ${ref.name}/${name}`);
    const ds = this.datastores.get(`${ref.name}/${name}`);
    if (!ds) throw Object.assign(new Error('not found'), { statusCode: 404 });
    return { name, properties: structuredClone(ds.properties) };
  }
  async datastoreSecret(ref: ResourceRef, name: string): Promise<ConsumerSecret> {
    this.calls.push(`datastoreSecret ${ref.name}/${name}`);
    const ds = this.datastores.get(`${ref.name}/${name}`);
    if (ds?.sasToken) return { kind: 'Sas', sasToken: ds.sasToken };
    return ds?.key ? { kind: 'AccountKey', key: ds.key } : { kind: 'Other' };
  }
  async putDatastore(ref: ResourceRef, datastore: Datastore) {
    const id = `${ref.name}/${datastore.name}`;
    this.log.push(`put ${id}`);
    this.calls.push(`putDatastore ${id}`);
    this.failIfAsked(id);
    const { credentials, ...rest } = datastore.properties;
    const secrets = credentials.secrets as { key?: string; sasToken?: string };
    const before = this.datastores.get(id);
    const lost = this.loseWrites.has(id);
    this.datastores.set(id, {
      properties: { ...rest, credentials: { credentialsType: credentials.credentialsType } },
      key: lost ? before?.key : secrets.key,
      sasToken: lost ? before?.sasToken : secrets.sasToken,
    });
  }
  async *connectionPages(ref: ResourceRef) {
    yield [...this.connections]
      .filter(([id]) => id.startsWith(`${ref.name}/`))
      .map(([id, c]) => ({ name: id.split('/')[1]!, properties: structuredClone(c.properties) }));
  }
  async connectionSecret(ref: ResourceRef, name: string): Promise<ConsumerSecret> {
    const c = this.connections.get(`${ref.name}/${name}`);
    if (c?.sasToken) return { kind: 'Sas', sasToken: c.sasToken };
    return c?.key ? { kind: 'AccountKey', key: c.key } : { kind: 'Other' };
  }
  async updateConnection(ref: ResourceRef, name: string, properties: ConnectionProperties) {
    const id = `${ref.name}/${name}`;
    this.log.push(`patch ${id}`);
    this.failIfAsked(id);
    const existing = this.connections.get(id)!;
    const { credentials, ...rest } = properties;
    const { key, sas } = credentials as { key?: string; sas?: string };
    const lost = this.loseWrites.has(id);
    this.connections.set(id, {
      properties: { ...existing.properties, ...rest },
      key: lost ? existing.key : key,
      sasToken: lost ? existing.sasToken : sas,
    });
  }
  private failIfAsked(id: string) {
    if (this.failPut.has(id)) {
      throw Object.assign(new Error(`bad request, body had key ${this.keys.key1.value}`), {
        statusCode: 400,
        code: 'UserError',
      });
    }
  }
  /** What the login may do at a scope (by resource ID); everything where a test sets nothing. */
  grantedAt = new Map<string, Permission[]>();
  /** Who the login is, as its token would say; unknown unless a test sets it. */
  principal?: SignedInPrincipal;
  async permissions(scopeId: string): Promise<Permission[]> {
    this.calls.push(`permissions ${scopeId}`);
    return (
      this.grantedAt.get(scopeId) ?? [
        { actions: ['*'], notActions: [], dataActions: ['*'], notDataActions: [] },
      ]
    );
  }
  async signedInPrincipal(): Promise<SignedInPrincipal | undefined> {
    this.calls.push('signedInPrincipal');
    return this.principal;
  }

  /** Diagnostic settings by resource ID (a storage service's); none unless a test sets them. */
  diagnostics = new Map<string, DiagnosticSetting[]>();
  /** The answer to every logs query; a query fails when unset. */
  logsAnswer?: LogsAnswer;
  /** Every logs query made: resource ID, query text and days. */
  logsQueries: [string, string, number][] = [];

  async diagnosticSettings(resourceId: string) {
    this.calls.push('diagnosticSettings');
    return this.diagnostics.get(resourceId) ?? [];
  }

  /** Key Vaults and their secrets (none unless a test adds them). */
  readonly keyVaults = new MemoryVaults();
  listVaults = this.keyVaults.listVaults.bind(this.keyVaults);
  getVault = this.keyVaults.getVault.bind(this.keyVaults);
  listSecretProperties = this.keyVaults.listSecretProperties.bind(this.keyVaults);
  getSecret = this.keyVaults.getSecret.bind(this.keyVaults);
  setSecret = this.keyVaults.setSecret.bind(this.keyVaults);

  async queryResourceLogs(resourceId: string, query: string, days: number) {
    this.calls.push('queryResourceLogs');
    this.logsQueries.push([resourceId, query, days]);
    if (!this.logsAnswer) throw Object.assign(new Error('Forbidden'), { statusCode: 403 });
    return this.logsAnswer;
  }

  /** The Transactions metric by Authentication; reading it fails when unset. */
  transactions?: Record<string, number>;
  /** Every metrics read: account ID and days. */
  metricsReads: [string, number][] = [];

  async storageTransactions(accountId: string, days: number) {
    this.calls.push('storageTransactions');
    this.metricsReads.push([accountId, days]);
    if (!this.transactions) throw Object.assign(new Error('Forbidden'), { statusCode: 403 });
    return { timespan: 'P7D', byAuthentication: this.transactions };
  }

  /** Apps' Key Vault references by app name, as a GET returns them (a refresh changes nothing). */
  appReferences = new Map<string, AppKeyVaultReference[]>();
  /** Refreshes of these apps (by name) fail with a 403. */
  refreshRefused = new Set<string>();

  async refreshAppKeyVaultReferences(app: ResourceRef) {
    this.calls.push(`refreshAppKeyVaultReferences ${app.name}`);
    if (this.refreshRefused.has(app.name))
      throw Object.assign(new Error('AuthorizationFailed'), { statusCode: 403 });
  }

  async appKeyVaultReferences(app: ResourceRef) {
    this.calls.push(`appKeyVaultReferences ${app.name}`);
    return structuredClone(this.appReferences.get(app.name) ?? []);
  }
}
