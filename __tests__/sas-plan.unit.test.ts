// The planner's SAS rules on plain data: warn names exactly what breaks, skip-keys never
// regenerates a key that signs a live token, renew re-issues tokens in the zero-downtime order,
// auto prefers a key that signs none; expired, user delegation, neither, unknown, a blocking SAS
// policy and outside SAS consumers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyName } from '../src/azure/port.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { consumerId, type Holding, type Inventory } from '../src/discover/inventory.js';
import { plan, type Plan, type Policy } from '../src/plan/plan.js';
import { outOfSasPolicy, periodMs } from '../src/plan/sas.js';
import { inventory, keyed, NOW, type ConsumerSpec } from './fakes/inventory.js';

const policy = (
  keyName: KeyNameChoice,
  sas: Policy['sas'],
  more: Partial<Policy> = {},
): Policy => ({ keyName, sas, now: NOW, ...more });

const kinds = (p: Plan) =>
  p.steps.map((s) =>
    s.kind === 'move'
      ? `move ${s.consumers.map((c) => c.name).join(',')} to ${s.to}`
      : s.kind === 'regenerate'
        ? `regenerate ${s.key}`
        : `resync ${s.workspace.name}`,
  );

const sasBy = (name: string, signedBy: 'key1' | 'key2', more = {}): ConsumerSpec => ({
  name,
  credentials: 'Sas',
  sas: { signedBy, ...more },
});

/**
 * Runs the plan on plain data: every consumer that depends on a key (an AccountKey copy or a live
 * SAS token) and every moment it depends on a regenerated value. Returns those valid at the start
 * that were ever invalid, in scope.
 */
function simulate(inv: Inventory, p: Plan) {
  const generation: Record<KeyName, number> = { key1: 0, key2: 0 };
  const holds = new Map<string, { key: Holding; gen: number }>();
  for (const c of inv.workspaces.filter((w) => w.inScope).flatMap((w) => w.consumers)) {
    if (c.holds === 'key1' || c.holds === 'key2')
      holds.set(consumerId(c), { key: c.holds, gen: 0 });
  }
  const broken = new Set<string>();
  for (const step of p.steps) {
    if (step.kind === 'regenerate') generation[step.key]++;
    if (step.kind === 'move') {
      for (const c of step.consumers) {
        holds.set(consumerId(c), { key: step.to, gen: generation[step.to] });
      }
    }
    for (const [id, h] of holds) {
      if (h.key !== 'stale' && h.gen !== generation[h.key]) broken.add(id);
    }
  }
  return { broken: [...broken].sort(), final: holds };
}

describe('sas: warn', () => {
  const inv = inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          ...keyed('key1'),
          sasBy('by1', 'key1'),
          sasBy('by2', 'key2'),
          sasBy('expired2', 'key2', { expiresInDays: -1 }),
          { name: 'ud', credentials: 'Sas', sas: { signedBy: 'user delegation' } },
          { name: 'neither', credentials: 'Sas', sas: { signedBy: 'neither' } },
          {
            name: 'unknown',
            credentials: 'Sas',
            sas: { signedBy: 'unknown', reason: 'the token is for a file (sr=f)' },
          },
        ],
      },
    ],
  });

  it('rotates, and names exactly the SAS consumers the regeneration breaks', () => {
    const p = plan(inv, policy('key2', 'warn'));
    assert.deepEqual(p.regenerate, ['key2']);
    assert.equal(p.refused, undefined);
    const sas = p.notes.find((n) => n.kind === 'sas')!;
    assert.equal(sas.level, 'warning');
    assert.equal(sas.subjects.length, 1);
    assert.match(sas.subjects[0]!, /^datastore 'by2' \(workspace 'ws'\), signed by key2/);
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/by2'),
      'BREAKS: its SAS token is signed by key2, which is regenerated',
    );
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/by1'),
      'none: its SAS token is signed by key1, which stays',
    );
    // Nothing is written to a SAS consumer under warn.
    assert.ok(!kinds(p).some((k) => /by1|by2/.test(k)));
  });

  it('expired, user delegation, neither and unknown tokens: reported, never re-keyed', () => {
    const p = plan(inv, policy('key2', 'warn'));
    const action = (name: string) => p.actions.get(`datastore:sub/rg/ws/${name}`);
    assert.equal(action('expired2'), 'none: its SAS token has expired (already broken)');
    assert.equal(action('ud'), 'none: user delegation SAS, unaffected by the account keys');
    assert.equal(
      action('neither'),
      'none: its SAS token is signed by neither key (already broken)',
    );
    assert.equal(
      action('unknown'),
      'none: which key signed its SAS token is unknown (the token is for a file (sr=f))',
    );
    const broken = p.notes.find((n) => n.kind === 'sas-broken')!;
    assert.deepEqual(
      broken.subjects.map((s) => s.split(',')[0]),
      ["datastore 'expired2' (workspace 'ws')", "datastore 'neither' (workspace 'ws')"],
    );
    assert.match(broken.subjects[0]!, /expired 2026-11-22/);
    const unknown = p.notes.find((n) => n.kind === 'sas-unknown')!;
    assert.equal(unknown.level, 'warning');
    assert.match(unknown.subjects[0]!, /unknown: the token is for a file/);
  });

  it('an outside SAS consumer signed by a regenerated key is an outside holder: refused unless allowed', () => {
    const outside = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'out', inScope: false, connections: [sasBy('osas', 'key2')] },
      ],
    });
    const refused = plan(outside, policy('key2', 'warn'));
    assert.match(
      refused.refused!,
      /connection 'osas' \(workspace 'out'\) has a live SAS token signed by key2/,
    );
    const allowed = plan(outside, policy('key2', 'warn', { allowOutsideBreakage: true }));
    assert.equal(allowed.refused, undefined);
    assert.equal(
      allowed.actions.get('connection:sub/rg/out/osas'),
      'BREAKS: its SAS token is signed by key2, which is regenerated, outside the managed workspaces',
    );
    // Under renew too: the run never writes outside its workspaces.
    assert.ok(plan(outside, policy('key2', 'renew')).refused);
  });
});

