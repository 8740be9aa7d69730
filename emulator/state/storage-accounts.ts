import { ArmError, resourceNotFound } from '../arm-errors.js';
import { sasSignedWith, signAccountSas, type AccountSasRequest } from '../sas.js';
import type { Holds, KeyName, KeyPolicy, StorageAccountScenario } from '../scenario.js';
import { newStorageKey } from '../secrets.js';
import type { WorldContext } from '../world.js';
import { DAY_MS, sameName } from './common.js';

export const storageAccountType = 'Microsoft.Storage/storageAccounts';

export interface StorageKey {
  value: string;
  creationTime: Date | undefined;
}

export interface AccountState {
  id: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  skuName: string;
  allowSharedKeyAccess: boolean;
  keyPolicy?: KeyPolicy;
  extraProperties: Record<string, unknown>;
  createdAt: Date;
  keys: Record<KeyName, StorageKey>;
}

/** Storage accounts and their two keys: what every consumer's copy is checked against. */
export class StorageAccounts {
  private readonly accounts = new Map<string, AccountState>();

  constructor(private readonly world: WorldContext) {}

  add(scenario: StorageAccountScenario, resourceGroup: string, defaultLocation: string): void {
    const now = this.world.now();
    const key = (keyName: KeyName): StorageKey => {
      const ageDays = scenario.keys?.[keyName]?.ageDays;
      const creationTime = ageDays === null ? undefined : new Date(now - (ageDays ?? 30) * DAY_MS);
      return { value: this.world.secret(newStorageKey()), creationTime };
    };
    this.accounts.set(scenario.name.toLowerCase(), {
      id: `/subscriptions/${this.world.subscriptionId}/resourceGroups/${resourceGroup}/providers/${storageAccountType}/${scenario.name}`,
      resourceGroup,
      name: scenario.name,
      location: scenario.location ?? defaultLocation,
      kind: scenario.kind ?? 'StorageV2',
      skuName: scenario.sku ?? 'Standard_LRS',
      allowSharedKeyAccess: scenario.allowSharedKeyAccess ?? true,
      keyPolicy: scenario.keyPolicy && { ...scenario.keyPolicy },
      extraProperties: scenario.properties ?? {},
      createdAt: new Date(now - 800 * DAY_MS),
      keys: { key1: key('key1'), key2: key('key2') },
    });
  }

  get(name: string): AccountState | undefined {
    return this.accounts.get(name.toLowerCase());
  }

  require(resourceGroup: string, name: string): AccountState {
    this.world.requireResourceGroup(resourceGroup);
    const account = this.get(name);
    if (!account || !sameName(account.resourceGroup, resourceGroup))
      throw resourceNotFound(storageAccountType, name, resourceGroup);
    return account;
  }

  list(resourceGroup?: string): AccountState[] {
    const all = [...this.accounts.values()];
    if (resourceGroup === undefined) return all;
    this.world.requireResourceGroup(resourceGroup);
    return all.filter((account) => sameName(account.resourceGroup, resourceGroup));
  }

  keyValues(accountName: string): Record<KeyName, string> | undefined {
    const account = this.get(accountName);
    return account && { key1: account.keys.key1.value, key2: account.keys.key2.value };
  }

  /**
   * Whether a copy of a key (or a SAS token signed with one) lets a consumer in: it must match a
   * current key, and the account must still accept Shared Key.
   */
  authenticates(accountName: string, value: string | undefined): boolean {
    const account = this.get(accountName);
    return !!account?.allowSharedKeyAccess && this.holds(accountName, value) !== 'stale';
  }

  /** Which current key of the account a value (key or SAS token) matches. */
  holds(accountName: string, value: string | undefined): Holds {
    const keys = this.keyValues(accountName);
    if (!keys || value === undefined) return 'stale';
    if (value === keys.key1) return 'key1';
    if (value === keys.key2) return 'key2';
    return sasSignedWith(accountName.toLowerCase(), value, keys) ?? 'stale';
  }

  /** The value a consumer holds: a current key, or a random stale one (also for unknown accounts). */
  valueHeld(accountName: string | undefined, holds: Holds): string {
    const account = accountName === undefined ? undefined : this.get(accountName);
    if (!account || holds === 'stale') return this.world.secret(newStorageKey());
    return account.keys[holds].value;
  }

  /** An account SAS signed with the key a consumer holds (a random one when stale or unknown). */
  sasHeld(accountName: string | undefined, signedWith: Holds): string {
    const signingKey = this.valueHeld(accountName, signedWith);
    return this.world.secret(signAccountSas((accountName ?? 'unknown').toLowerCase(), signingKey));
  }

  regenerateKey(account: AccountState, requestedKeyName: unknown): AccountState {
    const keyName = typeof requestedKeyName === 'string' ? requestedKeyName.toLowerCase() : '';
    if (keyName !== 'key1' && keyName !== 'key2') {
      throw new ArmError(
        400,
        'InvalidValuesForRequestParameters',
        `Values for request parameters are invalid: keyName. '${String(requestedKeyName)}' is not ` +
          `a valid key name; use key1 or key2.`,
      );
    }
    account.keys[keyName] = {
      value: this.world.secret(newStorageKey()),
      creationTime: new Date(this.world.now()),
    };
    this.world.record(`regenerateKey ${account.name} ${keyName}`);
    return account;
  }

  issueAccountSas(account: AccountState, keyToSign: unknown, request: AccountSasRequest): string {
    const keyName = typeof keyToSign === 'string' ? keyToSign.toLowerCase() : 'key1';
    const key = keyName === 'key2' ? account.keys.key2 : account.keys.key1;
    return this.world.secret(signAccountSas(account.name.toLowerCase(), key.value, request));
  }

  snapshot(): unknown[] {
    return [...this.accounts.values()].map((account) => ({ id: account.id, keys: account.keys }));
  }
}
