// The inputs of mode: inventory and the mode input itself, beyond inventory-inputs.test.ts: each
// input an inventory reads is read (trimmed), checked, and passed on; the rotation's defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudByName } from '../src/azure/cloud.js';
import { InputError, parseInputs, requestedMode } from '../src/inputs/inputs.js';
import { getInventoryInputs, parseInventoryInputs } from '../src/inputs/inventory-inputs.js';
import { setEnv } from './support/process-io.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const CLIENT = '00000000-0000-0000-0000-0000000000c1';
const TENANT = '00000000-0000-0000-0000-0000000000aa';
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const inventoryProblems = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
  try {
    parseInventoryInputs(reader(inputs), env);
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.problems;
  }
  return [];
};

describe('parseInventoryInputs', () => {
  it('passes on the subscription, cloud and OIDC login, every input trimmed', () => {
    const inputs = parseInventoryInputs(
      reader({
        'subscription-id': ` ${SUB} `,
        'resource-group': ' rg-ml ',
        environment: ' AzureUSGovernment ',
        'arm-endpoint': ' https://arm.example.test/ ',
        'client-id': ` ${CLIENT} `,
        'tenant-id': ` ${TENANT} `,
        audience: ' api://custom ',
        concurrency: ' 4 ',
      }),
      { AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-0000000000ff' },
    );
    assert.deepEqual(inputs, {
      subscriptionId: SUB,
      resourceGroup: 'rg-ml',
      maxKeyAgeDays: undefined,
      concurrency: 4,
      cloud: cloudByName('AzureUSGovernment', 'https://arm.example.test/'),
      login: { kind: 'oidc', clientId: CLIENT, tenantId: TENANT, audience: 'api://custom' },
      keyVaults: [],
    });
  });

  it('reads key-vaults as a rotation does: vaults and vault/secret lines, problems named', () => {
    const inputs = parseInventoryInputs(
      reader({ 'subscription-id': SUB, 'key-vaults': ' kv-apps \nkv-apps/app-conn\nkv-ops/x' }),
      {},
    );
    assert.deepEqual(inputs.keyVaults, [
      { vault: { name: 'kv-apps' }, tagged: true, secrets: ['app-conn'] },
      { vault: { name: 'kv-ops' }, tagged: false, secrets: ['x'] },
    ]);
    assert.deepEqual(inventoryProblems({ 'subscription-id': SUB, 'key-vaults': 'kv/a/b' }), [
      "key-vaults: 'kv/a/b' is neither a vault name (3-24 letters, digits and dashes), 'vault/secret', nor a resource ID",
    ]);
  });

  it('takes the subscription from AZURE_SUBSCRIPTION_ID, trimmed, when the input is empty', () => {
    const inputs = parseInventoryInputs(reader({}), { AZURE_SUBSCRIPTION_ID: ` ${SUB}\n` });
    assert.equal(inputs.subscriptionId, SUB);
    assert.equal(inputs.resourceGroup, undefined);
    assert.deepEqual(inputs.cloud, cloudByName('AzureCloud'));
  });

  it('refuses a subscription that is not a GUID and a resource group that is not a name', () => {
    assert.deepEqual(inventoryProblems({ 'subscription-id': 'prod', 'resource-group': 'rg.' }), [
      "subscription-id 'prod' is not a subscription ID (a GUID).",
      "resource-group 'rg.' is not a valid resource group name.",
    ]);
  });

  it('refuses a cloud, endpoint or login it cannot use, naming each', () => {
    const found = inventoryProblems({
      'subscription-id': SUB,
      environment: 'Mars',
      'client-id': CLIENT,
    });
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /^environment 'Mars'/);
    assert.match(found[1]!, /^client-id and tenant-id go together/);
    assert.deepEqual(
      inventoryProblems({ 'subscription-id': SUB, 'arm-endpoint': 'http://arm.example.test' }),
      ["arm-endpoint 'http://arm.example.test' is not an https:// URL."],
    );
    assert.match(
      inventoryProblems({ 'subscription-id': SUB, 'tenant-id': TENANT })[0]!,
      /^client-id and tenant-id go together/,
    );
  });
});

describe('the mode input, read through @actions/core', () => {
  it('rotate unless it says otherwise, in any case and with spaces', () => {
    const restore = setEnv({ INPUT_MODE: '' });
    try {
      assert.equal(requestedMode(), 'rotate');
      process.env.INPUT_MODE = '  Inventory ';
      assert.equal(requestedMode(), 'inventory');
    } finally {
      restore();
    }
  });

  it('getInventoryInputs reads the INPUT_ variables', () => {
    const restore = setEnv({
      'INPUT_SUBSCRIPTION-ID': SUB,
      'INPUT_RESOURCE-GROUP': 'rg-ml',
      'INPUT_MAX-KEY-AGE-DAYS': '30',
    });
    try {
      const inputs = getInventoryInputs({});
      assert.equal(inputs.subscriptionId, SUB);
      assert.equal(inputs.resourceGroup, 'rg-ml');
      assert.equal(inputs.maxKeyAgeDays, 30);
    } finally {
      restore();
    }
  });
});

describe('parseInputs: mode, defaults and repeated workspaces', () => {
  const base = {
    workspace: 'ws-prod',
    'resource-group': 'rg-ml',
    'storage-account': 'mlprodstore',
    'subscription-id': SUB,
  };

  it('accepts each mode in any case', () => {
    for (const mode of ['rotate', 'Rotate', 'INVENTORY', 'inventory']) {
      assert.doesNotThrow(() => parseInputs(reader({ ...base, mode }), {}), mode);
    }
  });

  it('key-name defaults to auto and notify to none', () => {
    const inputs = parseInputs(reader(base), {});
    assert.equal(inputs.keyName, 'auto');
    assert.equal(inputs.notify, 'none');
  });

  it('an unknown key-name or notify is refused, and the rest still parsed', () => {
    assert.throws(
      () => parseInputs(reader({ ...base, 'key-name': 'key3', notify: 'slack' }), {}),
      (error: Error) =>
        error instanceof InputError &&
        error.problems.length === 2 &&
        error.problems[0]!.startsWith("key-name 'key3'") &&
        error.problems[1]!.startsWith("notify 'slack'"),
    );
  });

  it('a workspace named twice, in different case, is one workspace', () => {
    const inputs = parseInputs(reader({ ...base, workspace: 'ws-prod\nWS-PROD\nws-dev' }), {});
    assert.equal(inputs.workspaces.kind, 'list');
    assert.deepEqual(
      inputs.workspaces.kind === 'list' && inputs.workspaces.workspaces.map((w) => w.name),
      ['ws-prod', 'ws-dev'],
    );
  });
});
