// Clouds, the datastore-to-account match that depends on them, and the login chain. No emulator:
// the credential tests fail before any network access, and the network guard would refuse any.
import assert from 'node:assert/strict';
import { delimiter, dirname } from 'node:path';
import { describe, it } from 'node:test';
import {
  AggregateAuthenticationError,
  ChainedTokenCredential,
  ClientAssertionCredential,
  CredentialUnavailableError,
} from '@azure/identity';
import type { Datastore } from '../src/azure/port.js';
import { createCredential } from '../src/azure/credential.js';
import { CLOUD_NAMES, cloudByName, type Cloud, type CloudName } from '../src/azure/cloud.js';
import { pointsAt as datastorePointsAt } from '../src/consumers/datastore.js';
import { refusedConnections } from './support/loopback-only.mjs';
import { FAKE_AZ_DIR } from './support/paths.js';

describe('cloudByName', () => {
  const expected: Record<
    CloudName,
    [
      arm: string,
      authority: string,
      suffix: string,
      portal: string,
      studio: string,
      logs: string,
      vault: string,
    ]
  > = {
    AzureCloud: [
      'https://management.azure.com',
      'https://login.microsoftonline.com',
      'core.windows.net',
      'https://portal.azure.com',
      'https://ml.azure.com',
      'https://api.loganalytics.io',
      'vault.azure.net',
    ],
    AzureUSGovernment: [
      'https://management.usgovcloudapi.net',
      'https://login.microsoftonline.us',
      'core.usgovcloudapi.net',
      'https://portal.azure.us',
      'https://ml.azure.us',
      'https://api.loganalytics.us',
      'vault.usgovcloudapi.net',
    ],
    AzureChinaCloud: [
      'https://management.chinacloudapi.cn',
      'https://login.chinacloudapi.cn',
      'core.chinacloudapi.cn',
      'https://portal.azure.cn',
      'https://studio.ml.azure.cn',
      'https://api.loganalytics.azure.cn',
      'vault.azure.cn',
    ],
  };

  for (const name of CLOUD_NAMES) {
    it(`${name}: Resource Manager, its token scope, the authority and the storage suffix`, () => {
      const [arm, authority, suffix, portalUrl, studioUrl, logs, vault] = expected[name];
      assert.deepEqual(cloudByName(name), {
        name,
        armEndpoint: arm,
        armScope: `${arm}/.default`,
        authorityHost: authority,
        storageSuffix: suffix,
        portalUrl,
        studioUrl,
        logsEndpoint: logs,
        logsScope: `${logs}/.default`,
        keyVaultSuffix: vault,
      });
    });
  }

  it('arm-endpoint replaces only the Resource Manager URL, without its trailing slashes', () => {
    const cloud = cloudByName('AzureUSGovernment', 'https://127.0.0.1:8443//');
    assert.equal(cloud.armEndpoint, 'https://127.0.0.1:8443');
    // The token is still for the cloud's Resource Manager: the override is where requests go.
    assert.equal(cloud.armScope, 'https://management.usgovcloudapi.net/.default');
    assert.equal(cloud.authorityHost, 'https://login.microsoftonline.us');
    assert.equal(cloud.storageSuffix, 'core.usgovcloudapi.net');
    assert.equal(
      cloudByName('AzureUSGovernment').armEndpoint,
      'https://management.usgovcloudapi.net',
      'the override does not change the cloud for later callers',
    );
  });

  it('logs-endpoint replaces only the Log Analytics URL; the token is still for the cloud', () => {
    const cloud = cloudByName('AzureChinaCloud', undefined, 'https://127.0.0.1:8443/');
    assert.equal(cloud.logsEndpoint, 'https://127.0.0.1:8443');
    assert.equal(cloud.logsScope, 'https://api.loganalytics.azure.cn/.default');
    assert.equal(cloud.armEndpoint, 'https://management.chinacloudapi.cn');
  });
});

