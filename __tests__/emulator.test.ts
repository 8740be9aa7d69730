// The emulator, driven through the real SDK clients the action uses.
import type { AzureBlobDatastore } from '@azure/arm-machinelearning';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { describe, it } from 'node:test';
import { loadScenario, type Scenario } from '../emulator/scenario.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { ARM_SCOPE, raw, rejection, sampleArm, setUp } from './support/emulator-clients.js';

describe('scenarios', () => {
  it('load and validate, with copies expanded for paging', async () => {
    for (const name of ['sample', 'multi-workspace', 'paged', 'stale', 'connections'])
      loadScenario(name);
    const { emulator, ml } = await setUp({ scenario: 'paged' });
    const names: string[] = [];
    for await (const datastore of ml.datastores.list('rg-big', 'ws-big'))
      names.push(datastore.name ?? '');
    assert.equal(names.length, 75);
    assert.equal(new Set(names).size, 75);
    assert.ok(names.includes('blob_01') && names.includes('identity_13'));
    assert.deepEqual(emulator.invalidConsumers(), []);
  });

  it('rejects a scenario whose workspace points at an unknown account', () => {
    const scenario = loadScenario('sample');
    scenario.workspaces[0]!.storageAccount = 'nosuchstore';
    return assert.rejects(startEmulator({ scenario }), /unknown storageAccount nosuchstore/);
  });

  // How fast it starts is measured by `npm run bench`, not asserted: a shared machine is slow at times.
  it('reuses one certificate per process', async () => {
    const first = await setUp({ scenario: 'sample' });
    const second = await setUp({ scenario: 'sample' });
    assert.equal(second.emulator.caFile, first.emulator.caFile);
    assert.notEqual(
      second.emulator.keys('mlprodstore').key1,
      first.emulator.keys('mlprodstore').key1,
    );
  });
});

describe('Microsoft.Storage', () => {
  it('getProperties, listKeys and regenerateKey', async () => {
    const { emulator, storage } = await setUp({ scenario: 'sample' });
    const account = await storage.storageAccounts.getProperties('RG-ML', 'MLPRODSTORE');
    assert.equal(account.name, 'mlprodstore');
    assert.equal(account.kind, 'StorageV2');
    assert.equal(account.primaryEndpoints?.blob, 'https://mlprodstore.blob.core.windows.net/');
    assert.equal(account.allowSharedKeyAccess, true);
    const key1Age = (Date.now() - (account.keyCreationTime?.key1?.getTime() ?? 0)) / 86_400_000;
    assert.ok(Math.abs(key1Age - 120) < 0.01);

    const before = await storage.storageAccounts.listKeys('rg-ml', 'mlprodstore');
    assert.deepEqual(
      before.keys?.map((key) => [key.keyName, key.value, key.permissions]),
      [
        ['key1', emulator.keys('mlprodstore').key1, 'FULL'],
        ['key2', emulator.keys('mlprodstore').key2, 'FULL'],
      ],
    );
    assert.ok(before.keys?.[0]?.creationTime instanceof Date);

    const asked = Date.now();
    const after = await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', {
      keyName: 'KEY2',
    });
    assert.equal(after.keys?.[0]?.value, before.keys?.[0]?.value);
    assert.notEqual(after.keys?.[1]?.value, before.keys?.[1]?.value);
    assert.equal(after.keys?.[1]?.value, emulator.keys('mlprodstore').key2);
    // Created by this call: no bound on how long the call took.
    const created = after.keys?.[1]?.creationTime?.getTime() ?? 0;
    assert.ok(created >= asked && created <= Date.now(), 'key2 was created by the call');
    assert.ok(
      emulator.secrets().includes(before.keys?.[1]?.value ?? ''),
      'old keys stay in secrets()',
    );
    assert.equal(emulator.writes().length, 1);
    assert.equal(emulator.writes()[0]?.apiVersion, '2025-08-01');
    assert.equal(emulator.writes()[0]?.operation, 'StorageAccounts.regenerateKey');
  });

  it('answers ARM errors: bad key name, unknown account or group, missing bearer token', async () => {
    const { emulator, storage } = await setUp({ scenario: 'sample' });
    const badKey = await rejection(
      storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'kerb1' }),
    );
    assert.equal(badKey.statusCode, 400);
    assert.equal(badKey.code, 'InvalidValuesForRequestParameters');
    const missing = await rejection(storage.storageAccounts.getProperties('rg-ml', 'nosuchstore'));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'ResourceNotFound');
    const noGroup = await rejection(storage.storageAccounts.listKeys('rg-nope', 'mlprodstore'));
    assert.equal(noGroup.code, 'ResourceGroupNotFound');
    const unauthenticated = await raw(
      emulator,
      'GET',
      `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore?api-version=2025-08-01`,
      {
        token: null,
      },
    );
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.body.error.code, 'AuthenticationFailed');
    assert.equal(emulator.writes().length, 1, 'a failed regenerateKey attempt is still a write');
  });
});

