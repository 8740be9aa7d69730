import { randomUUID } from 'node:crypto';
import {
  asObject,
  expandCopies,
  extractSecret,
  requireObject,
  requireTypeFields,
  systemData,
  typeDefaults,
  withoutSecrets,
  type JsonObject,
} from './datastore-rules.js';
import { ArmError, resourceGroupNotFound, resourceNotFound, userError } from './arm-errors.js';
import type {
  DatastoreScenario,
  Holds,
  KeyName,
  PutFailure,
  ResyncScenario,
  Scenario,
  StorageAccountScenario,
  WorkspaceScenario,
} from './scenario.js';
import {
  newCertificateSecret,
  newClientSecret,
  newStorageKey,
  sasSignedWith,
  signAccountSas,
  type AccountSasRequest,
} from './secrets.js';

const DAY_MS = 86_400_000;
const storageAccountType = 'Microsoft.Storage/storageAccounts';
const workspaceType = 'Microsoft.MachineLearningServices/workspaces';
/** Datastores a workspace creates for itself on its default storage account. */
const systemDatastoreNames = new Set([
  'workspaceblobstore',
  'workspacefilestore',
  'workspaceartifactstore',
  'workspaceworkingdirectory',
]);

export interface StorageKey {
  value: string;
  creationTime: Date | undefined;
}

export interface AccountState {
  id: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  skuName: string;
  allowSharedKeyAccess: boolean;
  extraProperties: Record<string, unknown>;
  createdAt: Date;
  keys: Record<KeyName, StorageKey>;
}

export interface SystemData {
  createdAt: string;
  createdBy: string;
  createdByType: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
}

export interface DatastoreState {
  id: string;
  name: string;
  workspace: string;
  /** As stored by the service: what the last PUT sent, credentials without secrets. */
  properties: Record<string, unknown>;
  secret?: string;
  failPut?: PutFailure;
  systemData: SystemData;
}

export interface WorkspaceState {
  id: string;
  resourceGroup: string;
  name: string;
  location: string;
  accountName: string;
  userStorageKey: string | undefined;
  workspaceId: string;
  principalId: string;
  /** The id the workspace reports for its storage account; ARM ids often differ in casing. */
  storageAccountId: string;
  extraProperties: Record<string, unknown>;
  createdAt: Date;
  datastores: Map<string, DatastoreState>;
  /** Other secrets Workspaces_ListKeys returns; generated once, never rotated here. */
  otherKeys: {
    appInsightsInstrumentationKey: string;
    registryPasswords: [string, string];
    notebookKeys: [string, string];
  };
}

export interface ResyncOperation {
  id: string;
  workspace: string;
  location: string;
  startedAt: number;
  completesAt: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  endedAt?: number;
  took?: KeyName;
  error?: { code: string; message: string };
}

export interface TimelineEntry {
  seq: number;
  time: number;
  event: string;
  /** Consumers whose copy of a key is invalid right after the event. */
  invalid: string[];
}

export interface Consumer {
  id: string;
  account: string;
  valid: boolean;
}

export interface WorldOptions {
  /** Shared with the request log so timeline entries and requests order together. */
  nextSeq: () => number;
  now?: () => number;
}

export interface PutDatastoreResult {
  created: boolean;
  datastore: DatastoreState;
}

/** The emulated Azure world: storage accounts, workspaces, datastores and what each holds. */
export class World {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly pageSize: number;
  readonly resync: Required<Omit<ResyncScenario, 'fail'>> & Pick<ResyncScenario, 'fail'>;
  private readonly now: () => number;
  private readonly nextSeq: () => number;
  private readonly resourceGroups = new Map<string, string>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly workspaces = new Map<string, WorkspaceState>();
  private readonly operations = new Map<string, ResyncOperation>();
  private readonly everSecret = new Set<string>();
  private readonly timelineEntries: TimelineEntry[] = [];

