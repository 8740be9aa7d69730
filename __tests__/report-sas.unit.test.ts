// The report's rows of SAS consumers: what it says of each token and what became of it, from an
// inventory, the plan of it and the execution record a run of that plan leaves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumerOutcome, Execution } from '../src/execute/execute.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { allConsumers, consumerId, refOf, type Inventory } from '../src/discover/inventory.js';
import { plan, type Plan } from '../src/plan/plan.js';
import { buildReport, type Report } from '../src/report/report.js';
import type { SasChoice } from '../src/plan/sas.js';
import { inventory, NOW, type ConsumerSpec } from './fakes/inventory.js';

const sas = (name: string, spec: ConsumerSpec['sas']): ConsumerSpec => ({
  name,
  credentials: 'Sas',
  sas: spec,
});

/**
 * ws (managed, own copy on key1): SAS datastores signed by key1 and key2, one expired (key2), one
 * whose signer is unknown and one whose token was not read; far (outside): one by key1, one by key2.
 */
const world = (): Inventory =>
  inventory({
    workspaces: [
      {
        name: 'ws',
        holds: 'key1',
        datastores: [
          sas('by1', { signedBy: 'key1' }),
          sas('by2', { signedBy: 'key2', policy: 'read-only' }),
          sas('expired', { signedBy: 'key2', expiresInDays: -1 }),
          sas('unknown', { signedBy: 'unknown', kind: 'account', reason: 'no signed version' }),
          { name: 'unread', credentials: 'Sas' },
        ],
      },
      {
        name: 'far',
        inScope: false,
        datastores: [sas('far1', { signedBy: 'key1' }), sas('far2', { signedBy: 'key2' })],
      },
    ],
  });

const planOf = (inv: Inventory, keyName: KeyNameChoice, sasChoice: SasChoice) =>
  plan(inv, { keyName, sas: sasChoice, now: NOW, allowOutsideBreakage: true });

/**
 * The record a run of the plan leaves, with these outcomes of its planned writes; `failedAt`: the
 * step that failed, after which nothing more ran.
 */
function ran(
  inv: Inventory,
  p: Plan,
  outcomes: Record<string, Omit<ConsumerOutcome, 'ref'>> = {},
  failedAt = Infinity,
): Execution {
  const status = (i: number) => (i < failedAt ? 'done' : i === failedAt ? 'failed' : 'not run');
  const consumers = new Map(
    allConsumers(inv)
      .filter((c) => outcomes[c.name])
      .map((c) => [consumerId(c), { ref: refOf(c), ...outcomes[c.name]! }]),
  );
  return {
    steps: p.steps.map((step, i) => ({ step, status: status(i) })),
    regenerated: p.steps.flatMap((s, i) =>
      s.kind === 'regenerate' && i < failedAt ? [s.key] : [],
    ),
    keysAfter: inv.keys.map(({ name, createdOn }) => ({ name, createdOn })),
    consumers,
    workspaces: new Map(),
    stopped: failedAt < p.steps.length ? 'stopped before regenerating' : undefined,
    failed: failedAt < p.steps.length,
  };
}

const report = (inv: Inventory, p: Plan, execution?: Execution): Report =>
  buildReport({ accountInput: 'store', inventory: inv, plan: p, execution, timings: [] }, NOW);

const results = (r: Report) => Object.fromEntries(r.consumers.map((c) => [c.name, c.result]));

describe('report: what it says of each SAS token', () => {
  it('the facts discovery read, never the token', () => {
    const inv = world();
    const r = report(inv, planOf(inv, 'key2', 'warn'));
    const row = (name: string) => r.consumers.find((c) => c.name === name)!.sas;
    const expiresOn = inv.workspaces[0]!.consumers[1]!.sas!.expiresOn!.toISOString();
    assert.deepEqual(row('by2'), {
      signedBy: 'key2',
      kind: 'service',
      version: '2022-11-02',
      expiresOn,
      expired: false,
      policy: 'read-only',
      reason: undefined,
      text: `signed by key2; expires ${expiresOn}`,
    });
    assert.equal(row('unknown')!.kind, 'account');
    assert.equal(row('unknown')!.reason, 'no signed version');
    assert.equal(row('expired')!.expired, true);
  });

  it('a token that was not read: signer unknown, of no known kind, not expired', () => {
    const inv = world();
    const r = report(inv, planOf(inv, 'key2', 'warn'));
    assert.deepEqual(r.consumers.find((c) => c.name === 'unread')!.sas, {
      signedBy: 'unknown',
      kind: 'other',
      version: undefined,
      expiresOn: undefined,
      expired: false,
      policy: undefined,
      reason: undefined,
      text: 'unknown: the token was not read',
    });
  });
});

