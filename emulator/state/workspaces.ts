import { randomUUID } from 'node:crypto';
import { resourceNotFound } from '../arm-errors.js';
import type { Holds, KeyName, ResyncScenario, WorkspaceScenario } from '../scenario-types.js';
import { newClientSecret, newStorageKey } from '../secrets.js';
import type { Consumer, WorldContext } from './context.js';
import { DAY_MS, sameName } from './common.js';
import type { AccountState, StorageAccounts } from './storage-accounts.js';

export const workspaceType = 'Microsoft.MachineLearningServices/workspaces';

export interface WorkspaceState {
  id: string;
  subscriptionId: string;
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

export type ResyncSettings = Required<Omit<ResyncScenario, 'fail'>> & Pick<ResyncScenario, 'fail'>;

/** Called when a resync completes: the workspace now holds `value` of its account's keys. */
export type OnResynced = (workspace: WorkspaceState, account: AccountState, value: string) => void;

/** Workspaces, the copy of the storage key each holds, and resyncKeys as a long-running operation. */
export class Workspaces {
  readonly resync: ResyncSettings;
  private readonly workspaces = new Map<string, WorkspaceState>();
  private readonly operations = new Map<string, ResyncOperation>();

  constructor(
    private readonly world: WorldContext,
    private readonly storage: StorageAccounts,
    resync: ResyncScenario | undefined,
    private readonly onResynced: OnResynced,
  ) {
    this.resync = {
      takes: resync?.takes ?? 'key1',
      durationMs: resync?.durationMs ?? 1500,
      updatesDefaultDatastores: resync?.updatesDefaultDatastores ?? false,
      pollingHeaders: resync?.pollingHeaders ?? 'location+async',
      retryAfterSeconds: resync?.retryAfterSeconds ?? 0,
      fail: resync?.fail,
    };
  }

  add(
    scenario: WorkspaceScenario,
    { subscriptionId, resourceGroup }: { subscriptionId: string; resourceGroup: string },
    defaultLocation: string,
  ): WorkspaceState {
    const account = this.storage.get(scenario.storageAccount) as AccountState;
    const workspace: WorkspaceState = {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${workspaceType}/${scenario.name}`,
      subscriptionId,
      resourceGroup,
      name: scenario.name,
      location: scenario.location ?? account.location ?? defaultLocation,
      accountName: account.name,
      userStorageKey: this.storage.valueHeld(account.name, scenario.holds ?? 'key1'),
      workspaceId: randomUUID(),
      principalId: randomUUID(),
      storageAccountId: scenario.storageAccountId ?? account.id,
      extraProperties: scenario.properties ?? {},
      createdAt: new Date(this.world.now() - 400 * DAY_MS),
      otherKeys: {
        appInsightsInstrumentationKey: randomUUID(),
        registryPasswords: [
          this.world.secret(newClientSecret()),
          this.world.secret(newClientSecret()),
        ],
        notebookKeys: [this.world.secret(newStorageKey()), this.world.secret(newStorageKey())],
      },
    };
    this.workspaces.set(scenario.name.toLowerCase(), workspace);
    return workspace;
  }

  get(name: string): WorkspaceState | undefined {
    return this.workspaces.get(name.toLowerCase());
  }

  require(
    resourceGroup: string,
    name: string,
    subscriptionId = this.world.subscriptionId,
  ): WorkspaceState {
    this.world.requireResourceGroup(resourceGroup, subscriptionId);
    const workspace = this.get(name);
    if (
      !workspace ||
      !sameName(workspace.resourceGroup, resourceGroup) ||
      !sameName(workspace.subscriptionId, subscriptionId)
    )
      throw resourceNotFound(workspaceType, name, resourceGroup);
    return workspace;
  }

  /** Every workspace; with a subscription, those in it (and in the resource group, if given). */
  list(resourceGroup?: string, subscriptionId?: string): WorkspaceState[] {
    const all = [...this.workspaces.values()];
    const inSubscription = subscriptionId
      ? all.filter((workspace) => sameName(workspace.subscriptionId, subscriptionId))
      : all;
    if (resourceGroup === undefined) return inSubscription;
    this.world.requireResourceGroup(resourceGroup, subscriptionId);
    return inSubscription.filter((workspace) => sameName(workspace.resourceGroup, resourceGroup));
  }

  holds(workspace: WorkspaceState): Holds {
    return this.storage.holds(workspace.accountName, workspace.userStorageKey);
  }

  /** The workspace's own copy of its default storage key, as a consumer of that account. */
  consumer(workspace: WorkspaceState): Consumer | undefined {
    const keys = this.storage.keyValues(workspace.accountName);
    if (!keys) return undefined;
    const held = workspace.userStorageKey === keys.key1 || workspace.userStorageKey === keys.key2;
    const valid =
      held && this.storage.authenticates(workspace.accountName, workspace.userStorageKey);
    return { id: `workspace:${workspace.name}`, account: workspace.accountName, valid };
  }

  startResync(workspace: WorkspaceState): ResyncOperation {
    const startedAt = this.world.now();
    const operation: ResyncOperation = {
      id: randomUUID(),
      workspace: workspace.name,
      location: workspace.location,
      startedAt,
      completesAt: startedAt + this.resync.durationMs,
      status: 'InProgress',
    };
    this.operations.set(operation.id, operation);
    this.world.record(`resyncKeys ${workspace.name} accepted`, { consumers: [] });
    return operation;
  }

  /** Finishes every resync whose duration has elapsed; returns the time of the next one due. */
  completeDueResyncs(): number | undefined {
    const now = this.world.now();
    let nextDue: number | undefined;
    for (const operation of this.operations.values()) {
      if (operation.status !== 'InProgress') continue;
      if (operation.completesAt <= now) this.finishResync(operation, now);
      else nextDue = Math.min(nextDue ?? Infinity, operation.completesAt);
    }
    return nextDue;
  }

  operation(id: string): ResyncOperation | undefined {
    return this.operations.get(id.toLowerCase());
  }

  resyncOperations(): ResyncOperation[] {
    return [...this.operations.values()];
  }

  private finishResync(operation: ResyncOperation, now: number): void {
    operation.endedAt = now;
    const workspace = this.get(operation.workspace);
    const account = workspace && this.storage.get(workspace.accountName);
    if (this.resync.fail || !workspace || !account) {
      operation.status = 'Failed';
      operation.error = this.resync.fail ?? {
        code: 'InternalServerError',
        message: 'The workspace or its storage account no longer exists.',
      };
      this.world.record(`resyncKeys ${operation.workspace} failed`, { consumers: [] });
      return;
    }
    if (this.resync.takes === 'unchanged') {
      operation.status = 'Succeeded';
      this.world.record(`resyncKeys ${workspace.name} completed: workspace copy unchanged`, {
        workspace: workspace.name,
      });
      return;
    }
    const took =
      this.resync.takes === 'newest'
        ? newestKey(account)
        : this.resync.takes === 'oldest'
          ? newestKey(account) === 'key1'
            ? 'key2'
            : 'key1'
          : this.resync.takes;
    const value = account.keys[took].value;
    operation.status = 'Succeeded';
    operation.took = took;
    workspace.userStorageKey = value;
    this.onResynced(workspace, account, value);
    this.world.record(`resyncKeys ${workspace.name} completed: workspace holds ${took}`, {
      workspace: workspace.name,
    });
  }
}

function newestKey(account: AccountState): KeyName {
  const time = (keyName: KeyName) => account.keys[keyName].creationTime?.getTime() ?? -Infinity;
  return time('key2') > time('key1') ? 'key2' : 'key1';
}