  constructor(scenario: Scenario, options: WorldOptions) {
    this.subscriptionId = scenario.subscriptionId;
    this.tenantId = scenario.tenantId;
    this.pageSize = Math.max(1, scenario.pageSize ?? 30);
    this.resync = {
      takes: scenario.resync?.takes ?? 'key1',
      durationMs: scenario.resync?.durationMs ?? 1500,
      updatesDefaultDatastores: scenario.resync?.updatesDefaultDatastores ?? false,
      pollingHeaders: scenario.resync?.pollingHeaders ?? 'location+async',
      retryAfterSeconds: scenario.resync?.retryAfterSeconds ?? 0,
      fail: scenario.resync?.fail,
    };
    this.now = options.now ?? Date.now;
    this.nextSeq = options.nextSeq;
    const location = scenario.location ?? 'westeurope';
    for (const account of scenario.storageAccounts) this.addAccount(account, location);
    for (const workspace of scenario.workspaces) this.addWorkspace(workspace, location);
    this.record('initial');
  }

  // ---- lookups -------------------------------------------------------------------------------

  requireResourceGroup(resourceGroup: string): string {
    const name = this.resourceGroups.get(resourceGroup.toLowerCase());
    if (!name) throw resourceGroupNotFound(resourceGroup);
    return name;
  }

  account(name: string): AccountState | undefined {
    return this.accounts.get(name.toLowerCase());
  }

  requireAccount(resourceGroup: string, name: string): AccountState {
    this.requireResourceGroup(resourceGroup);
    const account = this.account(name);
    if (!account || !sameName(account.resourceGroup, resourceGroup))
      throw resourceNotFound(storageAccountType, name, resourceGroup);
    return account;
  }

  accountsIn(resourceGroup?: string): AccountState[] {
    const all = [...this.accounts.values()];
    if (resourceGroup === undefined) return all;
    this.requireResourceGroup(resourceGroup);
    return all.filter((account) => sameName(account.resourceGroup, resourceGroup));
  }

  workspace(name: string): WorkspaceState | undefined {
    return this.workspaces.get(name.toLowerCase());
  }

  requireWorkspace(resourceGroup: string, name: string): WorkspaceState {
    this.requireResourceGroup(resourceGroup);
    const workspace = this.workspace(name);
    if (!workspace || !sameName(workspace.resourceGroup, resourceGroup))
      throw resourceNotFound(workspaceType, name, resourceGroup);
    return workspace;
  }

  workspacesIn(resourceGroup?: string): WorkspaceState[] {
    const all = [...this.workspaces.values()];
    if (resourceGroup === undefined) return all;
    this.requireResourceGroup(resourceGroup);
    return all.filter((workspace) => sameName(workspace.resourceGroup, resourceGroup));
  }

  requireDatastore(workspace: WorkspaceState, name: string): DatastoreState {
    const datastore = workspace.datastores.get(name.toLowerCase());
    if (!datastore) {
      throw new ArmError(
        404,
        'UserError',
        `DatastoreNotFound: ${name} does not exist in workspace ${workspace.name}.`,
      );
    }
    return datastore;
  }

  operation(id: string): ResyncOperation | undefined {
    return this.operations.get(id.toLowerCase());
  }

  keyValues(accountName: string): Record<KeyName, string> | undefined {
    const account = this.account(accountName);
    return account && { key1: account.keys.key1.value, key2: account.keys.key2.value };
  }

  /** Which current key of the account a value (key or SAS token) matches. */
  holds(accountName: string, value: string | undefined): Holds {
    const keys = this.keyValues(accountName);
    if (!keys || value === undefined) return 'stale';
    if (value === keys.key1) return 'key1';
    if (value === keys.key2) return 'key2';
    return sasSignedWith(accountName.toLowerCase(), value, keys) ?? 'stale';
  }

  // ---- state transitions ---------------------------------------------------------------------

