// The Key Vault part of the preflight on plain data: the data actions a move needs at the secret's
// scope (RBAC vaults), the access policies that name the login (access-policy vaults), the login's
// identity from its token, and the one message that says what to grant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { principalOfToken } from '../src/azure/authorization.js';
import type { SignedInPrincipal, VaultAccessPolicy } from '../src/azure/port.js';
import type { Holding, Inventory, VaultAccess } from '../src/discover/inventory.js';
import { checkPermissions, missingPermissionsMessage } from '../src/execute/permissions.js';
import { preflight } from '../src/execute/preflight.js';
import {
  checkAccessPolicy,
  policyRequirements,
  secretDataPermissions,
  type PolicyRequirement,
} from '../src/execute/vault-permissions.js';
import { plan, type Plan } from '../src/plan/plan.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { inventory, NOW } from './fakes/inventory.js';

const KV = 'Microsoft.KeyVault/vaults/secrets';
const GET = `${KV}/getSecret/action`;
const SET = `${KV}/setSecret/action`;
const VAULT_ID = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv';
const LOGIN: SignedInPrincipal = { objectId: 'oid-login', tenantId: 'tid', applicationId: 'app' };
const RBAC: VaultAccess = { rbacAuthorization: true, accessPolicies: [] };
const policies = (...entries: VaultAccessPolicy[]): VaultAccess => ({
  rbacAuthorization: false,
  accessPolicies: entries,
});
const entry = (secrets: string[], extra: Partial<VaultAccessPolicy> = {}): VaultAccessPolicy => ({
  tenantId: 'tid',
  objectId: 'oid-login',
  secrets,
  ...extra,
});

/** A workspace on key1 and vault 'kv' with the given secrets; `unknown`: a secret not read. */
function withVault(access: VaultAccess, secrets: [string, Holding | 'unknown'][]): Inventory {
  const inv = inventory({ workspaces: [{ name: 'ws', datastores: [{ holds: 'key1' }] }] });
  const ref = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'kv' };
  inv.workspaces.push({
    kind: 'key-vault',
    vault: access,
    ref,
    id: VAULT_ID,
    inScope: true,
    usesAccountAsDefault: false,
    otherConsumers: 0,
    consumers: secrets.map(([name, holds]) => ({
      kind: 'key-vault-secret' as const,
      workspace: ref,
      name,
      inScope: true,
      auth: holds === 'unknown' ? ('Other' as const) : ('AccountKey' as const),
      type: 'raw key',
      target: 'kv',
      credentials: holds === 'unknown' ? 'unknown' : 'AccountKey',
      isDefault: false,
      holds,
    })),
  });
  return inv;
}

/** key2 is regenerated: a secret on key2 moves to key1, then every one onto the new key2. */
const rotation = (inv: Inventory): Plan =>
  plan(inv, { keyName: 'key2', now: NOW, allowOutsideBreakage: true });
/** Nothing regenerated: a secret already on key1 (the newer key) is left as it is. */
const idle = (inv: Inventory): Plan => plan(inv, { keyName: 'none', now: NOW });

describe('secretDataPermissions (RBAC vaults)', () => {
  it('getSecret and setSecret at the scope of each secret the plan writes, none other', () => {
    const inv = withVault(RBAC, [
      ['app-key', 'key2'],
      ['unread', 'unknown'],
    ]);
    assert.deepEqual(
      secretDataPermissions(inv, rotation(inv)).map((r) => [r.scope, r.name, r.dataActions]),
      [[`${VAULT_ID}/secrets/app-key`, 'kv/app-key', [GET, SET]]],
    );
  });

  it('a plan that writes no secret of the vault needs no data action there', () => {
    const inv = withVault(RBAC, [['app-key', 'key1']]);
    assert.deepEqual(secretDataPermissions(inv, idle(inv)), []);
  });

  it('an access-policy vault has no data actions to check', () => {
    const inv = withVault(policies(entry(['get', 'set'])), [['app-key', 'key2']]);
    assert.deepEqual(secretDataPermissions(inv, rotation(inv)), []);
  });
});