describe('sas: skip-keys', () => {
  it('never regenerates a key that signs a live SAS, in scope or outside; a warning says which', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [...keyed('key1'), sasBy('by2', 'key2')] },
      ],
    });
    const p = plan(inv, policy('both', 'skip-keys'));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.equal(p.blockedBySas, undefined);
    const skipped = p.notes.find((n) => n.kind === 'sas-skipped')!;
    assert.equal(skipped.level, 'warning');
    assert.match(skipped.text, /^key2 was not regenerated/);
    assert.match(skipped.subjects[0]!, /datastore 'by2'/);

    const outside = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'out', inScope: false, datastores: [sasBy('o', 'key1')] },
      ],
    });
    assert.deepEqual(plan(outside, policy('key1', 'skip-keys')).regenerate, []);
  });

  it('nothing left to rotate: blocked by SAS, with the reason; expired tokens do not count', () => {
    const inv = inventory({
      keyExpirationDays: 30,
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: [
            sasBy('by1', 'key1'),
            sasBy('by2', 'key2'),
            sasBy('old', 'key2', { expiresInDays: -3 }),
          ],
        },
      ],
    });
    const p = plan(inv, policy('auto', 'skip-keys'));
    assert.deepEqual(p.due, ['key2', 'key1']);
    assert.deepEqual(p.regenerate, []);
    assert.match(p.blockedBySas!, /^Nothing was rotated: key2 and key1 sign live SAS tokens/);
    assert.equal(p.notes.filter((n) => n.kind === 'sas-skipped').length, 2);
    assert.ok(!p.steps.some((s) => s.kind === 'regenerate'));

    const onlyExpired = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [sasBy('old', 'key2', { expiresInDays: -3 })] },
      ],
    });
    assert.deepEqual(plan(onlyExpired, policy('key2', 'skip-keys')).regenerate, ['key2']);
  });

  it('no key to regenerate signs a live token: the plan is the one warn makes', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [...keyed('key1'), sasBy('by1', 'key1')] },
      ],
    });
    assert.deepEqual(plan(inv, policy('key2', 'skip-keys')), plan(inv, policy('key2', 'warn')));
  });

  it('the decision and the block say which keys were left alone, in the singular or the plural', () => {
    const one = inventory({ workspaces: [{ name: 'ws', datastores: [sasBy('by2', 'key2')] }] });
    const p = plan(one, policy('key2', 'skip-keys'));
    assert.equal(
      p.decision,
      'key-name is key2; key2 signs live SAS tokens, so sas: skip-keys leaves it alone',
    );
    assert.equal(
      p.blockedBySas,
      'Nothing was rotated: key2 signs live SAS tokens, so sas: skip-keys leaves it alone. Re-issue those tokens with the other key, or run with sas: renew.',
    );
    const two = inventory({
      workspaces: [{ name: 'ws', datastores: [sasBy('by1', 'key1'), sasBy('by2', 'key2')] }],
    });
    assert.equal(
      plan(two, policy('both', 'skip-keys')).blockedBySas,
      'Nothing was rotated: key1 and key2 sign live SAS tokens, so sas: skip-keys leaves them alone. Re-issue those tokens with the other key, or run with sas: renew.',
    );
  });
});

