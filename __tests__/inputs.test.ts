import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, parseInputs } from '../src/inputs/inputs.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const base: Record<string, string> = {
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': 'mlprodstore',
  'dry-run': 'false',
  'key-name': 'auto',
  concurrency: '8',
  environment: 'AzureCloud',
};
const parse = (
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = { AZURE_SUBSCRIPTION_ID: SUB },
) => parseInputs((name) => inputs[name] ?? '', env);
const problems = (inputs: Record<string, string>, env?: NodeJS.ProcessEnv) => {
  try {
    parse(inputs, env);
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.message;
  }
  assert.fail('expected an InputError');
};

describe('inputs', () => {
  it('reads a typical configuration', () => {
    const inputs = parse(base);
    assert.deepEqual(inputs.storageAccount, {
      subscriptionId: SUB,
      resourceGroup: 'rg-ml',
      name: 'mlprodstore',
    });
    assert.deepEqual(inputs.workspaces, {
      kind: 'list',
      workspaces: [{ subscriptionId: SUB, resourceGroup: 'rg-ml', name: 'ws-prod' }],
    });
    assert.equal(inputs.dryRun, false);
    assert.equal(inputs.keyName, 'auto');
    assert.equal(inputs.concurrency, 8);
    assert.equal(inputs.cloud.armEndpoint, 'https://management.azure.com');
    assert.deepEqual(inputs.login, { kind: 'ambient' });
  });

  it('takes several workspaces, skipping empty lines and duplicates, and resource IDs', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg-b/providers/Microsoft.MachineLearningServices/workspaces/ws-b`;
    const inputs = parse({ ...base, workspace: `ws-a\n\n  ws-a\n${id}\n` });
    assert.equal(inputs.workspaces.kind, 'list');
    assert.deepEqual(
      inputs.workspaces.kind === 'list' &&
        inputs.workspaces.workspaces.map((w) => `${w.resourceGroup}/${w.name}`),
      ['rg-ml/ws-a', 'rg-b/ws-b'],
    );
  });

  it('accepts * for every workspace, and resource IDs without resource-group or subscription', () => {
    const account = `/subscriptions/${SUB}/resourceGroups/rg-s/providers/Microsoft.Storage/storageAccounts/acct01`;
    const inputs = parse({ workspace: '*', 'storage-account': account }, {});
    assert.deepEqual(inputs.workspaces, {
      kind: 'all',
      subscriptionId: SUB,
      resourceGroup: undefined,
    });
    assert.equal(inputs.storageAccount.resourceGroup, 'rg-s');
  });

  it('is case-insensitive for key-name and environment', () => {
    const inputs = parse({ ...base, 'key-name': 'KEY2', environment: 'azurechinacloud' });
    assert.equal(inputs.keyName, 'key2');
    assert.equal(inputs.cloud.storageSuffix, 'core.chinacloudapi.cn');
  });

  it('uses an OIDC login when client-id and tenant-id are given', () => {
    const inputs = parse({ ...base, 'client-id': SUB, 'tenant-id': SUB });
    assert.deepEqual(inputs.login, {
      kind: 'oidc',
      clientId: SUB,
      tenantId: SUB,
      audience: 'api://AzureADTokenExchange',
    });
  });

  it('names each bad input and what it accepts, in one error', () => {
    const message = problems({ ...base, 'key-name': 'key3', 'dry-run': 'yes', concurrency: '0' });
    assert.match(message, /key-name 'key3' is not one of: auto, key1, key2, both, none/);
    assert.match(message, /dry-run 'yes' is not a boolean/);
    assert.match(message, /concurrency '0' is not a whole number from 1 to 64/);
  });

  for (const [name, inputs, env, pattern] of [
    [
      'a malformed resource ID',
      { ...base, 'storage-account': '/subscriptions/x/resourceGroups' },
      undefined,
      /storage-account .* is not a storage account resource ID/,
    ],
    ['a missing workspace', { ...base, workspace: '\n \n' }, undefined, /workspace is required/],
    [
      'a name without resource group',
      { ...base, 'resource-group': '' },
      undefined,
      /resource-group is required for workspace 'ws-prod'/,
    ],
    ['no subscription', base, {}, /subscription-id is required/],
    [
      'an invalid account name',
      { ...base, 'storage-account': 'My_Account' },
      undefined,
      /not a valid storage account name/,
    ],
    [
      'a half OIDC login',
      { ...base, 'client-id': SUB },
      undefined,
      /client-id and tenant-id go together/,
    ],
    [
      'an unknown cloud',
      { ...base, environment: 'Mars' },
      undefined,
      /environment 'Mars' is not one of/,
    ],
    [
      'an http ARM endpoint',
      { ...base, 'arm-endpoint': 'http://127.0.0.1:1' },
      undefined,
      /arm-endpoint .* is not an https:\/\/ URL/,
    ],
    [
      'a negative max age',
      { ...base, 'max-key-age-days': '-3' },
      undefined,
      /max-key-age-days '-3' is not a positive number/,
    ],
    ['* with names', { ...base, workspace: '*\nws' }, undefined, /'\*' means every workspace/],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.match(problems(inputs, env ?? { AZURE_SUBSCRIPTION_ID: SUB }), pattern);
    });
  }
});

describe('inputs: notify', () => {
  it('defaults to none and keeps the token for issue', () => {
    assert.equal(parse(base).notify, 'none');
    const inputs = parse({ ...base, notify: 'Issue', 'github-token': 'ghs_example' });
    assert.equal(inputs.notify, 'issue');
    assert.equal(inputs.githubToken, 'ghs_example');
  });

  it('rejects an unknown choice, and issue without a token', () => {
    assert.match(
      problems({ ...base, notify: 'slack' }),
      /notify 'slack' is not one of: none, issue/,
    );
    assert.match(
      problems({ ...base, notify: 'issue', 'github-token': ' ' }),
      /github-token is required when notify is 'issue'/,
    );
  });
});