  regenerateKey(account: AccountState, requestedKeyName: unknown): AccountState {
    const keyName = typeof requestedKeyName === 'string' ? requestedKeyName.toLowerCase() : '';
    if (keyName !== 'key1' && keyName !== 'key2') {
      throw new ArmError(
        400,
        'InvalidValuesForRequestParameters',
        `Values for request parameters are invalid: keyName. '${String(requestedKeyName)}' is not ` +
          `a valid key name; use key1 or key2.`,
      );
    }
    account.keys[keyName] = {
      value: this.secret(newStorageKey()),
      creationTime: new Date(this.now()),
    };
    this.record(`regenerateKey ${account.name} ${keyName}`);
    return account;
  }

  startResync(workspace: WorkspaceState): ResyncOperation {
    const startedAt = this.now();
    const operation: ResyncOperation = {
      id: randomUUID(),
      workspace: workspace.name,
      location: workspace.location,
      startedAt,
      completesAt: startedAt + this.resync.durationMs,
      status: 'InProgress',
    };
    this.operations.set(operation.id, operation);
    this.record(`resyncKeys ${workspace.name} accepted`);
    return operation;
  }

  /** Finishes every resync whose duration has elapsed; returns the time of the next one due. */
  completeDueResyncs(): number | undefined {
    const now = this.now();
    let nextDue: number | undefined;
    for (const operation of this.operations.values()) {
      if (operation.status !== 'InProgress') continue;
      if (operation.completesAt <= now) this.finishResync(operation, now);
      else nextDue = Math.min(nextDue ?? Infinity, operation.completesAt);
    }
    return nextDue;
  }

  putDatastore(
    workspace: WorkspaceState,
    name: string,
    body: unknown,
    skipValidation: boolean,
  ): PutDatastoreResult {
    const existing = workspace.datastores.get(name.toLowerCase());
    if (existing?.failPut) {
      const { status, code, message } = existing.failPut;
      throw new ArmError(status, code, message);
    }
    const properties = requireObject(
      asObject(body)?.properties,
      "The request body must contain 'properties'.",
    );
    const datastoreType = properties.datastoreType;
    if (typeof datastoreType !== 'string' || !datastoreType)
      throw userError("'properties.datastoreType' is required.");
    if (existing && existing.properties.datastoreType !== datastoreType) {
      throw userError(
        `Datastore ${existing.name} is of type ${String(existing.properties.datastoreType)}; ` +
          `its type cannot be changed to ${datastoreType}.`,
      );
    }
    requireTypeFields(datastoreType, properties);
    const credentials = requireObject(
      properties.credentials,
      "'properties.credentials' is required.",
    );
    const secret = extractSecret(credentials);
    if (secret !== undefined) this.secret(secret);
    if (!skipValidation) this.validateCredentials(properties, credentials, secret);

    const now = new Date(this.now()).toISOString();
    const stored: JsonObject = {
      ...properties,
      credentials: withoutSecrets(credentials),
      isDefault: existing?.properties.isDefault ?? false,
    };
    const datastore: DatastoreState = existing ?? {
      id: `${workspace.id}/datastores/${name}`,
      name,
      workspace: workspace.name,
      properties: stored,
      systemData: systemData(now, now),
    };
    datastore.properties = stored;
    datastore.secret = secret;
    datastore.systemData = {
      ...datastore.systemData,
      lastModifiedAt: now,
      lastModifiedBy: 'emulator-caller',
      lastModifiedByType: 'Application',
    };
    workspace.datastores.set(name.toLowerCase(), datastore);
    this.record(
      `datastore ${workspace.name}/${datastore.name} ${existing ? 'updated' : 'created'}`,
    );
    return { created: !existing, datastore };
  }

  deleteDatastore(workspace: WorkspaceState, name: string): boolean {
    const datastore = workspace.datastores.get(name.toLowerCase());
    if (!datastore) return false;
    workspace.datastores.delete(name.toLowerCase());
    this.record(`datastore ${workspace.name}/${datastore.name} deleted`);
    return true;
  }

