import type { ConsumerAdapter } from '../adapter.js';
import { KEY_VAULT_ACTIONS, KEY_VAULT_SECRET, rekeySecret } from './adapter.js';

export {
  discoverVault,
  resolveVaults,
  type VaultConsumers,
  type VaultName,
  type VaultRequest,
} from './discover.js';

/** Key Vault secrets that hold a key, raw or in a connection string: re-keyed as new versions. */
export const keyVaultSecrets: ConsumerAdapter = {
  kind: KEY_VAULT_SECRET,
  actions: KEY_VAULT_ACTIONS,
  rekey: (azure, target, key) =>
    target.to
      ? rekeySecret(azure, target, key, target.to)
      : Promise.resolve('the key it is moved to is not known'),
};
