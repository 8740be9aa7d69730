import type { Holds } from '../scenario.js';

/**
 * A Key Vault (Microsoft.KeyVault/vaults) with its secrets. Its data plane is served on a port of
 * its own (a vault's secret IDs are `https://<host>/secrets/<name>/<version>`, with no path prefix),
 * and ARM's `properties.vaultUri` names it.
 */
export interface KeyVaultScenario {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  /** properties.enableRbacAuthorization (default true); false: access policies decide. */
  enableRbacAuthorization?: boolean;
  /**
   * Access policies (for enableRbacAuthorization false): the login's permissions are those of the
   * policies whose objectId is the login's principal, or any policy when none names an objectId.
   */
  accessPolicies?: { objectId?: string; tenantId?: string; permissions: { secrets: string[] } }[];
  /** Every data-plane request of the login is refused (403). */
  forbidden?: boolean;
  /**
   * Key Vault's throttling, made deterministic: the first this many authenticated data-plane
   * requests answer 429 with Retry-After (as a vault past its per-10-second limits does).
   */
  throttledRequests?: number;
  secrets?: SecretScenario[];
}

/** What a secret's (first) version holds: a key of an account, raw or in a connection string. */
export type SecretValueScenario =
  | { key: Holds }
  | { connectionString: Holds }
  /** Anything else (a password): no consumer of any account. */
  | { text: string };

export interface SecretScenario {
  name: string;
  value: SecretValueScenario;
  /** The storage account whose key the value holds (default: the scenario's first account). */
  account?: string;
  contentType?: string;
  tags?: Record<string, string>;
  /**
   * Adds the tags of Microsoft's dual-credential rotation tutorial: CredentialId (the key held),
   * ProviderAddress (the account's resource ID) and, when given, ValidityPeriodDays.
   */
  tutorialTags?: boolean | { validityPeriodDays: number };
  /** Age of the version (default 30 days). */
  createdDaysAgo?: number;
  /** Days until the version expires (attributes.exp); negative: expired. */
  expiresInDays?: number;
  /** Reading or writing this secret is refused (403), as by a role assignment on other secrets. */
  forbidden?: boolean;
}

export function keyVaultProblems(
  vaults: KeyVaultScenario[] | undefined,
  accounts: Set<string>,
): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const vault of vaults ?? []) {
    const name = vault.name?.toLowerCase();
    if (!name || !vault.resourceGroup) problems.push('a key vault needs name and resourceGroup');
    else if (names.has(name)) problems.push(`key vault ${vault.name} appears twice`);
    names.add(name);
    const secrets = new Set<string>();
    for (const secret of vault.secrets ?? []) {
      const where = `secret ${vault.name}/${secret.name}`;
      if (!secret.name || !/^[0-9a-zA-Z-]{1,127}$/.test(secret.name))
        problems.push(`${where}: a name of 1-127 letters, digits and dashes is required`);
      if (secrets.has(secret.name?.toLowerCase())) problems.push(`${where} appears twice`);
      secrets.add(secret.name?.toLowerCase());
      const value = secret.value as Record<string, unknown> | undefined;
      const held = value?.key ?? value?.connectionString;
      if (held === undefined && typeof value?.text !== 'string')
        problems.push(`${where}: value must be {key}, {connectionString} or {text}`);
      else if (held !== undefined && !['key1', 'key2', 'stale'].includes(held as string))
        problems.push(`${where}: the key held must be key1, key2 or stale, not ${String(held)}`);
      if (secret.account !== undefined && !accounts.has(secret.account.toLowerCase()))
        problems.push(`${where}: unknown account ${secret.account}`);
    }
  }
  return problems;
}