describe('sas: renew', () => {
  const inv = inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          ...keyed('key1', 'key2'),
          sasBy('by1', 'key1'),
          sasBy('by2', 'key2'),
          sasBy('expired1', 'key1', { expiresInDays: -1 }),
          { name: 'ud', credentials: 'Sas', sas: { signedBy: 'user delegation' } },
        ],
        connections: [sasBy('cby2', 'key2')],
      },
    ],
  });

  it('one key: tokens it signed are re-issued with the other key before it is regenerated, then with its new value', () => {
    const p = plan(inv, policy('key2', 'renew'));
    assert.deepEqual(kinds(p), [
      'move ds1,by2,cby2 to key1',
      'regenerate key2',
      'resync ws',
      'move ds0,ds1,by2,cby2 to key2',
    ]);
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/by2'),
      'renew: re-issue its SAS token signed by key1, then new key2',
    );
    // Not signed by a regenerated key: left as it is.
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/by1'),
      'none: its SAS token is signed by key1, which stays',
    );
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/expired1'),
      'none: its SAS token has expired (already broken)',
    );
    assert.equal(
      p.notes.find((n) => n.kind === 'sas'),
      undefined,
    );
    assert.deepEqual(simulate(inv, p).broken, []);
  });

  it('both keys: every live token is valid at every step and ends on the key the others end on', () => {
    const p = plan(inv, policy('both', 'renew'));
    assert.equal(p.regenerate.length, 2);
    const { broken, final } = simulate(inv, p);
    assert.deepEqual(broken, []);
    for (const name of ['by1', 'by2', 'ds0', 'ds1']) {
      assert.equal(final.get(`datastore:sub/rg/ws/${name}`)!.key, p.activeKey);
    }
    assert.equal(final.get('connection:sub/rg/ws/cby2')!.key, p.activeKey);
    assert.ok(
      !p.steps.some(
        (s) => s.kind === 'move' && s.consumers.some((c) => /expired1|ud/.test(c.name)),
      ),
    );
  });

  it("a token the account's Block SAS policy refuses is already broken: never re-issued, never a reason to refuse", () => {
    const spec = (action: 'Block' | 'Log') => ({
      sasPolicy: { sasExpirationPeriod: '7.00:00:00', expirationAction: action },
      workspaces: [
        {
          name: 'ws',
          holds: 'key1' as const,
          datastores: [
            ...keyed('key1'),
            sasBy('long2', 'key2', { expiresInDays: 30, startedDaysAgo: 1 }),
            sasBy('nostart2', 'key2', { expiresInDays: 3 }),
            sasBy('short2', 'key2', { expiresInDays: 3, startedDaysAgo: 1 }),
          ],
        },
      ],
    });
    const blocked = inventory(spec('Block'));
    const byName = (inv: Inventory, name: string) =>
      inv.workspaces[0]!.consumers.find((c) => c.name === name)!;
    assert.equal(byName(blocked, 'long2').holds, 'stale');
    assert.equal(byName(blocked, 'nostart2').holds, 'stale');
    assert.equal(byName(blocked, 'short2').holds, 'key2');
    const p = plan(blocked, policy('key2', 'renew'));
    assert.equal(p.refused, undefined);
    const moved = p.steps.flatMap((s) => (s.kind === 'move' ? s.consumers.map((c) => c.name) : []));
    assert.ok(moved.includes('short2'));
    assert.ok(!moved.includes('long2') && !moved.includes('nostart2'));
    // Log only logs: every token is live and re-issued.
    const logged = plan(inventory(spec('Log')), policy('key2', 'renew'));
    assert.equal(logged.refused, undefined);
    const movedLogged = logged.steps.flatMap((s) =>
      s.kind === 'move' ? s.consumers.map((c) => c.name) : [],
    );
    for (const name of ['long2', 'nostart2', 'short2']) assert.ok(movedLogged.includes(name), name);
  });

  it('outOfSasPolicy: Azure measures st to se, and a token without st is out of a Block policy', () => {
    const block = { sasExpirationPeriod: '7.00:00:00', expirationAction: 'Block' as const };
    const at = (days: number) => new Date(Date.UTC(2026, 10, 1) + days * 86_400_000);
    assert.match(
      outOfSasPolicy({ startsOn: at(0), expiresOn: at(31) }, block)!,
      /^the account's SAS expiration policy \(7\.00:00:00, action Block\) refuses it: its validity is 31 days$/,
    );
    assert.match(outOfSasPolicy({ expiresOn: at(3) }, block)!, /it has no start time \(st\)$/);
    assert.equal(outOfSasPolicy({ startsOn: at(0), expiresOn: at(7) }, block), undefined);
    assert.notEqual(outOfSasPolicy({ startsOn: at(0), expiresOn: at(7.001) }, block), undefined);
    assert.equal(
      outOfSasPolicy({ startsOn: at(0), expiresOn: at(31) }, { ...block, expirationAction: 'Log' }),
      undefined,
    );
    assert.equal(outOfSasPolicy({ startsOn: at(0), expiresOn: at(31) }, undefined), undefined);
    assert.equal(
      outOfSasPolicy(
        { startsOn: at(0), expiresOn: at(31) },
        { ...block, sasExpirationPeriod: 'soon' },
      ),
      undefined,
    );
    assert.match(
      outOfSasPolicy(
        { startsOn: at(0), expiresOn: at(0.75) },
        { ...block, sasExpirationPeriod: '12:00:00' },
      )!,
      /its validity is 0\.75 days$/,
    );
  });

  it('an outside SAS consumer is never re-issued, even when breaking it is allowed', () => {
    const outside = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'out', inScope: false, connections: [sasBy('osas', 'key2')] },
      ],
    });
    const p = plan(outside, policy('key2', 'renew', { allowOutsideBreakage: true }));
    assert.equal(p.refused, undefined);
    assert.deepEqual(kinds(p), ['regenerate key2', 'resync ws', 'move ds0 to key2']);
    assert.equal(
      p.actions.get('connection:sub/rg/out/osas'),
      'BREAKS: its SAS token is signed by key2, which is regenerated, outside the managed workspaces',
    );
  });

  it('an unknown signer is reported, not refused; it is never written to', () => {
    const unknown = inventory({
      workspaces: [
        {
          name: 'ws',
          holds: 'key1',
          datastores: [
            ...keyed('key1'),
            { name: 'u', credentials: 'Sas', sas: { signedBy: 'unknown', reason: 'r' } },
          ],
        },
      ],
    });
    const p = plan(unknown, policy('key2', 'renew'));
    assert.equal(p.refused, undefined);
    assert.ok(p.notes.some((n) => n.kind === 'sas-unknown'));
    assert.ok(!p.steps.some((s) => s.kind === 'move' && s.consumers.some((c) => c.name === 'u')));
  });
});

