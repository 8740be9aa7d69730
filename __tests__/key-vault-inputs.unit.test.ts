// The key-vaults input: vault names, vault/secret, resource IDs of vaults and secrets, one a line,
// merged by vault; anything else is a problem that names the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeyVaults } from '../src/inputs/key-vaults.js';

const ID = '/subscriptions/sub/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/kv-apps';

describe('parseKeyVaults', () => {
  it('a vault named alone is searched for tagged secrets; vault/secret names one secret', () => {
    assert.deepEqual(parseKeyVaults(['kv-apps', 'kv-data/storage-conn', '']), {
      vaults: [
        { vault: { name: 'kv-apps' }, tagged: true, secrets: [] },
        { vault: { name: 'kv-data' }, tagged: false, secrets: ['storage-conn'] },
      ],
      problems: [],
    });
  });

  it('lines of one vault merge: by name and by ID alike, the ID kept', () => {
    const { vaults, problems } = parseKeyVaults(['KV-APPS/a', `${ID}/secrets/b`, 'kv-apps/A', ID]);
    assert.deepEqual(problems, []);
    assert.deepEqual(vaults, [
      {
        vault: { ref: { subscriptionId: 'sub', resourceGroup: 'rg-apps', name: 'kv-apps' } },
        tagged: true,
        secrets: ['a', 'b'],
      },
    ]);
  });

  it('names what is wrong with each bad line', () => {
    const { problems } = parseKeyVaults([
      'kv/a/b',
      'x',
      'kv-apps/under_score',
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/kv',
    ]);
    assert.equal(problems.length, 4);
    assert.match(problems[0]!, /^key-vaults: 'kv\/a\/b' is neither a vault name/);
    assert.match(problems[3]!, /is not the resource ID of a Key Vault/);
  });
});
