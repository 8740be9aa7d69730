import { randomBytes } from 'node:crypto';
import type { Holds } from '../scenario-types.js';
import { newStorageKey } from '../secrets.js';
import { DAY_MS, sameName } from '../state/common.js';
import type { StorageAccounts } from '../state/storage-accounts.js';
import type { Consumer, WorldContext } from '../state/context.js';
import type { KeyVaultScenario, SecretScenario } from '../scenario-types.js';

/** One version of a secret, as Key Vault keeps it (times in ms since the epoch). */
export interface SecretVersionState {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  created: number;
  updated: number;
  expires?: number;
  notBefore?: number;
}

export interface SecretState {
  name: string;
  /** The account whose key the scenario gave it: a raw key names none of its own. */
  account?: string;
  forbidden: boolean;
  /** Oldest first; the last one is the current version. */
  versions: SecretVersionState[];
}

export interface VaultState {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  rbacAuthorization: boolean;
  accessPolicies: NonNullable<KeyVaultScenario['accessPolicies']>;
  forbidden: boolean;
  /** How many more authenticated requests are throttled (429). */
  throttledRequests: number;
  /** The data plane's URL, once its server listens. */
  uri: string;
  /** Secret name (lower case) → secret. */
  secrets: Map<string, SecretState>;
}

/** A secret as tests see it: every version, and what the current one holds. */
export interface VaultSecretView {
  versions: SecretVersionState[];
  account?: string;
  holds?: Holds;
}

export const vaultConsumerId = (vault: string, secret: string) =>
  `key-vault-secret:${vault}/${secret}`;

/** Key Vaults: their ARM resources, their secrets' versions, and which key each secret holds. */
export class KeyVaults {
  private readonly vaults = new Map<string, VaultState>();

  constructor(
    private readonly world: WorldContext,
    private readonly storage: StorageAccounts,
  ) {}

  add(
    scenario: KeyVaultScenario,
    where: { subscriptionId: string; resourceGroup: string },
    location: string,
  ): void {
    const id = `/subscriptions/${where.subscriptionId}/resourceGroups/${where.resourceGroup}/providers/Microsoft.KeyVault/vaults/${scenario.name}`;
    const vault: VaultState = {
      id,
      name: scenario.name,
      ...where,
      location,
      rbacAuthorization: scenario.enableRbacAuthorization !== false,
      accessPolicies: scenario.accessPolicies ?? [],
      forbidden: scenario.forbidden === true,
      throttledRequests: scenario.throttledRequests ?? 0,
      uri: '',
      secrets: new Map(),
    };
    for (const secret of scenario.secrets ?? []) {
      vault.secrets.set(secret.name.toLowerCase(), this.fromScenario(secret));
    }
    this.vaults.set(scenario.name.toLowerCase(), vault);
  }

  private fromScenario(secret: SecretScenario): SecretState {
    const now = this.world.now();
    const account = this.storage.get(secret.account ?? this.storage.list()[0]?.name ?? '');
    const valueOf = (holds: Holds) =>
      holds === 'stale' || !account ? newStorageKey() : account.keys[holds].value;
    const v = secret.value as { key?: Holds; connectionString?: Holds; text?: string };
    const value =
      v.key !== undefined
        ? valueOf(v.key)
        : v.connectionString !== undefined
          ? `DefaultEndpointsProtocol=https;AccountName=${account?.name};AccountKey=${valueOf(v.connectionString)};EndpointSuffix=core.windows.net`
          : (v.text ?? '');
    const held = v.key ?? v.connectionString;
    const tutorial = secret.tutorialTags;
    const tags = {
      ...(tutorial && held && account
        ? {
            CredentialId: held === 'stale' ? 'key1' : held,
            ProviderAddress: account.id,
            ...(typeof tutorial === 'object'
              ? { ValidityPeriodDays: String(tutorial.validityPeriodDays) }
              : {}),
          }
        : {}),
      ...secret.tags,
    };
    const created = now - (secret.createdDaysAgo ?? 30) * DAY_MS;
    return {
      name: secret.name,
      ...(held !== undefined && account ? { account: account.name } : {}),
      forbidden: secret.forbidden === true,
      versions: [
        {
          version: newVersionId(),
          value: this.world.secret(value),
          ...(secret.contentType !== undefined ? { contentType: secret.contentType } : {}),
          ...(Object.keys(tags).length > 0 ? { tags } : {}),
          enabled: true,
          created,
          updated: created,
          ...(secret.expiresInDays !== undefined
            ? { expires: now + secret.expiresInDays * DAY_MS }
            : {}),
        },
      ],
    };
  }

