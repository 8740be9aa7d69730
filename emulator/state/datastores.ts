import { ArmError, userError } from '../arm-errors.js';
import { datastoreSasResource, type SasResource } from '../sas/resource.js';
import type { SasVerdict } from '../sas/validate.js';
import type { DatastoreScenario, KeyName } from '../scenario-types.js';
import {
  asObject,
  modifiedByCaller,
  requireObject,
  sameName,
  systemData,
  type JsonObject,
} from './common.js';
import type { Consumer, WorldContext } from './context.js';
import {
  expandCopies,
  extractSecret,
  requireTypeFields,
  withoutSecrets,
  type DatastoreState,
} from './datastore-rules.js';
import { datastoreFromScenario } from './datastore-seed.js';
import type { AccountState, StorageAccounts } from './storage-accounts.js';
import type { WorkspaceState } from './workspaces.js';

export type { DatastoreState } from './datastore-rules.js';

/** Datastores a workspace creates for itself on its default storage account. */
const systemDatastoreNames = new Set([
  'workspaceblobstore',
  'workspacefilestore',
  'workspaceartifactstore',
  'workspaceworkingdirectory',
]);

const consumerId = (datastore: DatastoreState) =>
  `datastore:${datastore.workspace}/${datastore.name}`;

export interface PutDatastoreResult {
  created: boolean;
  datastore: DatastoreState;
}

/** Datastore registrations per workspace, with the secret each holds. */
export class Datastores {
  /** Workspace name (lower case) → datastore name (lower case) → datastore. */
  private readonly byWorkspace = new Map<string, Map<string, DatastoreState>>();
  /** Each workspace's datastores in list order, kept until one is added or deleted. */
  private readonly listed = new Map<string, readonly DatastoreState[]>();

  constructor(
    private readonly world: WorldContext,
    private readonly storage: StorageAccounts,
  ) {}

  addFromScenario(workspace: WorkspaceState, scenarios: DatastoreScenario[]): void {
    const datastores = this.of(workspace.name);
    for (const scenario of expandCopies(scenarios))
      datastores.set(
        scenario.name.toLowerCase(),
        datastoreFromScenario(this.world, this.storage, workspace, scenario),
      );
    this.listed.delete(workspace.name.toLowerCase());
  }

  /** In creation order; the same array until a datastore is added or deleted (do not modify it). */
  list(workspace: WorkspaceState): readonly DatastoreState[] {
    const key = workspace.name.toLowerCase();
    let datastores = this.listed.get(key);
    if (!datastores) {
      datastores = [...this.of(workspace.name).values()];
      this.listed.set(key, datastores);
    }
    return datastores;
  }

  get(workspaceName: string, name: string): DatastoreState | undefined {
    return this.byWorkspace.get(workspaceName.toLowerCase())?.get(name.toLowerCase());
  }

  require(workspace: WorkspaceState, name: string): DatastoreState {
    const datastore = this.get(workspace.name, name);
    if (!datastore) {
      throw new ArmError(
        404,
        'UserError',
        `DatastoreNotFound: ${name} does not exist in workspace ${workspace.name}.`,
      );
    }
    return datastore;
  }

  put(
    workspace: WorkspaceState,
    name: string,
    body: unknown,
    skipValidation: boolean,
  ): PutDatastoreResult {
    const existing = this.get(workspace.name, name);
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
    const resource = datastoreSasResource(properties, existing?.sasPath);
    if (secret !== undefined && credentials.credentialsType === 'Sas') {
      this.storage.rememberSasSecrets(secret);
      this.storage.rememberSasResource(secret, resource);
    } else if (secret !== undefined) this.world.secret(secret);
    if (!skipValidation) this.validateCredentials(properties, credentials, resource, secret);

    const now = new Date(this.world.now()).toISOString();
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
    if (!datastore.loseUpdate) datastore.secret = secret;
    datastore.systemData = modifiedByCaller(datastore.systemData, now);
    if (!existing) {
      this.of(workspace.name).set(name.toLowerCase(), datastore);
      this.listed.delete(workspace.name.toLowerCase());
    }
    const lost = datastore.loseUpdate ? ' (secret not stored)' : '';
    this.world.record(
      `datastore ${workspace.name}/${datastore.name} ${existing ? 'updated' : 'created'}${lost}`,
      { consumers: this.consumersOf([datastore]) },
    );
    return { created: !existing, datastore };
  }

  delete(workspace: WorkspaceState, name: string): boolean {
    const datastore = this.get(workspace.name, name);
    if (!datastore) return false;
    this.of(workspace.name).delete(name.toLowerCase());
    this.listed.delete(workspace.name.toLowerCase());
    this.world.record(`datastore ${workspace.name}/${datastore.name} deleted`, {
      removed: [consumerId(datastore)],
    });
    return true;
  }

