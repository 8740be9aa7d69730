// The emulator's Key Vaults: each secret that holds a key is a consumer in the timeline, valid while
// its current version holds a current key; the scenario is checked; the data plane answers the
// challenge and refuses other audiences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateScenario, type Scenario } from '../emulator/scenario.js';
import { raw, setUp } from './support/emulator-clients.js';

const scenario: Scenario = {
  subscriptionId: '00000000-0000-0000-0000-0000000000aa',
  tenantId: '11111111-1111-1111-1111-111111111111',
  storageAccounts: [{ resourceGroup: 'rg-data', name: 'store' }],
  workspaces: [],
  keyVaults: [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      secrets: [
        { name: 'raw', value: { key: 'key2' }, tutorialTags: { validityPeriodDays: 60 } },
        { name: 'conn', value: { connectionString: 'key1' } },
        { name: 'password', value: { text: 'hunter2' } },
      ],
    },
  ],
};

describe('emulator: Key Vault secrets in the timeline', () => {
  it('knows the key each secret’s current version holds, and when it stops working', async () => {
    const { emulator, storage } = await setUp({ scenario });
    assert.deepEqual(
      emulator.consumers().map((c) => [c.id, c.valid]),
      [
        ['key-vault-secret:kv-apps/raw', true],
        ['key-vault-secret:kv-apps/conn', true],
      ],
    );
    const raw2 = emulator.vaultSecret('kv-apps', 'raw')!;
    assert.equal(raw2.holds, 'key2');
    assert.equal(raw2.versions[0]!.value, emulator.keys('store').key2);
    assert.equal(raw2.versions[0]!.tags?.ValidityPeriodDays, '60');
    const conn = emulator.vaultSecret('kv-apps', 'conn')!;
    assert.equal(conn.holds, 'key1');
    assert.match(
      conn.versions[0]!.value,
      /^DefaultEndpointsProtocol=https;AccountName=store;AccountKey=/,
    );
    assert.ok(emulator.secrets().includes(conn.versions[0]!.value), 'leak scans know the value');

    await storage.storageAccounts.regenerateKey('rg-data', 'store', { keyName: 'key2' });
    assert.deepEqual(emulator.timeline().at(-1)!.invalid, ['key-vault-secret:kv-apps/raw']);
    assert.equal(emulator.vaultSecret('kv-apps', 'raw')!.holds, 'stale');
  });

  it('answers a request without a token with the challenge, and one for another audience too', async () => {
    const { emulator } = await setUp({ scenario });
    const vaults = await raw(
      emulator,
      'GET',
      `/subscriptions/${scenario.subscriptionId}/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01`,
    );
    const uri = vaults.body.value[0].properties.vaultUri as string;
    const https = await import('node:https');
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; challenge?: string }>((resolve, reject) => {
        const request = https.request(
          `${uri}secrets?api-version=7.6`,
          { ca: emulator.caPem, headers },
          (response) => {
            response.resume();
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                challenge: response.headers['www-authenticate'] as string | undefined,
              }),
            );
          },
        );
        request.on('error', reject);
        request.end();
      });
    const bare = await get({});
    assert.equal(bare.status, 401);
    assert.match(
      bare.challenge ?? '',
      /^Bearer authorization="[^"]+\/11111111-[^"]+", resource="https:\/\/vault\.azure\.net"$/,
    );
    const armToken = `e30.${Buffer.from(JSON.stringify({ aud: 'https://management.azure.com' })).toString('base64url')}.sig`;
    assert.equal((await get({ authorization: `Bearer ${armToken}` })).status, 401);
  });

  it('refuses a scenario whose secrets hold nothing it knows', () => {
    const bad = structuredClone(scenario);
    bad.keyVaults![0]!.secrets!.push(
      { name: 'raw', value: { key: 'key3' as 'key1' } },
      { name: 'x_y', value: { text: 'a' }, account: 'nowhere' },
    );
    assert.throws(
      () => validateScenario(bad),
      (error: Error) =>
        error.message.includes('secret kv-apps/raw appears twice') &&
        error.message.includes('must be key1, key2 or stale, not key3') &&
        error.message.includes('secret kv-apps/x_y: a name of 1-127') &&
        error.message.includes('unknown account nowhere'),
    );
  });
});