describe('Microsoft.MachineLearningServices workspaces', () => {
  it('get, list by resource group and subscription, listKeys', async () => {
    const { emulator, ml } = await setUp({ scenario: 'multi-workspace' });
    const workspace = await ml.workspaces.get('rg-shared', 'WS-TEAM-A');
    assert.equal(workspace.name, 'ws-team-a');
    assert.equal(workspace.identity?.type, 'SystemAssigned');
    assert.equal(
      workspace.storageAccount,
      `/subscriptions/${emulator.subscriptionId}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/sharedstore`,
    );
    const teamB = await ml.workspaces.get('rg-team-b', 'ws-team-b');
    assert.match(
      teamB.storageAccount ?? '',
      /resourcegroups\/rg-shared\/providers\/microsoft\.storage/,
    );

    const all: string[] = [];
    for await (const item of ml.workspaces.listBySubscription()) all.push(item.name ?? '');
    assert.deepEqual(all.sort(), ['ws-team-a', 'ws-team-b', 'ws-team-c']);
    const inGroup: string[] = [];
    for await (const item of ml.workspaces.listByResourceGroup('rg-team-c'))
      inGroup.push(item.name ?? '');
    assert.deepEqual(inGroup, ['ws-team-c']);

    const keys = await ml.workspaces.listKeys('rg-team-b', 'ws-team-b');
    assert.equal(keys.userStorageKey, emulator.keys('sharedstore').key2);
    assert.equal(keys.userStorageResourceId, workspace.storageAccount);
    assert.equal(emulator.workspaceKey('ws-team-b'), keys.userStorageKey);
  });

  for (const pollingHeaders of ['location+async', 'location'] as const) {
    it(`resyncKeys is a long-running operation (${pollingHeaders})`, async () => {
      const scenario = loadScenario('sample');
      scenario.resync = { takes: 'key1', durationMs: 300, pollingHeaders };
      const { emulator, storage, ml } = await setUp({ scenario });
      await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key1' });
      assert.ok(emulator.invalidConsumers().includes('workspace:ws-prod'));

      const started = Date.now();
      await ml.workspaces.beginResyncKeysAndWait('rg-ml', 'ws-prod', { updateIntervalInMs: 25 });
      assert.ok(Date.now() - started >= 290, 'the poller waited for the operation');
      assert.equal(emulator.workspaceKey('ws-prod'), emulator.keys('mlprodstore').key1);
      assert.equal(emulator.holds('mlprodstore', emulator.workspaceKey('ws-prod')), 'key1');
      assert.ok(!emulator.invalidConsumers().includes('workspace:ws-prod'));

      const polls = emulator.requests().filter((r) => r.operation === 'Workspaces.operationStatus');
      assert.ok(polls.length >= 2, 'polled at least twice');
      const types = new Set(polls.map((poll) => poll.query.type));
      assert.deepEqual(
        [...types].sort(),
        pollingHeaders === 'location' ? ['location'] : ['async', 'location'],
      );
      assert.equal(polls.at(-1)?.status, 200);
      assert.deepEqual(
        emulator.writes().map((write) => write.operation),
        ['StorageAccounts.regenerateKey', 'Workspaces.resyncKeys'],
      );
      assert.equal(emulator.writes()[1]?.status, 202);
    });
  }

  it('resync takes the newest key and, when configured, rewrites the system datastores', async () => {
    const scenario = loadScenario('sample');
    scenario.resync = { takes: 'newest', durationMs: 0, updatesDefaultDatastores: true };
    const { emulator, storage, ml } = await setUp({ scenario });
    await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key2' });
    await ml.workspaces.beginResyncKeysAndWait('rg-ml', 'ws-prod', { updateIntervalInMs: 10 });
    assert.equal(emulator.workspaceKey('ws-prod'), emulator.keys('mlprodstore').key2);
    assert.equal(
      emulator.datastore('ws-prod', 'workspaceblobstore')?.secret,
      emulator.keys('mlprodstore').key2,
    );
    assert.equal(
      emulator.datastore('ws-prod', 'workspacefilestore')?.secret,
      emulator.keys('mlprodstore').key2,
    );
    assert.equal(
      emulator.holds('mlprodstore', emulator.datastore('ws-prod', 'training_data')?.secret),
      'stale',
    );
  });

  it('a failing resync surfaces as an LRO failure and changes nothing', async () => {
    const scenario = loadScenario('sample');
    scenario.resync = {
      durationMs: 50,
      fail: { code: 'UserError', message: 'Storage account is behind a firewall.' },
    };
    const { emulator, ml } = await setUp({ scenario });
    const keyBefore = emulator.workspaceKey('ws-prod');
    const failure = await rejection(
      ml.workspaces.beginResyncKeysAndWait('rg-ml', 'ws-prod', { updateIntervalInMs: 10 }),
    );
    assert.match(failure.message, /firewall/);
    assert.equal(emulator.workspaceKey('ws-prod'), keyBefore);
  });
});

