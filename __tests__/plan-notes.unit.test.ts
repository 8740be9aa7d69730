// What the plan tells beside its steps, on plain data: who outside the managed workspaces breaks,
// who is left alone, and the account and consumer warnings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outsideHolders, planNotes } from '../src/plan/notes.js';
import { inventory, keyed } from './fakes/inventory.js';

const WS_ID =
  '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces';

describe('outsideHolders', () => {
  const inv = inventory({
    workspaces: [
      { name: 'managed', holds: 'key2', datastores: keyed('key2') },
      {
        name: 'Other',
        inScope: false,
        holds: 'key2',
        datastores: [
          { name: 'on2', holds: 'key2' },
          { name: 'on1', holds: 'key1' },
          { name: 'sas', credentials: 'Sas' },
          { name: 'stale', holds: 'stale' },
        ],
        connections: [{ name: 'conn', holds: 'key2' }],
      },
      { name: 'identity', inScope: false, datastores: [{ name: 'id', credentials: 'None' }] },
    ],
  });

  it('names the outside workspaces and AccountKey consumers that hold the keys, never managed ones', () => {
    assert.deepEqual(outsideHolders(inv, ['key2']), [
      {
        id: `workspace:${WS_ID.toLowerCase()}/other`,
        text: "workspace 'Other' (resource group 'rg'), whose own copy holds key2",
      },
      { id: 'datastore:sub/rg/other/on2', text: "datastore 'on2' (workspace 'Other') holds key2" },
      {
        id: 'connection:sub/rg/other/conn',
        text: "connection 'conn' (workspace 'Other') holds key2",
      },
    ]);
    assert.deepEqual(
      outsideHolders(inv, ['key1']).map((h) => h.id),
      ['datastore:sub/rg/other/on1'],
    );
    // Both keys: the SAS datastore too, whose signer is unknown (its token was not read).
    assert.deepEqual(
      outsideHolders(inv, ['key1', 'key2']).map((h) => h.id),
      [
        `workspace:${WS_ID.toLowerCase()}/other`,
        'datastore:sub/rg/other/on2',
        'datastore:sub/rg/other/on1',
        'connection:sub/rg/other/conn',
        'datastore:sub/rg/other/sas',
      ],
    );
    assert.deepEqual(outsideHolders(inv, []), []);
  });
});

