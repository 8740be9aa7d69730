import { ArmError, resourceNotFound } from '../arm-errors.js';
import { delegationKeyValue, newDelegationKeyFields } from '../sas/delegation.js';
import { sasPolicyRule, type SasPolicyRule, type SasPolicySetting } from '../sas/policy.js';
import type { SasResource } from '../sas/resource.js';
import { signSas, type SasRequest, type SigningKey } from '../sas/sign.js';
import { parseSasToken } from '../sas/token.js';
import { checkSas, type SasVerdict } from '../sas/validate.js';
import type { Holds, KeyName, KeyPolicy, StorageAccountScenario } from '../scenario-types.js';
import { newStorageKey } from '../secrets.js';
import type { WorldContext } from './context.js';
import { DAY_MS, sameName } from './common.js';

export const storageAccountType = 'Microsoft.Storage/storageAccounts';

export interface StorageKey {
  value: string;
  creationTime: Date | undefined;
}

/** A value a key had before its current one: it signed requests until `until`. */
export interface FormerKey {
  name: KeyName;
  value: string;
  until: Date;
}

export interface AccountState {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  skuName: string;
  allowSharedKeyAccess: boolean;
  keyPolicy?: KeyPolicy;
  sasPolicy?: SasPolicySetting;
  /** The SAS policy as a check; undefined without a policy. */
  sasPolicyRule?: SasPolicyRule;
  /** What the account's user delegation keys are derived from (the service's own secret). */
  delegationSecret: string;
  extraProperties: Record<string, unknown>;
  createdAt: Date;
  keys: Record<KeyName, StorageKey>;
  /** Earlier values of the keys, oldest first (one per key before its known creation time). */
  formerKeys: FormerKey[];
}

/** Storage accounts and their two keys: what every consumer's copy is checked against. */
export class StorageAccounts {
  private readonly accounts = new Map<string, AccountState>();
  /**
   * The resource each SAS token a consumer held was for, so `holds` can tell a service SAS's
   * signer from the token alone (the service reads the resource from the request URL).
   */
  private readonly sasResources = new Map<string, SasResource>();

  constructor(private readonly world: WorldContext) {}

