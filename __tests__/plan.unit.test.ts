// The planner's rules on plain data, beyond plan.test.ts: resyncs that may rewrite system
// datastores, settling split workspaces, how auto chooses and why, refusals, the newest key, and
// what the plan says it will do to each consumer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_NAMES } from '../src/azure/port.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { plan, type Plan, type Policy } from '../src/plan/plan.js';
import { describeStep } from '../src/report/report.js';
import { inventory, keyed, NOW } from './fakes/inventory.js';

const policy = (keyName: KeyNameChoice, more: Partial<Policy> = {}): Policy => ({
  keyName,
  now: NOW,
  ...more,
});
const steps = (p: Plan) => p.steps.map((s) => `${describeStep(s)} | ${s.reason}`);
const kinds = (p: Plan) =>
  p.steps.map((s) =>
    s.kind === 'move'
      ? `move ${s.consumers.map((c) => c.name).join(',')} to ${s.to}`
      : s.kind === 'regenerate'
        ? `regenerate ${s.key}`
        : `resync ${s.workspace.name}`,
  );

describe('plan: resyncs and the datastores they may rewrite', () => {
  const inv = inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          { name: 'WorkspaceBlobStore', holds: 'key2' },
          { name: 'mydefault', holds: 'key2', isDefault: true },
          { name: 'plain', holds: 'key2' },
          { name: 'old', holds: 'key1' },
        ],
        connections: [{ name: 'workspaceblobstore', holds: 'key2' }],
      },
      { name: 'ws2', holds: 'key2', datastores: [{ name: 'workspacefilestore', holds: 'key2' }] },
      { name: 'nodefault', datastores: [{ name: 'workspaceartifactstore', holds: 'key2' }] },
    ],
  });
  const p = plan(inv, policy('key1', { settled: true }));

  it('a resync comes before the moves next to it, and its system datastores move as if unknown', () => {
    assert.deepEqual(steps(p), [
      'Resync the keys of workspace ws | the workspace holds key1: resync first, in case the workspace moves to key2',
      'Re-key 3 datastores with key2 (ws/WorkspaceBlobStore, ws/mydefault, ws/old) | key1 is regenerated next: move its holders to key2 first',
      'Regenerate key1 | key-name is key1',
      'Resync the keys of workspace ws | the workspace held key1: resync right after its regeneration',
      "Resync the keys of workspace ws2 | the workspace reads the account's keys again (which one it takes is up to Azure ML)",
      'Re-key 6 datastores and 1 connection with key1 (ws/WorkspaceBlobStore, ws/mydefault, ws/plain, ws/old, ws/workspaceblobstore, 2 more) | move every AccountKey consumer onto the new key1',
    ]);
  });

  it('says what it does to each consumer', () => {
    assert.deepEqual(Object.fromEntries(p.actions), {
      'datastore:sub/rg/ws/WorkspaceBlobStore': 'move to key2, then new key1',
      'datastore:sub/rg/ws/mydefault': 'move to key2, then new key1',
      'datastore:sub/rg/ws/plain': 'move to new key1',
      'datastore:sub/rg/ws/old': 'move to key2, then new key1',
      'connection:sub/rg/ws/workspaceblobstore': 'move to new key1',
      'datastore:sub/rg/ws2/workspacefilestore': 'move to new key1',
      'datastore:sub/rg/nodefault/workspaceartifactstore': 'move to new key1',
    });
  });

  it('warns only about the workspace whose own copy holds the key', () => {
    assert.deepEqual(p.notes, [
      {
        level: 'notice',
        kind: 'workspace-window',
        text: '1 workspace(s) hold key1 in their own copy. Azure ML cannot point a workspace at a chosen key: unless the resync before the regeneration moves it to key2, its own copy is invalid from the regeneration of key1 until the resync right after it (measured in the report).',
        subjects: ["workspace 'ws'"],
      },
    ]);
  });

  it('every system datastore name counts, in any case; only datastores', () => {
    for (const name of [
      'workspaceblobstore',
      'WORKSPACEFILESTORE',
      'workspaceartifactstore',
      'workspaceworkingdirectory',
    ]) {
      const one = inventory({
        workspaces: [{ name: 'ws', holds: 'key1', datastores: [{ name, holds: 'key2' }] }],
      });
      assert.deepEqual(kinds(plan(one, policy('key1')))[1], `move ${name} to key2`, name);
    }
    const connection = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', connections: [{ name: 'workspaceblobstore', holds: 'key2' }] },
      ],
    });
    assert.deepEqual(kinds(plan(connection, policy('key1'))), [
      'resync ws',
      'regenerate key1',
      'resync ws',
      'move workspaceblobstore to key1',
    ]);
  });

  it('a workspace whose default storage is another account is never resynced', () => {
    const inv2 = inventory({
      workspaces: [{ name: 'ws', datastores: keyed('key1', 'stale') }],
    });
    for (const keyName of ['auto', 'key1', 'key2', 'both', 'none'] as const) {
      const planned = plan(inv2, policy(keyName));
      assert.ok(!planned.steps.some((s) => s.kind === 'resync'), keyName);
    }
  });
});

