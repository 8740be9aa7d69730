import type { AzurePort, SecretProperties, Vault } from '../../azure/port.js';
import type { Limiter } from '../../util/concurrency.js';
import { holdingOf, type Auth, type KeyInfo, type Uninspected } from '../../discover/inventory.js';
import type { ResourceRef } from '../../util/resource-id.js';
import { describeError } from '../../util/secrets.js';
import type { ListedConsumer } from '../adapter.js';
import { KEY_VAULT_SECRET, type ListedSecret } from './adapter.js';
import { tagDisagreements, taggedFor } from './tags.js';
import { isForAccount, readSecretValue } from './value.js';

/** A vault the run looks in: the tutorial's tagged secrets, and the secrets named in it. */
export interface VaultRequest {
  vault: Vault;
  /** Look for secrets tagged for the account (the vault was named on its own). */
  tagged: boolean;
  /** Secrets named explicitly (`vault/secret`). */
  named: string[];
}

export interface VaultAccount {
  name: string;
  /** The account's resource ID, which ProviderAddress tags name. */
  id: string;
}

/** What one vault holds for the account. */
export interface VaultConsumers {
  vault: Vault;
  /** Secrets that hold a key of the account (or might: their value could not be read). */
  consumers: ListedConsumer[];
  /** Tagged or named secrets that hold no key of the account. */
  others: number;
  /** What could not be read: the listing of the vault's secrets, a secret's value. */
  unread: Uninspected[];
}

/**
 * Finds the secrets of a vault that hold a key of the account and tells which key each holds. Tagged
 * secrets are found by listing properties (no values); each tagged or named secret's value is read
 * (masked by the port) and judged. What cannot be read is a consumer whose holding is unknown.
 */
export async function discoverVault(
  azure: AzurePort,
  request: VaultRequest,
  account: VaultAccount,
  keys: Promise<readonly KeyInfo[]>,
  limit: Limiter,
): Promise<VaultConsumers> {
  const { vault } = request;
  const unread: Uninspected[] = [];
  let listing: SecretProperties[] = [];
  if (request.tagged) {
    try {
      listing = await limit.run(() => azure.listSecretProperties(vault.uri));
    } catch (error) {
      unread.push({
        name: `the secrets of key vault '${vault.ref.name}'`,
        reason: describeError(error),
      });
    }
  }
  const tagged = listing
    .filter((p) => !p.managed && taggedFor(p.tags, account.id))
    .map((p) => p.name);
  const names = [...new Set([...tagged, ...request.named])].sort((a, b) => a.localeCompare(b));
  const judged = await Promise.all(
    names.map((name) => limit.run(() => judgeSecret(azure, vault, name, account, keys))),
  );
  return {
    vault,
    consumers: judged.filter((c): c is ListedConsumer => c !== undefined),
    others: judged.filter((c) => c === undefined).length,
    unread,
  };
}

async function judgeSecret(
  azure: AzurePort,
  vault: Vault,
  name: string,
  account: VaultAccount,
  keys: Promise<readonly KeyInfo[]>,
): Promise<ListedConsumer | undefined> {
  const listed: ListedSecret = { vaultUri: vault.uri };
  const base = {
    kind: KEY_VAULT_SECRET,
    workspace: vault.ref,
    name,
    auth: 'AccountKey' as Auth,
    credentials: 'AccountKey',
    isDefault: false,
    // The secret's URL without a version: what an App Service Key Vault reference names.
    target: secretUrl(vault.uri, name),
    listed,
  };
  let secret;
  try {
    secret = await azure.getSecret(vault.uri, name);
  } catch (error) {
    // Whether it holds a key at all is unknown: it is not moved, and counts as holding either key.
    return {
      ...base,
      auth: 'Other',
      credentials: 'unknown',
      type: 'secret',
      holds: 'unknown',
      unread: describeError(error),
    };
  }
  const content = readSecretValue(secret.value);
  if (!content || !isForAccount(content, account.name)) return undefined;
  const holds = holdingOf(content.key, await keys);
  const remarks = tagDisagreements(secret.properties.tags, account.id, holds);
  return {
    ...base,
    type: content.form === 'key' ? 'raw key' : 'connection string',
    holds,
    ...(secret.properties.createdOn ? { versionCreatedOn: secret.properties.createdOn } : {}),
    ...(remarks.length > 0 ? { remarks } : {}),
  };
}

/** `https://<vault>/secrets/<name>`: the secret's current version, wherever the vault is. */
export const secretUrl = (vaultUri: string, name: string) =>
  `${vaultUri.replace(/\/+$/, '')}/secrets/${name}`;

/** A vault as the input names it: by name, or by resource ID. */
export type VaultName = { name: string } | { ref: ResourceRef };

/**
 * Reads a vault the input names from Resource Manager: by ID at once, by name from the listing of
 * the subscription (read once, whatever the number of names; Key Vault names are unique in a cloud).
 * Undefined: no vault of that name in the subscription.
 */
export function vaultFinder(
  azure: AzurePort,
  subscriptionId: string,
  limit: Limiter,
): (name: VaultName) => Promise<Vault | undefined> {
  let listing: Promise<Vault[]> | undefined;
  return async (n) => {
    if ('ref' in n) return limit.run(() => azure.getVault(n.ref));
    listing ??= limit.run(() => azure.listVaults(subscriptionId));
    return (await listing).find((v) => v.ref.name.toLowerCase() === n.name.toLowerCase());
  };
}

/** The vaults the input names; one not found is an error that says how to name it. */
export async function resolveVaults(
  azure: AzurePort,
  names: VaultName[],
  subscriptionId: string,
  limit: Limiter,
): Promise<Vault[]> {
  const find = vaultFinder(azure, subscriptionId, limit);
  return Promise.all(
    names.map(async (n) => {
      const found = await find(n);
      if (!found) {
        throw new Error(
          `Key Vault '${'ref' in n ? n.ref.name : n.name}' was not found in subscription ${subscriptionId}: give its resource ID if it is in another one`,
        );
      }
      return found;
    }),
  );
}
