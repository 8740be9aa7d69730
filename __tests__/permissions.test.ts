import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ALL_ACTIONS,
  checkPermissions,
  missingPermissionsMessage,
  requiredPermissions,
} from '../src/execute/permissions.js';
import { plan } from '../src/plan/plan.js';
import { inventory, keyed, NOW } from './fakes/inventory.js';

const inv = inventory({ workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }] });

describe('permissions', () => {
  it('asks for write actions only where the plan writes', () => {
    const rotation = requiredPermissions(inv, plan(inv, { keyName: 'auto', now: NOW }));
    assert.ok(
      rotation[0]!.actions.includes('Microsoft.Storage/storageAccounts/regeneratekey/action'),
    );
    assert.ok(
      rotation[1]!.actions.includes(
        'Microsoft.MachineLearningServices/workspaces/datastores/write',
      ),
    );
    const idle = inventory({
      ages: { key1: 1, key2: 2 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    const notDue = requiredPermissions(
      idle,
      plan(idle, { keyName: 'auto', maxKeyAgeDays: 30, now: NOW }),
    );
    assert.ok(!notDue.flatMap((r) => r.actions).some((a) => /regeneratekey|write|resync/.test(a)));
  });

  it('asks for the connection actions that read and re-key secrets only when a connection is on the account', () => {
    const ws = 'Microsoft.MachineLearningServices/workspaces';
    const without = requiredPermissions(inv, plan(inv, { keyName: 'auto', now: NOW }))[1]!;
    assert.ok(without.actions.includes(`${ws}/connections/read`));
    assert.ok(!without.actions.some((a) => /connections\/(write|listsecrets)/.test(a)));
    const withConnection = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', connections: keyed('key1') }],
    });
    const actions = requiredPermissions(
      withConnection,
      plan(withConnection, { keyName: 'auto', now: NOW }),
    )[1]!.actions;
    assert.ok(actions.includes(`${ws}/connections/listsecrets/action`));
    assert.ok(actions.includes(`${ws}/connections/write`));
    assert.ok(!actions.includes(`${ws}/datastores/write`));
  });

  it('checks no permission in a workspace outside the scope', () => {
    const both = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'elsewhere', inScope: false, datastores: keyed('key1') },
      ],
    });
    const scopes = requiredPermissions(both, plan(both, { keyName: 'auto', now: NOW }));
    assert.deepEqual(
      scopes.map((s) => s.name),
      ['store', 'ws'],
    );
  });

  it('matches wildcards case-insensitively and honours notActions', () => {
    const [storage] = requiredPermissions(inv, plan(inv, { keyName: 'auto', now: NOW }));
    const checks = checkPermissions(storage!, [
      {
        actions: ['microsoft.storage/storageaccounts/*'],
        notActions: ['Microsoft.Storage/storageAccounts/regenerateKey/action'],
      },
    ]);
    assert.deepEqual(
      checks.map((c) => c.allowed),
      [true, true, false],
    );
    assert.match(
      missingPermissionsMessage(checks)!,
      /store: Microsoft.Storage\/storageAccounts\/regeneratekey\/action/,
    );
    assert.ok(
      checkPermissions(storage!, [{ actions: ['*'], notActions: [] }]).every((c) => c.allowed),
    );
  });

  it('the shipped role grants every action the action uses', () => {
    const role = JSON.parse(readFileSync('role/aml-storage-key-rotation.json', 'utf8')) as {
      Actions: string[];
    };
    const granted = [{ actions: role.Actions, notActions: [] }];
    for (const action of ALL_ACTIONS) {
      assert.ok(
        checkPermissions({ scope: 's', name: 's', actions: [action] }, granted)[0]!.allowed,
        action,
      );
    }
  });
});