describe('Microsoft.MachineLearningServices datastores', () => {
  it('lists across pages with count=30 and $skip nextLinks, and filters', async () => {
    const { emulator, ml } = await setUp({ scenario: 'paged' });
    const pages: number[] = [];
    for await (const items of ml.datastores.list('rg-big', 'ws-big').byPage())
      pages.push(items.length);
    assert.deepEqual(pages, [30, 30, 15]);
    const lists = emulator.requests().filter((r) => r.operation === 'Datastores.list');
    assert.deepEqual(
      lists.map((r) => [r.query.count, r.query.$skip, r.apiVersion]),
      [
        ['30', undefined, '2022-10-01'],
        ['30', '30', '2022-10-01'],
        ['30', '60', '2022-10-01'],
      ],
    );
    const defaults: string[] = [];
    for await (const item of ml.datastores.list('rg-big', 'ws-big', { isDefault: true }))
      defaults.push(item.name ?? '');
    assert.deepEqual(defaults, ['workspaceblobstore']);
    const named: string[] = [];
    for await (const item of ml.datastores.list('rg-big', 'ws-big', {
      names: ['blob_02', 'SHARE_20'],
    }))
      named.push(item.name ?? '');
    assert.deepEqual(named, ['blob_02', 'share_20']);
  });

  it('get never returns secrets; listSecrets does, per credentials type', async () => {
    const { emulator, ml } = await setUp({ scenario: 'sample' });
    const training = await ml.datastores.get('rg-ml', 'ws-prod', 'Training_Data');
    assert.equal(training.type, 'Microsoft.MachineLearningServices/workspaces/datastores');
    assert.deepEqual(training.properties.credentials, { credentialsType: 'AccountKey' });
    assert.equal(training.properties.isDefault, false);
    assert.ok(training.systemData?.createdAt instanceof Date);
    const secrets = await ml.datastores.listSecrets('rg-ml', 'ws-prod', 'training_data');
    assert.deepEqual(secrets, {
      secretsType: 'AccountKey',
      key: emulator.keys('mlprodstore').key2,
    });
    const sas = await ml.datastores.listSecrets('rg-ml', 'ws-prod', 'sas_exports');
    assert.equal(sas.secretsType, 'Sas');
    assert.equal(emulator.holds('mlprodstore', (sas as { sasToken?: string }).sasToken), 'key1');
    const principal = await ml.datastores.listSecrets('rg-ml', 'ws-prod', 'lake');
    assert.equal(principal.secretsType, 'ServicePrincipal');
    assert.ok(
      emulator.secrets().includes((principal as { clientSecret?: string }).clientSecret ?? ''),
    );
    const none = await rejection(ml.datastores.listSecrets('rg-ml', 'ws-prod', 'identity_blob'));
    assert.equal(none.statusCode, 400);
    const missing = await rejection(ml.datastores.get('rg-ml', 'ws-prod', 'nope'));
    assert.equal(missing.statusCode, 404);
  });

  it('createOrUpdate validates account keys unless skipValidation, keeps every property', async () => {
    const { emulator, ml } = await setUp({ scenario: 'sample' });
    const current = await ml.datastores.get('rg-ml', 'ws-prod', 'training_data');
    const withKey = (key: string) => ({
      properties: {
        ...current.properties,
        credentials: {
          credentialsType: 'AccountKey' as const,
          secrets: { secretsType: 'AccountKey' as const, key },
        },
      },
    });

    const wrong = await rejection(
      ml.datastores.createOrUpdate('rg-ml', 'ws-prod', 'training_data', withKey('d3Jvbmc=')),
    );
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.message, /mlprodstore/);
    assert.equal(emulator.writes().length, 1, '400 is not retried');
    assert.equal(emulator.writes()[0]?.query.skipValidation, 'false');

    const skipped = await ml.datastores.createOrUpdate(
      'rg-ml',
      'ws-prod',
      'training_data',
      withKey('d3Jvbmc='),
      {
        skipValidation: true,
      },
    );
    assert.deepEqual(skipped.properties.credentials, { credentialsType: 'AccountKey' });
    assert.ok(emulator.invalidConsumers().includes('datastore:ws-prod/training_data'));

    const key1 = emulator.keys('mlprodstore').key1;
    const updated = await ml.datastores.createOrUpdate(
      'rg-ml',
      'ws-prod',
      'training_data',
      withKey(key1),
    );
    assert.equal(emulator.datastore('ws-prod', 'training_data')?.secret, key1);
    assert.ok(!emulator.invalidConsumers().includes('datastore:ws-prod/training_data'));
    const stored = emulator.datastore('ws-prod', 'training_data')?.properties;
    for (const field of [
      'description',
      'tags',
      'properties',
      'containerName',
      'accountName',
      'endpoint',
      'protocol',
      'serviceDataAccessAuthIdentity',
    ]) {
      assert.deepEqual(
        stored?.[field],
        (current.properties as unknown as Record<string, unknown>)[field],
        field,
      );
    }
    assert.equal(
      JSON.stringify(updated).includes(key1),
      false,
      'the PUT response carries no secret',
    );
    const putBody = emulator.writes().at(-1)?.body as { properties: { isDefault?: unknown } };
    assert.equal('isDefault' in putBody.properties, false, 'the SDK drops read-only isDefault');

    const created = await ml.datastores.createOrUpdate('rg-ml', 'ws-prod', 'brand_new', {
      properties: { ...withKey(key1).properties, containerName: 'fresh' } as AzureBlobDatastore,
    });
    assert.equal(created.name, 'brand_new');
    assert.equal(emulator.writes().at(-1)?.status, 201);
  });

  it('a datastore can be made to fail every PUT', async () => {
    const scenario = loadScenario('sample');
    scenario.workspaces[0]!.datastores!.find((d) => d.name === 'training_data')!.failPut = {
      status: 409,
      code: 'Conflict',
      message: 'Datastore is locked.',
    };
    const { emulator, ml } = await setUp({ scenario });
    const current = await ml.datastores.get('rg-ml', 'ws-prod', 'training_data');
    const key = emulator.keys('mlprodstore').key1;
    const failure = await rejection(
      ml.datastores.createOrUpdate('rg-ml', 'ws-prod', 'training_data', {
        properties: {
          ...current.properties,
          credentials: {
            credentialsType: 'AccountKey',
            secrets: { secretsType: 'AccountKey', key },
          },
        },
      }),
    );
    assert.equal(failure.statusCode, 409);
    assert.equal(failure.code, 'Conflict');
  });
});