describe('plan: repair without regenerating', () => {
  it('resyncs a workspace on a stale or an older key, then moves stale and older consumers', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 5 },
      workspaces: [
        { name: 'stale', holds: 'stale', datastores: keyed('stale') },
        { name: 'older', holds: 'key1', datastores: keyed('key1') },
        { name: 'current', holds: 'key2', datastores: keyed('key2') },
        { name: 'nokey', datastores: keyed('key2') },
      ],
    });
    const p = plan(inv, policy('none'));
    assert.deepEqual(steps(p), [
      "Resync the keys of workspace stale | repair: the workspace's copy matches neither key",
      'Resync the keys of workspace older | the workspace holds key1, not the newest key key2',
      'Re-key 1 datastore with key2 (stale/ds0) | repair: consumers whose key matches neither key',
      'Re-key 1 datastore with key2 (older/ds0) | bring consumers onto the newest key, key2',
    ]);
    assert.equal(
      p.decision,
      'key-name is none: regenerate nothing, bring every consumer onto the newest key',
    );
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(p.due, []);
    assert.equal(p.ageLimit, undefined);
    assert.equal(p.actions.get('datastore:sub/rg/current/ds0'), 'none: stays on key2');
    assert.equal(p.actions.get('datastore:sub/rg/stale/ds0'), 'move to key2', 'not a new key');
    assert.equal(p.actions.get('datastore:sub/rg/older/ds0'), 'move to key2');
  });

  it('an AccountKey consumer whose key is not known is repaired like a stale one', () => {
    const inv = inventory({ workspaces: [{ name: 'ws', datastores: keyed('key1', 'key1') }] });
    delete inv.workspaces[0]!.consumers[1]!.holds;
    const p = plan(inv, policy('none'));
    assert.deepEqual(steps(p), [
      'Re-key 1 datastore with key1 (ws/ds1) | repair: consumers whose key matches neither key',
    ]);
    assert.equal(p.actions.get('datastore:sub/rg/ws/ds1'), 'move to key1');
  });

  it('the newest key without creation times: the one more consumers and workspaces hold', () => {
    const unknownAges = (spec: Parameters<typeof inventory>[0]['workspaces']) =>
      plan(inventory({ ages: { key1: null, key2: null }, workspaces: spec }), policy('none'))
        .activeKey;
    assert.equal(unknownAges([{ name: 'ws', datastores: keyed('key2', 'key2', 'key1') }]), 'key2');
    assert.equal(
      unknownAges([{ name: 'ws', holds: 'key2', datastores: keyed('key2', 'key1') }]),
      'key2',
      'a workspace counts too',
    );
    assert.equal(
      unknownAges([{ name: 'ws', holds: 'key1', datastores: keyed('key2', 'key2') }]),
      'key2',
    );
    assert.equal(unknownAges([{ name: 'ws', holds: 'key2', datastores: keyed('key1') }]), 'key1');
    assert.equal(unknownAges([{ name: 'ws', datastores: keyed('stale') }]), 'key1', 'a tie');
    const oneKnown = inventory({
      ages: { key1: null, key2: 5 },
      workspaces: [{ name: 'ws', datastores: keyed('key1', 'key1') }],
    });
    assert.equal(plan(oneKnown, policy('none')).activeKey, 'key1');
    const known = inventory({
      ages: { key1: 10, key2: 5 },
      workspaces: [{ name: 'ws', datastores: keyed('key1', 'key1') }],
    });
    assert.equal(plan(known, policy('none')).activeKey, 'key2');
  });
});