describe('planNotes', () => {
  /** The notes by kind: level, text and subjects. */
  const byKind = (notes: ReturnType<typeof planNotes>) =>
    Object.fromEntries(
      notes.map((n) => [n.kind, { level: n.level, text: n.text, subjects: n.subjects }]),
    );

  it('shared key access off: counts and names every AccountKey and SAS consumer the account has', () => {
    const inv = inventory({
      allowSharedKeyAccess: false,
      workspaces: [
        {
          name: 'ws',
          datastores: [
            ...keyed('key1'),
            { name: 'sas', credentials: 'Sas' },
            { credentials: 'None' },
          ],
        },
        { name: 'out', inScope: false, connections: keyed('key2') },
      ],
    });
    assert.deepEqual(byKind(planNotes(inv, [], {}))['shared-key-off'], {
      level: 'warning',
      text: "Shared key access is off on storage account 'store': its 3 AccountKey and SAS consumer(s) cannot authenticate while it is off. Turn it on, or move them to identity-based access (datastores with credentials None).",
      subjects: [
        "datastore 'ds0' (workspace 'ws')",
        "datastore 'sas' (workspace 'ws')",
        "connection 'ds0' (workspace 'out')",
      ],
    });
    const on = { ...inv, account: { ...inv.account, allowSharedKeyAccess: true } };
    assert.ok(!planNotes(on, [], {}).some((n) => n.kind === 'shared-key-off'));
  });

  it('listings: a denied one is outside what the run could check; another one is unchecked', () => {
    const inv = {
      ...inventory({ workspaces: [{ name: 'ws' }] }),
      uninspected: [
        { name: 'sub-a', reason: '403: denied', denied: true },
        { name: 'sub-b', reason: '503: unavailable' },
      ],
    };
    assert.deepEqual(planNotes(inv, [], {}), [
      {
        level: 'warning',
        kind: 'uninspected',
        text: '1 workspace listing(s) the login may not read: the workspaces there are outside what this run could check.',
        subjects: ['sub-a (403: denied)'],
      },
      {
        level: 'warning',
        kind: 'unchecked',
        text: '1 thing(s) could not be read, so each may hold either key (unchecked): nothing is regenerated, so none of them breaks.',
        subjects: ['sub-b (503: unavailable)'],
      },
    ]);
  });

  it('what could not be read: one unchecked warning naming each, saying what the run does', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'out', holds: 'key1', inScope: false, datastores: keyed('key2', 'key1') },
      ],
    });
    const out = inv.workspaces[1]!;
    out.holds = 'unknown';
    out.unread = [{ name: "the own storage key of workspace 'out'", reason: '403: no' }];
    Object.assign(out.consumers[0]!, { holds: 'unknown', unread: '403: denied' });
    const unchecked = (keys: ('key1' | 'key2')[], allow?: boolean) =>
      planNotes(inv, keys, { allowOutsideBreakage: allow }).find((n) => n.kind === 'unchecked');
    assert.deepEqual(unchecked(['key2'])!.subjects, [
      "the own storage key of workspace 'out' (403: no)",
      "the secret of datastore 'ds0' (workspace 'out') (403: denied)",
    ]);
    assert.match(
      unchecked(['key2'])!.text,
      /a regeneration stops before its first write unless allow-outside-breakage: true\.$/,
    );
    assert.match(
      unchecked(['key2'], true)!.text,
      /allow-outside-breakage: true, so key2 is regenerated without checking them, and any of them on it breaks\.$/,
    );
    const outsideBreaks = planNotes(inv, ['key1'], { allowOutsideBreakage: true }).find(
      (n) => n.kind === 'outside-breaks',
    );
    assert.deepEqual(
      outsideBreaks!.subjects,
      ["datastore 'ds1' (workspace 'out') holds key1"],
      'the unread ones are in the unchecked warning only',
    );
  });

  it('outside workspaces left as they are: a notice describing each', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        {
          name: 'out',
          inScope: false,
          holds: 'key1',
          datastores: [
            { name: 'd', holds: 'key1' },
            { name: 'sas', credentials: 'Sas' },
          ],
        },
        { name: 'nokey', inScope: false, holds: 'stale' },
        {
          name: 'consumers-only',
          inScope: false,
          connections: [{ name: 'c', credentials: 'None' }],
        },
      ],
    });
    assert.deepEqual(byKind(planNotes(inv, ['key2'], {})).outside, {
      level: 'notice',
      text: '3 workspace(s) outside the managed ones use the account and are left as they are.',
      subjects: [
        "'out': default storage, own copy holds key1, datastore 'd' (holds key1), datastore 'sas' (unknown: the token was not read)",
        "'nokey': default storage, own copy holds stale",
        "'consumers-only': connection 'c' (None)",
      ],
    });
    assert.deepEqual(planNotes(inventory({ workspaces: [{ name: 'ws' }] }), ['key2'], {}), []);

    const identity = inventory({ workspaces: [{ name: 'ws' }, { name: 'out', inScope: false }] });
    identity.workspaces[1]!.usesAccountAsDefault = true;
    assert.deepEqual(byKind(planNotes(identity, [], {})).outside!.subjects, [
      "'out': default storage, own copy holds no key",
    ]);
  });

  it('no warning when nothing outside breaks; no notice when everything outside breaks', () => {
    const spared = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1' },
        { name: 'out', inScope: false, datastores: keyed('key1') },
      ],
    });
    assert.deepEqual(
      planNotes(spared, ['key2'], { allowOutsideBreakage: true }).map((n) => n.kind),
      ['outside'],
    );
    const allBroken = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1' },
        { name: 'own', inScope: false, holds: 'key2' },
        { name: 'ds', inScope: false, datastores: keyed('key2') },
      ],
    });
    assert.deepEqual(planNotes(allBroken, ['key2'], {}), []);
  });

  it('what breaks outside: a warning only when breaking it is allowed (else the plan is refused)', () => {
    const inv = inventory({
      workspaces: [
        { name: 'ws', holds: 'key1', datastores: keyed('key1') },
        { name: 'own', inScope: false, holds: 'key2' },
        { name: 'ds', inScope: false, datastores: [{ name: 'd', holds: 'key2' }] },
        {
          name: 'half',
          inScope: false,
          datastores: [
            { name: 'x', holds: 'key2' },
            { name: 'y', holds: 'key1' },
          ],
        },
      ],
    });
    const refused = planNotes(inv, ['key2'], {});
    assert.deepEqual(
      refused.map((n) => n.kind),
      ['outside'],
    );
    assert.deepEqual(refused[0]!.subjects, [
      "'half': datastore 'x' (holds key2), datastore 'y' (holds key1)",
    ]);

    const allowed = byKind(planNotes(inv, ['key2'], { allowOutsideBreakage: true }));
    assert.deepEqual(allowed['outside-breaks'], {
      level: 'warning',
      text: 'allow-outside-breakage: regenerating key2 breaks 3 consumer(s) outside the managed workspaces. Update them with the new key (or resync those workspaces).',
      subjects: [
        "workspace 'own' (resource group 'rg'), whose own copy holds key2",
        "datastore 'd' (workspace 'ds') holds key2",
        "datastore 'x' (workspace 'half') holds key2",
      ],
    });
    assert.match(
      planNotes(inv, ['key2', 'key1'], { allowOutsideBreakage: true })[0]!.text,
      /regenerating key2 and key1 breaks/,
    );
  });

  it('SAS consumers: exactly those the regeneration breaks are warned about; stale managed ones are noted', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          datastores: [
            { name: 'sas', credentials: 'Sas', sas: { signedBy: 'key1', expiresInDays: 10 } },
            { name: 'spared', credentials: 'Sas', sas: { signedBy: 'key2' } },
            { name: 'old', holds: 'stale' },
            { name: 'fine' },
          ],
        },
        {
          name: 'out',
          inScope: false,
          connections: [
            { name: 'csas', credentials: 'SAS', sas: { signedBy: 'key1' } },
            { name: 'cold', holds: 'stale' },
          ],
        },
      ],
    });
    const notes = byKind(planNotes(inv, ['key1'], {}));
    // Only the managed SAS consumer signed by key1; the outside one is an outside holder.
    assert.deepEqual(notes.sas, {
      level: 'warning',
      text: 'Regenerating key1 breaks 1 SAS consumer(s) with a live token it signed: issue them new tokens signed by the key that stays and update them, or run with sas: renew.',
      subjects: [
        "datastore 'sas' (workspace 'ws'), signed by key1; expires 2026-12-03T12:00:00.000Z",
      ],
    });
    assert.deepEqual(notes.stale, {
      level: 'notice',
      text: '1 consumer(s) held a key that matches neither key of the account: they were already broken, and this run repairs them.',
      subjects: ["datastore 'old' (workspace 'ws')"],
    });
    assert.equal(byKind(planNotes(inv, ['key2'], {})).sas?.subjects.length, 1);
    const none = planNotes(inv, [], {});
    assert.deepEqual(
      none.filter((n) => n.kind !== 'outside').map((n) => n.kind),
      ['stale'],
    );
  });
});

