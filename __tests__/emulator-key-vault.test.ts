// The emulator's Key Vaults: each secret that holds a key is a consumer in the timeline, valid while
// its current version holds a current key; the scenario is checked; the data plane answers the
// challenge and refuses other audiences; an RBAC vault enforces the scenario's data actions at the
// secret's scope, and the permissions API lists them there.
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

  it('answers a token its Entra issued with the challenge again once the token has expired (world clock)', async () => {
    const { emulator } = await setUp({ scenario });
    const vaults = await raw(
      emulator,
      'GET',
      `/subscriptions/${scenario.subscriptionId}/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01`,
    );
    const uri = vaults.body.value[0].properties.vaultUri as string;
    const https = await import('node:https');
    const send = (
      url: string,
      options: { method?: string; headers?: Record<string, string> },
      body?: string,
    ) =>
      new Promise<{ status: number; text: string; challenge?: string }>((resolve, reject) => {
        const request = https.request(url, { ca: emulator.caPem, ...options }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text,
              challenge: response.headers['www-authenticate'] as string | undefined,
            }),
          );
        });
        request.on('error', reject);
        request.end(body);
      });
    const issued = await send(
      `${emulator.url}/${scenario.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'app',
        client_secret: 'a-client-secret',
        scope: 'https://vault.azure.net/.default',
      }).toString(),
    );
    assert.equal(issued.status, 200, issued.text);
    const { access_token: token } = JSON.parse(issued.text) as { access_token: string };
    const list = () =>
      send(`${uri}secrets?api-version=7.6`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await list()).status, 200);
    emulator.advanceClock(2 * 3_600_000);
    const expired = await list();
    assert.equal(expired.status, 401);
    assert.match(expired.challenge ?? '', /resource="https:\/\/vault\.azure\.net"/);
  });

  it('an RBAC vault enforces the data actions at the secret’s scope; the permissions API lists them', async () => {
    const READ = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
    const SET = 'Microsoft.KeyVault/vaults/secrets/setSecret/action';
    const LIST = 'Microsoft.KeyVault/vaults/secrets/readMetadata/action';
    const granted = structuredClone(scenario);
    granted.permissions = {
      actions: ['*'],
      dataActions: [READ, LIST],
      overrides: [
        { scope: 'vaults/kv-apps/secrets/conn', actions: ['*'], dataActions: [READ, SET] },
      ],
    };
    const { emulator } = await setUp({ scenario: granted });
    const vaultId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/kv-apps`;
    const listed = async (scope: string) =>
      (
        await raw(
          emulator,
          'GET',
          `${scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
        )
      ).body.value[0].dataActions as string[];
    assert.deepEqual(await listed(vaultId), [READ, LIST]);
    assert.deepEqual(await listed(`${vaultId}/secrets/conn`), [READ, SET]);

    const vault = await raw(emulator, 'GET', `${vaultId}?api-version=2023-07-01`);
    const uri = vault.body.properties.vaultUri as string;
    const token = `e30.${Buffer.from(JSON.stringify({ aud: 'https://vault.azure.net', oid: 'login' })).toString('base64url')}.sig`;
    const https = await import('node:https');
    const call = (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = https.request(
          `${uri}${path}?api-version=7.6`,
          {
            method,
            ca: emulator.caPem,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on('error', reject);
        request.end(body === undefined ? undefined : JSON.stringify(body));
      });
    assert.equal((await call('GET', 'secrets')).status, 200, 'readMetadata on the vault');
    assert.equal((await call('GET', 'secrets/raw')).status, 200);
    assert.equal((await call('PUT', 'secrets/conn', { value: 'new' })).status, 200);
    const refused = await call('PUT', 'secrets/raw', { value: 'new' });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /ForbiddenByRbac/);
    assert.match(refused.text, /secrets\/setSecret\/action/);
    assert.match(refused.text, /vaults\/kv-apps\/secrets\/raw/);
    assert.equal(emulator.vaultSecret('kv-apps', 'raw')!.versions.length, 1);
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
