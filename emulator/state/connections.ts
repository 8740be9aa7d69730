import { ArmError } from '../arm-errors.js';
import type { SasVerdict } from '../sas/validate.js';
import type { ConnectionScenario } from '../scenario-types.js';
import { asObject, modifiedByCaller, systemData, type JsonObject } from './common.js';
import {
  canonicalAuthType,
  connectionAccount,
  connectionCredentials,
  connectionSasResource,
  primarySecret,
  requestProperties,
  secretValues,
  type ConnectionState,
} from './connection-rules.js';
import { connectionFromScenario } from './connection-seed.js';
import type { Consumer, WorldContext } from './context.js';
import type { AccountState, StorageAccounts } from './storage-accounts.js';
import type { WorkspaceState } from './workspaces.js';

export type { ConnectionState } from './connection-rules.js';

export interface ConnectionFilter {
  target?: string;
  category?: string;
}

/** Workspace connections (WorkspaceConnectionPropertiesV2) and the credentials each holds. */
export class Connections {
  /** Workspace name (lower case) → connection name (lower case) → connection. */
  private readonly byWorkspace = new Map<string, Map<string, ConnectionState>>();

  constructor(
    private readonly world: WorldContext,
    private readonly storage: StorageAccounts,
  ) {}

  addFromScenario(workspace: WorkspaceState, scenarios: ConnectionScenario[]): void {
    for (const scenario of scenarios)
      this.of(workspace.name).set(
        scenario.name.toLowerCase(),
        connectionFromScenario(this.world, this.storage, workspace, scenario),
      );
  }

