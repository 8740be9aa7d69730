import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyName } from '../src/azure/port.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { consumerId, type Holding, type Inventory } from '../src/discover/inventory.js';
import { plan, type Plan, type Policy } from '../src/plan/plan.js';
import { inventory, keyed, NOW } from './fakes/inventory.js';

const policy = (keyName: KeyNameChoice, maxKeyAgeDays?: number, more: Partial<Policy> = {}) => ({
  keyName,
  maxKeyAgeDays,
  now: NOW,
  ...more,
});
const kinds = (p: Plan) =>
  p.steps.map((s) =>
    s.kind === 'move'
      ? `move ${s.consumers.length} to ${s.to}`
      : s.kind === 'regenerate'
        ? `regenerate ${s.key}`
        : `resync ${s.workspace.name}`,
  );

/**
 * Replays a plan on the inventory: every key value is a generation counter, so a consumer whose
 * generation differs from its key's current one holds a dead key.
 */
function simulate(inv: Inventory, p: Plan) {
  const generation: Record<KeyName, number> = { key1: 0, key2: 0 };
  const holds = new Map<string, { key: Holding; gen: number }>();
  for (const c of inv.workspaces.filter((w) => w.inScope).flatMap((w) => w.consumers)) {
    if (c.auth === 'AccountKey') holds.set(consumerId(c), { key: c.holds as Holding, gen: 0 });
  }
  const wasValid = new Set([...holds].filter(([, h]) => h.key !== 'stale').map(([id]) => id));
  const everInvalid = new Set<string>();
  const writesBeforeFirstRegenerate: string[] = [];
  let regenerated = false;
  for (const step of p.steps) {
    if (step.kind === 'regenerate') {
      generation[step.key]++;
      regenerated = true;
    } else if (step.kind === 'move') {
      for (const c of step.consumers) {
        holds.set(consumerId(c), { key: step.to, gen: generation[step.to] });
        if (!regenerated) writesBeforeFirstRegenerate.push(c.name);
      }
    }
    for (const [id, h] of holds) {
      if (h.key === 'stale' || h.gen !== generation[h.key]) everInvalid.add(id);
    }
  }
  const final = [...holds.values()];
  return {
    generation,
    invalidOfValid: [...everInvalid].filter((id) => wasValid.has(id)),
    allOnActive: final.every((h) => h.key === p.activeKey && h.gen === generation[p.activeKey]),
    writesBeforeFirstRegenerate,
  };
}

const writeTargetNames = (p: Plan) =>
  p.steps.flatMap((s) => (s.kind === 'move' ? s.consumers.map((c) => c.name) : []));