describe('faults and latency', () => {
  it('429 with Retry-After, 503 and a connection reset are retried by the SDK', async () => {
    const { emulator, storage, ml } = await setUp({
      scenario: 'sample',
      faults: [
        { method: 'POST', path: '/listKeys', kind: 'status', status: 429, retryAfterSeconds: 1 },
      ],
    });
    emulator.addFault({
      method: 'GET',
      path: /workspaces\/ws-prod$/i,
      kind: 'status',
      status: 503,
    });
    emulator.addFault({ path: '/datastores', kind: 'reset', times: 2 });

    const started = Date.now();
    const keys = await storage.storageAccounts.listKeys('rg-ml', 'mlprodstore');
    assert.ok(Date.now() - started >= 950, 'Retry-After was honoured');
    assert.equal(keys.keys?.length, 2);
    const workspace = await ml.workspaces.get('rg-ml', 'ws-prod');
    assert.equal(workspace.name, 'ws-prod');
    const names: string[] = [];
    for await (const datastore of ml.datastores.list('rg-ml', 'ws-prod'))
      names.push(datastore.name ?? '');
    assert.equal(names.length, 7);

    const faulted = emulator.requests().filter((r) => r.fault);
    assert.deepEqual(
      faulted.map((r) => [r.operation, r.fault]),
      [
        ['StorageAccounts.listKeys', 'status 429'],
        ['Workspaces.get', 'status 503'],
        ['Datastores.list', 'reset'],
        ['Datastores.list', 'reset'],
      ],
    );
  });

  it('skip lets requests through first; a fault body can carry anything', async () => {
    const { emulator, storage } = await setUp({ scenario: 'sample' });
    const leaked = emulator.keys('mlprodstore').key1;
    emulator.addFault({
      path: 'regenerateKey',
      kind: 'status',
      status: 400,
      skip: 1,
      body: { error: { code: 'BadRequest', message: `key ${leaked} rejected` } },
    });
    await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key2' });
    const failure = await rejection(
      storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key2' }),
    );
    assert.match(failure.message, new RegExp(leaked.replace(/[+/=]/g, '\\$&')));
  });

  it('latencyMs delays every ARM request', async () => {
    const { storage } = await setUp({ scenario: 'sample', latencyMs: 150 });
    const started = Date.now();
    await storage.storageAccounts.getProperties('rg-ml', 'mlprodstore');
    assert.ok(Date.now() - started >= 145);
  });
});