  issueAccountSas(account: AccountState, keyToSign: unknown, request: AccountSasRequest): string {
    const keyName = typeof keyToSign === 'string' ? keyToSign.toLowerCase() : 'key1';
    const key = keyName === 'key2' ? account.keys.key2 : account.keys.key1;
    return this.secret(signAccountSas(account.name.toLowerCase(), key.value, request));
  }

  /** Remembers a value as a secret (for leak scans) and returns it. */
  secret(value: string): string {
    this.everSecret.add(value);
    return value;
  }

  // ---- observations --------------------------------------------------------------------------

  consumers(): Consumer[] {
    const result: Consumer[] = [];
    for (const workspace of this.workspaces.values()) {
      const keys = this.keyValues(workspace.accountName);
      if (keys) {
        const valid =
          workspace.userStorageKey === keys.key1 || workspace.userStorageKey === keys.key2;
        result.push({ id: `workspace:${workspace.name}`, account: workspace.accountName, valid });
      }
      for (const datastore of workspace.datastores.values()) {
        const consumer = this.datastoreConsumer(workspace, datastore);
        if (consumer) result.push(consumer);
      }
    }
    return result;
  }

  invalidConsumers(): string[] {
    return this.consumers()
      .filter((consumer) => !consumer.valid)
      .map((consumer) => consumer.id);
  }

  timeline(): TimelineEntry[] {
    return this.timelineEntries.map((entry) => ({ ...entry, invalid: [...entry.invalid] }));
  }

  secrets(): string[] {
    return [...this.everSecret];
  }

  resyncOperations(): ResyncOperation[] {
    return [...this.operations.values()];
  }

  /** Everything, secrets included, for the dev-only /_emulator/state endpoint. */
  snapshot(): unknown {
    return {
      subscriptionId: this.subscriptionId,
      tenantId: this.tenantId,
      storageAccounts: [...this.accounts.values()].map((account) => ({
        id: account.id,
        keys: account.keys,
      })),
      workspaces: [...this.workspaces.values()].map((workspace) => ({
        id: workspace.id,
        storageAccount: workspace.accountName,
        holds: this.holds(workspace.accountName, workspace.userStorageKey),
        userStorageKey: workspace.userStorageKey,
        datastores: [...workspace.datastores.values()].map((datastore) => ({
          name: datastore.name,
          holds:
            typeof datastore.properties.accountName === 'string'
              ? this.holds(datastore.properties.accountName, datastore.secret)
              : undefined,
          secret: datastore.secret,
          properties: datastore.properties,
        })),
      })),
      consumers: this.consumers(),
      resyncOperations: this.resyncOperations(),
      timeline: this.timelineEntries,
    };
  }

  // ---- internals -----------------------------------------------------------------------------

