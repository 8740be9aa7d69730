import type { AzurePort, KeyName, StorageAccount, Workspace } from '../azure/port.js';
import { KEY_NAMES } from '../azure/port.js';
import { Limiter, started } from '../util/concurrency.js';
import { ADAPTERS, type AccountReference } from '../consumers/index.js';
import { surveyVaults, type SurveyedSecret } from '../consumers/key-vault/survey.js';
import { keyVaultsInput, withSecrets, type KeyVaultFindings } from './key-vault-findings.js';
import type { InventoryInputs } from '../inputs/inventory-inputs.js';
import type { KeyInfo, Uninspected } from '../discover/inventory.js';
import { ageDays, dueKeys, type AgeLimit } from '../plan/key-age.js';
import { parseResourceId, refKey, STORAGE, type ResourceRef } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';

/** How one workspace uses an account. */
export interface AccountUser {
  workspaceId: string;
  workspace: ResourceRef;
  /** The account is the workspace's default storage: the workspace itself holds a key. */
  defaultStorage: boolean;
  datastores: number;
  connections: number;
  /** Datastores and connections that reach it with an account key or a SAS signed by one. */
  keyBased: number;
}

export interface SurveyedAccount {
  name: string;
  /** Unset when the account could not be read (another subscription, or no read permission). */
  ref?: ResourceRef;
  id?: string;
  keys: { name: KeyName; createdOn?: string; ageDays?: number }[];
  keyExpirationDays?: number;
  allowSharedKeyAccess?: boolean;
  /** The age limit that applies: the stricter of max-key-age-days and the account's key policy. */
  ageLimit?: AgeLimit;
  /** Keys older than the limit (or of unknown age), oldest first. */
  dueKeys: KeyName[];
  /** A rotation run with the same max-key-age-days would regenerate a key. */
  due: boolean;
  users: AccountUser[];
  /** Key Vault secrets in the vaults key-vaults names that hold its key (empty without key-vaults). */
  secrets: SurveyedSecret[];
  /** Why the account is not in the matrix, when it is not. */
  unresolved?: string;
}

export interface SubscriptionInventory {
  subscriptionId: string;
  resourceGroup?: string;
  maxKeyAgeDays?: number;
  observedAt: string;
  /** Workspaces inspected. */
  workspaces: number;
  accounts: SurveyedAccount[];
  /** Workspaces, listings and Key Vaults that could not be read; `effect`: what follows. */
  uninspected: (Uninspected & { effect?: string })[];
  keyVaults?: KeyVaultFindings;
}

/** One job of the rotation matrix: the rotation's inputs for one account, and why it is there. */
export interface MatrixEntry {
  'storage-account': string;
  'storage-account-resource-group': string;
  'subscription-id': string;
  /** Every workspace that uses the account, as resource IDs, one per line (the `workspace` input). */
  workspace: string;
  due: boolean;
  'key1-age-days': number | null;
  'key2-age-days': number | null;
  /**
   * The `key-vaults` input of its rotation job: the vaults (by resource ID) with secrets tagged for
   * the account and the named secrets (`…/secrets/<name>`) that hold its key, one per line.
   */
  'key-vaults': string;
}

/**
 * Every storage account the subscription's Azure ML workspaces use — as default storage, in a
 * datastore or in a connection — with its key ages and whether a rotation with the same
 * max-key-age-days would regenerate a key. Reads only, with read permissions only: listings and
 * resource properties, never a key or a secret (key ages come from the account's keyCreationTime).
 */
export async function surveySubscription(
  azure: AzurePort,
  inputs: InventoryInputs,
  now: Date,
): Promise<SubscriptionInventory> {
  const limit = new Limiter(inputs.concurrency);
  const { subscriptionId, resourceGroup } = inputs;
  const storageSuffix = inputs.cloud.storageSuffix;
  const listing = started(limit.run(() => azure.listStorageAccounts(subscriptionId)));
  const vaults =
    inputs.keyVaults.length > 0
      ? started(surveyVaults(azure, inputs.keyVaults, subscriptionId, limit))
      : undefined;
  const workspaces = await limit.run(() => azure.listWorkspaces(subscriptionId, resourceGroup));
  const uninspected: (Uninspected & { effect?: string })[] = [];

  // Account name (lower case) → what is known of where it is, and who uses it how.
  const found = new Map<string, { ref?: ResourceRef; users: Map<string, AccountUser> }>();
  const use = (name: string, ws: Workspace, ref?: ResourceRef) => {
    const key = name.toLowerCase();
    let entry = found.get(key);
    if (!entry) found.set(key, (entry = { users: new Map() }));
    if (ref && !entry.ref) entry.ref = ref;
    let user = entry.users.get(refKey(ws.ref));
    if (!user) {
      user = {
        workspaceId: ws.id,
        workspace: ws.ref,
        defaultStorage: false,
        datastores: 0,
        connections: 0,
        keyBased: 0,
      };
      entry.users.set(refKey(ws.ref), user);
    }
    return user;
  };

  await Promise.all(
    workspaces.map(async (ws) => {
      const defaultStorage =
        ws.storageAccountId && parseResourceId(ws.storageAccountId, ...STORAGE);
      if (defaultStorage) use(defaultStorage.name, ws, defaultStorage).defaultStorage = true;
      try {
        const kinds = await Promise.all(
          ADAPTERS.map((adapter) => adapter.survey(azure, ws.ref, { storageSuffix, limit })),
        );
        for (const reference of kinds.flat())
          count(use(reference.account, ws, refOf(reference)), reference);
      } catch (error) {
        uninspected.push({ name: ws.ref.name, reason: describeError(error) });
      }
    }),
  );

  const inSubscription = new Map<string, StorageAccount>();
  try {
    for (const account of await listing)
      inSubscription.set(account.ref.name.toLowerCase(), account);
  } catch (error) {
    uninspected.push({
      name: `the storage accounts of subscription ${subscriptionId}`,
      reason: describeError(error),
    });
  }
  const accounts = await Promise.all(
    [...found].map(async ([name, entry]) => {
      let account = inSubscription.get(name);
      let unresolved: string | undefined;
      if (!account && entry.ref && entry.ref.resourceGroup) {
        // In another subscription (or not listed): read it where its users say it is.
        const ref = entry.ref;
        account = await limit
          .run(() => azure.getStorageAccount(ref))
          .catch((error: unknown) => {
            unresolved = `could not read it: ${describeError(error)}`;
            return undefined;
          });
      }
      if (!account && !unresolved) {
        unresolved = `not among the storage accounts the login can read in subscription ${subscriptionId}`;
      }
      return surveyed(
        name,
        account,
        [...entry.users.values()],
        inputs.maxKeyAgeDays,
        now,
        unresolved,
      );
    }),
  );
  const survey = await vaults;
  if (survey) uninspected.push(...survey.gaps);
  return {
    subscriptionId,
    resourceGroup,
    maxKeyAgeDays: inputs.maxKeyAgeDays,
    observedAt: now.toISOString(),
    workspaces: workspaces.length,
    accounts: accounts.sort((a, b) => a.name.localeCompare(b.name)),
    uninspected: uninspected.sort((a, b) => a.name.localeCompare(b.name)),
    ...(survey ? { keyVaults: withSecrets(accounts, survey) } : {}),
  };
}