describe('consumers and the timeline', () => {
  it('records a consumer becoming invalid when its key is regenerated', async () => {
    const { emulator, storage } = await setUp({ scenario: 'sample' });
    assert.deepEqual(emulator.invalidConsumers(), []);
    assert.deepEqual(
      emulator
        .consumers()
        .map((c) => c.id)
        .sort(),
      [
        'datastore:ws-prod/other_account',
        'datastore:ws-prod/sas_exports',
        'datastore:ws-prod/training_data',
        'datastore:ws-prod/workspaceblobstore',
        'datastore:ws-prod/workspacefilestore',
        'workspace:ws-prod',
      ],
    );
    await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key2' });
    const timeline = emulator.timeline();
    assert.equal(timeline[0]?.event, 'initial');
    const regenerated = timeline.at(-1);
    assert.equal(regenerated?.event, 'regenerateKey mlprodstore key2');
    assert.deepEqual(regenerated?.invalid, ['datastore:ws-prod/training_data']);
    const request = emulator.writes()[0];
    assert.ok(
      (request?.seq ?? Infinity) < (regenerated?.seq ?? 0),
      'timeline and requests share one sequence',
    );

    await storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key1' });
    assert.deepEqual(emulator.invalidConsumers().sort(), [
      'datastore:ws-prod/sas_exports',
      'datastore:ws-prod/training_data',
      'datastore:ws-prod/workspaceblobstore',
      'datastore:ws-prod/workspacefilestore',
      'workspace:ws-prod',
    ]);
  });

  it('stale consumers are invalid from the start', async () => {
    const { emulator } = await setUp({ scenario: 'stale' });
    assert.deepEqual(emulator.timeline()[0]?.invalid.sort(), [
      'datastore:ws-stale/expired_sas',
      'datastore:ws-stale/forgotten',
      'datastore:ws-stale/old_share',
    ]);
  });
});

