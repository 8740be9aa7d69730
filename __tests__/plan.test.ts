import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyName } from '../src/azure/port.js';
import type { KeyNameChoice } from '../src/inputs.js';
import type { Holding, Inventory } from '../src/inventory.js';
import { datastoreId, plan, type Plan } from '../src/plan.js';
import { inventory, keyed, NOW } from './fakes/inventory.js';

const policy = (keyName: KeyNameChoice, maxKeyAgeDays?: number) => ({
  keyName,
  maxKeyAgeDays,
  now: NOW,
});
const kinds = (p: Plan) =>
  p.steps.map((s) =>
    s.kind === 'move'
      ? `move ${s.datastores.length} to ${s.to}`
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
  for (const ds of inv.workspaces.flatMap((w) => w.datastores)) {
    if (ds.credentialsType === 'AccountKey') holds.set(datastoreId(ds), { key: ds.holds!, gen: 0 });
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
      for (const ds of step.datastores) {
        holds.set(datastoreId(ds), { key: step.to, gen: generation[step.to] });
        if (!regenerated) writesBeforeFirstRegenerate.push(ds.name);
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

  it('auto avoids the key the workspace holds when both keys are in use', () => {
    const inv = inventory({
      ages: { key1: 300, key2: 10 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'key2', 'key2') }],
    });
    const p = plan(inv, policy('auto'));
    assert.deepEqual(kinds(p), [
      'move 2 to key1',
      'regenerate key2',
      'resync ws',
      'move 3 to key2',
    ]);
    assert.ok(!p.notes.some((n) => n.text.includes('invalid from the regeneration')));
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
      p.notes.some((n) => n.level === 'warning' && n.text.includes("Workspace 'ws' holds key1")),
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

  it('max-key-age-days: not due when the key in use is younger, but stragglers are repaired', () => {
    const inv = inventory({
      ages: { key1: 10, key2: 400 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1', 'stale') }],
    });
    const p = plan(inv, policy('auto', 30));
    assert.deepEqual(p.regenerate, []);
    assert.match(p.decision, /^not due: the key in use, key1, is 10 days old/);
    assert.deepEqual(kinds(p), ['move 1 to key1']);
  });

  it('max-key-age-days: due when the key in use is older', () => {
    const inv = inventory({
      ages: { key1: 40, key2: 400 },
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    assert.deepEqual(plan(inv, policy('auto', 30)).regenerate, ['key2']);
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
    assert.equal(second.regenerate.length, 1);
    assert.equal(plan(inv, policy('key1')).settleFirst, false);
  });

  it('calls out SAS datastores and leaves identity-based ones alone', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: [
            { name: 'sas', credentialsType: 'Sas' },
            { name: 'identity', credentialsType: 'None' },
            { name: 'keyed', holds: 'key1' },
          ],
        },
      ],
    });
    const p = plan(inv, policy('auto'));
    assert.ok(p.notes.some((n) => n.text.includes("Datastore 'sas'") && n.text.includes('key2')));
    assert.equal(p.actions.get('sub/rg/ws/identity'), 'none: identity-based access');
    assert.match(p.actions.get('sub/rg/ws/sas')!, /re-issue the SAS token/);
    assert.equal(p.actions.get('sub/rg/ws/keyed'), 'move to new key2');
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
            ]) {
              const inv = inventory({
                ages,
                workspaces: [
                  { name: 'ws', holds: wsHolds, datastores: keyed(a, b) },
                  { name: 'other', datastores: keyed(b) },
                ],
              });
              const p = plan(inv, policy(mode));
              const sim = simulate(inv, p);
              const label = JSON.stringify({ mode, wsHolds, a, b, ages });
              assert.deepEqual(sim.invalidOfValid, [], label);
              assert.ok(sim.allOnActive, label);
              const held = new Set([wsHolds, a, b]);
              const aKeyIsFree = !held.has('key1') || !held.has('key2');
              if (mode === 'auto' && aKeyIsFree) {
                assert.deepEqual(sim.writesBeforeFirstRegenerate, [], label);
              }
            }
  });
});
