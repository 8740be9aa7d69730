// require-unused-days and the drain it makes of a key in use: the planner's rules on plain data
// (an inventory with key-usage evidence, a clock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import type { KeyUsage } from '../src/key-usage/usage.js';
import { holdBack, mergeDrains } from '../src/plan/drain.js';
import { plan, type Policy } from '../src/plan/plan.js';
import { NOW } from './fakes/inventory.js';
import { caller, DAY, daysAgo, moves, policy, usage, world } from './fakes/key-usage.js';

describe('drains, whatever holds a key back', () => {
  it('merge per key: every reason, the latest time, and no time when one reason has none', () => {
    const a = { key: 'key2' as const, until: daysAgo(-1), because: ['a'] };
    const b = { key: 'key2' as const, until: daysAgo(-3), because: ['b'] };
    assert.deepEqual(mergeDrains([a, b]), [
      { key: 'key2', until: daysAgo(-3), because: ['a', 'b'] },
    ]);
    assert.deepEqual(mergeDrains([a, { key: 'key2', because: ['c'] }]), [
      { key: 'key2', until: undefined, because: ['a', 'c'] },
    ]);
    assert.deepEqual(holdBack(['key1', 'key2'], [a]), {
      regenerate: ['key1'],
      held: [{ key: 'key2', until: daysAgo(-1), because: ['a'] }],
    });
  });
});

describe('require-unused-days', () => {
  const gate = (keyName: KeyNameChoice, more: Partial<Policy> = {}) =>
    policy(keyName, { requireUnusedDays: 7, ...more });

  it('a key the managed consumers hold is drained: they move off it, nothing is regenerated', () => {
    const inv = world(usage({ key1: [caller('10.0.0.4', 0.1)] }));
    const p = plan(inv, gate('key1'));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(moves(p), ['move data to key2']);
    assert.equal(p.activeKey, 'key2');
    assert.equal(p.held.length, 1);
    assert.equal(p.held[0]!.key, 'key1');
    assert.deepEqual(p.held[0]!.until, new Date(NOW.getTime() + 7 * DAY + 20 * 60_000));
    assert.match(
      p.held[0]!.because.join(),
      /managed consumers hold it \(the own copy of workspace 'ws', datastore 'data'/,
    );
    const note = p.notes.find((n) => n.kind === 'held-back');
    assert.equal(note?.level, 'notice');
    assert.match(
      note?.text ?? '',
      /^key1 was not regenerated: it is held back, and a run may regenerate it from 2026-11-30 12:20 UTC/,
    );
  });

  it('8 days after the drain, with no request on the key since, the key is regenerated', () => {
    const inv = world(usage({}), 'key2');
    inv.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(8);
    inv.workspaces[0]!.holds = 'key2';
    const p = plan(inv, gate('key1'));
    assert.deepEqual(p.held, []);
    assert.deepEqual(moves(p), ['regenerate key1', 'move data to key1']);
  });

  it('one day after the drain, the key is still held back, until 7 days after the move', () => {
    const inv = world(usage({}), 'key2');
    inv.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(1);
    inv.workspaces[0]!.holds = 'key2';
    const p = plan(inv, gate('key1'));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(p.held[0]!.until, new Date(NOW.getTime() + 6 * DAY + 20 * 60_000));
  });

  it('a request signed with the current value in the window holds the key back from its last one', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 2)] }));
    const p = plan(inv, gate('key2', { allowOutsideBreakage: true }));
    assert.deepEqual(p.regenerate, []);
    assert.deepEqual(p.held[0]!.until, new Date(NOW.getTime() + 5 * DAY + 20 * 60_000));
    assert.match(
      p.held[0]!.because.join(),
      /its current value signed 24 request\(s\) in the last 7 days \(caller 203\.0\.113\.7/,
    );
  });

  it('no logs, a failed query or logs of only some services: nothing is regenerated, said why, a warning', () => {
    const cases: [KeyUsage | undefined, RegExp][] = [
      [
        { status: 'no-logs', lookbackDays: 7, reason: 'No diagnostic setting sends them.' },
        /needs the storage logs, and no diagnostic setting sends them/,
      ],
      [
        {
          status: 'failed',
          lookbackDays: 7,
          reason: 'The key-usage query failed: 400 BadArgumentError',
        },
        /the key-usage query failed: 400/,
      ],
      [
        usage({}, { services: ['blob'] }),
        /file, queue, table service\(s\) do not reach Log Analytics/,
      ],
      [usage({}, {}, 3), /looked back only 3 days/],
      [
        { ...usage({}), unreadableTables: ['StorageFileLogs'] } as KeyUsage,
        /the login may not read StorageFileLogs, whose requests the query would leave out/,
      ],
      [undefined, /no key-usage evidence/],
    ];
    for (const [keyUsage, why] of cases) {
      const p = plan(world(keyUsage), gate('key2'));
      assert.deepEqual(p.regenerate, [], String(why));
      assert.equal(p.held[0]!.until, undefined);
      assert.match(p.held[0]!.because.join(), why);
      const note = p.notes.find((n) => n.kind === 'held-back');
      assert.equal(note?.level, 'warning');
      assert.match(note?.text ?? '', /the run cannot tell when/);
    }
  });

  it('a due key held back is a warning that says it is due', () => {
    const inv = world(usage({}), 'key2');
    inv.workspaces[0]!.holds = 'key2';
    const p = plan(inv, gate('auto', { maxKeyAgeDays: 90 }));
    assert.deepEqual(p.due, ['key2']);
    assert.deepEqual(p.regenerate, []);
    const note = p.notes.find((n) => n.kind === 'held-back');
    assert.equal(note?.level, 'warning');
    assert.match(note?.text ?? '', /\(it is due now\)/);
  });

  it('without the gate nothing is held back', () => {
    const p = plan(world(usage({ key1: [caller('10.0.0.4', 0.1)] })), policy('key1'));
    assert.deepEqual(p.held, []);
    assert.deepEqual(p.regenerate, ['key1']);
  });
});