describe('authorization', () => {
  it('lists permissions per scope and enforces them', async () => {
    const scenario: Scenario = loadScenario('sample');
    scenario.permissions = {
      actions: ['*'],
      notActions: [],
      overrides: [
        {
          scope: 'storageAccounts/mlprodstore',
          actions: [
            'Microsoft.Storage/storageAccounts/read',
            'Microsoft.Storage/storageAccounts/listkeys/action',
          ],
        },
      ],
    };
    const { emulator, storage } = await setUp({ scenario });
    const accountScope = `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore`;
    const listed = await raw(
      emulator,
      'GET',
      `${accountScope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
    );
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.value[0].actions, scenario.permissions.overrides?.[0]?.actions);
    assert.deepEqual(
      listed.body.value[0].dataActions,
      ['*'],
      'no dataActions in the scenario: all',
    );
    const workspaceScope = `${sampleArm(emulator)}/Microsoft.MachineLearningServices/workspaces/ws-prod`;
    const wide = await raw(
      emulator,
      'GET',
      `${workspaceScope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
    );
    assert.deepEqual(wide.body.value[0].actions, ['*']);

    await storage.storageAccounts.listKeys('rg-ml', 'mlprodstore');
    const denied = await rejection(
      storage.storageAccounts.regenerateKey('rg-ml', 'mlprodstore', { keyName: 'key1' }),
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'AuthorizationFailed');
  });
});

describe('Entra ID and GitHub OIDC stand-ins', () => {
  it('a child process trusts the CA through NODE_EXTRA_CA_CERTS and logs in with OIDC', async () => {
    const { emulator } = await setUp({ scenario: 'sample' });
    const script = `
      import { ClientAssertionCredential, ClientSecretCredential } from '@azure/identity';
      import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
      import * as core from '@actions/core';
      const options = { authorityHost: process.env.EMU_URL, disableInstanceDiscovery: true };
      const oidc = new ClientAssertionCredential(process.env.EMU_TENANT, 'app-id',
        () => core.getIDToken('api://AzureADTokenExchange'), options);
      const ml = new AzureMachineLearningWorkspaces(oidc, process.env.EMU_SUB,
        { endpoint: process.env.EMU_URL, credentialScopes: ['${ARM_SCOPE}'] });
      const workspace = await ml.workspaces.get('rg-ml', 'ws-prod');
      const secret = new ClientSecretCredential(process.env.EMU_TENANT, 'app-id', 'not-a-real-secret', options);
      const token = await secret.getToken('${ARM_SCOPE}');
      const viaFetch = await fetch(process.env.EMU_URL + '/_emulator/state');
      console.log(JSON.stringify({ name: workspace.name, token: token.token.length > 0, fetch: viaFetch.status }));
    `;
    const result = await runNode(['--input-type=module', '-e', script], {
      NODE_EXTRA_CA_CERTS: emulator.caFile,
      EMU_URL: emulator.url,
      EMU_TENANT: emulator.tenantId,
      EMU_SUB: emulator.subscriptionId,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${emulator.url}/_github/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? ''), {
      name: 'ws-prod',
      token: true,
      fetch: 200,
    });

    const idTokens = emulator.idTokenRequests();
    // @azure/identity asks for the assertion more than once per token; any fresh one will do.
    assert.ok(idTokens.length >= 1);
    assert.equal(idTokens[0]?.audience, 'api://AzureADTokenExchange');
    assert.equal(idTokens[0]?.requestToken, 'runner-request-token');
    const tokens = emulator.tokenRequests();
    assert.equal(tokens.length, 2);
    assert.ok(idTokens.some((issued) => issued.token === tokens[0]?.clientAssertion));
    assert.equal(tokens[0]?.assertionIssuedByEmulator, true);
    assert.equal(tokens[0]?.scope, ARM_SCOPE);
    assert.equal(tokens[1]?.clientSecret, 'not-a-real-secret');
    assert.ok(emulator.secrets().includes(idTokens[0]?.token ?? ''));
    assert.ok(emulator.requests().some((r) => r.operation === 'Entra.openidConfiguration'));
  });

  it('tokens it issued expire for ARM after tokenLifetimeSeconds', async () => {
    // A token for an hour is accepted; one for no time at all is refused as expired. (One that
    // expires during the test would make the answer depend on how fast the first request went.)
    const path = (emulator: Emulator) =>
      `${sampleArm(emulator)}/Microsoft.MachineLearningServices/workspaces/ws-prod?api-version=2022-10-01`;
    const lasting = await setUp({ scenario: 'sample', tokenLifetimeSeconds: 3600 });
    const token = await clientCredentialsToken(lasting.emulator);
    assert.equal(token.expires_in, 3600);
    const answer = await raw(lasting.emulator, 'GET', path(lasting.emulator), {
      token: token.access_token,
    });
    assert.equal(answer.status, 200);

    const { emulator } = await setUp({ scenario: 'sample', tokenLifetimeSeconds: 0 });
    const expiredToken = await clientCredentialsToken(emulator);
    assert.equal(expiredToken.expires_in, 0);
    const expired = await raw(emulator, 'GET', path(emulator), {
      token: expiredToken.access_token,
    });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'ExpiredAuthenticationToken');
    assert.match(String(expired.headers['www-authenticate']), /invalid_token/);
  });
});

/** A token from the emulator's Entra ID for a client secret. */
function clientCredentialsToken(
  emulator: Emulator,
): Promise<{ access_token: string; expires_in: number }> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'app-id',
    client_secret: 's',
    scope: ARM_SCOPE,
  }).toString();
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        ca: emulator.caPem,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(text)));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: new URL('..', import.meta.url),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