describe('plan: workspaces on different keys', () => {
  const split = inventory({
    ages: { key1: 10, key2: 40 },
    keyExpirationDays: 30,
    workspaces: [
      { name: 'a', holds: 'key1', datastores: keyed('key1') },
      { name: 'b', holds: 'key2', datastores: keyed('key2') },
      { name: 'c', datastores: keyed('key1') },
    ],
  });

  it('settle first: resync each workspace on the account, decide nothing else yet', () => {
    const p = plan(split, policy('auto'));
    assert.equal(p.settleFirst, true);
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(p.notes, []);
    assert.equal(p.refused, undefined);
    assert.ok(KEY_NAMES.includes(p.activeKey));
    assert.deepEqual(p.due, ['key2']);
    assert.deepEqual(p.ageLimit, { days: 30, source: 'key policy' });
    assert.equal(
      p.decision,
      'the workspaces hold different keys: resync them first, then choose the key to regenerate from the key each one holds afterwards',
    );
    assert.deepEqual(steps(p), [
      'Resync the keys of workspace a | settle the workspaces on one key before choosing which key to regenerate',
      'Resync the keys of workspace b | settle the workspaces on one key before choosing which key to regenerate',
    ]);
    assert.deepEqual(
      [...p.actions.values()],
      Array(3).fill('decided once the workspaces have resynced'),
    );
    assert.equal(plan(split, policy('both')).settleFirst, true);
  });

  it('not when the key is named, nothing is regenerated, or they were settled', () => {
    for (const keyName of ['key1', 'key2', 'none'] as const) {
      assert.equal(plan(split, policy(keyName)).settleFirst, false, keyName);
    }
    assert.equal(plan(split, policy('auto', { settled: true })).settleFirst, false);
    const notDue = inventory({ ...splitSpec(), ages: { key1: 1, key2: 2 }, keyExpirationDays: 30 });
    assert.equal(plan(notDue, policy('auto')).settleFirst, false);
  });

  it('two workspaces on the same key are not split', () => {
    const same = inventory({
      workspaces: [
        { name: 'a', holds: 'key1', datastores: keyed('key1') },
        { name: 'b', holds: 'key1' },
      ],
    });
    assert.equal(plan(same, policy('auto')).settleFirst, false);
    const staleAndKey = inventory({
      workspaces: [
        { name: 'a', holds: 'key1' },
        { name: 'b', holds: 'stale' },
      ],
    });
    assert.equal(plan(staleAndKey, policy('auto')).settleFirst, false);
  });

  function splitSpec() {
    return {
      workspaces: [
        { name: 'a', holds: 'key1' as const },
        { name: 'b', holds: 'key2' as const },
      ],
    };
  }
});

