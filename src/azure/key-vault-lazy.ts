import type { KeyVaultOperations } from './key-vault.js';

/**
 * The Key Vault operations, loaded on first use: only runs given `key-vaults` call them, and the
 * Key Vault SDK would otherwise be compiled at every run's start.
 */
export function lazyKeyVaultOperations(
  ...args: Parameters<typeof import('./key-vault.js').createKeyVaultOperations>
): KeyVaultOperations {
  let loaded: Promise<KeyVaultOperations> | undefined;
  const operations = () =>
    (loaded ??= import('./key-vault.js').then((m) => m.createKeyVaultOperations(...args)));
  return {
    listVaults: async (...a) => (await operations()).listVaults(...a),
    getVault: async (...a) => (await operations()).getVault(...a),
    listSecretProperties: async (...a) => (await operations()).listSecretProperties(...a),
    getSecret: async (...a) => (await operations()).getSecret(...a),
    setSecret: async (...a) => (await operations()).setSecret(...a),
  };
}