  list(subscriptionId?: string): VaultState[] {
    const all = [...this.vaults.values()];
    return subscriptionId ? all.filter((v) => sameName(v.subscriptionId, subscriptionId)) : all;
  }

  get(name: string): VaultState | undefined {
    return this.vaults.get(name.toLowerCase());
  }

  secret(vault: VaultState, name: string): SecretState | undefined {
    return vault.secrets.get(name.toLowerCase());
  }

  /** Writes a new version (the current one from now on); older versions stay as they are. */
  setSecret(
    vault: VaultState,
    name: string,
    version: Omit<SecretVersionState, 'version' | 'created' | 'updated'>,
  ): SecretVersionState {
    const now = this.world.now();
    let secret = this.secret(vault, name);
    if (!secret) {
      secret = { name, forbidden: false, versions: [] };
      vault.secrets.set(name.toLowerCase(), secret);
    }
    const stored: SecretVersionState = {
      ...version,
      value: this.world.secret(version.value),
      version: newVersionId(),
      created: now,
      updated: now,
    };
    secret.versions.push(stored);
    const consumer = this.consumerOf(vault, secret);
    this.world.record(
      `setSecret ${vault.name}/${secret.name}`,
      consumer ? { consumers: [consumer] } : { consumers: [] },
    );
    return stored;
  }

  /**
   * The storage account and key the secret's current version holds: a connection string names its
   * account, a raw key is the scenario's account's (if it is any key at all).
   */
  holds(vault: VaultState, secret: SecretState): { account: string; holds: Holds } | undefined {
    const current = secret.versions.at(-1);
    if (!current) return undefined;
    const inString = /(?:^|;)\s*AccountKey\s*=([^;]*)/i.exec(current.value)?.[1]?.trim();
    const named = /(?:^|;)\s*AccountName\s*=([^;]*)/i.exec(current.value)?.[1]?.trim();
    const account = inString !== undefined ? (named ?? secret.account) : secret.account;
    if (!account) return undefined;
    return { account, holds: this.storage.holds(account, inString ?? current.value.trim()) };
  }

  private consumerOf(vault: VaultState, secret: SecretState): Consumer | undefined {
    if (!secret.account) return undefined;
    const held = this.holds(vault, secret);
    if (!held) return undefined;
    return {
      id: vaultConsumerId(vault.name, secret.name),
      account: held.account,
      valid: this.storage.authenticates(held.account, this.keyIn(secret)),
    };
  }

  private keyIn(secret: SecretState): string | undefined {
    const value = secret.versions.at(-1)?.value ?? '';
    return /(?:^|;)\s*AccountKey\s*=([^;]*)/i.exec(value)?.[1]?.trim() ?? value.trim();
  }

  /** Every secret that was given a key of an account, valid while its current version holds one. */
  consumers(): Consumer[] {
    return this.list().flatMap((vault) =>
      [...vault.secrets.values()].flatMap((secret) => {
        const consumer = this.consumerOf(vault, secret);
        return consumer ? [consumer] : [];
      }),
    );
  }

  view(vaultName: string, name: string): VaultSecretView | undefined {
    const vault = this.get(vaultName);
    const secret = vault && this.secret(vault, name);
    if (!vault || !secret) return undefined;
    const held = this.holds(vault, secret);
    return {
      versions: structuredClone(secret.versions),
      ...(held ? { account: held.account, holds: held.holds } : {}),
    };
  }

  snapshot(): unknown[] {
    return this.list().map((vault) => ({
      id: vault.id,
      uri: vault.uri,
      rbacAuthorization: vault.rbacAuthorization,
      secrets: [...vault.secrets.values()].map((secret) => ({
        name: secret.name,
        holds: this.holds(vault, secret),
        versions: secret.versions,
      })),
    }));
  }
}

/** Key Vault's version IDs: 32 hex characters. */
function newVersionId(): string {
  return randomBytes(16).toString('hex');
}