describe('plan: how the key is chosen', () => {
  it('auto: the older key, saying so', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    const p = plan(inv, policy('auto'));
    assert.equal(
      p.decision,
      'key-name is auto: key2 is the older key (key1 is 100 days old, key2 is 200 days old)',
    );
    assert.deepEqual(p.due, []);
  });

  it('auto with keys of the same age (to the day): the one with fewer holders', () => {
    const inv = inventory({
      ages: { key1: 100.2, key2: 100.7 },
      workspaces: [{ name: 'ws', datastores: keyed('key2', 'key2', 'key1') }],
    });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.equal(p.decision, 'key-name is auto: key1 has the fewest holders to move off first');
    const otherWay = inventory({
      ages: { key1: 100, key2: 100 },
      workspaces: [{ name: 'ws', datastores: keyed('key1', 'key1', 'key2') }],
    });
    assert.deepEqual(plan(otherWay, policy('auto')).regenerate, ['key2']);
  });

  it('fewer holders: a workspace weighs more than any number of consumers', () => {
    const inv = inventory({
      ages: { key1: 100, key2: 100 },
      workspaces: [{ name: 'ws', holds: 'key2', datastores: keyed('key1', 'key1', 'key1') }],
    });
    assert.deepEqual(plan(inv, policy('auto')).regenerate, ['key1']);
    assert.deepEqual(plan(inv, policy('both')).regenerate, ['key1', 'key2']);
  });

  it('both: the key with fewer holders first, so no key from before the run stays valid', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', datastores: keyed('key1', 'key1', 'key2') }],
    });
    const p = plan(inv, policy('both'));
    assert.deepEqual(p.regenerate, ['key2', 'key1']);
    assert.equal(
      p.decision,
      'key-name is both: regenerate key2 then key1, so no key from before the run stays valid',
    );
    assert.equal(p.activeKey, 'key1');
  });

  it('auto passes over an older key the workspace holds when no outage is allowed', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 10 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key2') }],
    });
    const p = plan(inv, policy('auto', { allowWorkspaceOutage: false }));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.equal(p.refused, undefined);
    assert.equal(
      p.decision,
      'key-name is auto: key1 is older, but a workspace holds it in its own copy and allow-workspace-outage is false; regenerate key2',
    );
    const tie = inventory({
      ages: { key1: 10, key2: 10 },
      workspaces: [
        { name: 'ws', datastores: keyed('key2', 'key2') },
        { name: 'out', inScope: false, datastores: keyed('key1') },
      ],
    });
    assert.equal(
      plan(tie, policy('auto')).decision,
      'key-name is auto: key1 is as old, but consumers outside the managed workspaces hold it; regenerate key2',
    );
  });

  it('auto regenerates the older key when breaking outside holders is accepted', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', datastores: keyed('key1') },
        { name: 'out', inScope: false, datastores: keyed('key2') },
      ],
    });
    const p = plan(inv, policy('auto', { allowOutsideBreakage: true }));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.match(p.decision, /^key-name is auto: key2 is the older key/);
  });

  it('auto with both keys held outside: the older, refused', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', datastores: keyed('key1') },
        { name: 'out', inScope: false, datastores: keyed('key1', 'key2') },
      ],
    });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.match(p.refused!, /^Regenerating key2 would break/);
  });

  it('an age limit that finds nothing due says which key it checked', () => {
    const inv = inventory({ ages: { key1: 10, key2: 20 }, workspaces: [{ name: 'ws' }] });
    const p = plan(inv, policy('auto', { maxKeyAgeDays: 30 }));
    assert.equal(
      p.decision,
      'not due: key1 is 10 days old, key2 is 20 days old; no key is older than max-key-age-days: 30',
    );
    assert.deepEqual(p.regenerate, []);
  });

  it('a named key is an order: regenerated now, whatever the age limit (it applies to auto only)', () => {
    // Keys 10 and 12 days old under a 365-day key policy: the emergency after a leak.
    const inv = inventory({
      ages: { key1: 10, key2: 12 },
      keyExpirationDays: 365,
      workspaces: [{ name: 'ws', holds: 'key2', datastores: keyed('key1', 'key2') }],
    });
    const key1 = plan(inv, policy('key1'));
    assert.deepEqual(key1.regenerate, ['key1']);
    assert.equal(
      key1.decision,
      'key-name is key1 (key1 is 10 days old, key2 is 12 days old; the age limit applies to auto only)',
    );
    assert.deepEqual(key1.due, [], 'the limit still says what is due');
    assert.deepEqual(kinds(key1), [
      'move ds0 to key2',
      'regenerate key1',
      'resync ws',
      'move ds0,ds1 to key1',
    ]);
    assert.deepEqual(plan(inv, policy('key2', { maxKeyAgeDays: 30 })).regenerate, ['key2']);
    const both = plan(inv, policy('both', { maxKeyAgeDays: 30 }));
    assert.deepEqual(both.regenerate, ['key1', 'key2']);
    assert.match(both.decision, /^key-name is both: .*; the age limit applies to auto only\)$/);
    assert.deepEqual(plan(inv, policy('auto')).regenerate, [], 'auto: not due');
  });

  it('an age limit with keys due says which, under which limit', () => {
    const inv = inventory({ ages: { key1: 40, key2: 400 }, workspaces: [{ name: 'ws' }] });
    assert.equal(
      plan(inv, policy('auto', { maxKeyAgeDays: 30 })).decision,
      'due under max-key-age-days: 30: key1 is 40 days old, key2 is 400 days old; regenerate key2 then key1',
    );
    assert.equal(plan(inv, policy('key2')).decision, 'key-name is key2');
  });
});