describe('sas: a token whose signer is unknown', () => {
  const inv = inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          ...keyed('key1'),
          {
            name: 'u',
            credentials: 'Sas',
            sas: { signedBy: 'unknown', reason: 'sr=b needs the blob path' },
          },
          { name: 'uold', credentials: 'Sas', sas: { signedBy: 'unknown', expiresInDays: -1 } },
        ],
      },
      {
        name: 'out',
        inScope: false,
        connections: [{ name: 'ou', credentials: 'SAS', sas: { signedBy: 'unknown' } }],
      },
    ],
  });

  it('one key regenerated: it may or may not break; named, not refused', () => {
    const p = plan(inv, policy('key2', 'renew'));
    assert.equal(p.refused, undefined);
    assert.match(
      p.actions.get('datastore:sub/rg/ws/u')!,
      /^none: which key signed its SAS token is unknown/,
    );
    assert.ok(p.notes.some((n) => n.kind === 'sas-unknown' && n.level === 'warning'));
  });

  it('both keys regenerated: it breaks for sure; renew refuses, warn names it, outside ones are outside holders', () => {
    const renew = plan(inv, policy('both', 'renew', { allowOutsideBreakage: true }));
    assert.match(
      renew.refused!,
      /datastore 'u' \(workspace 'ws'\): which key signed its token is unknown \(sr=b needs the blob path\)/,
    );
    assert.doesNotMatch(renew.refused!, /uold/);
    const warn = plan(inv, policy('both', 'warn', { allowOutsideBreakage: true }));
    assert.equal(warn.refused, undefined);
    assert.equal(
      warn.actions.get('datastore:sub/rg/ws/u'),
      'BREAKS: which key signed its SAS token is unknown (sr=b needs the blob path), and both keys are regenerated',
    );
    assert.match(warn.notes.find((n) => n.kind === 'sas')!.subjects.join(), /datastore 'u'/);
    assert.match(
      plan(inv, policy('both', 'warn')).refused!,
      /connection 'ou' \(workspace 'out'\) has a SAS token an unknown key signed, and both keys are regenerated/,
    );
  });
});

