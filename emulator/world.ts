import { resourceGroupNotFound } from './arm-errors.js';
import type { Holds, Scenario } from './scenario-types.js';
import { DueTimes } from './due-times.js';
import { KeyVaults } from './keyvault/state.js';
import { StorageLogs } from './logs/state.js';
import type { SasVerdict } from './sas/validate.js';
import { Connections } from './state/connections.js';
import type { Consumer, Touched, WorldContext } from './state/context.js';
import { Datastores } from './state/datastores.js';
import { StorageAccounts } from './state/storage-accounts.js';
import { Workspaces, type WorkspaceState } from './state/workspaces.js';
import { WebApps } from './web/state.js';

export interface TimelineEntry {
  seq: number;
  time: number;
  event: string;
  /** Consumers whose copy of a key is invalid right after the event. */
  invalid: string[];
}

export interface WorldOptions {
  /** Shared with the request log so timeline entries and requests order together. */
  nextSeq: () => number;
  now?: () => number;
}

/**
 * The emulated Azure world: resource groups, the resource modules, one timeline of which consumer
 * is valid when, and every secret ever handed out.
 */
export class World implements WorldContext {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly location: string;
  readonly pageSize: number;
  readonly storage: StorageAccounts;
  readonly workspaces: Workspaces;
  readonly datastores: Datastores;
  readonly connections: Connections;
  readonly keyVaults: KeyVaults;
  readonly webApps: WebApps;
  /** Diagnostic settings and outside callers: what the key-usage query is answered from. */
  readonly storageLogs: StorageLogs;
  readonly now: () => number;
  private readonly nextSeq: () => number;
  private readonly resourceGroups = new Map<string, string>();
  private readonly everSecret = new Set<string>();
  private readonly timelineEntries: TimelineEntry[] = [];
  /** Each consumer's validity as of the last event, by id, so an event costs what it touched. */
  private readonly validity = new Map<string, boolean>();
  /** The invalid ids as of the last event; entries share it until it changes (never modified). */
  private invalidNow: string[] = [];
  /** Consumers whose validity changes by the clock alone, by when: re-checked once that passes. */
  private readonly dueTimes = new DueTimes();

  constructor(scenario: Scenario, options: WorldOptions) {
    this.subscriptionId = scenario.subscriptionId;
    this.tenantId = scenario.tenantId;
    this.location = scenario.location ?? 'westeurope';
    this.pageSize = Math.max(1, scenario.pageSize ?? 30);
    this.now = options.now ?? Date.now;
    this.nextSeq = options.nextSeq;
    this.storage = new StorageAccounts(this);
    this.storageLogs = new StorageLogs(this.storage);
    this.datastores = new Datastores(this, this.storage);
    this.connections = new Connections(this, this.storage);
    this.keyVaults = new KeyVaults(this, this.storage);
    this.webApps = new WebApps(this.keyVaults);
    this.workspaces = new Workspaces(this, this.storage, scenario.resync, (ws, account, value) => {
      if (this.workspaces.resync.updatesDefaultDatastores)
        this.datastores.takeResyncedKey(ws, account, value);
    });
    for (const account of scenario.storageAccounts) {
      const subscriptionId = account.subscriptionId ?? this.subscriptionId;
      const resourceGroup = this.addResourceGroup(account.resourceGroup, subscriptionId);
      this.storage.add(account, { subscriptionId, resourceGroup }, this.location);
      this.storageLogs.add(account);
    }
    for (const scenarioWorkspace of scenario.workspaces) {
      const subscriptionId = scenarioWorkspace.subscriptionId ?? this.subscriptionId;
      const resourceGroup = this.addResourceGroup(scenarioWorkspace.resourceGroup, subscriptionId);
      const workspace = this.workspaces.add(
        scenarioWorkspace,
        { subscriptionId, resourceGroup },
        this.location,
      );
      this.datastores.addFromScenario(workspace, scenarioWorkspace.datastores ?? []);
      this.connections.addFromScenario(workspace, scenarioWorkspace.connections ?? []);
    }
    for (const vault of scenario.keyVaults ?? []) {
      const subscriptionId = vault.subscriptionId ?? this.subscriptionId;
      const resourceGroup = this.addResourceGroup(vault.resourceGroup, subscriptionId);
      this.keyVaults.add(vault, { subscriptionId, resourceGroup }, this.location);
    }
    for (const app of scenario.webApps ?? []) {
      const subscriptionId = app.subscriptionId ?? this.subscriptionId;
      const resourceGroup = this.addResourceGroup(app.resourceGroup, subscriptionId);
      this.webApps.add(app, { subscriptionId, resourceGroup });
    }
    this.record('initial');
  }

  /** Where the scenario's resources live: ARM names them in some errors. */
  locations(): string[] {
    const all = [
      this.location,
      ...this.storage.list().map((account) => account.location),
      ...this.workspaces.list().map((workspace) => workspace.location),
    ];
    return [...new Set(all.map((location) => location.toLowerCase()))].sort();
  }

  requireResourceGroup(resourceGroup: string, subscriptionId = this.subscriptionId): string {
    const name = this.resourceGroups.get(groupKey(subscriptionId, resourceGroup));
    if (!name) throw resourceGroupNotFound(resourceGroup);
    return name;
  }