describe('planNotes: SAS consumers already broken or of an unknown signer', () => {
  const byKind = (notes: ReturnType<typeof planNotes>) =>
    Object.fromEntries(
      notes.map((n) => [n.kind, { level: n.level, text: n.text, subjects: n.subjects }]),
    );
  const unknownSigners = inventory({
    workspaces: [
      {
        name: 'ws',
        datastores: [
          {
            name: 'u',
            credentials: 'Sas',
            sas: { signedBy: 'unknown', reason: 'sr=b needs the blob path' },
          },
          { name: 'unread', credentials: 'Sas' },
        ],
      },
    ],
  });
  const u =
    "datastore 'u' (workspace 'ws'), unknown: sr=b needs the blob path; expires 2026-12-23T12:00:00.000Z";
  const unread = "datastore 'unread' (workspace 'ws'), unknown: the token was not read";

  it('an expired SAS token is already broken, not a stale key this run repairs', () => {
    const inv = inventory({
      workspaces: [
        {
          name: 'ws',
          datastores: [
            { name: 'old', holds: 'stale' },
            { name: 'lapsed', credentials: 'Sas', sas: { signedBy: 'key1', expiresInDays: -1 } },
          ],
        },
      ],
    });
    const notes = byKind(planNotes(inv, ['key1'], {}));
    assert.deepEqual(notes.stale!.subjects, ["datastore 'old' (workspace 'ws')"]);
    assert.deepEqual(notes['sas-broken'], {
      level: 'warning',
      text: '1 SAS consumer(s) are already broken (their token has expired or matches neither key): this run leaves them as they are; issue them new tokens.',
      subjects: [
        "datastore 'lapsed' (workspace 'ws'), signed by key1; expired 2026-11-22T12:00:00.000Z",
      ],
    });
  });

  it('an unknown signer: a notice when nothing is regenerated, a warning when a key is', () => {
    const text =
      'Which key signed the SAS token of 2 consumer(s) could not be told, so this run cannot say whether a regeneration breaks them.';
    assert.deepEqual(byKind(planNotes(unknownSigners, [], {}))['sas-unknown'], {
      level: 'notice',
      text,
      subjects: [u, unread],
    });
    assert.deepEqual(byKind(planNotes(unknownSigners, ['key1'], {}))['sas-unknown'], {
      level: 'warning',
      text,
      subjects: [u, unread],
    });
  });

  it('both keys regenerated under renew: the warning says the run cannot re-issue them, and why for each', () => {
    assert.deepEqual(byKind(planNotes(unknownSigners, ['key1', 'key2'], { sas: 'renew' })).sas, {
      level: 'warning',
      text: 'Regenerating key1 and key2 breaks 2 SAS consumer(s) with a live token signed by one of them or by a key that cannot be told: this run cannot re-issue their tokens (see the reason of each).',
      subjects: [
        `${u} (which key signed its token is unknown (sr=b needs the blob path))`,
        `${unread} (which key signed its token is unknown)`,
      ],
    });
  });

  it('both keys regenerated under warn: the warning says what to do, with no reasons', () => {
    assert.deepEqual(byKind(planNotes(unknownSigners, ['key1', 'key2'], {})).sas, {
      level: 'warning',
      text: 'Regenerating key1 and key2 breaks 2 SAS consumer(s) with a live token signed by one of them or by a key that cannot be told: issue them new tokens signed by the key that stays and update them, or run with sas: renew.',
      subjects: [u, unread],
    });
  });
});