describe('sas: a token that was not read', () => {
  const inv = inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          ...keyed('key1'),
          { name: 'u', credentials: 'Sas', sas: { signedBy: 'unknown', reason: 'r' } },
          { name: 'unread', credentials: 'Sas' },
        ],
      },
    ],
  });

  it('both keys under renew: one refusal naming each token the run cannot re-issue, and why', () => {
    assert.equal(
      plan(inv, policy('both', 'renew')).refused,
      "Regenerating key2 and key1 would break SAS consumers whose token this run cannot re-issue: datastore 'u' (workspace 'ws'): which key signed its token is unknown (r); datastore 'unread' (workspace 'ws'): which key signed its token is unknown. Nothing was changed.",
    );
  });

  it('its action: breaks when both keys are regenerated, unknown when one is', () => {
    const unread = 'datastore:sub/rg/ws/unread';
    assert.equal(
      plan(inv, policy('both', 'warn')).actions.get(unread),
      'BREAKS: which key signed its SAS token is unknown, and both keys are regenerated',
    );
    assert.equal(
      plan(inv, policy('key2', 'warn')).actions.get(unread),
      'none: which key signed its SAS token is unknown',
    );
  });
});

describe('sas: tokens no account key regeneration breaks', () => {
  it('a live token signed by neither key, or a user delegation token whose signer is unknown, survives both keys', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          datastores: [
            { name: 'neither', credentials: 'Sas', sas: { signedBy: 'neither' } },
            {
              name: 'ud',
              credentials: 'Sas',
              sas: { signedBy: 'unknown', kind: 'user delegation', reason: 'r' },
            },
          ],
        },
      ],
    });
    const p = plan(inv, policy('both', 'renew'));
    assert.equal(p.refused, undefined);
    assert.equal(
      p.notes.find((n) => n.kind === 'sas'),
      undefined,
    );
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/neither'),
      'none: its SAS token is signed by neither key (already broken)',
    );
    assert.equal(
      p.actions.get('datastore:sub/rg/ws/ud'),
      'none: which key signed its SAS token is unknown (r)',
    );
  });
});

describe('sas: auto without an age limit', () => {
  it('prefers the key that signs no live SAS the run leaves, even when it is the newer one', () => {
    // key2 (200 days) is older, but signs a live SAS; key1 signs none.
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [...keyed('key1'), sasBy('by2', 'key2')] },
      ],
    });
    const warned = plan(inv, policy('auto', 'warn'));
    assert.deepEqual(warned.regenerate, ['key1']);
    assert.match(
      warned.decision,
      /key2 is older, but it signs live SAS tokens this run does not re-issue; regenerate key1/,
    );
    // renew re-issues it, so the older key is regenerated as before.
    assert.deepEqual(plan(inv, policy('auto', 'renew')).regenerate, ['key2']);
  });

  it('both keys sign live SAS tokens: the older key, as without SAS', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [sasBy('by1', 'key1'), sasBy('by2', 'key2')] },
      ],
    });
    assert.deepEqual(plan(inv, policy('auto', 'warn')).regenerate, ['key2']);
    assert.deepEqual(plan(inv, policy('auto', 'skip-keys')).regenerate, []);
  });

  it('a key held outside still cannot be picked, whatever the SAS tokens', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: [sasBy('by1', 'key1')] },
        { name: 'out', inScope: false, datastores: keyed('key2') },
      ],
    });
    assert.deepEqual(plan(inv, policy('auto', 'warn')).regenerate, ['key1']);
  });
});

describe('outOfSasPolicy', () => {
  const block = { sasExpirationPeriod: '12:00:00', expirationAction: 'Block' as const };
  const start = new Date('2026-11-01T00:00:00Z');
  const after = (days: number) => new Date(start.getTime() + days * 86_400_000);

  it('a token with st but no se (its expiry in a stored access policy) is not refused', () => {
    assert.equal(outOfSasPolicy({ startsOn: start }, block), undefined);
  });

  it('a validity of a day or more is told in whole days, a shorter one to two decimals', () => {
    assert.match(outOfSasPolicy({ startsOn: start, expiresOn: after(1) }, block)!, /is 1 days$/);
    assert.match(
      outOfSasPolicy({ startsOn: start, expiresOn: after(0.6) }, block)!,
      /is 0\.60 days$/,
    );
  });
});

describe('periodMs', () => {
  it('reads d.hh:mm:ss and hh:mm:ss; anything else is undefined', () => {
    assert.equal(periodMs('7.00:00:00'), 7 * 86_400_000);
    assert.equal(periodMs('1.02:03:04'), ((26 * 60 + 3) * 60 + 4) * 1000);
    assert.equal(periodMs('12:00:00'), 12 * 3_600_000);
    assert.equal(periodMs('seven days'), undefined);
  });
});
