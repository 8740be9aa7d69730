import type { AzurePort, StorageAccount, Workspace } from './azure/port.js';
import { mapLimit } from './concurrency.js';
import { ADAPTERS, type AccountTarget } from './consumers/index.js';
import type { Inputs } from './inputs.js';
import {
  workspaceHolding,
  type Inventory,
  type KeyInfo,
  type Uninspected,
  type WorkspaceInventory,
} from './inventory.js';
import { refKey, sameResource } from './resource-id.js';
import { describeError } from './secrets.js';

interface FoundWorkspaces {
  /** The workspaces the run manages. */
  named: Workspace[];
  /** Every other workspace the login can list: observed, never written to. */
  others: Workspace[];
  uninspected: Uninspected[];
}

/**
 * Observes everything that depends on the account's keys, inside the named workspaces and in every
 * other workspace the login can see. Reads only; every key value it sees is already masked by the
 * port and is compared in memory.
 */
export async function discover(azure: AzurePort, inputs: Inputs): Promise<Inventory> {
  const accountName = inputs.storageAccount.name;
  const [account, listed] = await Promise.all([
    step(`Storage account '${accountName}'`, () => azure.getStorageAccount(inputs.storageAccount)),
    step(`Listing the keys of '${accountName}'`, () => azure.listKeys(inputs.storageAccount)),
  ]);
  if (listed.length !== 2) {
    throw new Error(
      `Storage account '${accountName}' returned ${listed.length} access keys instead of key1 and key2.`,
    );
  }
  const keys = withCreationTimes(listed, account);
  const found = await findWorkspaces(azure, inputs);
  const target: AccountTarget = { name: accountName, storageSuffix: inputs.cloud.storageSuffix };
  const inspect = (ws: Workspace, inScope: boolean) =>
    inspectWorkspace(azure, ws, inScope, account.id, target, keys, inputs.concurrency);

  const named = await mapLimit(found.named, inputs.concurrency, (ws) => inspect(ws, true));
  const uninspected = [...found.uninspected];
  const others = await mapLimit(found.others, inputs.concurrency, (ws) =>
    inspect(ws, false).catch((error: unknown) => {
      uninspected.push({ name: ws.ref.name, reason: reasonOf(error) });
      return undefined;
    }),
  );
  const usingAccount = others
    .filter((ws): ws is WorkspaceInventory => !!ws)
    .filter((ws) => ws.usesAccountAsDefault || ws.consumers.length > 0)
    .sort((a, b) => a.ref.name.localeCompare(b.ref.name));
  return {
    account: {
      ref: inputs.storageAccount,
      id: account.id,
      keyExpirationDays: account.keyExpirationDays,
      allowSharedKeyAccess: account.allowSharedKeyAccess,
    },
    keys,
    workspaces: [...named, ...usingAccount],
    uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
    observedAt: new Date(),
  };
}

/** listKeys gives each key's creation time; the account's keyCreationTime fills a missing one. */
function withCreationTimes(keys: KeyInfo[], account: StorageAccount): KeyInfo[] {
  return keys.map((k) => ({ ...k, createdOn: k.createdOn ?? account.keyCreationTime[k.name] }));
}

async function findWorkspaces(azure: AzurePort, inputs: Inputs): Promise<FoundWorkspaces> {
  const scope = inputs.workspaces;
  if (scope.kind === 'all' && !scope.resourceGroup) {
    const all = await step(`Listing the workspaces in subscription ${scope.subscriptionId}`, () =>
      azure.listWorkspaces(scope.subscriptionId),
    );
    return { named: all, others: [], uninspected: [] };
  }
  const named =
    scope.kind === 'all'
      ? await step(`Listing the workspaces in resource group '${scope.resourceGroup}'`, () =>
          azure.listWorkspaces(scope.subscriptionId, scope.resourceGroup),
        )
      : await mapLimit(scope.workspaces, inputs.concurrency, (ref) =>
          step(`Workspace '${ref.name}' in resource group '${ref.resourceGroup}'`, () =>
            azure.getWorkspace(ref),
          ),
        );
  const subscriptions = new Set([
    inputs.storageAccount.subscriptionId.toLowerCase(),
    ...named.map((ws) => ws.ref.subscriptionId.toLowerCase()),
  ]);
  const inScope = new Set(named.map((ws) => refKey(ws.ref)));
  const others: Workspace[] = [];
  const uninspected: Uninspected[] = [];
  for (const subscriptionId of subscriptions) {
    try {
      const all = await azure.listWorkspaces(subscriptionId);
      others.push(...all.filter((ws) => !inScope.has(refKey(ws.ref))));
    } catch (error) {
      uninspected.push({
        name: `the workspaces of subscription ${subscriptionId}`,
        reason: reasonOf(error),
      });
    }
  }
  return { named, others, uninspected };
}

async function inspectWorkspace(
  azure: AzurePort,
  workspace: Workspace,
  inScope: boolean,
  accountId: string,
  account: AccountTarget,
  keys: KeyInfo[],
  concurrency: number,
): Promise<WorkspaceInventory> {
  const ref = workspace.ref;
  const usesAccountAsDefault = sameResource(workspace.storageAccountId, accountId);
  const [ownKey, ...kinds] = await Promise.all([
    usesAccountAsDefault
      ? step(`Reading the storage key of workspace '${ref.name}'`, () =>
          azure.workspaceStorageKey(ref),
        )
      : undefined,
    ...ADAPTERS.map((adapter) =>
      step(`Listing the ${adapter.kind}s of workspace '${ref.name}'`, () =>
        adapter.discover(azure, ref, account, keys, concurrency),
      ),
    ),
  ]);
  const consumers = kinds
    .flatMap((k) => k.consumers)
    .map((c) => ({ ...c, inScope }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return {
    ref,
    id: workspace.id,
    inScope,
    usesAccountAsDefault,
    holds: workspaceHolding(ownKey, keys),
    consumers,
    otherConsumers: kinds.reduce((n, k) => n + k.others, 0),
  };
}

function reasonOf(error: unknown): string {
  return describeError(error instanceof DiscoveryError ? error.cause : error);
}

/** Prefixes a failed read with what was being read, so the one error says where discovery stopped. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new DiscoveryError(what, error);
  }
}

export class DiscoveryError extends Error {
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(what);
    this.name = 'DiscoveryError';
  }
}
