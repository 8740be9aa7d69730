// The key-usage answer read into evidence per key (hashes matched in memory, never reported), and
// which diagnostic settings put the requests in Log Analytics at all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DiagnosticSetting } from '../src/azure/port.js';
import { keyHashes, keyUsageFromTable, type LogsTable } from '../src/key-usage/evidence.js';
import { KEY_USAGE_COLUMNS } from '../src/key-usage/query.js';
import { logCoverage } from '../src/key-usage/settings.js';
import type { KeyInfo } from '../src/discover/inventory.js';

const key = () => randomBytes(64).toString('base64');
const DAY = 86_400_000;
const NOW = Date.parse('2026-07-01T12:00:00Z');
const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const keys: KeyInfo[] = [
  { name: 'key1', value: key(), createdOn: new Date(NOW - 3 * DAY) },
  { name: 'key2', value: key(), createdOn: new Date(NOW - 90 * DAY) },
];
const oldKey1 = key();
const hashOf = (value: string) => keyHashes(value)[0]!;

type RowFields = {
  key: string;
  hash: string;
  ip: string;
  ua?: string;
  auth?: string;
  requests?: number;
  succeeded?: number;
  refused?: number;
  first: number;
  last: number;
  keyRequests?: number;
  keyCallers?: number;
};
const row = (r: RowFields): unknown[] => [
  r.key,
  r.hash,
  r.auth ?? 'AccountKey',
  r.ip,
  r.ua ?? 'app/1.0',
  r.requests ?? 10,
  r.succeeded ?? r.requests ?? 10,
  r.refused ?? 0,
  ['blob'],
  '["GetBlob","PutBlob"]',
  new Date(iso(r.first)),
  iso(r.last),
  r.keyRequests ?? r.requests ?? 10,
  r.keyCallers ?? 1,
];
const table = (rows: unknown[][]): LogsTable => ({
  columns: KEY_USAGE_COLUMNS.map(([name, type]) => ({ name, type })),
  rows,
});
const read = (t: LogsTable) =>
  keyUsageFromTable(t, keys, { lookbackDays: 7, services: ['blob'], partial: [] });