  /** The `target` and `category` list filters: equality, ignoring case (and a target's trailing slash). */
  list(workspace: WorkspaceState, filter: ConnectionFilter = {}): ConnectionState[] {
    const normalise = (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase().replace(/\/+$/, '') : undefined;
    return [...this.of(workspace.name).values()].filter(
      (connection) =>
        (filter.target === undefined ||
          normalise(connection.properties.target) === normalise(filter.target)) &&
        (filter.category === undefined ||
          normalise(connection.properties.category) === normalise(filter.category)),
    );
  }

  get(workspaceName: string, name: string): ConnectionState | undefined {
    return this.byWorkspace.get(workspaceName.toLowerCase())?.get(name.toLowerCase());
  }

  require(workspace: WorkspaceState, name: string): ConnectionState {
    const connection = this.get(workspace.name, name);
    if (!connection) {
      throw new ArmError(
        404,
        'UserError',
        `ConnectionNotFound: connection ${name} does not exist in workspace ${workspace.name}.`,
      );
    }
    return connection;
  }

  /** WorkspaceConnections_Create: a full replace. */
  put(workspace: WorkspaceState, name: string, body: unknown): ConnectionState {
    const existing = this.get(workspace.name, name);
    this.failIfConfigured(existing);
    const { credentials, ...properties } = requestProperties(body);
    const authType = canonicalAuthType(properties.authType);
    const newCredentials = this.accept(authType, credentials, properties);
    const now = new Date(this.world.now()).toISOString();
    const connection: ConnectionState = existing ?? {
      id: `${workspace.id}/connections/${name}`,
      name,
      workspace: workspace.name,
      properties: {},
      systemData: systemData(now, now),
    };
    connection.properties = {
      ...properties,
      authType,
      createdByWorkspaceArmId: workspace.id,
    };
    this.store(connection, newCredentials, now);
    this.of(workspace.name).set(name.toLowerCase(), connection);
    this.recordWrite(connection, existing ? 'updated' : 'created');
    return connection;
  }

  /**
   * WorkspaceConnections_Update: the given properties replace the stored ones (metadata merges
   * key by key); credentials change only when given, or must be given when authType changes.
   */
  patch(workspace: WorkspaceState, name: string, body: unknown): ConnectionState {
    const connection = this.require(workspace, name);
    this.failIfConfigured(connection);
    const { credentials, ...properties } = requestProperties(body);
    const authType = canonicalAuthType(properties.authType);
    const sameAuthType = authType === connection.properties.authType;
    const newCredentials =
      credentials === undefined && sameAuthType
        ? connection.credentials
        : this.accept(authType, credentials, { ...connection.properties, ...properties });
    const metadata = asObject(properties.metadata);
    connection.properties = {
      ...connection.properties,
      ...properties,
      authType,
      ...(metadata
        ? { metadata: { ...asObject(connection.properties.metadata), ...metadata } }
        : {}),
    };
    this.store(connection, newCredentials, new Date(this.world.now()).toISOString());
    this.recordWrite(connection, 'updated');
    return connection;
  }

  delete(workspace: WorkspaceState, name: string): boolean {
    const connection = this.get(workspace.name, name);
    if (!connection) return false;
    this.of(workspace.name).delete(name.toLowerCase());
    this.world.record(`connection ${workspace.name}/${connection.name} deleted`, {
      removed: [consumerId(connection)],
    });
    return true;
  }

  /** The key, SAS token or other secret the connection holds. */
  secretOf(connection: ConnectionState): string | undefined {
    return primarySecret(String(connection.properties.authType), connection.credentials);
  }

  /** AccountKey and SAS connections on a known storage account. */
  consumers(workspace: WorkspaceState): Consumer[] {
    return this.list(workspace).flatMap((connection) => this.consumerOf(connection));
  }

  /** One connection as a consumer, if it is one (see consumers). */
  consumer(workspaceName: string, name: string): Consumer | undefined {
    const connection = this.get(workspaceName, name);
    return connection && this.consumerOf(connection)[0];
  }

  private consumerOf(connection: ConnectionState): Consumer[] {
    const account = this.keyConsumerAccount(connection);
    if (!account) return [];
    const id = consumerId(connection);
    if (connection.properties.authType !== 'SAS') {
      const valid = this.storage.authenticates(account.name, this.secretOf(connection));
      return [{ id, account: account.name, valid }];
    }
    const verdict = this.sasVerdict(connection);
    return [
      { id, account: account.name, valid: verdict?.valid ?? false, changesAt: verdict?.changesAt },
    ];
  }

  snapshot(workspace: WorkspaceState): unknown[] {
    return this.list(workspace).map((connection) => {
      const account = this.keyConsumerAccount(connection);
      const secret = this.secretOf(connection);
      const sas = this.sasVerdict(connection);
      return {
        name: connection.name,
        holds: account ? this.storage.holds(account.name, secret) : undefined,
        ...(sas ? { sas } : {}),
        secret,
        properties: connection.properties,
      };
    });
  }

  /** For a SAS connection on a scenario account: what the service makes of its token. */
  sasVerdict(connection: ConnectionState): SasVerdict | undefined {
    const account = this.keyConsumerAccount(connection);
    if (!account || connection.properties.authType !== 'SAS') return undefined;
    const resource = connectionSasResource(connection.properties);
    return this.storage.checkSas(account.name, this.secretOf(connection), resource);
  }

  private keyConsumerAccount(connection: ConnectionState): AccountState | undefined {
    const authType = connection.properties.authType;
    if (authType !== 'AccountKey' && authType !== 'SAS') return undefined;
    return connectionAccount(this.storage, connection.properties);
  }

  private failIfConfigured(connection: ConnectionState | undefined): void {
    if (!connection?.failUpdate) return;
    const { status, code, message } = connection.failUpdate;
    throw new ArmError(status, code, message);
  }

  private accept(
    authType: string,
    credentials: unknown,
    properties: JsonObject,
  ): JsonObject | undefined {
    const accepted = connectionCredentials(authType, credentials);
    for (const value of secretValues(accepted)) this.world.secret(value);
    const token = primarySecret(authType, accepted);
    if (authType === 'SAS' && token !== undefined) {
      this.storage.rememberSasSecrets(token);
      this.storage.rememberSasResource(token, connectionSasResource(properties));
    }
    return accepted;
  }

  /** Stores new credentials, unless the scenario makes this connection lose its writes. */
  private store(
    connection: ConnectionState,
    credentials: JsonObject | undefined,
    now: string,
  ): void {
    if (!connection.loseUpdate) connection.credentials = credentials;
    connection.systemData = modifiedByCaller(connection.systemData, now);
  }

  private recordWrite(connection: ConnectionState, what: 'created' | 'updated'): void {
    const lost = connection.loseUpdate ? ' (credentials not stored)' : '';
    this.world.record(`connection ${connection.workspace}/${connection.name} ${what}${lost}`, {
      consumers: this.consumerOf(connection),
    });
  }

  private of(workspaceName: string): Map<string, ConnectionState> {
    const key = workspaceName.toLowerCase();
    let connections = this.byWorkspace.get(key);
    if (!connections) {
      connections = new Map();
      this.byWorkspace.set(key, connections);
    }
    return connections;
  }
}

const consumerId = (connection: ConnectionState) =>
  `connection:${connection.workspace}/${connection.name}`;
