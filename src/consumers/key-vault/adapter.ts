import type { AzurePort, KeyName } from '../../azure/port.js';
import { describeError } from '../../util/secrets.js';
import type { Rekeyed, RekeyTarget } from '../adapter.js';
import { nextVersion } from './tags.js';
import { readSecretValue, rekeyedValue } from './value.js';

export const KEY_VAULT_SECRET = 'key-vault-secret' as const;

/** What discovery keeps of a secret to re-key it: where it is. Never a value. */
export interface ListedSecret {
  vaultUri: string;
}

/** RBAC data actions on a vault's secrets, by what the run does with them. */
export const KEY_VAULT_ACTIONS = {
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  readSecret: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  write: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
} as const;

/**
 * Writes a new version of the secret that holds `key` in the form the current version holds its key
 * (the raw key, or the same connection string with only AccountKey replaced), with the same content
 * type and tags (CredentialId naming the key) and its expiry renewed from ValidityPeriodDays; then
 * reads that version back. Older versions are never disabled or deleted. Returns why it failed, or
 * the version written (none when the secret already held the key).
 */
export async function rekeySecret(
  azure: AzurePort,
  target: RekeyTarget,
  key: string,
  keyName: KeyName,
  now: Date = new Date(),
): Promise<string | Rekeyed | undefined> {
  const { consumer } = target;
  const listed = consumer.listed as ListedSecret | undefined;
  if (!listed?.vaultUri) return 'the vault of the secret is not known to this run';
  try {
    // The value as it is now: another writer may have changed its form since discovery.
    const current = await azure.getSecret(listed.vaultUri, consumer.name);
    const content = readSecretValue(current.value);
    if (!content) return 'its current version no longer holds a storage key; left as it is';
    const value = rekeyedValue(current.value, content, key);
    if (value === current.value) return undefined;
    const written = await azure.setSecret(listed.vaultUri, consumer.name, {
      value,
      ...nextVersion(current.properties, keyName, now),
    });
    const back = await azure.getSecret(listed.vaultUri, consumer.name, written.version);
    if (back.value !== value) {
      return 'the vault accepted the new version but reading it back does not return the new key';
    }
    return {
      ...(written.version ? { version: written.version } : {}),
      ...(written.createdOn ? { createdOn: written.createdOn } : {}),
    };
  } catch (error) {
    return describeError(error);
  }
}