describe('keyUsageFromTable', () => {
  it("tells a key's current value from an older one by the hash of the key's bytes", () => {
    const evidence = read(
      table([
        row({ key: 'key1', hash: hashOf(keys[0]!.value), ip: '10.0.0.4', first: 2, last: 0 }),
        row({
          key: 'key1',
          hash: hashOf(oldKey1).toLowerCase(),
          ip: '10.0.0.9',
          first: 6,
          last: 4,
        }),
        row({
          key: 'key2',
          hash: hashOf(keys[1]!.value),
          ip: '10.0.0.5',
          requests: 3,
          first: 5,
          last: 1,
        }),
      ]),
    );
    const [k1, k2] = evidence.keys;
    assert.equal(k1!.current.requests, 10);
    assert.equal(k1!.current.top[0]!.ip, '10.0.0.4');
    assert.deepEqual(k1!.current.top[0]!.operations, ['GetBlob', 'PutBlob']);
    assert.equal(k1!.older?.top[0]!.ip, '10.0.0.9');
    assert.equal(k1!.older?.top[0]!.broken, true, 'not seen on a current value since');
    assert.equal(k2!.current.requests, 3);
    assert.equal(k2!.current.lastSeen, iso(1));
    assert.equal(k2!.older, undefined);
    assert.equal(evidence.hashUnrecognised, undefined);
  });

  it('a caller of an older value seen later on a current value is not broken', () => {
    const evidence = read(
      table([
        row({ key: 'key1', hash: hashOf(oldKey1), ip: '10.0.0.9', first: 6, last: 4 }),
        row({ key: 'key2', hash: hashOf(keys[1]!.value), ip: '10.0.0.9', first: 4, last: 0 }),
      ]),
    );
    assert.equal(evidence.keys[0]!.older?.top[0]!.broken, false);
  });

  it('a key nobody used has zero requests and no caller', () => {
    const evidence = read(table([]));
    assert.deepEqual(
      evidence.keys.map((k) => [k.key, k.current.requests, k.current.callers, k.current.top]),
      [
        ['key1', 0, 0, []],
        ['key2', 0, 0, []],
      ],
    );
  });

  it('keeps the totals of every caller when only the busiest are listed', () => {
    const evidence = read(
      table([
        row({
          key: 'key2',
          hash: hashOf(keys[1]!.value),
          ip: '10.0.0.1',
          requests: 5,
          first: 2,
          last: 1,
          keyRequests: 900,
          keyCallers: 120,
        }),
      ]),
    );
    assert.equal(evidence.keys[1]!.current.requests, 900);
    assert.equal(evidence.keys[1]!.current.callers, 120);
  });

  it('refused requests that name no key are kept apart', () => {
    const evidence = read(
      table([
        row({
          key: '',
          hash: '',
          ip: '10.0.0.7',
          requests: 4,
          succeeded: 0,
          refused: 4,
          first: 1,
          last: 0,
        }),
      ]),
    );
    assert.equal(evidence.refusedUnattributed?.requests, 4);
    assert.equal(evidence.refusedUnattributed?.top[0]!.refused, 4);
  });

  it('an unknown hash that succeeded after the key was regenerated is taken for its current value, and said', () => {
    const evidence = read(
      table([row({ key: 'key1', hash: 'ABCDEF', ip: '10.0.0.4', first: 2, last: 1 })]),
    );
    assert.equal(evidence.keys[0]!.current.requests, 10);
    assert.equal(evidence.keys[0]!.older, undefined);
    assert.equal(evidence.hashUnrecognised, true);
  });

  it('reads the columns by name, whatever their order', () => {
    const t = table([
      row({ key: 'key2', hash: hashOf(keys[1]!.value), ip: '10.0.0.5', first: 1, last: 0 }),
    ]);
    const reversed: LogsTable = {
      columns: [...t.columns].reverse(),
      rows: t.rows.map((r) => [...r].reverse()),
    };
    assert.deepEqual(read(reversed), read(t));
  });

  it('never carries a key value or a hash of one', () => {
    const evidence = read(
      table([
        row({ key: 'key1', hash: hashOf(keys[0]!.value), ip: '10.0.0.4', first: 2, last: 0 }),
        row({ key: 'key1', hash: hashOf(oldKey1), ip: '10.0.0.9', first: 6, last: 4 }),
      ]),
    );
    const text = JSON.stringify(evidence);
    for (const value of [keys[0]!.value, keys[1]!.value, oldKey1]) {
      assert.ok(!text.includes(value));
      for (const hash of keyHashes(value)) assert.ok(!text.toUpperCase().includes(hash));
    }
  });
});

describe('logCoverage', () => {
  const setting = (logs: DiagnosticSetting['logs'], workspaceId = '/ws'): DiagnosticSetting => ({
    name: 's',
    workspaceId,
    logs,
  });
  const none = { blob: [], file: [], queue: [], table: [] };

  it('a category group or the three request categories sent to a workspace cover a service', () => {
    assert.deepEqual(
      logCoverage({
        ...none,
        blob: [setting([{ categoryGroup: 'allLogs', enabled: true }])],
        file: [setting([{ categoryGroup: 'audit', enabled: true }])],
        queue: [
          setting(
            ['StorageRead', 'StorageWrite', 'StorageDelete'].map((category) => ({
              category,
              enabled: true,
            })),
          ),
        ],
      }),
      { services: ['blob', 'file', 'queue'], partial: [] },
    );
  });

  it('some of the categories: covered in part', () => {
    assert.deepEqual(
      logCoverage({ ...none, table: [setting([{ category: 'StorageWrite', enabled: true }])] }),
      { services: ['table'], partial: ['table'] },
    );
  });

  it('disabled categories, or logs sent only to storage or an event hub: not covered', () => {
    assert.deepEqual(
      logCoverage({
        ...none,
        blob: [setting([{ categoryGroup: 'allLogs', enabled: false }])],
        file: [setting([{ categoryGroup: 'allLogs', enabled: true }], '')],
      }),
      { services: [], partial: [] },
    );
  });
});