  /** The scenario's subscription, or one of its resources' others. */
  hasSubscription(subscriptionId: string): boolean {
    return [...this.resourceGroups.keys(), `${this.subscriptionId.toLowerCase()}/`].some((key) =>
      key.startsWith(`${subscriptionId.toLowerCase()}/`),
    );
  }

  /** Which current key of the account a value (key or SAS token) matches. */
  holds(accountName: string, value: string | undefined): Holds {
    return this.storage.holds(accountName, value);
  }

  secret(value: string): string {
    this.everSecret.add(value);
    return value;
  }

  secrets(): string[] {
    return [...this.everSecret];
  }

  record(event: string, touched?: Touched): void {
    this.recheck(touched);
    this.timelineEntries.push({
      seq: this.nextSeq(),
      time: this.now(),
      event,
      invalid: this.invalidNow,
    });
  }

  private recheck(touched: Touched | undefined): void {
    let changed = false;
    const set = (consumer: Consumer) => {
      this.dueTimes.set(consumer.id, consumer.changesAt);
      if (this.validity.get(consumer.id) === consumer.valid) return;
      this.validity.set(consumer.id, consumer.valid);
      changed = true;
    };
    for (const id of this.dueTimes.takeDue(this.now())) {
      const consumer = this.consumer(id);
      if (consumer) set(consumer);
    }
    if (!touched) {
      this.validity.clear();
      for (const consumer of this.consumers()) {
        this.validity.set(consumer.id, consumer.valid);
        this.dueTimes.set(consumer.id, consumer.changesAt);
      }
      changed = true;
    } else if ('consumers' in touched) {
      touched.consumers.forEach(set);
    } else if ('removed' in touched) {
      for (const id of touched.removed) {
        this.dueTimes.set(id, undefined);
        changed = this.validity.delete(id) || changed;
      }
    } else {
      const workspace = this.workspaces.get(touched.workspace);
      if (workspace) this.consumersOf(workspace).forEach(set);
    }
    if (changed) {
      this.invalidNow = [...this.validity].filter(([, valid]) => !valid).map(([id]) => id);
    }
  }

  /** One datastore or connection consumer by id (`datastore:<workspace>/<name>`, `connection:…`). */
  private consumer(id: string): Consumer | undefined {
    const named = parseConsumerId(id);
    if (!named) return undefined;
    return named.kind === 'datastore'
      ? this.datastores.consumer(named.workspace, named.name)
      : this.connections.consumer(named.workspace, named.name);
  }

  /** What the storage service makes of a SAS consumer's token; undefined if it holds none. */
  sasVerdict(id: string): SasVerdict | undefined {
    const named = parseConsumerId(id);
    if (named?.kind === 'datastore') {
      const datastore = this.datastores.get(named.workspace, named.name);
      return datastore && this.datastores.isSas(datastore)
        ? this.datastores.sasVerdict(datastore)
        : undefined;
    }
    const connection = named && this.connections.get(named.workspace, named.name);
    return connection && this.connections.sasVerdict(connection);
  }

  /** Every consumer, workspace by workspace (its own key copy first), then Key Vault secrets. */
  consumers(): Consumer[] {
    return [
      ...this.workspaces.list().flatMap((workspace) => this.consumersOf(workspace)),
      ...this.keyVaults.consumers(),
    ];
  }

  private consumersOf(workspace: WorkspaceState): Consumer[] {
    const own = this.workspaces.consumer(workspace);
    return [
      ...(own ? [own] : []),
      ...this.datastores.consumers(workspace),
      ...this.connections.consumers(workspace),
    ];
  }

  invalidConsumers(): string[] {
    return this.consumers()
      .filter((consumer) => !consumer.valid)
      .map((consumer) => consumer.id);
  }

  timeline(): TimelineEntry[] {
    return this.timelineEntries.map((entry) => ({ ...entry, invalid: [...entry.invalid] }));
  }

  /** Everything, secrets included, for the dev-only /_emulator/state endpoint. */
  snapshot(): unknown {
    return {
      subscriptionId: this.subscriptionId,
      tenantId: this.tenantId,
      storageAccounts: this.storage.snapshot(),
      workspaces: this.workspaces.list().map((workspace) => ({
        id: workspace.id,
        storageAccount: workspace.accountName,
        holds: this.workspaces.holds(workspace),
        userStorageKey: workspace.userStorageKey,
        datastores: this.datastores.snapshot(workspace),
        connections: this.connections.snapshot(workspace),
      })),
      consumers: this.consumers(),
      keyVaults: this.keyVaults.snapshot(),
      resyncOperations: this.workspaces.resyncOperations(),
      timeline: this.timelineEntries,
    };
  }

  private addResourceGroup(name: string, subscriptionId: string): string {
    const key = groupKey(subscriptionId, name);
    const existing = this.resourceGroups.get(key);
    if (existing) return existing;
    this.resourceGroups.set(key, name);
    return name;
  }
}

const groupKey = (subscriptionId: string, resourceGroup: string) =>
  `${subscriptionId.toLowerCase()}/${resourceGroup.toLowerCase()}`;

function parseConsumerId(
  id: string,
): { kind: 'datastore' | 'connection'; workspace: string; name: string } | undefined {
  const match = /^(datastore|connection):([^/]+)\/(.+)$/.exec(id);
  if (!match) return undefined;
  const [, kind, workspace, name] = match as unknown as [
    string,
    'datastore' | 'connection',
    string,
    string,
  ];
  return { kind, workspace, name };
}