describe('report: what became of each SAS consumer', () => {
  it('a dry run: nothing applied in the managed workspaces; those outside are left', () => {
    const inv = world();
    const r = results(report(inv, planOf(inv, 'key2', 'warn')));
    assert.equal(r.by2, 'not applied');
    assert.equal(r.far1, 'left as it is (outside the managed workspaces)');
  });

  it('warn, key2 regenerated: the live tokens it signed break, inside and outside; the rest are left', () => {
    const inv = world();
    const p = planOf(inv, 'key2', 'warn');
    const r = results(report(inv, p, ran(inv, p)));
    assert.deepEqual(r, {
      by1: 'left as it is',
      by2: 'BROKEN: its token was signed by key2, which was regenerated',
      expired: 'left as it is',
      unknown: 'left as it is',
      unread: 'left as it is',
      far1: 'left as it is (outside the managed workspaces)',
      far2: 'BROKEN: its token was signed by key2, which was regenerated',
    });
  });

  it('warn, both keys regenerated: every live token breaks, one of unknown signer too', () => {
    const inv = world();
    const p = planOf(inv, 'both', 'warn');
    const r = results(report(inv, p, ran(inv, p)));
    assert.equal(p.regenerate.length, 2);
    assert.equal(r.by1, 'BROKEN: its token was signed by key1, which was regenerated');
    assert.equal(r.by2, 'BROKEN: its token was signed by key2, which was regenerated');
    assert.equal(
      r.unknown,
      'BROKEN: both keys were regenerated, and an account key signed its token',
    );
    assert.equal(r.expired, 'left as it is', 'already broken before the run');
  });

  it('warn, both planned but the second regeneration fails: what key1 signed is left as it is', () => {
    const inv = world();
    const p = planOf(inv, 'both', 'warn');
    const second = p.steps.map((s) => s.kind).lastIndexOf('regenerate');
    const execution = ran(inv, p, {}, second);
    assert.deepEqual(execution.regenerated, ['key2']);
    const r = results(report(inv, p, execution));
    assert.equal(r.by1, 'left as it is');
    assert.equal(r.by2, 'BROKEN: its token was signed by key2, which was regenerated');
  });

  // key1 with renew: the token by1 holds is re-signed by key2, key1 regenerated, then re-signed
  // by the new key1. Another write of that first move fails: the run stops before key1.
  it('renew, stopped after the first renewal: renewed onto the key that stays, not a new one', () => {
    const inv = world();
    const p = planOf(inv, 'key1', 'renew');
    const first = p.steps.findIndex((s) => s.kind === 'move');
    const renewed = { by1: { status: 'updated', holds: 'key2', fresh: false } } as const;
    const r = results(report(inv, p, ran(inv, p, renewed, first)));
    assert.equal(r.by1, 'renewed: token signed by key2, verified');
  });

  // both with renew: by2 is re-signed by key1 first, by1 only after key2 is regenerated.
  it('renew, stopped before a renewal: not renewed, still signed by its old key', () => {
    const inv = world();
    const p = planOf(inv, 'both', 'renew');
    const outcomes = {
      by1: { status: 'not run', holds: 'key1', fresh: false },
      by2: { status: 'failed', holds: 'key2', fresh: false },
    } as const;
    const r = results(report(inv, p, ran(inv, p, outcomes, 0)));
    assert.equal(r.by1, 'NOT RENEWED: token signed by key1');
    assert.equal(r.by2, 'FAILED: token not renewed, signed by key2');
  });
});
