// Callers in the storage logs are holders of a key: since when no managed consumer has held it, and
// who used its current value since then. The planner's rules on plain data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOB_GRACE_DAYS, keyHolding, outsideCallers } from '../src/plan/key-holders.js';
import { plan } from '../src/plan/plan.js';
import { caller, daysAgo, policy, usage, world } from './fakes/key-usage.js';

describe('since when no managed consumer holds a key', () => {
  it('a key a managed consumer or workspace holds is held, by them', () => {
    assert.deepEqual(keyHolding(world(), 'key1'), {
      held: ["the own copy of workspace 'ws'", "datastore 'data' (workspace 'ws')"],
    });
  });

  it("the other key is free from the newest key's creation, or from a later write of a managed consumer", () => {
    assert.deepEqual(keyHolding(world(), 'key2'), { freeSince: daysAgo(40) });
    const moved = world();
    moved.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(3);
    assert.deepEqual(keyHolding(moved, 'key2'), { freeSince: daysAgo(3) });
  });

  it('without the keys’ creation times, it cannot be told', () => {
    const inv = world();
    inv.keys[1]!.createdOn = undefined;
    assert.ok('unknownSince' in keyHolding(inv, 'key2'));
  });
});

describe('callers in the storage logs are holders', () => {
  it('a caller on the current key2, free for longer than a job lives, refuses regenerating key2, named', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 0.1)] }));
    assert.equal(outsideCallers(inv, ['key2']).length, 1);
    const p = plan(inv, policy('key2'));
    assert.match(p.refused ?? '', /callers the storage logs show/);
    assert.match(
      p.refused ?? '',
      /caller 203\.0\.113\.7 \(agent-203\.0\.113\.7\) on key2: 24 request\(s\) \(blob\), last seen /,
    );
    assert.match(p.refused ?? '', /allow-outside-breakage: true/);
  });

  it('with allow-outside-breakage the run regenerates key2 and says the caller breaks', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 0.1)] }));
    const p = plan(inv, policy('key2', { allowOutsideBreakage: true }));
    assert.equal(p.refused, undefined);
    assert.deepEqual(p.regenerate, ['key2']);
    const note = p.notes.find((n) => n.kind === 'outside-breaks');
    assert.match(note?.text ?? '', /caller\(s\) seen in the storage logs/);
    assert.match(note?.subjects.join() ?? '', /203\.0\.113\.7/);
  });

  it('auto passes over a key an outside caller uses', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 0.1)] }));
    const p = plan(inv, policy('auto'));
    assert.deepEqual(p.regenerate, ['key1']);
    assert.equal(p.refused, undefined);
  });

  it('a caller within the grace after the managed consumers left the key is not told apart from them', () => {
    const inv = world(usage({ key2: [caller('10.0.0.4', 0.1)] }));
    inv.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(JOB_GRACE_DAYS - 1);
    assert.deepEqual(outsideCallers(inv, ['key2']), []);
    assert.equal(plan(inv, policy('key2')).refused, undefined);
  });

  it('callers of a key managed consumers hold are never outside holders', () => {
    const inv = world(usage({ key1: [caller('203.0.113.7', 0.1)] }));
    assert.deepEqual(outsideCallers(inv, ['key1']), []);
    assert.equal(plan(inv, policy('key1')).refused, undefined);
  });

  it('a caller only on an older value of key2 is already broken, never a blocker', () => {
    const inv = world(usage({}, { older: { key2: [caller('198.51.100.9', 0.1)] } }));
    const p = plan(inv, policy('key2'));
    assert.equal(p.refused, undefined);
    assert.deepEqual(p.regenerate, ['key2']);
  });
});

describe('since when no key is held, at the edges', () => {
  it('without any account key, since when cannot be told', () => {
    const inv = world();
    inv.keys = [];
    assert.deepEqual(keyHolding(inv, 'key2'), {
      unknownSince: 'the creation times of the account keys are unknown',
    });
  });

  it('a managed consumer with no write time leaves the newest key’s creation', () => {
    const inv = world();
    delete inv.workspaces[0]!.consumers[0]!.writtenOn;
    assert.deepEqual(keyHolding(inv, 'key2'), { freeSince: daysAgo(40) });
  });
});

describe('callers in the storage logs, at the edges', () => {
  it('a caller last seen exactly a job’s lifetime after the key went free may be such a job', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 40 - JOB_GRACE_DAYS)] }));
    assert.deepEqual(outsideCallers(inv, ['key2']), []);
    const later = world(usage({ key2: [caller('203.0.113.7', 40 - JOB_GRACE_DAYS - 0.01)] }));
    assert.equal(outsideCallers(later, ['key2']).length, 1);
  });

  it('no evidence for a key (the key list lacked it): no caller of it', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 0.1)] }));
    if (inv.keyUsage?.status !== 'found') throw new Error('fake usage');
    inv.keyUsage.keys = inv.keyUsage.keys.filter((k) => k.key !== 'key2');
    assert.deepEqual(outsideCallers(inv, ['key2']), []);
  });

  it('names a SAS caller, a caller with no user agent and one of several services', () => {
    const sas = { ...caller('203.0.113.7', 0.1), authType: 'SAS' };
    const bare = { ...caller('198.51.100.9', 0.2), userAgent: '', services: [] };
    const both = { ...caller('192.0.2.1', 0.3), services: ['blob', 'file'] };
    const texts = outsideCallers(world(usage({ key2: [sas, bare, both] })), ['key2']).map(
      (c) => c.text,
    );
    assert.match(
      texts[0]!,
      /^caller 203\.0\.113\.7 \(agent-203\.0\.113\.7\) on key2 through a SAS key2 signed: /,
    );
    assert.match(
      texts[1]!,
      /^caller 198\.51\.100\.9 \(no user agent\) on key2: 24 request\(s\) \(no service named\)/,
    );
    assert.doesNotMatch(texts[1]!, /through a SAS/);
    assert.match(texts[2]!, /\(blob, file\), last seen /);
  });
});