function refOf(reference: AccountReference): ResourceRef | undefined {
  return reference.subscriptionId && reference.resourceGroup
    ? {
        subscriptionId: reference.subscriptionId,
        resourceGroup: reference.resourceGroup,
        name: reference.account,
      }
    : undefined;
}

function count(user: AccountUser, reference: AccountReference): void {
  if (reference.kind === 'datastore') user.datastores++;
  else user.connections++;
  if (reference.auth !== 'Other') user.keyBased++;
}

function surveyed(
  name: string,
  account: StorageAccount | undefined,
  users: AccountUser[],
  maxKeyAgeDays: number | undefined,
  now: Date,
  unresolved: string | undefined,
): SurveyedAccount {
  const sortedUsers = users.sort((a, b) => a.workspace.name.localeCompare(b.workspace.name));
  if (!account) {
    return { name, keys: [], dueKeys: [], due: false, users: sortedUsers, secrets: [], unresolved };
  }
  const keys: KeyInfo[] = KEY_NAMES.map((key) => ({
    name: key,
    value: '',
    createdOn: account.keyCreationTime[key],
  }));
  const limit = ageLimitOf(account.keyExpirationDays, maxKeyAgeDays);
  const due = limit ? dueKeys(keys, limit, now) : [];
  return {
    name: account.ref.name,
    ref: account.ref,
    id: account.id,
    keys: keys.map((k) => {
      const age = ageDays(k, now);
      return {
        name: k.name,
        createdOn: k.createdOn?.toISOString(),
        ageDays: Number.isFinite(age) ? Math.floor(age) : undefined,
      };
    }),
    keyExpirationDays: account.keyExpirationDays,
    allowSharedKeyAccess: account.allowSharedKeyAccess,
    ageLimit: limit,
    dueKeys: due,
    // Without an age limit a rotation regenerates a key every run: every account is due.
    due: limit ? due.length > 0 : true,
    users: sortedUsers,
    secrets: [],
  };
}

/** The rule of key-age.ts's ageLimit: the stricter of the input and the account's policy. */
function ageLimitOf(policyDays: number | undefined, maxKeyAgeDays: number | undefined) {
  if (policyDays !== undefined && (maxKeyAgeDays === undefined || policyDays < maxKeyAgeDays)) {
    return { days: policyDays, source: 'key policy' as const };
  }
  return maxKeyAgeDays === undefined
    ? undefined
    : { days: maxKeyAgeDays, source: 'max-key-age-days' as const };
}

/**
 * The `strategy.matrix` value for the accounts (`fromJSON` of it), in the order given. `everyJob`:
 * key-vaults lines each entry gets besides its own secrets' (vaults the inventory could not list).
 */
export function matrixOf(
  accounts: SurveyedAccount[],
  everyJob: readonly string[] = [],
): { include: MatrixEntry[] } {
  return {
    include: accounts
      .filter((a): a is SurveyedAccount & { ref: ResourceRef } => !!a.ref)
      .map((a) => ({
        'storage-account': a.ref.name,
        'storage-account-resource-group': a.ref.resourceGroup,
        'subscription-id': a.ref.subscriptionId,
        workspace: a.users.map((u) => u.workspaceId).join('\n'),
        due: a.due,
        'key1-age-days': a.keys.find((k) => k.name === 'key1')?.ageDays ?? null,
        'key2-age-days': a.keys.find((k) => k.name === 'key2')?.ageDays ?? null,
        'key-vaults': keyVaultsInput(a.secrets, everyJob),
      })),
  };
}
