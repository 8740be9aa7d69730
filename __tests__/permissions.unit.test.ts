// The permission check on plain data: exactly the actions a plan needs, per scope, and how ARM
// action patterns match them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_ACTIONS,
  checkPermissions,
  missingEvidenceMessage,
  missingPermissionsMessage,
  requiredPermissions,
} from '../src/execute/permissions.js';
import { plan } from '../src/plan/plan.js';
import type { KeyUsage } from '../src/key-usage/usage.js';
import { inventory, keyed, NOW } from './fakes/inventory.js';

const S = 'Microsoft.Storage/storageAccounts';
const W = 'Microsoft.MachineLearningServices/workspaces';
const READS = [`${W}/read`, `${W}/datastores/read`, `${W}/connections/read`];
const LOGGED: KeyUsage = { status: 'found', lookbackDays: 7, keys: [], services: [], partial: [] };
const NO_LOGS: KeyUsage = { status: 'no-logs', lookbackDays: 7, reason: 'none' };

describe('requiredPermissions', () => {
  it('a rotation: regenerate on the account; per workspace what it resyncs and re-keys', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1'), connections: keyed('key1') },
        { name: 'plain', datastores: [{ credentials: 'None' }] },
        { name: 'out', inScope: false, holds: 'key1', datastores: keyed('key1') },
      ],
    });
    assert.deepEqual(requiredPermissions(inv, plan(inv, { keyName: 'auto', now: NOW })), [
      {
        scope: inv.account.id,
        name: 'store',
        actions: [`${S}/read`, `${S}/listkeys/action`, `${S}/regeneratekey/action`],
      },
      {
        scope: inv.workspaces[0]!.id,
        name: 'ws',
        actions: [
          ...READS,
          `${W}/listKeys/action`,
          `${W}/datastores/listsecrets/action`,
          `${W}/connections/listsecrets/action`,
          `${W}/resynckeys/action`,
          `${W}/datastores/write`,
          `${W}/connections/write`,
        ],
      },
      { scope: inv.workspaces[1]!.id, name: 'plain', actions: READS },
    ]);
  });

  it('SAS consumers: their tokens are read (listsecrets); renewing one needs only the write action', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          datastores: [{ name: 'sas', credentials: 'Sas', sas: { signedBy: 'key2' } }],
          connections: [{ name: 'csas', credentials: 'SAS', sas: { signedBy: 'key1' } }],
        },
      ],
    });
    const needs = (sas: 'warn' | 'renew') =>
      requiredPermissions(inv, plan(inv, { keyName: 'key2', sas, now: NOW }))[1]!.actions;
    assert.deepEqual(needs('warn'), [
      ...READS,
      `${W}/datastores/listsecrets/action`,
      `${W}/connections/listsecrets/action`,
    ]);
    // Only the datastore's token is signed by the regenerated key: only datastores are written.
    assert.deepEqual(needs('renew'), [...needs('warn'), `${W}/datastores/write`]);
    assert.ok(needs('renew').every((a) => ALL_ACTIONS.includes(a)));
  });

  it('every action a plan may need is in ALL_ACTIONS (the role is checked against it)', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1'), connections: keyed('key1') },
      ],
    });
    // The evidence reads the logs where they are, the metrics where they are not.
    const needed = new Set(
      [LOGGED, NO_LOGS].flatMap((keyUsage) =>
        requiredPermissions({ ...inv, keyUsage }, plan(inv, { keyName: 'both', now: NOW })).flatMap(
          (r) => [...r.actions, ...(r.evidence ?? [])],
        ),
      ),
    );
    assert.deepEqual([...needed].sort(), [...ALL_ACTIONS].sort());
  });

  it('the evidence reads, on the account, apart from what the rotation needs', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    const evidence = (keyUsage: KeyUsage | undefined) =>
      requiredPermissions({ ...inv, keyUsage }, plan(inv, { keyName: 'none', now: NOW })).map(
        (r) => r.evidence,
      );
    assert.deepEqual(evidence(LOGGED), [
      [
        'Microsoft.Insights/diagnosticSettings/read',
        'Microsoft.Insights/logs/StorageBlobLogs/read',
        'Microsoft.Insights/logs/StorageFileLogs/read',
        'Microsoft.Insights/logs/StorageQueueLogs/read',
        'Microsoft.Insights/logs/StorageTableLogs/read',
      ],
      undefined,
    ]);
    assert.deepEqual(evidence(NO_LOGS), [
      ['Microsoft.Insights/diagnosticSettings/read', 'Microsoft.Insights/metrics/read'],
      undefined,
    ]);
    assert.deepEqual(evidence(undefined), [undefined, undefined]);
  });

  it('nothing to change: reads only', () => {
    const inv = inventory({
      ages: { key1: 1, key2: 2 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    assert.deepEqual(
      requiredPermissions(inv, plan(inv, { keyName: 'none', now: NOW })).map((r) => r.actions),
      [
        [`${S}/read`, `${S}/listkeys/action`],
        [...READS, `${W}/listKeys/action`, `${W}/datastores/listsecrets/action`],
      ],
    );
  });
});

describe('checkPermissions', () => {
  it('a missing evidence read is marked as such: never a reason to stop, its own warning', () => {
    const checks = checkPermissions(
      {
        scope: '/s',
        name: 'store',
        actions: [`${S}/read`],
        evidence: ['Microsoft.Insights/logs/StorageFileLogs/read'],
      },
      [{ actions: ['*'], notActions: ['Microsoft.Insights/logs/*'] }],
    );
    assert.deepEqual(checks, [
      { scope: '/s', name: 'store', action: `${S}/read`, allowed: true },
      {
        scope: '/s',
        name: 'store',
        action: 'Microsoft.Insights/logs/StorageFileLogs/read',
        allowed: false,
        evidence: true,
      },
    ]);
    assert.equal(missingPermissionsMessage(checks), undefined);
    assert.match(
      missingEvidenceMessage(checks)!,
      /lacks reads the key-usage evidence needs \(Microsoft.Insights\/logs\/StorageFileLogs\/read on store\)/,
    );
    assert.equal(missingEvidenceMessage(checks.slice(0, 1)), undefined);
  });

  const required = { scope: '/s', name: 'store', actions: [`${S}/read`, `${S}/listkeys/action`] };
  const allowed = (actions: string[], notActions: string[] = []) =>
    checkPermissions(required, [{ actions, notActions }]).map((c) => c.allowed);

  it('one check per action, with its scope', () => {
    assert.deepEqual(checkPermissions(required, []), [
      { scope: '/s', name: 'store', action: `${S}/read`, allowed: false },
      { scope: '/s', name: 'store', action: `${S}/listkeys/action`, allowed: false },
    ]);
  });

  it('patterns: exact, any case, * for any run of characters, anchored at both ends', () => {
    assert.deepEqual(allowed([`${S}/read`]), [true, false]);
    assert.deepEqual(allowed([`${S.toUpperCase()}/READ`]), [true, false]);
    assert.deepEqual(allowed(['Microsoft.Storage/*']), [true, true]);
    assert.deepEqual(allowed(['*/read']), [true, false]);
    assert.deepEqual(allowed(['Microsoft.Storage/*/action']), [false, true]);
    assert.deepEqual(allowed([`${S}/rea`]), [false, false]);
    assert.deepEqual(allowed([`${S}/read/more`]), [false, false]);
    assert.deepEqual(allowed([`x${S}/read`]), [false, false]);
    assert.deepEqual(allowed(['Microsoft+Storage/storageAccounts/read']), [false, false]);
    assert.deepEqual(allowed(['Microsoft?Storage/storageAccounts/read']), [false, false]);
    assert.deepEqual(allowed(['Microsoft.Storage/storageAccounts/(read)']), [false, false]);
  });

  it('a literal dot in a pattern matches only a dot', () => {
    const dotted = { scope: '/s', name: 's', actions: ['MicrosoftXStorage/storageAccounts/read'] };
    assert.deepEqual(
      checkPermissions(dotted, [{ actions: [`${S}/read`], notActions: [] }]).map((c) => c.allowed),
      [false],
    );
  });

  it('notActions take away what actions grant, across role assignments', () => {
    assert.deepEqual(allowed(['*'], [`${S}/listKeys/action`]), [true, false]);
    assert.deepEqual(
      checkPermissions(required, [
        { actions: [`${S}/read`], notActions: [] },
        { actions: [`${S}/*`], notActions: [`${S}/read`] },
      ]).map((c) => c.allowed),
      [true, true],
    );
  });
});

describe('missingPermissionsMessage', () => {
  it('nothing missing: no message; unknown is not missing', () => {
    assert.equal(missingPermissionsMessage([]), undefined);
    assert.equal(
      missingPermissionsMessage([
        { scope: 's', name: 'n', action: 'a', allowed: true },
        { scope: 's', name: 'n', action: 'b', allowed: undefined },
      ]),
      undefined,
    );
  });

  it('lists the missing actions by scope', () => {
    assert.equal(
      missingPermissionsMessage([
        { scope: 's1', name: 'store', action: 'a1', allowed: false },
        { scope: 's2', name: 'ws', action: 'b1', allowed: false },
        { scope: 's1', name: 'store', action: 'a2', allowed: false },
        { scope: 's1', name: 'store', action: 'a3', allowed: true },
      ]),
      'The login lacks permissions this rotation needs (store: a1, a2; ws: b1). Nothing was changed. Assign the role in role/aml-storage-key-rotation.json (see the README).',
    );
  });
});
