// What the run tells of the key-usage evidence: the notes (missing, partial, callers already broken)
// and the summary's "Who uses each key" section and key cells, from plain evidence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyUsageNotes } from '../src/key-usage/notes.js';
import { keyUsageCell, keyUsageSection } from '../src/key-usage/summary.js';
import type { CallerUsage, KeyUsage, KeyValueUsage } from '../src/key-usage/usage.js';
import type { Report } from '../src/report/types.js';

type Found = Extract<KeyUsage, { status: 'found' }>;

const caller = (ip: string, more: Partial<CallerUsage> = {}): CallerUsage => ({
  ip,
  userAgent: `agent-${ip}`,
  authType: 'AccountKey',
  requests: 24,
  succeeded: 24,
  refused: 0,
  services: ['blob'],
  operations: ['GetBlob'],
  firstSeen: '2026-11-20T08:00:00.000Z',
  lastSeen: '2026-11-23T11:30:00.000Z',
  ...more,
});
const valueUsage = (top: CallerUsage[], more: Partial<KeyValueUsage> = {}): KeyValueUsage => ({
  requests: top.reduce((n, c) => n + c.requests, 0),
  callers: top.length,
  firstSeen: top[0]?.firstSeen,
  lastSeen: top[0]?.lastSeen,
  top,
  ...more,
});
const found = (more: Partial<Found> = {}): Found => ({
  status: 'found',
  lookbackDays: 7,
  keys: [
    { key: 'key1', current: valueUsage([]) },
    { key: 'key2', current: valueUsage([]) },
  ],
  services: ['blob', 'file', 'queue', 'table'],
  partial: [],
  ...more,
});
const noLogs: KeyUsage = { status: 'no-logs', lookbackDays: 7, reason: 'No diagnostic setting.' };
const failed: KeyUsage = { status: 'failed', lookbackDays: 7, reason: 'The query failed: 400.' };

describe('keyUsageNotes', () => {
  it('nothing without evidence, or with whole evidence and no caller broken', () => {
    assert.deepEqual(keyUsageNotes(undefined), []);
    assert.deepEqual(keyUsageNotes(found()), []);
  });

  it('no logs: a notice with the reason, about nothing in particular', () => {
    assert.deepEqual(keyUsageNotes(noLogs), [
      { level: 'notice', kind: 'key-usage', text: 'No diagnostic setting.', subjects: [] },
    ]);
  });

  it('a failed query: a warning that who uses each key is unknown, and why', () => {
    const [note] = keyUsageNotes(failed);
    assert.equal(note?.level, 'warning');
    assert.equal(note?.kind, 'key-usage');
    assert.match(note?.text ?? '', /^Who uses each key is unknown: The query failed: 400\.$/);
  });

  it('callers of an older value not seen since: a warning naming each, and only those', () => {
    const usage = found({
      keys: [
        {
          key: 'key1',
          current: valueUsage([]),
          older: valueUsage([
            caller('10.0.0.9', { broken: true }),
            caller('10.0.0.8', { broken: false }),
          ]),
        },
        { key: 'key2', current: valueUsage([caller('10.0.0.8')]) },
      ],
    });
    const notes = keyUsageNotes(usage);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.level, 'warning');
    assert.match(notes[0]!.text, /already broken/);
    assert.deepEqual(notes[0]!.subjects, [
      '10.0.0.9 (agent-10.0.0.9) on key1, last seen 2026-11-23T11:30:00.000Z',
    ]);
  });

  it('evidence that may lack requests: a note for each way, naming what is missing', () => {
    const notes = keyUsageNotes(
      found({
        partialError: 'a shard timed out',
        unreadableTables: ['StorageFileLogs', 'StorageQueueLogs'],
        partial: ['file', 'queue'],
        hashUnrecognised: true,
      }),
    );
    assert.deepEqual(
      notes.map((n) => n.level),
      ['warning', 'warning', 'notice', 'notice'],
    );
    assert.match(notes[0]!.text, /answered in part: a shard timed out/);
    assert.match(notes[1]!.text, /may not read StorageFileLogs, StorageQueueLogs \(/);
    assert.match(notes[2]!.text, /settings of file, queue send only some of StorageRead/);
    assert.match(notes[3]!.text, /matched no key value/);
  });
});