describe('plan', () => {
  it('auto regenerates the key no consumer holds, then moves every consumer onto it', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key1') }],
    });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.deepEqual(kinds(p), ['regenerate key2', 'resync ws', 'move 2 to key2']);
    assert.equal(p.activeKey, 'key2');
    assert.deepEqual(simulate(inv, p).writesBeforeFirstRegenerate, []);
  });

  it('auto regenerates the older key even when the workspace holds it, resyncing around it', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 10 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key2', 'key2') }],
    });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(kinds(p), [
      'resync ws',
      'move 1 to key2',
      'regenerate key1',
      'resync ws',
      'move 3 to key1',
    ]);
    assert.ok(
      p.notes.some((n) => n.kind === 'workspace-window' && n.subjects.includes("workspace 'ws'")),
    );
    assert.deepEqual(simulate(inv, p).invalidOfValid, []);
  });

  it('auto alternates: after a run regenerates the older key, the next run regenerates the other', () => {
    const workspaces = [{ name: 'ws', holds: 'key1' as const, datastores: keyed('key1') }];
    const first = plan(inventory({ ages: { key1: 100, key2: 200 }, workspaces }), policy('auto'));
    assert.deepEqual(first.regenerate, ['key2']);
    const second = plan(inventory({ ages: { key1: 100, key2: 0 }, workspaces }), policy('auto'));
    assert.deepEqual(second.regenerate, ['key1']);
  });

  it('auto picks the older key when neither is held', () => {
    const inv = inventory({
      ages: { key1: 50, key2: 20 },
      workspaces: [{ name: 'ws', datastores: keyed('stale') }],
    });
    assert.deepEqual(plan(inv, policy('auto')).regenerate, ['key1']);
  });

  it('key1 moves its holders to key2 before regenerating it, and warns about the workspace window', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key2') }],
    });
    const p = plan(inv, policy('key1'));
    assert.deepEqual(kinds(p), [
      'resync ws',
      'move 1 to key2',
      'regenerate key1',
      'resync ws',
      'move 2 to key1',
    ]);
    assert.ok(
      p.notes.some(
        (n) =>
          n.kind === 'workspace-window' &&
          n.text.includes('hold key1') &&
          n.subjects.includes("workspace 'ws'"),
      ),
    );
  });

  it('both regenerates each key once and leaves every consumer on the second', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key2') }],
    });
    const p = plan(inv, policy('both'));
    assert.deepEqual(p.regenerate, ['key2', 'key1']);
    const sim = simulate(inv, p);
    assert.deepEqual(sim.generation, { key1: 1, key2: 1 });
    assert.equal(p.activeKey, 'key1');
    assert.ok(sim.allOnActive);
  });

  it('none regenerates nothing and brings stale and older consumers onto the newest key', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 5 },
      workspaces: [{ name: 'ws', holds: 'stale', datastores: keyed('key1', 'stale', 'key2') }],
    });
    const p = plan(inv, policy('none'));
    assert.deepEqual(p.regenerate, []);
    assert.equal(p.activeKey, 'key2');
    assert.deepEqual(kinds(p), ['resync ws', 'move 1 to key2', 'move 1 to key2']);
    assert.ok(simulate(inv, p).allOnActive);
  });

  it('max-key-age-days: not due when every key is younger, but stragglers are repaired', () => {
    const inv = inventory({
      ages: { key1: 10, key2: 20 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'stale') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, []);
    assert.match(p.decision, /^not due: key1 is 10 days old, key2 is 20 days old/);
    assert.deepEqual(kinds(p), ['move 1 to key1']);
  });

  it('max-key-age-days covers every valid key: one no consumer holds is regenerated too', () => {
    const inv = inventory({
      ages: { key1: 10, key2: 400 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    assert.deepEqual(plan(inv, policy('auto', 30)).regenerate, ['key2']);
  });

  it('max-key-age-days: both keys due are both regenerated, the older first', () => {
    const inv = inventory({
      ages: { key1: 40, key2: 400 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, ['key2', 'key1']);
    assert.deepEqual(p.due, ['key2', 'key1']);
    assert.deepEqual(simulate(inv, p).invalidOfValid, []);
  });

  it('max-key-age-days: a 400-day key the workspace holds is rotated, with the resync right after', () => {
    const inv = inventory({
      ages: { key1: 400, key2: 3 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key2', 'key2') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.deepEqual(kinds(p), ['resync ws', 'regenerate key1', 'resync ws', 'move 2 to key1']);
    assert.equal(p.refused, undefined);
    assert.ok(p.notes.some((n) => n.kind === 'workspace-window' && n.text.includes('hold key1')));
  });

  it('a rerun right after a complete run with the same age limit regenerates nothing', () => {
    const inv = inventory({
      ages: { key1: 0, key2: 3 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key1') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(p.steps, []);
    assert.match(p.decision, /not due: key1 is 0 days old, key2 is 3 days old/);
  });

  it('a key of unknown age is due under any age limit', () => {
    const inv = inventory({
      ages: { key1: null, key2: 5 },
      workspaces: [{ name: 'ws', datastores: keyed('key1') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.match(p.decision, /key1's age is unknown/);
    assert.deepEqual(plan(inv, policy('auto')).regenerate, ['key1']);
  });

  it("the account's key expiration policy is the default limit, and the stricter of the two wins", () => {
    const workspaces = [{ name: 'ws', holds: 'key2' as const, datastores: keyed('key2') }];
    const inv = inventory({ ages: { key1: 120, key2: 10 }, keyExpirationDays: 90, workspaces });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.deepEqual(p.ageLimit, { days: 90, source: 'key policy' });
    assert.match(p.decision, /90-day key expiration policy/);
    assert.deepEqual(plan(inv, policy('auto', 365)).ageLimit, { days: 90, source: 'key policy' });
    const stricter = plan(inv, policy('auto', 5));
    assert.deepEqual(stricter.ageLimit, { days: 5, source: 'max-key-age-days' });
    assert.deepEqual(stricter.regenerate, ['key1', 'key2']);
  });

  it('a named key is an order: key1, key2 and both regenerate whatever the age limit says', () => {
    const inv = inventory({ ages: { key1: 10, key2: 400 }, workspaces: [{ name: 'ws' }] });
    assert.deepEqual(plan(inv, policy('key1', 30)).regenerate, ['key1']);
    assert.deepEqual(plan(inv, policy('key2', 30)).regenerate, ['key2']);
    assert.deepEqual([...plan(inv, policy('both', 30)).regenerate].sort(), ['key1', 'key2']);
    assert.deepEqual(plan(inv, policy('auto', 30)).regenerate, ['key2'], 'auto: only the due key');
  });

  it('a rerun after an interrupted rotation with key-name none finishes without regenerating', () => {
    // key2 was regenerated, then the run died before any datastore moved.
    const inv = inventory({
      ages: { key1: 100, key2: 0 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key1') }],
    });
    const p = plan(inv, policy('none'));
    assert.deepEqual(kinds(p), ['resync ws', 'move 2 to key2']);
  });

  it('settles workspaces that hold different keys before choosing a key, then plans normally', () => {
    const inv = inventory({
      workspaces: [
        { name: 'a', holds: 'key1', datastores: keyed('key1') },
        { name: 'b', holds: 'key2', datastores: keyed('key2') },
      ],
    });
    const first = plan(inv, policy('auto'));
    assert.equal(first.settleFirst, true);
    assert.deepEqual(kinds(first), ['resync a', 'resync b']);
    const second = plan(inv, { ...policy('auto'), settled: true });
    assert.equal(second.settleFirst, false);
    assert.deepEqual(second.regenerate, ['key2'], 'the older key, once the workspaces settled');
    assert.deepEqual(kinds(second), [
      'resync b',
      'move 1 to key1',
      'regenerate key2',
      'resync a',
      'resync b',
      'move 2 to key2',
    ]);
    assert.deepEqual(simulate(inv, second).invalidOfValid, []);
    assert.equal(plan(inv, policy('key1')).settleFirst, false);
  });

  it('calls out the SAS datastores a regeneration breaks and leaves identity-based ones alone', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: [
            { name: 'sas', credentials: 'Sas', sas: { signedBy: 'key1' } },
            { name: 'identity', credentials: 'None' },
            { name: 'keyed', holds: 'key1' },
          ],
        },
      ],
    });
    // key2 is older and signs no SAS: nothing breaks, so there is no SAS warning at all.
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.equal(
      p.notes.find((n) => n.kind === 'sas'),
      undefined,
    );
    assert.equal(p.actions.get('datastore:sub/rg/ws/identity'), 'none: identity-based access');
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/sas'),
      'none: its SAS token is signed by key1, which stays',
    );
    assert.equal(p.actions.get('datastore:sub/rg/ws/keyed'), 'move to new key2');

    const forced = plan(inv, policy('key1'));
    const sas = forced.notes.find((n) => n.kind === 'sas')!;
    assert.equal(sas.level, 'warning');
    assert.match(sas.subjects[0]!, /^datastore 'sas' \(workspace 'ws'\), signed by key1; expires/);
    assert.equal(
      forced.actions.get('datastore:sub/rg/ws/sas'),
      'BREAKS: its SAS token is signed by key1, which is regenerated',
    );
  });

  it('moves AccountKey connections with the datastores, in the same order', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: keyed('key1'),
          connections: [
            { name: 'blob', holds: 'key2' },
            { name: 'sas', credentials: 'SAS', sas: { signedBy: 'key2' } },
          ],
        },
      ],
    });
    const p = plan(inv, policy('key2'));
    const moves = p.steps.filter((s) => s.kind === 'move');
    assert.deepEqual(
      moves.map((m) => m.consumers.map(consumerId)),
      [['connection:sub/rg/ws/blob'], ['datastore:sub/rg/ws/ds0', 'connection:sub/rg/ws/blob']],
    );
    assert.match(
      p.notes.find((n) => n.kind === 'sas')!.subjects.join(),
      /^connection 'sas' \(workspace 'ws'\), signed by key2/,
    );
    assert.deepEqual(simulate(inv, p).invalidOfValid, []);
  });

  describe('consumers outside the named workspaces', () => {
    const world = (outside: Parameters<typeof inventory>[0]['workspaces'][number]) =>
      inventory({
        ages: { key1: 100, key2: 200 },
        workspaces: [
          { name: 'ws-main', holds: 'key1', datastores: keyed('key1') },
          { ...outside, inScope: false },
        ],
      });

    it('refuses to regenerate a key an outside datastore holds, naming it, and never writes there', () => {
      const inv = world({ name: 'ws-other', datastores: [{ name: 'shared', holds: 'key2' }] });
      const p = plan(inv, policy('key2'));
      assert.match(p.refused!, /datastore 'shared' \(workspace 'ws-other'\) holds key2/);
      assert.match(p.refused!, /workspace: '\*'/);
      assert.match(p.refused!, /allow-outside-breakage: true/);
      assert.ok(!writeTargetNames(p).includes('shared'));
      assert.ok(!p.steps.some((s) => s.kind === 'resync' && s.workspace.name === 'ws-other'));
    });

    it("refuses when an outside workspace's own copy holds the key", () => {
      const inv = world({ name: 'ws-third', holds: 'key2', datastores: keyed('key1') });
      assert.match(plan(inv, policy('key2')).refused!, /workspace 'ws-third'.*own copy holds key2/);
    });

    it('proceeds when breaking them is accepted, and warns naming them', () => {
      const inv = world({ name: 'ws-other', datastores: [{ name: 'shared', holds: 'key2' }] });
      const p = plan(inv, policy('key2', undefined, { allowOutsideBreakage: true }));
      assert.equal(p.refused, undefined);
      assert.deepEqual(p.regenerate, ['key2']);
      const breaks = p.notes.find((n) => n.kind === 'outside-breaks')!;
      assert.equal(breaks.level, 'warning');
      assert.ok(breaks.subjects.some((s) => s.includes("datastore 'shared'")));
      assert.match(p.actions.get('datastore:sub/rg/ws-other/shared')!, /^BREAKS/);
    });

    it('a consumer outside that holds the other key is a notice, not a refusal', () => {
      const inv = world({ name: 'ws-other', datastores: [{ name: 'shared', holds: 'key1' }] });
      const p = plan(inv, policy('key2'));
      assert.equal(p.refused, undefined);
      const outside = p.notes.find((n) => n.kind === 'outside')!;
      assert.equal(outside.level, 'notice');
      assert.ok(outside.subjects.some((s) => s.startsWith("'ws-other'")));
    });

    it('auto without an age limit passes over an older key that is held outside', () => {
      const inv = world({ name: 'ws-other', datastores: [{ name: 'shared', holds: 'key2' }] });
      const p = plan(inv, policy('auto'));
      assert.deepEqual(p.regenerate, ['key1']);
      assert.equal(p.refused, undefined);
      assert.match(p.decision, /key2 is older, but consumers outside/);
    });

    it('an age limit that makes an outside-held key due refuses the run', () => {
      const inv = world({ name: 'ws-other', datastores: [{ name: 'shared', holds: 'key2' }] });
      assert.match(plan(inv, policy('auto', 30)).refused!, /Regenerating key2 and key1/);
    });
  });

  it('allow-workspace-outage false: a due key the workspace holds refuses the run before writing', () => {
    const inv = inventory({
      ages: { key1: 400, key2: 3 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key2') }],
    });
    const p = plan(inv, policy('auto', 30, { allowWorkspaceOutage: false }));
    assert.match(p.refused!, /workspace 'ws' holds key1/);
    assert.match(p.refused!, /allow-workspace-outage is false/);
  });

  it('shared key access off: one warning with the count of key-based consumers', () => {
    const inv = inventory({
      allowSharedKeyAccess: false,
      workspaces: [{ name: 'ws', datastores: [...keyed('key1'), { credentials: 'Sas' }] }],
    });
    const notes = plan(inv, policy('none')).notes.filter((n) => /Shared key access/.test(n.text));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.text, /its 2 AccountKey and SAS consumer/);
  });

  it('never leaves a consumer on a key it regenerates, in every mode and every starting state', () => {
    const holdings: Holding[] = ['key1', 'key2', 'stale'];
    const modes: KeyNameChoice[] = ['auto', 'key1', 'key2', 'both', 'none'];
    for (const mode of modes)
      for (const wsHolds of [...holdings, undefined])
        for (const a of holdings)
          for (const b of holdings)
            for (const ages of [
              { key1: 10, key2: 90 },
              { key1: 90, key2: 10 },
            ])
              for (const limit of [undefined, 30, 60]) {
                const inv = inventory({
                  ages,
                  workspaces: [
                    { name: 'ws', holds: wsHolds, datastores: keyed(a, b) },
                    { name: 'other', datastores: keyed(b), connections: keyed(a) },
                  ],
                });
                const p = plan(inv, { ...policy(mode, limit), settled: true });
                const sim = simulate(inv, p);
                const label = JSON.stringify({ mode, wsHolds, a, b, ages, limit });
                if (limit !== undefined && mode === 'auto') {
                  const due = (['key1', 'key2'] as const).filter((k) => ages[k] > limit);
                  assert.deepEqual([...p.regenerate].sort(), due, label);
                }
                assert.deepEqual(sim.invalidOfValid, [], label);
                assert.ok(sim.allOnActive, label);
                const older = ages.key1 > ages.key2 ? 'key1' : 'key2';
                if (mode === 'auto' && limit === undefined && ![wsHolds, a, b].includes(older)) {
                  assert.deepEqual(sim.writesBeforeFirstRegenerate, [], label);
                }
              }
  });
});