  add(
    scenario: StorageAccountScenario,
    { subscriptionId, resourceGroup }: { subscriptionId: string; resourceGroup: string },
    defaultLocation: string,
  ): void {
    const now = this.world.now();
    const key = (keyName: KeyName): StorageKey => {
      const ageDays = scenario.keys?.[keyName]?.ageDays;
      const creationTime = ageDays === null ? undefined : new Date(now - (ageDays ?? 30) * DAY_MS);
      return { value: this.world.secret(newStorageKey()), creationTime };
    };
    const keys = { key1: key('key1'), key2: key('key2') };
    const formerKeys = (['key1', 'key2'] as const).flatMap((name): FormerKey[] => {
      const until = keys[name].creationTime;
      return until ? [{ name, value: this.world.secret(newStorageKey()), until }] : [];
    });
    this.accounts.set(scenario.name.toLowerCase(), {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${storageAccountType}/${scenario.name}`,
      subscriptionId,
      resourceGroup,
      name: scenario.name,
      location: scenario.location ?? defaultLocation,
      kind: scenario.kind ?? 'StorageV2',
      skuName: scenario.sku ?? 'Standard_LRS',
      allowSharedKeyAccess: scenario.allowSharedKeyAccess ?? true,
      keyPolicy: scenario.keyPolicy && { ...scenario.keyPolicy },
      sasPolicy: scenario.sasPolicy && { ...scenario.sasPolicy },
      sasPolicyRule: scenario.sasPolicy && sasPolicyRule(scenario.sasPolicy),
      delegationSecret: newStorageKey(),
      extraProperties: scenario.properties ?? {},
      createdAt: new Date(now - 800 * DAY_MS),
      keys,
      formerKeys,
    });
  }

  get(name: string): AccountState | undefined {
    return this.accounts.get(name.toLowerCase());
  }

  require(
    resourceGroup: string,
    name: string,
    subscriptionId = this.world.subscriptionId,
  ): AccountState {
    this.world.requireResourceGroup(resourceGroup, subscriptionId);
    const account = this.get(name);
    if (
      !account ||
      !sameName(account.resourceGroup, resourceGroup) ||
      !sameName(account.subscriptionId, subscriptionId)
    )
      throw resourceNotFound(storageAccountType, name, resourceGroup);
    return account;
  }

  /** Every account; with a subscription, those in it (and in the resource group, if given). */
  list(resourceGroup?: string, subscriptionId?: string): AccountState[] {
    const all = [...this.accounts.values()];
    const inSubscription = subscriptionId
      ? all.filter((account) => sameName(account.subscriptionId, subscriptionId))
      : all;
    if (resourceGroup === undefined) return inSubscription;
    this.world.requireResourceGroup(resourceGroup, subscriptionId);
    return inSubscription.filter((account) => sameName(account.resourceGroup, resourceGroup));
  }

  keyValues(accountName: string): Record<KeyName, string> | undefined {
    const account = this.get(accountName);
    return account && { key1: account.keys.key1.value, key2: account.keys.key2.value };
  }

  /**
   * Whether a copy of an account key lets a consumer in: it must match a current key, and the
   * account must still accept Shared Key.
   */
  authenticates(accountName: string, value: string | undefined): boolean {
    const account = this.get(accountName);
    return !!account?.allowSharedKeyAccess && this.holds(accountName, value) !== 'stale';
  }

  /** Whether a consumer reaching `resource` with this SAS token gets in, as the service decides. */
  checkSas(accountName: string, token: string | undefined, resource: SasResource): SasVerdict {
    const account = this.get(accountName);
    if (!account) return { valid: false, reason: `no storage account ${accountName}` };
    if (token === undefined) return { valid: false, reason: 'no token' };
    return checkSas(token, {
      account: account.name.toLowerCase(),
      keys: { key1: account.keys.key1.value, key2: account.keys.key2.value },
      sharedKeyAllowed: account.allowSharedKeyAccess,
      resource,
      delegationKey: (fields) => delegationKeyValue(account.delegationSecret, fields),
      policy: account.sasPolicyRule,
      now: this.world.now(),
    });
  }

  /** Remembers which resource a SAS token was first issued or stored for (see sasResources). */
  rememberSasResource(token: string, resource: SasResource): void {
    if (!this.sasResources.has(token)) this.sasResources.set(token, resource);
  }

  /**
   * Which current key of the account a value matches: a key, or the key whose signature a SAS
   * token carries (whether or not the token is otherwise valid). A user delegation SAS matches
   * no account key: 'stale'.
   */
  holds(accountName: string, value: string | undefined): Holds {
    const keys = this.keyValues(accountName);
    if (!keys || value === undefined) return 'stale';
    if (value === keys.key1) return 'key1';
    if (value === keys.key2) return 'key2';
    if (!parseSasToken(value)) return 'stale';
    const resource = this.sasResources.get(value) ?? { service: 'blob' };
    const signedWith = this.checkSas(accountName, value, resource).signedWith;
    return signedWith === 'key1' || signedWith === 'key2' ? signedWith : 'stale';
  }

  /** The value a consumer holds: a current key, or a random stale one (also for unknown accounts). */
  valueHeld(accountName: string | undefined, holds: Holds): string {
    const account = accountName === undefined ? undefined : this.get(accountName);
    if (!account || holds === 'stale') return this.world.secret(newStorageKey());
    return account.keys[holds].value;
  }

  /**
   * A token for a consumer, signed with the key it holds: key1 or key2, or for 'stale' (and for an
   * unknown account) a random key — a user delegation SAS with a key the service never issued.
   * The token and its signature are remembered as secrets.
   */
  issueSas(accountName: string | undefined, signedWith: Holds, request: SasRequest): string {
    const account = accountName === undefined ? undefined : this.get(accountName);
    const usable = account !== undefined && signedWith !== 'stale';
    let signingKey: SigningKey;
    if (request.kind === 'user delegation') {
      const delegation = newDelegationKeyFields(
        this.world.tenantId,
        request.resource.service,
        request.version,
        this.world.now(),
        request.expiry,
      );
      const secret = usable ? account.delegationSecret : newStorageKey();
      signingKey = { delegation, key: delegationKeyValue(secret, delegation) };
    } else {
      signingKey = { accountKey: usable ? account.keys[signedWith].value : newStorageKey() };
    }
    const token = signSas(request, signingKey);
    this.rememberSasResource(token, request.resource);
    return this.rememberSasSecrets(token);
  }

  /** A SAS token and its signature alone, as secrets a leak scan looks for. */
  rememberSasSecrets(token: string): string {
    const signature = parseSasToken(token)?.signature;
    if (signature) this.world.secret(signature);
    return this.world.secret(token);
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
    const now = new Date(this.world.now());
    account.formerKeys.push({ name: keyName, value: account.keys[keyName].value, until: now });
    account.keys[keyName] = {
      value: this.world.secret(newStorageKey()),
      creationTime: now,
    };
    this.world.record(`regenerateKey ${account.name} ${keyName}`);
    return account;
  }

  /** ListAccountSAS and ListServiceSAS: a token signed with `keyToSign`, key1 by default. */
  issueSigned(account: AccountState, keyToSign: unknown, request: SasRequest): string {
    const keyName =
      typeof keyToSign === 'string' && keyToSign.toLowerCase() === 'key2' ? 'key2' : 'key1';
    return this.issueSas(account.name, keyName, request);
  }

  snapshot(): unknown[] {
    return [...this.accounts.values()].map((account) => ({ id: account.id, keys: account.keys }));
  }
}