describe('plan: refusals', () => {
  it('allow-workspace-outage false refuses only a key a workspace holds', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    const noOutage = { allowWorkspaceOutage: false };
    assert.equal(plan(inv, policy('key2', noOutage)).refused, undefined);
    assert.equal(plan(inv, policy('key1', { allowWorkspaceOutage: true })).refused, undefined);
    assert.equal(plan(inv, policy('key1')).refused, undefined, 'allowed unless said otherwise');
    assert.equal(
      plan(inv, policy('both', noOutage)).refused,
      "key2 and key1 must be regenerated, but workspace 'ws' holds key1 in its own copy. Azure ML decides which key resyncKeys gives a workspace, so its copy may be invalid from the regeneration until the resync right after it, and allow-workspace-outage is false. Nothing was changed.",
    );
  });

  it('both reasons at once, in one message', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'w2', holds: 'key1' },
        {
          name: 'out',
          inScope: false,
          datastores: [
            { name: 'o', holds: 'key1' },
            { name: 'p', holds: 'key1' },
          ],
        },
      ],
    });
    assert.equal(
      plan(inv, policy('key1', { allowWorkspaceOutage: false })).refused,
      "Regenerating key1 would break consumers outside the workspaces this run manages: datastore 'o' (workspace 'out') holds key1; datastore 'p' (workspace 'out') holds key1. Add those workspaces to the workspace input (or use workspace: '*') so they are moved first, or set allow-outside-breakage: true to regenerate anyway. key1 must be regenerated, but workspace 'ws' holds key1; workspace 'w2' holds key1 in its own copy. Azure ML decides which key resyncKeys gives a workspace, so its copy may be invalid from the regeneration until the resync right after it, and allow-workspace-outage is false. Nothing was changed.",
    );
  });
});

describe('plan: what happens to each consumer', () => {
  it('names the action for every kind of consumer, in scope or not', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: [
            { name: 'sas', credentials: 'Sas', sas: { signedBy: 'key1' } },
            { name: 'none', credentials: 'None' },
            { name: 'sp', credentials: 'ServicePrincipal' },
          ],
        },
        {
          name: 'out',
          inScope: false,
          datastores: [
            { name: 'breaks', holds: 'key2' },
            { name: 'spared', holds: 'key1' },
            { name: 'osas', credentials: 'Sas', sas: { signedBy: 'user delegation' } },
          ],
        },
      ],
    });
    const p = plan(inv, policy('both', { allowOutsideBreakage: true }));
    assert.deepEqual(Object.fromEntries(p.actions), {
      'datastore:sub/rg/ws/sas': 'BREAKS: its SAS token is signed by key1, which is regenerated',
      'datastore:sub/rg/ws/none': 'none: identity-based access',
      'datastore:sub/rg/ws/sp': 'none: ServicePrincipal credentials do not use the account keys',
      'datastore:sub/rg/out/breaks':
        'BREAKS: holds key2, which is regenerated, outside the managed workspaces',
      'datastore:sub/rg/out/spared':
        'BREAKS: holds key1, which is regenerated, outside the managed workspaces',
      'datastore:sub/rg/out/osas':
        'none: user delegation SAS, unaffected by the account keys (outside the managed workspaces)',
    });
    const idle = plan(inv, policy('none'));
    assert.equal(
      idle.actions.get('datastore:sub/rg/ws/sas'),
      'none: its SAS token is signed by key1, which stays',
    );
    assert.equal(
      idle.actions.get('datastore:sub/rg/out/breaks'),
      'none: outside the managed workspaces',
    );
  });
});

describe('plan: key-name none and a workspace that reaches its storage with its identity', () => {
  it('moves the consumers onto the newest key and resyncs only workspaces holding another key', () => {
    const inv = inventory({
      ages: { key1: 10, key2: 300 },
      workspaces: [
        { name: 'ws', holds: 'key2', datastores: keyed('key2') },
        { name: 'identity', holds: 'key1', datastores: keyed('key2') },
      ],
    });
    // Its default storage is the account, but it holds no key of its own (no userStorageKey).
    const identity = inv.workspaces.find((ws) => ws.ref.name === 'identity')!;
    identity.holds = undefined;
    assert.equal(identity.usesAccountAsDefault, true);
    const p = plan(inv, policy('none'));
    assert.equal(p.activeKey, 'key1');
    assert.deepEqual(kinds(p), ['resync ws', 'move ds0,ds0 to key1']);
  });
});

