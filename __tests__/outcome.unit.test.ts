// The run in one word, one line, and the lines that need a person: pure, from the report's parts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attentionOf, headlineOf, list, outcomeOf, withSubjects } from '../src/report/outcome.js';
import type { Report } from '../src/report/report.js';
import { rotate, world } from './fakes/rotation.js';

type Told = Parameters<typeof headlineOf>[0];

/** A report's parts with just what a test sets; the rest empty. */
function told(parts: Partial<Omit<Told, 'result'>> & { result?: Partial<Report['result']> }): Told {
  return {
    mode: 'rotation',
    generatedAt: '',
    account: { name: 'store' },
    regenerate: [],
    allOnActiveKey: false,
    keys: [],
    steps: [],
    consumers: [],
    workspaces: [],
    otherConsumers: 0,
    uninspected: [],
    unchecked: [],
    heldBack: [],
    notes: [],
    permissions: [],
    timings: [
      { phase: 'discovery', ms: 1000 },
      { phase: 'rotation', ms: 2250 },
    ],
    ...parts,
    result: {
      rotated: false,
      regeneratedKeys: [],
      datastoresUpdated: 0,
      datastoresFailed: 0,
      connectionsUpdated: 0,
      connectionsFailed: 0,
      secretsUpdated: 0,
      secretsFailed: 0,
      failed: false,
      ...parts.result,
    },
  };
}

describe('outcomeOf', () => {
  it('blocked, failed, dry run, rotated or not due, in that order of precedence', () => {
    const failed = told({ result: { failed: true, rotated: true } });
    assert.equal(outcomeOf(failed, { refused: true }), 'blocked');
    assert.equal(outcomeOf(failed, {}), 'failed');
    assert.equal(outcomeOf(failed), 'failed');
    assert.equal(outcomeOf(told({ mode: 'dry-run', result: { rotated: true } })), 'dry-run');
    assert.equal(outcomeOf(told({ result: { rotated: true } })), 'rotated');
    assert.equal(outcomeOf(told({})), 'not-due');
  });

  it('blocked-by-sas: nothing regenerated because every key due signs a live SAS token', () => {
    const blocked = told({ blockedBySas: 'Nothing was rotated: key2 signs live SAS tokens.' });
    assert.equal(outcomeOf(blocked), 'blocked-by-sas');
    assert.equal(outcomeOf({ ...blocked, mode: 'dry-run' }), 'dry-run');
    assert.equal(outcomeOf(told({ ...blocked, result: { failed: true } })), 'failed');
    assert.match(
      headlineOf(blocked, 'blocked-by-sas'),
      /^No key regenerated: every key it would regenerate signs a live SAS token \(sas: skip-keys\) · 0 datastores moved · 0 failed/,
    );
  });
});

describe('headlineOf', () => {
  it('rotated: the keys, what moved, what failed, the longest workspace window, the time', () => {
    const report = told({
      result: {
        rotated: true,
        regeneratedKeys: ['key2', 'key1'],
        datastoresUpdated: 3,
        connectionsUpdated: 1,
        datastoresFailed: 1,
        connectionsFailed: 1,
      },
      workspaces: [{ invalidForMs: 1250 }, { invalidForMs: 400 }, {}] as Report['workspaces'],
    });
    assert.equal(
      headlineOf(report, 'rotated'),
      'Rotated key2 and key1 · 3 datastores and 1 connection moved · 2 failed · workspace copy invalid 1.3 s · 3.3 s',
    );
    const one = told({
      result: { rotated: true, regeneratedKeys: ['key2'], datastoresUpdated: 1 },
    });
    assert.equal(
      headlineOf(one, 'rotated'),
      'Rotated key2 · 1 datastore moved · 0 failed · workspace copy invalid 0.0 s · 3.3 s',
    );
    const some = told({ result: { connectionsUpdated: 2 } });
    assert.match(headlineOf(some, 'rotated'), / · 0 datastores and 2 connections moved · /);
  });

  it('not due: the decision, what was repaired', () => {
    assert.equal(
      headlineOf(
        told({ decision: 'not due: no key is older', result: { datastoresUpdated: 2 } }),
        'not-due',
      ),
      'No key regenerated (not due: no key is older) · 2 datastores moved · 0 failed · 3.3 s',
    );
  });

  it('dry run: what it would regenerate, the steps, whether a rotation would stop', () => {
    const steps = [{ text: 'a', reason: '', status: 'planned' }];
    assert.equal(
      headlineOf(told({ mode: 'dry-run', regenerate: ['key2', 'key1'], steps }), 'dry-run'),
      'Dry run: would regenerate key2 then key1 · 1 step(s) planned · nothing changed · 3.3 s',
    );
    assert.equal(
      headlineOf(told({ mode: 'dry-run' }), 'dry-run'),
      'Dry run: would regenerate nothing · 0 step(s) planned · nothing changed · 3.3 s',
    );
    for (const stop of [{ refused: 'no' }, { missingPermissions: 'missing' }]) {
      assert.match(
        headlineOf(told({ mode: 'dry-run', ...stop }), 'dry-run'),
        / · a rotation would stop before its first write · 3\.3 s$/,
      );
    }
  });

  it('blocked or failed', () => {
    assert.equal(
      headlineOf(told({}), 'blocked'),
      'Blocked before the first write: nothing changed · 3.3 s',
    );
    assert.equal(
      headlineOf(told({ failure: 'x' }), 'failed'),
      'Failed before the first write: nothing changed · 3.3 s',
    );
    assert.equal(
      headlineOf(
        told({ result: { regeneratedKeys: ['key2'], datastoresUpdated: 1, datastoresFailed: 2 } }),
        'failed',
      ),
      'Failed after regenerating key2 · 1 datastore moved · 2 not updated · 3.3 s',
    );
    assert.equal(
      headlineOf(told({ result: { connectionsFailed: 1 } }), 'failed'),
      'Failed, no key regenerated · 0 datastores moved · 1 not updated · 3.3 s',
    );
  });
});