describe('checkPermissions with data actions', () => {
  const [required] = secretDataPermissions(
    withVault(RBAC, [['app-key', 'key2']]),
    rotation(withVault(RBAC, [['app-key', 'key2']])),
  );
  const allowed = (dataActions: string[], notDataActions: string[] = [], actions = ['*']) =>
    checkPermissions(required!, [{ actions, notActions: [], dataActions, notDataActions }]).map(
      (c) => [c.action, c.allowed],
    );

  it('a role with the data actions (on the secret or above) grants them', () => {
    assert.deepEqual(allowed([GET, SET]), [
      [GET, true],
      [SET, true],
    ]);
    assert.deepEqual(allowed([`${KV}/*`], [], []), [
      [GET, true],
      [SET, true],
    ]);
  });

  it('actions never grant a data action (Owner reads no secret), notDataActions take one away', () => {
    assert.deepEqual(allowed([]), [
      [GET, false],
      [SET, false],
    ]);
    assert.deepEqual(allowed(['*'], [SET]), [
      [GET, true],
      [SET, false],
    ]);
  });

  it('a missing one names the vault, the secret and the data action, and how to grant it', () => {
    const message = missingPermissionsMessage(
      checkPermissions(required!, [{ actions: ['*'], notActions: [], dataActions: [GET] }]),
    );
    assert.equal(
      message,
      `The login lacks permissions this rotation needs (kv/app-key: ${SET}). Nothing was changed. On key vault 'kv', assign the role in role/aml-storage-key-rotation-key-vault.json (or the built-in Key Vault Secrets Officer) to the login, on the vault or on each secret it re-keys.`,
    );
  });

  it('missing ARM actions and a vault data action: both ways to grant them, once each', () => {
    const arm = { scope: '/s', name: 'store', actions: ['Microsoft.Storage/storageAccounts/read'] };
    const none = [{ actions: [], notActions: [] }];
    const message = missingPermissionsMessage([
      ...checkPermissions(arm, none),
      ...checkPermissions(required!, none),
    ])!;
    assert.match(message, /\(store: Microsoft\.Storage\/storageAccounts\/read; kv\/app-key: /);
    assert.match(
      message,
      /Assign the role in role\/aml-storage-key-rotation\.json \(see the README\)\. On key vault 'kv', assign/,
    );
    assert.equal(message.split("On key vault 'kv'").length, 2);
  });
});

describe('checkAccessPolicy (access-policy vaults)', () => {
  const requirement = (...entries: VaultAccessPolicy[]): PolicyRequirement => {
    const inv = withVault(policies(...entries), [['app-key', 'key2']]);
    const [required] = policyRequirements(inv, rotation(inv));
    return required!;
  };
  const verdict = (required: PolicyRequirement, principal: SignedInPrincipal | undefined = LOGIN) =>
    checkAccessPolicy(required, principal).checks.map((c) => [c.action, c.allowed]);

  it('needs get and set, only on a vault whose secrets the plan writes', () => {
    const inv = withVault(policies(entry(['get'])), [['app-key', 'key2']]);
    assert.deepEqual(
      policyRequirements(inv, rotation(inv)).map((r) => [r.scope, r.name, r.permissions]),
      [[VAULT_ID, 'kv', ['get', 'set']]],
    );
    const onKey1 = withVault(policies(entry(['get'])), [['app-key', 'key1']]);
    assert.deepEqual(policyRequirements(onKey1, idle(onKey1)), []);
    assert.deepEqual(policyRequirements(withVault(RBAC, [['a', 'key2']]), rotation(inv)), []);
  });

  it('an entry for the login with get and list only: set is missing, and the message says how to grant it', () => {
    const checked = checkAccessPolicy(requirement(entry(['get', 'list'])), LOGIN);
    assert.equal(checked.warning, undefined);
    assert.deepEqual(
      checked.checks.map((c) => [c.action, c.allowed]),
      [
        ['secrets get (access policy)', true],
        ['secrets set (access policy)', false],
      ],
    );
    assert.equal(
      missingPermissionsMessage(checked.checks),
      "The login lacks permissions this rotation needs (kv: secrets set (access policy)). Nothing was changed. On key vault 'kv' (access policies), give the login the secret permissions get, list and set: az keyvault set-policy --name kv --object-id oid-login --secret-permissions get list set (it replaces that entry's secret permissions: add any others it should keep).",
    );
  });

  it('the union of the entries that name the login; `all` grants every permission; case does not matter', () => {
    assert.deepEqual(verdict(requirement(entry(['Get']), entry(['SET'], { tenantId: 'TID' }))), [
      ['secrets get (access policy)', true],
      ['secrets set (access policy)', true],
    ]);
    assert.deepEqual(verdict(requirement(entry(['all'], { objectId: 'OID-LOGIN' }))), [
      ['secrets get (access policy)', true],
      ['secrets set (access policy)', true],
    ]);
  });

  it('entries for others do not count; an entry through an application counts only for that application', () => {
    const other = entry(['get', 'set'], { objectId: 'oid-someone-else' });
    const viaApp = (applicationId: string) => entry(['get', 'set'], { applicationId });
    assert.deepEqual(verdict(requirement(other, entry(['get']))), [
      ['secrets get (access policy)', true],
      ['secrets set (access policy)', false],
    ]);
    assert.deepEqual(verdict(requirement(viaApp('app'), entry(['get']))), [
      ['secrets get (access policy)', true],
      ['secrets set (access policy)', true],
    ]);
    assert.deepEqual(verdict(requirement(viaApp('another-app'), entry(['get']))), [
      ['secrets get (access policy)', true],
      ['secrets set (access policy)', false],
    ]);
    assert.deepEqual(verdict(requirement(entry(['get', 'set'], { tenantId: 'other-tenant' }))), [
      ['secrets get (access policy)', undefined],
      ['secrets set (access policy)', undefined],
    ]);
  });

  it('no entry names the login: unknown (a group may grant it), with a warning, never missing', () => {
    const checked = checkAccessPolicy(
      requirement(entry(['get', 'list', 'set'], { objectId: 'oid-of-a-group' })),
      LOGIN,
    );
    assert.deepEqual(
      checked.checks.map((c) => c.allowed),
      [undefined, undefined],
    );
    assert.equal(missingPermissionsMessage(checked.checks), undefined);
    assert.match(
      checked.warning!,
      /No access policy of key vault 'kv' names the login \(object ID oid-login\): a group it is in may grant/,
    );
    assert.match(checked.warning!, /az keyvault set-policy --name kv --object-id oid-login/);
  });

  it('a login whose token names no object ID: unknown, with a warning', () => {
    const checked = checkAccessPolicy(requirement(entry(['get', 'set'])), undefined);
    assert.deepEqual(
      checked.checks.map((c) => c.allowed),
      [undefined, undefined],
    );
    assert.match(checked.warning!, /access policies of key vault 'kv' were not checked/);
  });
});

describe('preflight with vaults', () => {
  it('asks the permissions at the secret scope of an RBAC vault; a role on that one secret counts', async () => {
    const inv = withVault(RBAC, [['app-key', 'key2']]);
    const azure = new MemoryAzure();
    azure.grantedAt.set(VAULT_ID, [{ actions: ['*'], notActions: [], dataActions: [GET] }]);
    azure.grantedAt.set(`${VAULT_ID}/secrets/app-key`, [
      { actions: ['*'], notActions: [], dataActions: [GET] },
      { actions: [], notActions: [], dataActions: [SET] },
    ]);
    const checks = await preflight(azure, inv, rotation(inv));
    assert.equal(missingPermissionsMessage(checks), undefined);
    assert.deepEqual(
      checks.filter((c) => c.name === 'kv/app-key').map((c) => [c.action, c.allowed]),
      [
        [GET, true],
        [SET, true],
      ],
    );
    assert.ok(!azure.calls.includes('signedInPrincipal'), 'no access policy to read it for');
  });

  it('checks an access-policy vault against the login from its token, asking no permission for it', async () => {
    const inv = withVault(policies(entry(['get', 'list'])), [['app-key', 'key2']]);
    const azure = new MemoryAzure();
    azure.principal = LOGIN;
    const checks = await preflight(azure, inv, rotation(inv));
    assert.match(missingPermissionsMessage(checks)!, /kv: secrets set \(access policy\)/);
    assert.ok(!azure.calls.some((c) => c.startsWith('permissions') && c.includes('/secrets/')));
  });

  it('a permission listing that fails leaves the data actions unknown, not granted', async () => {
    const inv = withVault(RBAC, [['app-key', 'key2']]);
    const azure = new MemoryAzure();
    azure.permissions = async () => {
      throw Object.assign(new Error('nope'), { statusCode: 500 });
    };
    const checks = await preflight(azure, inv, rotation(inv));
    assert.deepEqual(
      checks.filter((c) => c.name === 'kv/app-key').map((c) => [c.action, c.allowed]),
      [
        [GET, undefined],
        [SET, undefined],
      ],
    );
  });
});

describe('principalOfToken', () => {
  const jwt = (claims: Record<string, unknown>) =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

  it('reads oid, tid and appid (v1) or azp (v2) without checking the signature', () => {
    assert.deepEqual(principalOfToken(jwt({ oid: 'o', tid: 't', appid: 'a' })), {
      objectId: 'o',
      tenantId: 't',
      applicationId: 'a',
    });
    assert.deepEqual(principalOfToken(jwt({ oid: 'o', azp: 'b' })), {
      objectId: 'o',
      applicationId: 'b',
    });
  });

  it('no object ID, or no JWT at all: undefined', () => {
    assert.equal(principalOfToken(jwt({ tid: 't' })), undefined);
    assert.equal(principalOfToken('opaque-token'), undefined);
    assert.equal(principalOfToken('a.%%%.c'), undefined);
  });
});