describe('require-unused-days, at the edges', () => {
  const gate = (keyName: KeyNameChoice, more: Partial<Policy> = {}) =>
    policy(keyName, { requireUnusedDays: 7, ...more });
  const MINUTE = 60_000;

  it('a drain whose time comes exactly now no longer holds the key back', () => {
    const inv = world(usage({}), 'key2');
    inv.workspaces[0]!.consumers[0]!.writtenOn = new Date(NOW.getTime() - 7 * DAY - 20 * MINUTE);
    inv.workspaces[0]!.holds = 'key2';
    const p = plan(inv, gate('key1'));
    assert.deepEqual(p.held, []);
    assert.deepEqual(p.regenerate, ['key1']);
  });

  it('a key still in its drain says until when managed consumers may have held it', () => {
    const inv = world(usage({}), 'key2');
    inv.workspaces[0]!.consumers[0]!.writtenOn = daysAgo(1);
    inv.workspaces[0]!.holds = 'key2';
    const p = plan(inv, gate('key1'));
    assert.match(
      p.held[0]!.because.join(),
      new RegExp(`may have held it until ${daysAgo(1).toISOString()}, less than 7 days ago`),
    );
    const note = p.notes.find((n) => n.kind === 'held-back');
    assert.match(note?.text ?? '', /regenerate it from 2026-11-29 12:20 UTC\. This run moves/);
  });

  it('without the keys’ creation times, a key no one holds is held back with no time, said why', () => {
    const inv = world(usage({}));
    inv.keys[0]!.createdOn = undefined;
    const p = plan(inv, gate('key2'));
    assert.deepEqual(p.regenerate, []);
    assert.equal(p.held[0]!.until, undefined);
    assert.match(
      p.held[0]!.because.join(),
      /cannot be told: the creation times of the account keys are unknown/,
    );
  });

  it('a request only before the window, or exactly at its start, holds nothing back', () => {
    for (const seen of [7, 7 + 10 / 1440]) {
      const inv = world(usage({ key2: [caller('203.0.113.7', seen)] }, {}, 30));
      const p = plan(inv, gate('key2', { allowOutsideBreakage: true }));
      assert.deepEqual(p.held, [], `seen ${seen} days ago`);
      assert.deepEqual(p.regenerate, ['key2']);
    }
  });

  it('names the five busiest callers of a key, and says when there are more', () => {
    const callers = (n: number) =>
      Array.from({ length: n }, (_, i) => caller(`203.0.113.${i + 1}`, 1));
    const held = (n: number) => {
      const inv = world(usage({ key2: callers(n) }));
      return plan(inv, gate('key2', { allowOutsideBreakage: true })).held[0]!.because.join();
    };
    const six = held(6);
    assert.match(six, /caller 203\.0\.113\.5 /);
    assert.doesNotMatch(six, /caller 203\.0\.113\.6 /);
    assert.match(six, /last seen [^ ;]+; caller 203\.0\.113\.2 /);
    assert.match(six, /last seen [^ ;]+; …\)$/);
    const five = held(5);
    assert.match(five, /caller 203\.0\.113\.5 [^;]*last seen [^ ;]+\)$/);
  });

  it('a key held back for two reasons gives both in the decision', () => {
    const inv = world(usage({ key1: [caller('10.0.0.4', 0.1)] }));
    const p = plan(inv, gate('key1'));
    assert.match(p.decision, /key1 is held back: it may be regenerated from 2026-11-30 12:20 UTC/);
    assert.match(p.decision, /stay unused for 7 days; its current value signed 24 request\(s\)/);
  });

  it('evidence that may lack requests holds the key back with no time, said why', () => {
    const cases: [KeyUsage, RegExp][] = [
      [
        { ...usage({}), partialError: 'PartialError: a shard timed out' } as KeyUsage,
        /the key-usage query answered only in part \(PartialError: a shard timed out\)/,
      ],
      [
        { ...usage({}), partial: ['file', 'queue'] } as KeyUsage,
        /the file, queue service\(s\) send only some of StorageRead, StorageWrite and StorageDelete/,
      ],
      [
        { ...usage({}), unreadableTables: ['StorageFileLogs', 'StorageQueueLogs'] } as KeyUsage,
        /may not read StorageFileLogs, StorageQueueLogs, whose/,
      ],
      [
        { status: 'no-logs', lookbackDays: 7, reason: 'No diagnostic setting sends them.' },
        /needs the storage logs, and no diagnostic setting sends them\.$/,
      ],
    ];
    for (const [keyUsage, why] of cases) {
      const p = plan(world(keyUsage), gate('key2'));
      assert.deepEqual(p.regenerate, [], String(why));
      assert.equal(p.held[0]!.until, undefined);
      assert.match(p.held[0]!.because[0]!, why);
    }
  });

  it('evidence without a key (the key list lacked it) is no proof: the key is held back, no date', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 1)] }));
    if (inv.keyUsage?.status !== 'found') throw new Error('fake usage');
    inv.keyUsage.keys = inv.keyUsage.keys.filter((k) => k.key !== 'key2');
    const p = plan(inv, gate('key2'));
    assert.deepEqual(p.regenerate, []);
    assert.equal(p.held[0]!.until, undefined);
    assert.match(p.held[0]!.because.join(), /the storage logs, and they say nothing of key2/);
  });
});

describe('drains, merged', () => {
  it('keep the later time whichever comes first', () => {
    const later = { key: 'key1' as const, until: daysAgo(-3), because: ['a'] };
    const earlier = { key: 'key1' as const, until: daysAgo(-1), because: ['b'] };
    assert.deepEqual(mergeDrains([later, earlier]), [
      { key: 'key1', until: daysAgo(-3), because: ['a', 'b'] },
    ]);
  });
});