describe('attentionOf', () => {
  it('failure, stop, failed steps, failed consumers, refusals, permissions, warnings, then the rerun', () => {
    const lines = attentionOf(
      told({
        failure: 'The action failed: 500.',
        steps: [
          { text: 'Regenerate key2', reason: '', status: 'failed', error: '409: locked' },
          {
            text: 'Re-key 2 datastores with key2 (ws/a, ws/b)',
            reason: '',
            status: 'failed',
            error: '2 of 2',
          },
          { text: 'Resync the keys of workspace ws', reason: '', status: 'done', error: 'ignored' },
        ],
        consumers: [
          { kind: 'datastore', name: 'a', workspace: 'ws', error: '400: bad' },
          { kind: 'connection', name: 'c', workspace: 'ws' },
        ] as Report['consumers'],
        notes: [
          { level: 'warning', kind: 'sas', text: 'SAS tokens break.', subjects: ['a', 'b'] },
          { level: 'notice', kind: 'outside', text: 'Left alone.', subjects: [] },
        ],
        missingPermissions: 'The login lacks permissions.',
        result: { stopped: 'stopped before regenerating key1', rerun: 'Rerun.' },
      }),
    );
    assert.deepEqual(lines, [
      'The action failed: 500.',
      'Stopped before regenerating key1.',
      'Regenerate key2: 409: locked',
      "Datastore 'a' (workspace 'ws') was not updated: 400: bad",
      'SAS tokens break: a; b.',
      'Rerun.',
    ]);
  });

  it('a dry run: what a rotation would run into', () => {
    assert.deepEqual(
      attentionOf(
        told({ mode: 'dry-run', refused: 'It would break x.', missingPermissions: 'Missing y.' }),
      ),
      [
        'A rotation would stop before its first write: It would break x.',
        'A rotation would fail: Missing y.',
      ],
    );
    assert.deepEqual(attentionOf(told({ missingPermissions: 'Missing y.' })), ['Missing y.']);
    assert.deepEqual(attentionOf(told({ refused: 'It would break x.' })), []);
    assert.deepEqual(attentionOf(told({})), []);
  });

  it('a clean rotation needs nobody', async () => {
    assert.deepEqual((await rotate(world(), 'auto')).report.attention, []);
  });
});

describe('withSubjects and list', () => {
  it('names the first five, then how many more', () => {
    assert.equal(list([]), '');
    assert.equal(list(['a']), 'a.');
    assert.equal(list(['a', 'b', 'c', 'd', 'e']), 'a; b; c; d; e.');
    assert.equal(list(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a; b; c; d; e; and 2 more.');
    assert.equal(list(['a', 'b', 'c'], 2), 'a; b; and 1 more.');
  });

  it('a note with its subjects; without, just its text', () => {
    const note = {
      level: 'warning' as const,
      kind: 'sas' as const,
      text: 'Two break.',
      subjects: ['a', 'b'],
    };
    assert.equal(withSubjects(note), 'Two break: a; b.');
    assert.equal(withSubjects({ ...note, subjects: [] }), 'Two break.');
    assert.equal(withSubjects({ ...note, text: 'No stop' }), 'No stop: a; b.');
    assert.equal(
      withSubjects({ ...note, subjects: ['a', 'b', 'c'] }, 1),
      'Two break: a; and 2 more.',
    );
  });
});

describe('withSubjects: a note with periods inside', () => {
  it('only the final period gives way to the subjects', () => {
    const note = {
      level: 'warning' as const,
      kind: 'sas' as const,
      text: 'Version 2.1 of the token expires. Re-issue it.',
      subjects: ['a'],
    };
    assert.equal(withSubjects(note), 'Version 2.1 of the token expires. Re-issue it: a.');
  });
});
