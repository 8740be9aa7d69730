import type { AzurePort, StorageAccount, Workspace } from '../azure/port.js';
import { Limiter, started } from '../util/concurrency.js';
import { ADAPTERS, type DiscoveryContext } from '../consumers/index.js';
import { discoverVault, resolveVaults } from '../consumers/key-vault/index.js';
import type { Inputs } from '../inputs/inputs.js';
import {
  workspaceHolding,
  type Inventory,
  type KeyInfo,
  type Uninspected,
  type WorkspaceInventory,
} from './inventory.js';
import { refKey, sameResource } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';

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
 *
 * Nothing waits for more than it needs: the account, its keys and the workspaces are read at once;
 * every workspace is inspected as soon as it is found, all of them in parallel; each listing is
 * streamed, a secret read starting as soon as its page arrives. One limiter bounds every call.
 */
export async function discover(azure: AzurePort, inputs: Inputs): Promise<Inventory> {
  const limit = new Limiter(inputs.concurrency);
  const accountName = inputs.storageAccount.name;
  const account = started(
    limit.run(
      () =>
        step(`Storage account '${accountName}'`, () =>
          azure.getStorageAccount(inputs.storageAccount),
        ),
      'urgent',
    ),
  );
  const listed = limit.run(
    () => step(`Listing the keys of '${accountName}'`, () => azure.listKeys(inputs.storageAccount)),
    'urgent',
  );
  const keys = started(
    Promise.all([account, listed]).then(([props, found]) => {
      if (found.length !== 2) {
        throw new Error(
          `Storage account '${accountName}' returned ${found.length} access keys instead of key1 and key2.`,
        );
      }
      return withCreationTimes(found, props);
    }),
  );
  const context: DiscoveryContext = {
    account: { name: accountName, storageSuffix: inputs.cloud.storageSuffix },
    keys,
    limit,
    now: new Date(),
    sasPolicy: started(account.then((props) => props.sasPolicy)),
  };
  const inspect = (ws: Workspace, inScope: boolean) =>
    inspectWorkspace(azure, ws, inScope, account, context);
  const found = started(findWorkspaces(azure, inputs, limit));
  const vaults = started(
    account.then((props) =>
      inspectVaults(azure, inputs, { name: accountName, id: props.id }, context),
    ),
  );
  const uninspected: Uninspected[] = [];
  const inspected = started(
    found.then(({ named, others }) =>
      Promise.all([
        Promise.all(named.map((ws) => inspect(ws, true))),
        Promise.all(
          others.map((ws) =>
            inspect(ws, false).catch((error: unknown): WorkspaceInventory => ({
              ref: ws.ref,
              id: ws.id,
              inScope: false,
              usesAccountAsDefault: false,
              consumers: [],
              otherConsumers: 0,
              unread: [{ name: `workspace '${ws.ref.name}'`, reason: reasonOf(error) }],
            })),
          ),
        ),
      ]),
    ),
  );

  // The account's own errors come first, as when everything was read in turn.
  const [props, accountKeys] = [await account, await keys];
  uninspected.push(...(await found).uninspected);
  const [named, others] = await inspected;
  const inVaults = await vaults;
  const usingAccount = others
    .filter((ws) => ws.usesAccountAsDefault || ws.consumers.length > 0 || ws.unread?.length)
    .sort((a, b) => a.ref.name.localeCompare(b.ref.name));
  return {
    account: {
      ref: inputs.storageAccount,
      id: props.id,
      keyExpirationDays: props.keyExpirationDays,
      allowSharedKeyAccess: props.allowSharedKeyAccess,
      sasPolicy: props.sasPolicy,
    },
    keys: accountKeys,
    workspaces: [...named, ...inVaults, ...usingAccount],
    uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
    observedAt: new Date(),
  };
}

/** listKeys gives each key's creation time; the account's keyCreationTime fills a missing one. */
function withCreationTimes(keys: KeyInfo[], account: StorageAccount): KeyInfo[] {
  return keys.map((k) => ({ ...k, createdOn: k.createdOn ?? account.keyCreationTime[k.name] }));
}

