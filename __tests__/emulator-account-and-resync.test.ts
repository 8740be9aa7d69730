// Account key policy and Shared Key access, and the resync long-running operation's timing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario, serviceResyncTiming, validateScenario } from '../emulator/scenario.js';
import { raw, rejection, setUp } from './support/emulator-clients.js';

describe('storage account policy', () => {
  it('returns keyPolicy as the storage spec shapes it', async () => {
    const scenario = loadScenario('sample');
    scenario.storageAccounts[0]!.keyPolicy = { keyExpirationPeriodInDays: 90 };
    const { storage } = await setUp({ scenario });
    const account = await storage.storageAccounts.getProperties('rg-ml', 'mlprodstore');
    assert.deepEqual(account.keyPolicy, { keyExpirationPeriodInDays: 90 });
    const other = await storage.storageAccounts.getProperties('rg-other', 'otherstore');
    assert.equal(other.keyPolicy, undefined);
  });

  it('without Shared Key access, key and SAS consumers are invalid; listKeys still answers', async () => {
    const scenario = loadScenario('connections');
    scenario.storageAccounts[0]!.allowSharedKeyAccess = false;
    const { emulator, storage, ml } = await setUp({ scenario });
    assert.deepEqual(emulator.timeline()[0]?.invalid.sort(), [
      'connection:ws-hub/blob_key',
      'connection:ws-hub/lake_sas',
      'connection:ws-hub/proxied_key',
      'datastore:ws-hub/workspaceblobstore',
      'workspace:ws-hub',
    ]);
    assert.ok(!emulator.invalidConsumers().includes('connection:ws-hub/other_key'));
    const keys = await storage.storageAccounts.listKeys('rg-hub', 'hubstore');
    assert.equal(keys.keys?.[0]?.value, emulator.keys('hubstore').key1);
    assert.equal(emulator.holds('hubstore', emulator.workspaceKey('ws-hub')), 'key1');

    const current = await ml.datastores.get('rg-hub', 'ws-hub', 'workspaceblobstore');
    const refused = await rejection(
      ml.datastores.createOrUpdate('rg-hub', 'ws-hub', 'workspaceblobstore', {
        properties: {
          ...current.properties,
          credentials: {
            credentialsType: 'AccountKey',
            secrets: { secretsType: 'AccountKey', key: emulator.keys('hubstore').key1 },
          },
        },
      }),
    );
    assert.equal(refused.statusCode, 400);
    assert.match(refused.message, /not permitted/);
  });

  it('validates keyPolicy and resync timing', () => {
    const scenario = loadScenario('sample');
    scenario.storageAccounts[0]!.keyPolicy = { keyExpirationPeriodInDays: 0 };
    scenario.resync = { retryAfterSeconds: -1, durationMs: 1.5 };
    assert.throws(
      () => validateScenario(scenario),
      (error: Error) =>
        /keyExpirationPeriodInDays must be a positive integer/.test(error.message) &&
        /resync.retryAfterSeconds/.test(error.message) &&
        /resync.durationMs/.test(error.message),
    );
  });
});

describe('resyncKeys timing', () => {
  it("declares the scenario's Retry-After on the 202 and on every poll until done", async () => {
    const scenario = loadScenario('sample');
    // Runs for a minute: still in progress at every poll below, however slow the machine.
    scenario.resync = { ...serviceResyncTiming, durationMs: 60_000 };
    const { emulator } = await setUp({ scenario });
    const workspace = `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-prod`;
    const accepted = await raw(emulator, 'POST', `${workspace}/resyncKeys?api-version=2024-10-01`);
    assert.equal(accepted.status, 202);
    assert.equal(accepted.headers['retry-after'], '10');
    const pathOf = (header: unknown) => {
      const url = new URL(String(header));
      return url.pathname + url.search;
    };
    const location = pathOf(accepted.headers.location);
    const asyncOperation = pathOf(accepted.headers['azure-asyncoperation']);
    assert.match(location, /api-version=2024-10-01/);

    const pollingLocation = await raw(emulator, 'GET', location);
    assert.equal(pollingLocation.status, 202);
    assert.equal(pollingLocation.headers['retry-after'], '10');
    const pollingAsync = await raw(emulator, 'GET', asyncOperation);
    assert.equal(pollingAsync.body.status, 'InProgress');
    assert.equal(pollingAsync.headers['retry-after'], '10');
  });

  it('declares no Retry-After once the operation is done', async () => {
    const scenario = loadScenario('sample');
    scenario.resync = { ...serviceResyncTiming, durationMs: 0 };
    const { emulator } = await setUp({ scenario });
    const workspace = `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-prod`;
    const accepted = await raw(emulator, 'POST', `${workspace}/resyncKeys?api-version=2024-10-01`);
    assert.equal(accepted.status, 202);
    const pathOf = (header: unknown) => {
      const url = new URL(String(header));
      return url.pathname + url.search;
    };
    const done = await raw(emulator, 'GET', pathOf(accepted.headers['azure-asyncoperation']));
    assert.equal(done.body.status, 'Succeeded');
    assert.equal(done.headers['retry-after'], undefined);
    assert.equal((await raw(emulator, 'GET', pathOf(accepted.headers.location))).status, 200);
  });
});
