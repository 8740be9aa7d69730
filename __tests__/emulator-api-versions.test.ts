// The emulator refuses api-versions the real resource types do not offer, with ARM's error bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersions } from '../emulator/api-versions.js';
import type { Emulator } from '../emulator/server.js';
import { raw, setUp } from './support/emulator-clients.js';

const group = (emulator: Emulator) =>
  `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-ml`;
const account = (emulator: Emulator) =>
  `${group(emulator)}/providers/Microsoft.Storage/storageAccounts/mlprodstore`;
const workspace = (emulator: Emulator) =>
  `${group(emulator)}/providers/Microsoft.MachineLearningServices/workspaces/ws-prod`;

describe('api-versions', () => {
  it('offer what the SDKs and the action send', () => {
    assert.ok(apiVersions['Microsoft.Storage/storageAccounts'].includes('2025-08-01'));
    for (const type of [
      'Microsoft.MachineLearningServices/workspaces',
      'Microsoft.MachineLearningServices/workspaces/datastores',
      'Microsoft.MachineLearningServices/workspaces/connections',
      'Microsoft.MachineLearningServices/locations/workspaceOperationsStatus',
    ] as const)
      assert.ok(apiVersions[type].includes('2022-10-01'), type);
    assert.ok(
      apiVersions['Microsoft.MachineLearningServices/workspaces/connections'].includes(
        '2024-10-01',
      ),
    );
    assert.ok(apiVersions['Microsoft.Authorization/permissions'].includes('2022-04-01'));
  });

  it('a well-formed version a provider type lacks is NoRegisteredProviderFound', async () => {
    const { emulator } = await setUp({ scenario: 'sample' });
    const response = await raw(emulator, 'GET', `${account(emulator)}?api-version=1999-01-01`);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'NoRegisteredProviderFound');
    assert.match(
      response.body.error.message,
      /^No registered resource provider found for location 'westeurope' and API version '1999-01-01' for type 'storageAccounts'\. The supported api-versions are '[^']*2025-08-01, 2025-06-01[^']*2015-05-01-preview'\. The supported locations are 'westeurope'\.$/,
    );
    const datastores = await raw(
      emulator,
      'GET',
      `${workspace(emulator)}/datastores?api-version=2021-07-01`,
    );
    assert.equal(datastores.body.error.code, 'NoRegisteredProviderFound');
    assert.match(datastores.body.error.message, /for type 'workspaces\/datastores'/);
    assert.equal(
      (await raw(emulator, 'GET', `${workspace(emulator)}?api-version=2021-07-01`)).status,
      200,
      'workspaces have 2021-07-01; v2 datastores do not',
    );
    const permissions = await raw(
      emulator,
      'GET',
      `${account(emulator)}/providers/Microsoft.Authorization/permissions?api-version=2030-01-01`,
    );
    assert.equal(permissions.body.error.code, 'NoRegisteredProviderFound');
  });

  it('resource groups, malformed versions and too old operations are InvalidApiVersionParameter', async () => {
    const { emulator } = await setUp({ scenario: 'sample' });
    const unknown = await raw(emulator, 'GET', `${group(emulator)}?api-version=1999-01-01`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'InvalidApiVersionParameter');
    assert.match(
      unknown.body.error.message,
      /^The api-version '1999-01-01' is invalid\. The supported versions are '2025-04-01, 2025-03-01, [^']*2015-11-01'\.$/,
    );
    for (const path of [account(emulator), workspace(emulator), group(emulator)]) {
      const malformed = await raw(emulator, 'GET', `${path}?api-version=not-a-version`);
      assert.equal(malformed.status, 400, path);
      assert.equal(malformed.body.error.code, 'InvalidApiVersionParameter', path);
      assert.match(malformed.body.error.message, /The api-version 'not-a-version' is invalid/);
    }
  });

  it('PATCH on connections exists from 2024-10-01; refused versions change nothing', async () => {
    const { emulator } = await setUp({ scenario: 'connections' });
    const connection = `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-hub/providers/Microsoft.MachineLearningServices/workspaces/ws-hub/connections/blob_key`;
    assert.equal((await raw(emulator, 'GET', `${connection}?api-version=2024-04-01`)).status, 200);
    const body = { properties: { authType: 'AccountKey', metadata: { ContainerName: 'x' } } };
    const old = await raw(emulator, 'PATCH', `${connection}?api-version=2024-04-01`, { body });
    assert.equal(old.status, 400);
    assert.equal(old.body.error.code, 'InvalidApiVersionParameter');
    assert.match(
      old.body.error.message,
      /supported versions are '[^']*2024-10-01-preview, 2024-10-01'/,
    );
    assert.deepEqual(emulator.connection('ws-hub', 'blob_key')?.properties.metadata, {
      ContainerName: 'training',
    });
    const keysBefore = emulator.keys('hubstore');
    const regenerate = await raw(
      emulator,
      'POST',
      `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-hub/providers/Microsoft.Storage/storageAccounts/hubstore/regenerateKey?api-version=2099-01-01`,
      { body: { keyName: 'key1' } },
    );
    assert.equal(regenerate.status, 400);
    assert.deepEqual(emulator.keys('hubstore'), keysBefore);
    assert.equal(
      (await raw(emulator, 'PATCH', `${connection}?api-version=2024-10-01`, { body })).status,
      200,
    );
  });
});
