// The emulator's App Service apps: their Key Vault references (ApiKVReference) stay on the version
// they resolved until a refresh re-resolves them to the secret's current one; the routes check the api-version and the caller's RBAC action per app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/scenario.js';
import { raw, setUp } from './support/emulator-clients.js';

const SUB = '00000000-0000-0000-0000-0000000000aa';
const scenario = (permissions?: Scenario['permissions']): Scenario => ({
  subscriptionId: SUB,
  tenantId: '11111111-1111-1111-1111-111111111111',
  storageAccounts: [{ resourceGroup: 'rg-data', name: 'store' }],
  workspaces: [],
  keyVaults: [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      secrets: [{ name: 'raw', value: { key: 'key2' } }],
    },
  ],
  webApps: [
    {
      resourceGroup: 'rg-web',
      name: 'web-1',
      keyVaultReferences: [{ setting: 'KEY', vault: 'kv-apps', secret: 'raw' }],
    },
    {
      resourceGroup: 'rg-web',
      name: 'web-2',
      keyVaultReferences: [{ setting: 'KEY', vault: 'kv-apps', secret: 'missing' }],
    },
  ],
  ...(permissions ? { permissions } : {}),
});
const site = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/${name}/config/configreferences/appsettings`;

describe('emulator: App Service Key Vault references', () => {
  it('lists each reference with its status and the version in use; a refresh is a write', async () => {
    const { emulator } = await setUp({ scenario: scenario() });
    const first = emulator.vaultSecret('kv-apps', 'raw')!.versions[0]!.version;
    const listed = await raw(emulator, 'GET', `${site('web-1')}?api-version=2022-03-01`);
    assert.equal(listed.status, 200);
    const [reference] = (
      listed.body as { value: { name: string; properties: Record<string, string> }[] }
    ).value;
    assert.equal(reference!.name, 'KEY');
    assert.deepEqual(
      [
        reference!.properties.status,
        reference!.properties.activeVersion,
        reference!.properties.secretName,
      ],
      ['Resolved', first, 'raw'],
    );
    const missing = await raw(emulator, 'GET', `${site('web-2')}?api-version=2022-03-01`);
    const [unresolved] = (missing.body as { value: { properties: Record<string, string> }[] })
      .value;
    assert.equal(unresolved!.properties.status, 'SecretNotFound');

    // The e2e test (e2e-app-refresh) writes a new version and sees the refresh pick it up.
    const refreshed = await raw(
      emulator,
      'POST',
      `${site('web-1')}/refresh?api-version=2022-03-01`,
    );
    assert.equal(refreshed.status, 200);
    assert.equal(emulator.appReferences('web-1')![0]!.activeVersion, first);
    assert.equal(emulator.appReferences('web-2')![0]!.status, 'SecretNotFound');
    assert.deepEqual(
      emulator.writes().map((w) => w.operation),
      ['WebApps.refreshAppSettingsKeyVaultReferences'],
    );
  });

  it('refuses an api-version Microsoft.Web lacks, and a refresh the login may not make (403)', async () => {
    const { emulator } = await setUp({
      scenario: scenario({
        actions: ['*'],
        overrides: [
          {
            scope: 'sites/web-2',
            actions: ['*'],
            notActions: ['Microsoft.Web/sites/config/write'],
          },
        ],
      }),
    });
    const bad = await raw(emulator, 'GET', `${site('web-1')}?api-version=2023-07-01`);
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { code: string } }).error.code, 'NoRegisteredProviderFound');
    const refused = await raw(emulator, 'POST', `${site('web-2')}/refresh?api-version=2022-03-01`);
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { error: { code: string } }).error.code, 'AuthorizationFailed');
    const allowed = await raw(emulator, 'POST', `${site('web-1')}/refresh?api-version=2022-03-01`);
    assert.equal(allowed.status, 200);
    const read = await raw(emulator, 'GET', `${site('web-2')}?api-version=2022-03-01`);
    assert.equal(read.status, 200, 'reading stays allowed');
  });
});
