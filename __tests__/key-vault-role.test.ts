// The shipped Key Vault role grants exactly the data actions the Key Vault adapter uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KEY_VAULT_ACTIONS } from '../src/consumers/key-vault/adapter.js';

describe('role/aml-storage-key-rotation-key-vault.json', () => {
  it('grants the vault read, the preflight its permission read and the secret data actions the adapter uses, nothing more', () => {
    const role = JSON.parse(
      readFileSync('role/aml-storage-key-rotation-key-vault.json', 'utf8'),
    ) as { Actions: string[]; DataActions: string[] };
    // The vault may lie outside the main role's scope: the preflight asks what the login may do there.
    assert.deepEqual(role.Actions, [
      'Microsoft.KeyVault/vaults/read',
      'Microsoft.Authorization/permissions/read',
    ]);
    assert.deepEqual([...role.DataActions].sort(), Object.values(KEY_VAULT_ACTIONS).sort());
  });
});