describe('pointsAt: which datastores use the account', () => {
  const datastore = (properties: Partial<Datastore['properties']>): Datastore => ({
    name: 'ds',
    properties: {
      datastoreType: 'AzureBlob',
      accountName: 'mlprodstore',
      containerName: 'data',
      credentials: { credentialsType: 'AccountKey' },
      ...properties,
    },
  });
  const publicCloud = cloudByName('AzureCloud');
  const pointsAt = (ds: Datastore, name: string, cloud: Cloud) =>
    datastorePointsAt(ds, { name, storageSuffix: cloud.storageSuffix });

  it("matches the account name on the cloud's storage suffix", () => {
    assert.ok(pointsAt(datastore({ endpoint: 'core.windows.net' }), 'mlprodstore', publicCloud));
    for (const type of ['AzureFile', 'AzureDataLakeGen2']) {
      const ds = datastore({ datastoreType: type, endpoint: 'core.windows.net' });
      assert.ok(pointsAt(ds, 'mlprodstore', publicCloud), type);
    }
  });

  it("takes a datastore without an endpoint to be on the cloud's own suffix", () => {
    assert.ok(pointsAt(datastore({ endpoint: undefined }), 'mlprodstore', publicCloud));
  });

  it("does not match the same account name on another cloud's suffix", () => {
    const gov = datastore({ endpoint: 'core.usgovcloudapi.net' });
    const china = datastore({ endpoint: 'core.chinacloudapi.cn' });
    assert.equal(pointsAt(gov, 'mlprodstore', publicCloud), false);
    assert.equal(pointsAt(china, 'mlprodstore', publicCloud), false);
    assert.ok(pointsAt(gov, 'mlprodstore', cloudByName('AzureUSGovernment')));
    assert.ok(pointsAt(china, 'mlprodstore', cloudByName('AzureChinaCloud')));
    const onPublic = datastore({ endpoint: 'core.windows.net' });
    assert.equal(pointsAt(onPublic, 'mlprodstore', cloudByName('AzureChinaCloud')), false);
  });

  it('compares the account name and the suffix case-insensitively', () => {
    const ds = datastore({ accountName: 'MLProdStore', endpoint: 'Core.Windows.NET' });
    assert.ok(pointsAt(ds, 'mlprodstore', publicCloud));
    assert.ok(pointsAt(datastore({}), 'MLPRODSTORE', publicCloud));
  });

  it('does not match another account, a missing account or a type without an account', () => {
    assert.equal(
      pointsAt(datastore({ accountName: 'otherstore' }), 'mlprodstore', publicCloud),
      false,
    );
    assert.equal(
      pointsAt(datastore({ accountName: 'mlprodstore2' }), 'mlprodstore', publicCloud),
      false,
    );
    assert.equal(
      pointsAt(datastore({ accountName: undefined }), 'mlprodstore', publicCloud),
      false,
    );
    for (const type of ['AzureDataLakeGen1', 'OneLake']) {
      assert.equal(pointsAt(datastore({ datastoreType: type }), 'mlprodstore', publicCloud), false);
    }
  });
});

describe('createCredential', () => {
  const cloud = cloudByName('AzureCloud');
  const SCOPE = cloud.armScope;
  const oidc = {
    kind: 'oidc' as const,
    clientId: '00000000-0000-4000-8000-000000000001',
    tenantId: '00000000-0000-4000-8000-000000000002',
    audience: 'api://AzureADTokenExchange',
  };

  /** Runs fn with these variables set (undefined: removed) and no other AZURE_/ACTIONS_ ones. */
  async function withEnv(vars: Record<string, string | undefined>, fn: () => Promise<void>) {
    const saved = { ...process.env };
    try {
      for (const name of Object.keys(process.env)) {
        if (/^(AZURE_|ACTIONS_|FAKE_AZ_|IDENTITY_|MSI_)/.test(name)) delete process.env[name];
      }
      for (const [name, value] of Object.entries(vars)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await fn();
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  }

  it('logs in with a GitHub ID token (ClientAssertionCredential) when client-id and tenant-id are given', () => {
    assert.ok(createCredential(oidc, cloud) instanceof ClientAssertionCredential);
  });

  it("without the ID-token variables, fails as a login error naming 'id-token: write', offline", () =>
    withEnv({}, async () => {
      const refusedBefore = refusedConnections().length;
      const error = await createCredential(oidc, cloud)
        .getToken(SCOPE)
        .then(
          () => assert.fail('expected the login to fail'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof CredentialUnavailableError, String(error));
      assert.match(error.message, /GitHub ID token/);
      assert.match(error.message, /ACTIONS_ID_TOKEN_REQUEST_URL/);
      assert.match(error.message, /'permissions: id-token: write'/);
      assert.equal(refusedConnections().length, refusedBefore, 'no network attempt');
    }));

  it('otherwise chains the environment service principal and the Azure CLI, never managed identity', () =>
    withEnv(
      {
        // A shell whose `az` is not logged in; nothing in the environment to log in with.
        PATH: [FAKE_AZ_DIR, dirname(process.execPath), process.env.PATH].join(delimiter),
        FAKE_AZ_FAIL: '1',
      },
      async () => {
        const credential = createCredential({ kind: 'ambient' }, cloud);
        assert.ok(credential instanceof ChainedTokenCredential);
        const refusedBefore = refusedConnections().length;
        const error = await credential.getToken(SCOPE).then(
          () => assert.fail('expected the login to fail'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof AggregateAuthenticationError, String(error));
        const tried = (error.errors as Error[]).map((e) => e.message);
        assert.equal(tried.length, 2, tried.join('\n'));
        assert.match(tried[0]!, /^EnvironmentCredential is unavailable/);
        assert.match(tried[1]!, /az login/);
        assert.ok(!tried.some((m) => /managed ?identity/i.test(m)), tried.join('\n'));
        // No probe of 169.254.169.254 (the network guard would have refused and recorded it).
        assert.equal(refusedConnections().length, refusedBefore);
      },
    ));
});