describe('keyUsageCell', () => {
  it('says what the logs tell of one key, or why they tell nothing', () => {
    assert.equal(keyUsageCell(undefined, 'key1'), '-');
    assert.equal(keyUsageCell(noLogs, 'key1'), 'no logs');
    assert.equal(keyUsageCell(failed, 'key1'), 'unknown (the query failed)');
    assert.equal(keyUsageCell(found({ keys: [] }), 'key1'), '-');
    assert.equal(keyUsageCell(found(), 'key1'), 'no request in 7 days');
  });

  it('counts the current value’s requests and callers, and an older value’s, with their last time', () => {
    const usage = found({
      keys: [
        {
          key: 'key1',
          current: valueUsage([caller('10.0.0.1'), caller('10.0.0.2')]),
          older: valueUsage([caller('10.0.0.9', { requests: 3 })], {
            lastSeen: '2026-11-20T12:05:00.000Z',
          }),
        },
        { key: 'key2', current: valueUsage([caller('10.0.0.3')], { lastSeen: undefined }) },
      ],
    });
    assert.equal(
      keyUsageCell(usage, 'key1'),
      '48 requests by 2 caller(s), last 2026-11-23 11:30; an older value: 3 requests, last 2026-11-20 12:05',
    );
    assert.equal(keyUsageCell(usage, 'key2'), '24 requests by 1 caller(s), last -');
  });
});

/** The cells of each table row (header rows included) in some HTML. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]),
  );
const section = (keyUsage: KeyUsage | undefined) => keyUsageSection({ keyUsage } as Report);

describe('keyUsageSection', () => {
  it('nothing without evidence; the reason when the logs are missing or the query failed', () => {
    assert.equal(section(undefined), '');
    for (const usage of [noLogs, failed]) {
      const html = section(usage);
      assert.match(html, /^<h3>Who uses each key \(storage logs, last 7 days\)<\/h3>/);
      assert.match(html, /<p>(No diagnostic setting\.|The query failed: 400\.)<\/p>/);
      assert.doesNotMatch(html, /<table/);
    }
  });

  it('no logs and metrics that could not be read: the reason, then why the metrics are missing', () => {
    const html = section({ ...noLogs, metrics: { status: 'failed', reason: 'Metrics: 403.' } });
    assert.match(html, /<\/h3>\n<p>No diagnostic setting\.<\/p>\n<p>Metrics: 403\.<\/p>\n$/);
  });

  it('one row per caller of each key value and of refused requests naming no key, with the services that log', () => {
    const usage = found({
      keys: [
        {
          key: 'key1',
          current: valueUsage([
            caller('10.0.0.1', {
              authType: 'SAS',
              refused: 2,
              services: ['blob', 'file'],
              operations: ['A', 'B', 'C', 'D', 'E', 'F'],
            }),
          ]),
          older: valueUsage([
            caller('10.0.0.9', { broken: true, operations: ['A', 'B', 'C', 'D', 'E'] }),
          ]),
        },
        { key: 'key2', current: valueUsage([]) },
      ],
      refusedUnattributed: valueUsage([caller('10.0.0.7', { requests: 4, refused: 4 })]),
      partial: ['file', 'queue'],
    });
    const html = section(usage);
    assert.deepEqual(rowsOf(html), [
      [
        'Key',
        'Value',
        'Caller IP',
        'User agent',
        'Auth',
        'Requests',
        'Refused',
        'Services',
        'Operations',
        'Last seen',
        'Note',
      ],
      [
        'key1',
        'current',
        '10.0.0.1',
        'agent-10.0.0.1',
        'SAS',
        '24',
        '2',
        'blob, file',
        'A, B, C, D, E, …',
        '2026-11-23 11:30',
        '',
      ],
      [
        'key1',
        'older value',
        '10.0.0.9',
        'agent-10.0.0.9',
        'AccountKey',
        '24',
        '0',
        'blob',
        'A, B, C, D, E',
        '2026-11-23 11:30',
        'already broken: not seen on a current key since',
      ],
      [
        'none named',
        'refused',
        '10.0.0.7',
        'agent-10.0.0.7',
        'AccountKey',
        '4',
        '4',
        'blob',
        'GetBlob',
        '2026-11-23 11:30',
        '',
      ],
    ]);
    assert.match(
      html,
      /Services whose requests reach the logs: blob, file, queue, table \(only some request categories for file, queue\)\. Requests of the managed workspaces/,
    );
    assert.match(html, /<\/table>\n<p>Services whose requests/, 'nothing folded away');
  });

  it('all logging, no partial services: no "only some" remark', () => {
    assert.match(section(found()), /reach the logs: blob, file, queue, table\. Requests of/);
  });

  it('no caller in the window: said instead of a table', () => {
    const html = section(found());
    assert.match(html, /<p>No request signed with an account key or a SAS in the window\.<\/p>/);
    assert.doesNotMatch(html, /<table/);
  });

  it('ten callers of a key value shown, the rest folded away and counted', () => {
    const many = Array.from({ length: 12 }, (_, i) => caller(`10.0.1.${i + 1}`));
    const html = section(found({ keys: [{ key: 'key1', current: valueUsage(many) }] }));
    const [shown, folded] = html.split('<details>');
    assert.equal(rowsOf(shown!).length, 1 + 10);
    assert.match(folded!, /^<summary>2 more callers<\/summary>/);
    assert.deepEqual(
      rowsOf(folded!)
        .slice(1)
        .map((r) => r[2]),
      ['10.0.1.11', '10.0.1.12'],
    );
  });
});