describe('plan: what it could not read counts as a holder of either key', () => {
  /** ws-other (outside) with its own key and one datastore's secret unread. */
  const unseen = () => {
    const inv = inventory({
      ages: { key1: 10, key2: 12 },
      workspaces: [
        { name: 'ws', holds: 'key2', datastores: keyed('key2') },
        { name: 'ws-other', holds: 'key2', inScope: false, datastores: keyed('key2') },
      ],
    });
    const other = inv.workspaces[1]!;
    other.holds = 'unknown';
    other.unread = [{ name: "the own storage key of workspace 'ws-other'", reason: '403: no' }];
    Object.assign(other.consumers[0]!, { holds: 'unknown', unread: '403: denied' });
    return inv;
  };

  it('refuses any regeneration, naming each unread thing and why', () => {
    for (const keyName of ['key1', 'key2', 'both', 'auto'] as const) {
      const p = plan(unseen(), policy(keyName));
      assert.ok(p.refused, keyName);
      assert.match(
        p.refused,
        /may break what this run could not read, since each may hold either key/,
      );
      assert.match(p.refused, /the own storage key of workspace 'ws-other' \(403: no\)/);
      assert.match(
        p.refused,
        /the secret of datastore 'ds0' \(workspace 'ws-other'\) \(403: denied\)/,
      );
      assert.match(p.refused, /allow-outside-breakage: true/);
    }
  });

  it('an unread workspace listing that was not refused counts too; a denied one does not', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    inv.uninspected = [{ name: 'the workspaces of subscription s2', reason: '503: unavailable' }];
    assert.match(plan(inv, policy('key1')).refused!, /the workspaces of subscription s2/);
    inv.uninspected = [{ name: 'the workspaces of subscription s2', reason: '403', denied: true }];
    assert.equal(plan(inv, policy('key1')).refused, undefined);
  });

  it('proceeds with allow-outside-breakage, saying what may break, and still names them', () => {
    const p = plan(unseen(), policy('key1', { allowOutsideBreakage: true }));
    assert.equal(p.refused, undefined);
    assert.deepEqual(p.regenerate, ['key1']);
    assert.equal(
      p.actions.get('datastore:sub/rg/ws-other/ds0'),
      'MAY BREAK: its secret could not be read (403: denied), so it may hold key1, which is regenerated, outside the managed workspaces',
    );
    const unchecked = p.notes.find((n) => n.kind === 'unchecked')!;
    assert.equal(unchecked.level, 'warning');
    assert.equal(unchecked.subjects.length, 2);
  });

  it('regenerating nothing refuses nothing', () => {
    const p = plan(unseen(), policy('none'));
    assert.equal(p.refused, undefined);
    assert.equal(
      p.actions.get('datastore:sub/rg/ws-other/ds0'),
      'none: its secret could not be read (403: denied), outside the managed workspaces',
    );
  });
});

describe('plan: a run with nothing due on a settled world writes nothing', () => {
  it('a workspace on the other, still valid key is not resynced (resyncKeys may keep picking it)', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 5 },
      workspaces: [
        { name: 'older', holds: 'key1', datastores: keyed('key2') },
        { name: 'stale', holds: 'stale', datastores: keyed('key2') },
      ],
    });
    const p = plan(inv, policy('auto', { maxKeyAgeDays: 365 }));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(kinds(p), ['resync stale'], 'only the broken copy is repaired');
    const settled = inventory({
      ages: { key1: 300, key2: 5 },
      workspaces: [{ name: 'older', holds: 'key1', datastores: keyed('key2', 'key2') }],
    });
    assert.deepEqual(plan(settled, policy('auto', { maxKeyAgeDays: 365 })).steps, []);
    assert.deepEqual(
      kinds(plan(settled, policy('none'))),
      ['resync older'],
      'none still converges',
    );
  });
});
