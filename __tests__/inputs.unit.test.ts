// Every input's accepted values, defaults and boundaries. Problems are asserted by the input they
// name, so a changed wording does not matter but a missing or wrong check does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getInputs, InputError, parseInputs, type Inputs } from '../src/inputs/inputs.js';
import { setEnv } from './support/process-io.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const SUB2 = '00000000-0000-0000-0000-0000000000b2';
const TENANT = '00000000-0000-0000-0000-0000000000aa';
const base: Record<string, string> = {
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': 'mlprodstore',
  'subscription-id': SUB,
};
const accountId = (sub: string, rg: string, name: string, provider = 'Microsoft.Storage') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/storageAccounts/${name}`;
const workspaceId = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;

const parse = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  parseInputs((name) => inputs[name] ?? '', env);

/** The problems of an invalid set of inputs, each starting with the input it names. */
function problems(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parse(inputs, env);
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.problems;
  }
  return [];
}
const problemWith = (inputs: Record<string, string>, input: string, env?: NodeJS.ProcessEnv) =>
  problems(inputs, env).filter((p) => p.startsWith(input)).length;
describe('InputError', () => {
  it('one problem on one line, several as a list', () => {
    const one = new InputError(['a is wrong.']);
    assert.equal(one.message, 'Invalid input: a is wrong.');
    assert.equal(one.name, 'InputError');
    assert.deepEqual(one.problems, ['a is wrong.']);
    assert.equal(
      new InputError(['a is wrong.', 'b is wrong.']).message,
      'Invalid inputs:\n- a is wrong.\n- b is wrong.',
    );
  });

  it('collects every problem of a set of inputs in one error', () => {
    const found = problems({
      ...base,
      'key-name': 'key3',
      'dry-run': 'yes',
      concurrency: '0',
      'max-key-age-days': 'soon',
    });
    assert.deepEqual(
      found.map((p) => p.split(' ')[0]),
      ['dry-run', 'key-name', 'max-key-age-days', 'concurrency'],
    );
  });
});

describe('getInputs', () => {
  it('reads the INPUT_ variables the runner sets, trimmed', (t) => {
    t.after(
      setEnv({
        INPUT_WORKSPACE: ' ws-a ',
        'INPUT_RESOURCE-GROUP': 'rg-a',
        'INPUT_STORAGE-ACCOUNT': 'acct01',
        'INPUT_KEY-NAME': 'key1',
      }),
    );
    const inputs = getInputs({ AZURE_SUBSCRIPTION_ID: ` ${SUB} ` });
    assert.deepEqual(inputs.storageAccount, {
      subscriptionId: SUB,
      resourceGroup: 'rg-a',
      name: 'acct01',
    });
    assert.deepEqual(inputs.workspaces, {
      kind: 'list',
      workspaces: [{ subscriptionId: SUB, resourceGroup: 'rg-a', name: 'ws-a' }],
    });
    assert.equal(inputs.keyName, 'key1');
  });
});

describe('parseInputs', () => {
  it('defaults', () => {
    const inputs = parse(base);
    const expected: Partial<Inputs> = {
      dryRun: false,
      keyName: 'auto',
      maxKeyAgeDays: undefined,
      allowOutsideBreakage: false,
      allowWorkspaceOutage: true,
      sas: 'warn',
      keyUsageDays: 7,
      concurrency: 16,
      login: { kind: 'ambient' },
    };
    for (const [field, value] of Object.entries(expected)) {
      assert.deepEqual(inputs[field as keyof Inputs], value, field);
    }
    assert.equal(inputs.cloud.name, 'AzureCloud');
    assert.equal(inputs.cloud.armEndpoint, 'https://management.azure.com');
    assert.equal(inputs.cloud.logsEndpoint, 'https://api.loganalytics.io');
  });

  it('key-usage-days: 1 to 730 whole days; logs-endpoint: an https URL', () => {
    assert.equal(parse({ ...base, 'key-usage-days': '30' }).keyUsageDays, 30);
    assert.equal(
      parse({ ...base, 'logs-endpoint': 'https://127.0.0.1:9/' }).cloud.logsEndpoint,
      'https://127.0.0.1:9',
    );
    for (const days of ['0', '731', '1.5', 'week']) {
      assert.throws(() => parse({ ...base, 'key-usage-days': days }), /key-usage-days/);
    }
    assert.throws(() => parse({ ...base, 'logs-endpoint': 'http://x' }), /logs-endpoint/);
  });

  it('require-unused-days: off unless set, then 1 to 730 whole days', () => {
    assert.equal(parse(base).requireUnusedDays, undefined);
    assert.equal(parse({ ...base, 'require-unused-days': '7' }).requireUnusedDays, 7);
    for (const days of ['0', '731', '1.5', 'week']) {
      assert.throws(
        () => parse({ ...base, 'require-unused-days': days }),
        /require-unused-days '.*' is not a whole number of days from 1 to 730/,
      );
    }
  });

  it('subscription: the input, else AZURE_SUBSCRIPTION_ID, else the first resource ID', () => {
    const { 'subscription-id': _, ...noSub } = base;
    const env = { AZURE_SUBSCRIPTION_ID: ` ${SUB2} ` };
    assert.equal(parse(base, env).storageAccount.subscriptionId, SUB);
    assert.equal(
      parse({ ...base, 'subscription-id': ` ${SUB} ` }).storageAccount.subscriptionId,
      SUB,
    );
    assert.equal(parse(noSub, env).storageAccount.subscriptionId, SUB2);
    const byAccount = parse({
      ...noSub,
      'storage-account': accountId(SUB2, 'rg-s', 'acct01'),
      workspace: workspaceId(SUB, 'rg', 'ws-b'),
    });
    assert.equal(byAccount.storageAccount.subscriptionId, SUB2);
    const byWorkspace = parse({ ...noSub, workspace: `ws-a\n${workspaceId(SUB2, 'rg', 'ws-b')}` });
    assert.equal(byWorkspace.storageAccount.subscriptionId, SUB2);
    assert.deepEqual(
      byWorkspace.workspaces.kind === 'list' &&
        byWorkspace.workspaces.workspaces.map((w) => w.subscriptionId),
      [SUB2, SUB2],
    );
    assert.equal(problemWith(noSub, 'subscription-id is required'), 1);
    const notAtStart = `/x${accountId(SUB, 'rg', 'acct01')}`;
    assert.equal(
      problemWith({ ...noSub, 'storage-account': notAtStart }, 'subscription-id is required'),
      1,
      'a subscription is read only from the start of a resource ID',
    );
    assert.equal(
      problemWith(
        { ...noSub, 'storage-account': '/resourceGroups/rg' },
        'subscription-id is required',
      ),
      1,
    );
    for (const bad of [`x${SUB}`, `${SUB}x`]) {
      assert.equal(problemWith({ ...base, 'subscription-id': bad }, `subscription-id '${bad}'`), 1);
    }
    assert.equal(
      problemWith({ ...base, 'subscription-id': 'not-a-guid' }, "subscription-id 'not-a-guid'"),
      1,
    );
    assert.equal(problemWith(noSub, 'subscription-id', { AZURE_SUBSCRIPTION_ID: 'x' }), 1);
    assert.equal(
      problemWith({ ...base, 'subscription-id': SUB.toUpperCase() }, 'subscription-id'),
      0,
    );
  });

  it('resource-group: letters, digits and -_.() up to 90, not ending in a period', () => {
    for (const rg of ['rg', 'r', 'rg.(1)-x_y', 'a'.repeat(90)]) {
      assert.equal(problemWith({ ...base, 'resource-group': rg }, 'resource-group'), 0, rg);
    }
    for (const rg of ['rg.', 'a'.repeat(91), 'rg/x', 'rg x', 'rg*']) {
      assert.equal(problemWith({ ...base, 'resource-group': rg }, `resource-group '${rg}'`), 1, rg);
    }
  });

  it('storage-account: a name in the account resource group, or a resource ID', () => {
    const named = parse({ ...base, 'storage-account-resource-group': 'rg-store' });
    assert.equal(named.storageAccount.resourceGroup, 'rg-store');
    assert.equal(
      parse({ ...base, 'storage-account-resource-group': '  ' }).storageAccount.resourceGroup,
      'rg-ml',
    );
    for (const name of ['abc', 'a'.repeat(24), 'store01']) {
      assert.equal(problemWith({ ...base, 'storage-account': name }, 'storage-account'), 0, name);
    }
    for (const name of ['ab', 'a'.repeat(25), 'Store01', 'store-01']) {
      assert.equal(
        problemWith({ ...base, 'storage-account': name }, `storage-account '${name}'`),
        1,
      );
    }
    assert.equal(problemWith({ ...base, 'storage-account': '' }, 'storage-account is required'), 1);
    assert.equal(
      problemWith(
        { workspace: workspaceId(SUB, 'rg', 'ws'), 'storage-account': 'store01' },
        'storage-account-resource-group (or resource-group) is required',
      ),
      1,
    );

    const byId = parse({ ...base, 'storage-account': `${accountId(SUB2, 'rg-s', 'Acct01')}/` });
    assert.deepEqual(byId.storageAccount, {
      subscriptionId: SUB2,
      resourceGroup: 'rg-s',
      name: 'acct01',
    });
    for (const id of [
      accountId('x', 'rg', 'acct01'),
      accountId(SUB, 'rg.', 'acct01'),
      accountId(SUB, 'rg', 'a_b'),
      accountId(SUB, 'rg', 'abc_'),
      accountId(SUB, 'rg', '_abc'),
      accountId(SUB, 'rg', 'acct01', 'Microsoft.Compute'),
      '/subscriptions/x/resourceGroups',
    ]) {
      assert.equal(problemWith({ ...base, 'storage-account': id }, 'storage-account'), 1, id);
    }
  });

  it("workspace: names, resource IDs, or '*', one per line", () => {
    const list = (workspace: string, more: Record<string, string> = {}) => {
      const inputs = parse({ ...base, ...more, workspace });
      assert.equal(inputs.workspaces.kind, 'list');
      return inputs.workspaces.kind === 'list'
        ? inputs.workspaces.workspaces.map(
            (w) => `${w.subscriptionId}/${w.resourceGroup}/${w.name}`,
          )
        : [];
    };
    assert.deepEqual(list('ws-a\r\nws_b\n\n  abc  \nWS-A\nws-a'), [
      `${SUB}/rg-ml/ws-a`,
      `${SUB}/rg-ml/ws_b`,
      `${SUB}/rg-ml/abc`,
    ]);
    assert.deepEqual(
      list(`${workspaceId(SUB2, 'rg-b', 'ws-b')}\n${workspaceId(SUB2, 'RG-B', 'WS-B')}`),
      [`${SUB2}/rg-b/ws-b`],
    );
    for (const name of ['abc', `a${'b'.repeat(32)}`, '0ws', 'A_b-C']) {
      assert.equal(problemWith({ ...base, workspace: name }, 'workspace'), 0, name);
    }
    for (const name of ['ab', `a${'b'.repeat(33)}`, '-ws', '_ws', 'ws.1', 'ws a']) {
      assert.equal(problemWith({ ...base, workspace: name }, `workspace '${name}'`), 1, name);
    }
    for (const id of [
      workspaceId('x', 'rg', 'ws-a'),
      workspaceId(SUB, 'rg', '-ws'),
      accountId(SUB, 'rg', 'acct01'),
    ]) {
      assert.equal(problemWith({ ...base, workspace: id }, `workspace '${id}'`), 1, id);
    }
    assert.equal(problemWith({ ...base, workspace: ' \n ' }, 'workspace is required'), 1);
    assert.equal(
      problemWith({ ...base, 'resource-group': '' }, 'resource-group is required for workspace'),
      1,
    );
  });

  it("workspace '*': every workspace of the subscription, or of the resource group", () => {
    assert.deepEqual(parse({ ...base, workspace: '*' }).workspaces, {
      kind: 'all',
      subscriptionId: SUB,
      resourceGroup: 'rg-ml',
    });
    assert.deepEqual(
      parse({
        ...base,
        workspace: ' * ',
        'resource-group': '',
        'storage-account-resource-group': 'rg-s',
      }).workspaces,
      { kind: 'all', subscriptionId: SUB, resourceGroup: undefined },
    );
    assert.equal(problemWith({ ...base, workspace: 'ws-a\n*' }, "workspace: '*'"), 1);
  });

  it('booleans: true or false in any common case, with their defaults', () => {
    for (const input of ['dry-run', 'allow-outside-breakage', 'allow-workspace-outage'] as const) {
      const field = {
        'dry-run': 'dryRun',
        'allow-outside-breakage': 'allowOutsideBreakage',
        'allow-workspace-outage': 'allowWorkspaceOutage',
      }[input] as 'dryRun' | 'allowOutsideBreakage' | 'allowWorkspaceOutage';
      for (const [value, expected] of [
        ['true', true],
        ['TRUE', true],
        ['True', true],
        ['false', false],
        ['FALSE', false],
        [' False ', false],
      ] as const) {
        assert.equal(parse({ ...base, [input]: value })[field], expected, `${input}: ${value}`);
      }
      for (const value of ['yes', '1', 'truex', 'xtrue', 'falsex', 'xfalse']) {
        assert.equal(problemWith({ ...base, [input]: value }, `${input} '${value}'`), 1);
      }
    }
  });

  it('key-name: one of the choices, in any case; auto when empty', () => {
    for (const choice of ['auto', 'key1', 'key2', 'both', 'none']) {
      assert.equal(parse({ ...base, 'key-name': choice.toUpperCase() }).keyName, choice);
    }
    assert.equal(parse({ ...base, 'key-name': '' }).keyName, 'auto');
    assert.equal(problemWith({ ...base, 'key-name': 'key3' }, "key-name 'key3'"), 1);
  });

  it('sas: warn, skip-keys or renew, in any case; warn when empty; one error naming the choices', () => {
    for (const choice of ['warn', 'skip-keys', 'renew']) {
      assert.equal(parse({ ...base, sas: choice.toUpperCase() }).sas, choice);
    }
    assert.equal(parse({ ...base, sas: '' }).sas, 'warn');
    const wrong = problems({ ...base, sas: 'reissue' });
    assert.equal(wrong.length, 1);
    assert.match(wrong[0]!, /^sas 'reissue' is not one of: warn, skip-keys, renew/);
  });

  it('max-key-age-days: a positive number of days', () => {
    assert.equal(parse({ ...base, 'max-key-age-days': '30' }).maxKeyAgeDays, 30);
    assert.equal(parse({ ...base, 'max-key-age-days': '0.5' }).maxKeyAgeDays, 0.5);
    assert.equal(parse({ ...base, 'max-key-age-days': '1.25' }).maxKeyAgeDays, 1.25);
    for (const value of ['0', '0.0', '-3', '1e3', 'abc', '30.', '.5', '3 0', '30days']) {
      assert.equal(
        problemWith({ ...base, 'max-key-age-days': value }, 'max-key-age-days'),
        1,
        value,
      );
    }
  });

  it('concurrency: a whole number from 1 to 64, 16 by default', () => {
    for (const [value, expected] of [
      ['1', 1],
      ['64', 64],
      [' 16 ', 16],
    ] as const) {
      assert.equal(parse({ ...base, concurrency: value }).concurrency, expected);
    }
    for (const value of ['0', '65', '2.5', '-1', 'x', '1e1']) {
      assert.equal(
        problemWith({ ...base, concurrency: value }, `concurrency '${value}'`),
        1,
        value,
      );
    }
  });

  it('environment and arm-endpoint', () => {
    assert.equal(
      parse({ ...base, environment: 'azureusgovernment' }).cloud.name,
      'AzureUSGovernment',
    );
    const custom = parse({ ...base, 'arm-endpoint': 'https://arm.example.test:8443/' });
    assert.equal(custom.cloud.armEndpoint, 'https://arm.example.test:8443');
    assert.equal(custom.cloud.name, 'AzureCloud');
    assert.deepEqual(problems({ ...base, environment: 'Mars' }), [
      "environment 'Mars' is not one of: AzureCloud, AzureUSGovernment, AzureChinaCloud.",
    ]);
    for (const endpoint of ['http://arm.example.test', 'not a url', 'ftp://x']) {
      assert.equal(problemWith({ ...base, 'arm-endpoint': endpoint }, 'arm-endpoint'), 1, endpoint);
    }
  });

  it('login: OIDC with a client and a tenant (GUID or domain), the audience overridable', () => {
    assert.deepEqual(
      parse({ ...base, 'client-id': SUB, 'tenant-id': 'contoso.onmicrosoft.com' }).login,
      {
        kind: 'oidc',
        clientId: SUB,
        tenantId: 'contoso.onmicrosoft.com',
        audience: 'api://AzureADTokenExchange',
      },
    );
    const custom = parse({
      ...base,
      'client-id': SUB,
      'tenant-id': TENANT,
      audience: 'api://custom',
    });
    assert.equal(custom.login.kind === 'oidc' && custom.login.audience, 'api://custom');
    assert.equal(
      problemWith({ ...base, 'tenant-id': TENANT }, 'client-id and tenant-id go together'),
      1,
    );
    assert.equal(
      problemWith({ ...base, 'client-id': 'x', 'tenant-id': TENANT }, "client-id 'x'"),
      1,
    );
    for (const tenant of ['contoso', 'contoso.c', '-.com x', 'bad tenant.com', 'contoso.com x']) {
      assert.equal(
        problemWith({ ...base, 'client-id': SUB, 'tenant-id': tenant }, `tenant-id '${tenant}'`),
        1,
      );
    }
  });
});