  private addAccount(scenario: StorageAccountScenario, defaultLocation: string): void {
    const resourceGroup = this.addResourceGroup(scenario.resourceGroup);
    const now = this.now();
    const key = (keyName: KeyName): StorageKey => {
      const ageDays = scenario.keys?.[keyName]?.ageDays;
      const creationTime = ageDays === null ? undefined : new Date(now - (ageDays ?? 30) * DAY_MS);
      return { value: this.secret(newStorageKey()), creationTime };
    };
    this.accounts.set(scenario.name.toLowerCase(), {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${storageAccountType}/${scenario.name}`,
      resourceGroup,
      name: scenario.name,
      location: scenario.location ?? defaultLocation,
      kind: scenario.kind ?? 'StorageV2',
      skuName: scenario.sku ?? 'Standard_LRS',
      allowSharedKeyAccess: scenario.allowSharedKeyAccess ?? true,
      extraProperties: scenario.properties ?? {},
      createdAt: new Date(now - 800 * DAY_MS),
      keys: { key1: key('key1'), key2: key('key2') },
    });
  }

  private addWorkspace(scenario: WorkspaceScenario, defaultLocation: string): void {
    const resourceGroup = this.addResourceGroup(scenario.resourceGroup);
    const account = this.account(scenario.storageAccount) as AccountState;
    const workspace: WorkspaceState = {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${workspaceType}/${scenario.name}`,
      resourceGroup,
      name: scenario.name,
      location: scenario.location ?? account.location ?? defaultLocation,
      accountName: account.name,
      userStorageKey: this.valueHeld(account.name, scenario.holds ?? 'key1'),
      workspaceId: randomUUID(),
      principalId: randomUUID(),
      storageAccountId: scenario.storageAccountId ?? account.id,
      extraProperties: scenario.properties ?? {},
      createdAt: new Date(this.now() - 400 * DAY_MS),
      datastores: new Map(),
      otherKeys: {
        appInsightsInstrumentationKey: randomUUID(),
        registryPasswords: [this.secret(newClientSecret()), this.secret(newClientSecret())],
        notebookKeys: [this.secret(newStorageKey()), this.secret(newStorageKey())],
      },
    };
    this.workspaces.set(scenario.name.toLowerCase(), workspace);
    for (const datastore of expandCopies(scenario.datastores ?? [])) {
      workspace.datastores.set(
        datastore.name.toLowerCase(),
        this.datastoreFrom(workspace, datastore),
      );
    }
  }

  private addResourceGroup(name: string): string {
    const existing = this.resourceGroups.get(name.toLowerCase());
    if (existing) return existing;
    this.resourceGroups.set(name.toLowerCase(), name);
    return name;
  }

  private datastoreFrom(workspace: WorkspaceState, scenario: DatastoreScenario): DatastoreState {
    const {
      name,
      datastoreType,
      account,
      credentials: credentialsType,
      holds,
      signedWith,
      isDefault,
      createdDaysAgo,
      failPut,
      ...passThrough
    } = scenario;
    delete passThrough.copies;
    const created = new Date(this.now() - (createdDaysAgo ?? 200) * DAY_MS).toISOString();
    const { credentials, secret } = this.credentialsFor(
      credentialsType,
      account,
      holds,
      signedWith,
    );
    const properties: JsonObject = {
      description: null,
      tags: {},
      properties: {},
      isDefault: isDefault ?? false,
      credentials,
      datastoreType,
      ...(account === undefined ? {} : { accountName: account }),
      ...typeDefaults(datastoreType),
      ...passThrough,
    };
    return {
      id: `${workspace.id}/datastores/${name}`,
      name,
      workspace: workspace.name,
      properties,
      secret,
      failPut,
      systemData: systemData(created, created),
    };
  }

  private credentialsFor(
    credentialsType: string,
    accountName: string | undefined,
    holds: Holds | undefined,
    signedWith: Holds | undefined,
  ): { credentials: JsonObject; secret?: string } {
    const credentials: JsonObject = { credentialsType };
    switch (credentialsType) {
      case 'AccountKey':
        return { credentials, secret: this.valueHeld(accountName, holds ?? 'key1') };
      case 'Sas': {
        const signingKey = this.valueHeld(accountName, signedWith ?? 'key1');
        const token = signAccountSas((accountName ?? 'unknown').toLowerCase(), signingKey);
        return { credentials, secret: this.secret(token) };
      }
      case 'ServicePrincipal':
      case 'Certificate':
        Object.assign(credentials, {
          authorityUrl: 'https://login.microsoftonline.com',
          clientId: randomUUID(),
          resourceUrl: 'https://storage.azure.com/',
          tenantId: this.tenantId,
          ...(credentialsType === 'Certificate'
            ? { thumbprint: randomUUID().replace(/-/g, '') }
            : {}),
        });
        return {
          credentials,
          secret: this.secret(
            credentialsType === 'Certificate' ? newCertificateSecret() : newClientSecret(),
          ),
        };
      default:
        return { credentials };
    }
  }

  /** The value a consumer holds: a current key, or a random stale one (also for unknown accounts). */
  private valueHeld(accountName: string | undefined, holds: Holds): string {
    const account = accountName === undefined ? undefined : this.account(accountName);
    if (!account || holds === 'stale') return this.secret(newStorageKey());
    return account.keys[holds].value;
  }

  private validateCredentials(
    properties: JsonObject,
    credentials: JsonObject,
    secret?: string,
  ): void {
    const accountName = properties.accountName;
    const account = typeof accountName === 'string' ? this.account(accountName) : undefined;
    if (!account) return;
    const keys = this.keyValues(account.name) as Record<KeyName, string>;
    const credentialsType = credentials.credentialsType;
    if (credentialsType !== 'AccountKey' && credentialsType !== 'Sas') return;
    if (credentialsType === 'AccountKey' && !account.allowSharedKeyAccess) {
      throw userError(
        `Datastore validation failed: key based authentication is not permitted on storage account ` +
          `'${account.name}'.`,
      );
    }
    const valid =
      credentialsType === 'AccountKey'
        ? secret === keys.key1 || secret === keys.key2
        : sasSignedWith(account.name.toLowerCase(), secret ?? '', keys) !== undefined;
    if (!valid) {
      throw userError(
        `Datastore validation failed: unable to access storage account '${account.name}' with the ` +
          `given ${credentialsType === 'AccountKey' ? 'account key' : 'SAS token'}. Server failed to ` +
          'authenticate the request. Make sure the value of Authorization header is formed correctly ' +
          'including the signature.',
      );
    }
  }

  private datastoreConsumer(
    workspace: WorkspaceState,
    datastore: DatastoreState,
  ): Consumer | undefined {
    const credentials = asObject(datastore.properties.credentials);
    const accountName = datastore.properties.accountName;
    if (typeof accountName !== 'string') return undefined;
    const account = this.account(accountName);
    if (!account) return undefined;
    const credentialsType = credentials?.credentialsType;
    if (credentialsType !== 'AccountKey' && credentialsType !== 'Sas') return undefined;
    const holds = this.holds(account.name, datastore.secret);
    return {
      id: `datastore:${workspace.name}/${datastore.name}`,
      account: account.name,
      valid: holds !== 'stale',
    };
  }

  private finishResync(operation: ResyncOperation, now: number): void {
    operation.endedAt = now;
    const workspace = this.workspace(operation.workspace);
    const account = workspace && this.account(workspace.accountName);
    if (this.resync.fail || !workspace || !account) {
      operation.status = 'Failed';
      operation.error = this.resync.fail ?? {
        code: 'InternalServerError',
        message: 'The workspace or its storage account no longer exists.',
      };
      this.record(`resyncKeys ${operation.workspace} failed`);
      return;
    }
    const took = this.resync.takes === 'newest' ? newestKey(account) : this.resync.takes;
    const value = account.keys[took].value;
    operation.status = 'Succeeded';
    operation.took = took;
    workspace.userStorageKey = value;
    if (this.resync.updatesDefaultDatastores) {
      for (const datastore of workspace.datastores.values()) {
        const credentials = asObject(datastore.properties.credentials);
        const onWorkspaceAccount = sameName(String(datastore.properties.accountName), account.name);
        if (systemDatastoreNames.has(datastore.name.toLowerCase()) && onWorkspaceAccount) {
          if (credentials?.credentialsType === 'AccountKey') datastore.secret = value;
        }
      }
    }
    this.record(`resyncKeys ${workspace.name} completed: workspace holds ${took}`);
  }

  private record(event: string): void {
    this.timelineEntries.push({
      seq: this.nextSeq(),
      time: this.now(),
      event,
      invalid: this.invalidConsumers(),
    });
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function newestKey(account: AccountState): KeyName {
  const time = (keyName: KeyName) => account.keys[keyName].creationTime?.getTime() ?? -Infinity;
  return time('key2') > time('key1') ? 'key2' : 'key1';
}
