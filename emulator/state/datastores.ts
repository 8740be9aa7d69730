import { randomUUID } from 'node:crypto';
import { ArmError, userError } from '../arm-errors.js';
import { sasSignedWith } from '../sas.js';
import type { DatastoreScenario, Holds, KeyName, PutFailure } from '../scenario.js';
import { newCertificateSecret, newClientSecret } from '../secrets.js';
import type { Consumer, WorldContext } from '../world.js';
import {
  asObject,
  DAY_MS,
  modifiedByCaller,
  requireObject,
  sameName,
  systemData,
  type JsonObject,
  type SystemData,
} from './common.js';
import {
  expandCopies,
  extractSecret,
  requireTypeFields,
  typeDefaults,
  withoutSecrets,
} from './datastore-rules.js';
import type { AccountState, StorageAccounts } from './storage-accounts.js';
import type { WorkspaceState } from './workspaces.js';

/** Datastores a workspace creates for itself on its default storage account. */
const systemDatastoreNames = new Set([
  'workspaceblobstore',
  'workspacefilestore',
  'workspaceartifactstore',
  'workspaceworkingdirectory',
]);

export interface DatastoreState {
  id: string;
  name: string;
  workspace: string;
  /** As stored by the service: what the last PUT sent, credentials without secrets. */
  properties: Record<string, unknown>;
  secret?: string;
  failPut?: PutFailure;
  /** PUTs answer 200 but keep the old secret. */
  loseUpdate?: boolean;
  systemData: SystemData;
}

const consumerId = (workspace: WorkspaceState, datastore: DatastoreState) =>
  `datastore:${workspace.name}/${datastore.name}`;

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
      datastores.set(scenario.name.toLowerCase(), this.fromScenario(workspace, scenario));
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
    if (secret !== undefined) this.world.secret(secret);
    if (!skipValidation) this.validateCredentials(properties, credentials, secret);

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
      { consumers: this.consumersOf(workspace, [datastore]) },
    );
    return { created: !existing, datastore };
  }

  delete(workspace: WorkspaceState, name: string): boolean {
    const datastore = this.get(workspace.name, name);
    if (!datastore) return false;
    this.of(workspace.name).delete(name.toLowerCase());
    this.listed.delete(workspace.name.toLowerCase());
    this.world.record(`datastore ${workspace.name}/${datastore.name} deleted`, {
      removed: [consumerId(workspace, datastore)],
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

  /** AccountKey and Sas datastores on a known storage account. */
  consumers(workspace: WorkspaceState): Consumer[] {
    return this.consumersOf(workspace, this.list(workspace));
  }

  private consumersOf(
    workspace: WorkspaceState,
    datastores: readonly DatastoreState[],
  ): Consumer[] {
    const result: Consumer[] = [];
    for (const datastore of datastores) {
      const accountName = datastore.properties.accountName;
      if (typeof accountName !== 'string') continue;
      const account = this.storage.get(accountName);
      if (!account) continue;
      const credentialsType = asObject(datastore.properties.credentials)?.credentialsType;
      if (credentialsType !== 'AccountKey' && credentialsType !== 'Sas') continue;
      result.push({
        id: consumerId(workspace, datastore),
        account: account.name,
        valid: this.storage.authenticates(account.name, datastore.secret),
      });
    }
    return result;
  }

  snapshot(workspace: WorkspaceState): unknown[] {
    return this.list(workspace).map((datastore) => ({
      name: datastore.name,
      holds:
        typeof datastore.properties.accountName === 'string'
          ? this.storage.holds(datastore.properties.accountName, datastore.secret)
          : undefined,
      secret: datastore.secret,
      properties: datastore.properties,
    }));
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

  private fromScenario(workspace: WorkspaceState, scenario: DatastoreScenario): DatastoreState {
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
      loseUpdate,
      ...passThrough
    } = scenario;
    delete passThrough.copies;
    const created = new Date(this.world.now() - (createdDaysAgo ?? 200) * DAY_MS).toISOString();
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
      loseUpdate,
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
        return { credentials, secret: this.storage.valueHeld(accountName, holds ?? 'key1') };
      case 'Sas':
        return { credentials, secret: this.storage.sasHeld(accountName, signedWith ?? 'key1') };
      case 'ServicePrincipal':
      case 'Certificate':
        Object.assign(credentials, {
          authorityUrl: 'https://login.microsoftonline.com',
          clientId: randomUUID(),
          resourceUrl: 'https://storage.azure.com/',
          tenantId: this.world.tenantId,
          ...(credentialsType === 'Certificate'
            ? { thumbprint: randomUUID().replace(/-/g, '') }
            : {}),
        });
        return {
          credentials,
          secret: this.world.secret(
            credentialsType === 'Certificate' ? newCertificateSecret() : newClientSecret(),
          ),
        };
      default:
        return { credentials };
    }
  }

  private validateCredentials(
    properties: JsonObject,
    credentials: JsonObject,
    secret?: string,
  ): void {
    const accountName = properties.accountName;
    const account = typeof accountName === 'string' ? this.storage.get(accountName) : undefined;
    if (!account) return;
    const keys = this.storage.keyValues(account.name) as Record<KeyName, string>;
    const credentialsType = credentials.credentialsType;
    if (credentialsType !== 'AccountKey' && credentialsType !== 'Sas') return;
    if (!account.allowSharedKeyAccess) {
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
}