  /** A completed resync may rewrite the workspace's own AccountKey datastores with the new key. */
  takeResyncedKey(workspace: WorkspaceState, account: AccountState, value: string): void {
    for (const datastore of this.list(workspace)) {
      const credentials = asObject(datastore.properties.credentials);
      const onWorkspaceAccount = sameName(String(datastore.properties.accountName), account.name);
      if (systemDatastoreNames.has(datastore.name.toLowerCase()) && onWorkspaceAccount) {
        if (credentials?.credentialsType === 'AccountKey') datastore.secret = value;
      }
    }
  }

  /** One datastore as a consumer, if it is one (see consumers). */
  consumer(workspaceName: string, name: string): Consumer | undefined {
    const datastore = this.get(workspaceName, name);
    return datastore && this.consumerOf(datastore);
  }

  /** AccountKey and Sas datastores on a known storage account. */
  consumers(workspace: WorkspaceState): Consumer[] {
    return this.consumersOf(this.list(workspace));
  }

  private consumersOf(datastores: readonly DatastoreState[]): Consumer[] {
    const result: Consumer[] = [];
    for (const datastore of datastores) {
      const consumer = this.consumerOf(datastore);
      if (consumer) result.push(consumer);
    }
    return result;
  }

  private consumerOf(datastore: DatastoreState): Consumer | undefined {
    const accountName = datastore.properties.accountName;
    if (typeof accountName !== 'string') return undefined;
    const account = this.storage.get(accountName);
    if (!account) return undefined;
    const credentialsType = asObject(datastore.properties.credentials)?.credentialsType;
    const id = consumerId(datastore);
    if (credentialsType === 'AccountKey') {
      const valid = this.storage.authenticates(account.name, datastore.secret);
      return { id, account: account.name, valid };
    }
    if (credentialsType !== 'Sas') return undefined;
    const verdict = this.storage.checkSas(account.name, datastore.secret, sasResourceOf(datastore));
    return { id, account: account.name, valid: verdict.valid, changesAt: verdict.changesAt };
  }

  snapshot(workspace: WorkspaceState): unknown[] {
    return this.list(workspace).map((datastore) => ({
      name: datastore.name,
      holds:
        typeof datastore.properties.accountName === 'string'
          ? this.storage.holds(datastore.properties.accountName, datastore.secret)
          : undefined,
      ...(this.isSas(datastore) ? { sas: this.sasVerdict(datastore) } : {}),
      secret: datastore.secret,
      properties: datastore.properties,
    }));
  }

  /** Whether the datastore's SAS token lets it in, who signed it, and why not. */
  sasVerdict(datastore: DatastoreState): SasVerdict {
    const accountName = datastore.properties.accountName;
    if (typeof accountName !== 'string')
      return { valid: false, reason: 'the datastore names no storage account' };
    return this.storage.checkSas(accountName, datastore.secret, sasResourceOf(datastore));
  }

  isSas(datastore: DatastoreState): boolean {
    return asObject(datastore.properties.credentials)?.credentialsType === 'Sas';
  }

  private of(workspaceName: string): Map<string, DatastoreState> {
    const key = workspaceName.toLowerCase();
    let datastores = this.byWorkspace.get(key);
    if (!datastores) {
      datastores = new Map();
      this.byWorkspace.set(key, datastores);
    }
    return datastores;
  }

  private validateCredentials(
    properties: JsonObject,
    credentials: JsonObject,
    resource: SasResource,
    secret?: string,
  ): void {
    const accountName = properties.accountName;
    const account = typeof accountName === 'string' ? this.storage.get(accountName) : undefined;
    if (!account) return;
    const credentialsType = credentials.credentialsType;
    if (credentialsType === 'Sas') {
      const verdict = this.storage.checkSas(account.name, secret, resource);
      if (!verdict.valid) throw validationFailed(account.name, 'SAS token', verdict.reason);
      return;
    }
    if (credentialsType !== 'AccountKey') return;
    if (!account.allowSharedKeyAccess) {
      throw userError(
        `Datastore validation failed: key based authentication is not permitted on storage account ` +
          `'${account.name}'.`,
      );
    }
    const keys = this.storage.keyValues(account.name) as Record<KeyName, string>;
    if (secret !== keys.key1 && secret !== keys.key2)
      throw validationFailed(account.name, 'account key');
  }
}

function validationFailed(account: string, what: string, detail?: string): ArmError {
  return userError(
    `Datastore validation failed: unable to access storage account '${account}' with the ` +
      `given ${what}. Server failed to authenticate the request. Make sure the value of ` +
      'Authorization header is formed correctly including the signature.' +
      (detail ? ` (${detail})` : ''),
  );
}

/** The resource a datastore's requests go to: its container or share, and a scenario's path. */
function sasResourceOf(datastore: DatastoreState): SasResource {
  return datastoreSasResource(datastore.properties, datastore.sasPath);
}