/** The named workspaces and, read at the same time, every other one the login can list. */
async function findWorkspaces(
  azure: AzurePort,
  inputs: Inputs,
  limit: Limiter,
): Promise<FoundWorkspaces> {
  const scope = inputs.workspaces;
  const read = <T>(fn: () => Promise<T>) => limit.run(fn, 'urgent');
  if (scope.kind === 'all' && !scope.resourceGroup) {
    // Every workspace: those of subscription-id, and those of the account's own subscription.
    const accountSubscription = inputs.storageAccount.subscriptionId;
    const elsewhere = sameId(accountSubscription, scope.subscriptionId)
      ? undefined
      : started(read(() => azure.listWorkspaces(accountSubscription)));
    const all = await step(`Listing the workspaces in subscription ${scope.subscriptionId}`, () =>
      read(() => azure.listWorkspaces(scope.subscriptionId)),
    );
    const uninspected: Uninspected[] = [];
    if (elsewhere) {
      try {
        all.push(...(await elsewhere));
      } catch (error) {
        uninspected.push(unlisted(accountSubscription.toLowerCase(), error));
      }
    }
    return { named: all, others: [], uninspected };
  }
  const subscriptions = [
    ...new Set(
      [
        inputs.storageAccount.subscriptionId,
        ...(scope.kind === 'all'
          ? [scope.subscriptionId]
          : scope.workspaces.map((ref) => ref.subscriptionId)),
      ].map((id) => id.toLowerCase()),
    ),
  ];
  const listings = subscriptions.map((subscriptionId) =>
    started(read(() => azure.listWorkspaces(subscriptionId))),
  );
  const named =
    scope.kind === 'all'
      ? await step(`Listing the workspaces in resource group '${scope.resourceGroup}'`, () =>
          read(() => azure.listWorkspaces(scope.subscriptionId, scope.resourceGroup)),
        )
      : await Promise.all(
          scope.workspaces.map((ref) =>
            step(`Workspace '${ref.name}' in resource group '${ref.resourceGroup}'`, () =>
              read(() => azure.getWorkspace(ref)),
            ),
          ),
        );
  const inScope = new Set(named.map((ws) => refKey(ws.ref)));
  const others: Workspace[] = [];
  const uninspected: Uninspected[] = [];
  for (const [index, listing] of listings.entries()) {
    try {
      others.push(...(await listing).filter((ws) => !inScope.has(refKey(ws.ref))));
    } catch (error) {
      uninspected.push(unlisted(subscriptions[index]!, error));
    }
  }
  return { named, others, uninspected };
}

/** A subscription whose workspaces could not be listed; denied when the login may not list them. */
function unlisted(subscriptionId: string, error: unknown): Uninspected {
  const status = (error as { statusCode?: unknown }).statusCode;
  return {
    name: `the workspaces of subscription ${subscriptionId}`,
    reason: reasonOf(error),
    ...(status === 401 || status === 403 ? { denied: true } : {}),
  };
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function inspectWorkspace(
  azure: AzurePort,
  workspace: Workspace,
  inScope: boolean,
  account: Promise<StorageAccount>,
  context: DiscoveryContext,
): Promise<WorkspaceInventory> {
  const ref = workspace.ref;
  // What a workspace the run only observes cannot read is recorded as unread: it may hold either
  // key. A managed workspace that cannot be read stops discovery.
  const unread: Uninspected[] = [];
  const observe = <T>(what: string, read: Promise<T>, failed: T): Promise<T> =>
    inScope
      ? read
      : read.catch((error: unknown) => {
          unread.push({ name: what, reason: reasonOf(error) });
          return failed;
        });
  const kindContext: DiscoveryContext = inScope
    ? context
    : { ...context, unreadSecret: (error) => reasonOf(error) };
  // The workspace's own key is read alongside its listings, when it uses the account.
  const ownKey = account.then((props) =>
    sameResource(workspace.storageAccountId, props.id)
      ? observe(
          `the own storage key of workspace '${ref.name}'`,
          step(`Reading the storage key of workspace '${ref.name}'`, () =>
            context.limit.run(() => azure.workspaceStorageKey(ref)),
          ).then((value) => ({ value, unknown: false })),
          { value: undefined, unknown: true },
        )
      : undefined,
  );
  const [own, ...kinds] = await Promise.all([
    started(ownKey),
    ...ADAPTERS.map((adapter) =>
      started(
        observe(
          `the ${adapter.kind}s of workspace '${ref.name}'`,
          step(`Listing the ${adapter.kind}s of workspace '${ref.name}'`, () =>
            adapter.discover(azure, ref, kindContext),
          ),
          { consumers: [], others: 0 },
        ),
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
    usesAccountAsDefault: own !== undefined,
    holds: own?.unknown ? 'unknown' : own && workspaceHolding(own.value, await context.keys),
    consumers,
    otherConsumers: kinds.reduce((n, k) => n + k.others, 0),
    ...(unread.length > 0 ? { unread: unread.sort((a, b) => a.name.localeCompare(b.name)) } : {}),
  };
}

/**
 * The vaults the key-vaults input names, each read like a managed workspace: its secrets that hold
 * a key of the account are consumers the run re-keys. A vault that cannot be found stops discovery;
 * what of it cannot be read is recorded as unread (it may hold either key).
 */
async function inspectVaults(
  azure: AzurePort,
  inputs: Inputs,
  account: { name: string; id: string },
  context: DiscoveryContext,
): Promise<WorkspaceInventory[]> {
  const requested = inputs.keyVaults ?? [];
  if (requested.length === 0) return [];
  const found = await step('Key Vaults', () =>
    resolveVaults(
      azure,
      requested.map((v) => v.vault),
      inputs.storageAccount.subscriptionId,
      context.limit,
    ),
  );
  return Promise.all(
    found.map(async (vault, index) => {
      const input = requested[index]!;
      const request = { vault, tagged: input.tagged, named: input.secrets };
      const seen = await step(`Reading the secrets of key vault '${vault.ref.name}'`, () =>
        discoverVault(azure, request, account, context.keys, context.limit),
      );
      return {
        kind: 'key-vault' as const,
        vault: { rbacAuthorization: vault.rbacAuthorization, accessPolicies: vault.accessPolicies },
        ref: vault.ref,
        id: vault.id,
        inScope: true,
        usesAccountAsDefault: false,
        consumers: seen.consumers.map((c) => ({ ...c, inScope: true })),
        otherConsumers: seen.others,
        ...(seen.unread.length > 0 ? { unread: seen.unread } : {}),
      };
    }),
  );
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
