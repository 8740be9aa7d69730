// The key-usage answer read into evidence per key (hashes matched in memory, never reported), and
// which diagnostic settings put the requests in Log Analytics at all.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DiagnosticSetting } from '../src/azure/port.js';
import { keyHashes, keyUsageFromTable, type LogsTable } from '../src/key-usage/evidence.js';
import { KEY_USAGE_COLUMNS } from '../src/key-usage/query.js';
import { enableLogsHint, logCoverage } from '../src/key-usage/settings.js';
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

describe('keyHashes', () => {
  it('are the upper-case SHA-256 of the key’s decoded bytes, then of its text', () => {
    const value = key();
    const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex').toUpperCase();
    assert.deepEqual(keyHashes(value), [
      sha(Buffer.from(value, 'base64')),
      sha(Buffer.from(value, 'utf8')),
    ]);
  });
});

describe('keyUsageFromTable, at the edges', () => {
  const SERVICES = 8;
  const USER_AGENT = 4;
  const LAST_SEEN = 11;
  const cells = (r: RowFields, changes: Record<number, unknown>) => {
    const cellsOf = row(r);
    for (const [i, v] of Object.entries(changes)) cellsOf[Number(i)] = v;
    return cellsOf;
  };
  const current2 = hashOf(keys[1]!.value);

  it('an unknown hash is an older value when refused, seen no later than the regeneration, or the key’s age is unknown', () => {
    const refused = read(
      table([
        row({
          key: 'key1',
          hash: 'ABCDEF',
          ip: '10.0.0.4',
          succeeded: 0,
          refused: 10,
          first: 2,
          last: 1,
        }),
      ]),
    );
    assert.equal(refused.keys[0]!.current.requests, 0);
    assert.equal(refused.keys[0]!.older?.requests, 10);
    assert.equal(refused.hashUnrecognised, undefined);
    const atRegeneration = read(
      table([row({ key: 'key1', hash: 'ABCDEF', ip: '10.0.0.4', first: 4, last: 3 })]),
    );
    assert.equal(atRegeneration.keys[0]!.current.requests, 0);
    const ageless = keyUsageFromTable(
      table([row({ key: 'key1', hash: 'ABCDEF', ip: '10.0.0.4', first: 2, last: 1 })]),
      [{ name: 'key1', value: keys[0]!.value }],
      { lookbackDays: 7, services: ['blob'], partial: [] },
    );
    assert.equal(ageless.keys[0]!.current.requests, 0);
    assert.equal(ageless.keys[0]!.older?.requests, 10);
  });

  it('has evidence only for the keys the key list holds', () => {
    const evidence = keyUsageFromTable(
      table([row({ key: 'key2', hash: current2, ip: '10.0.0.4', first: 2, last: 1 })]),
      [keys[0]!],
      { lookbackDays: 7, services: ['blob'], partial: [] },
    );
    assert.deepEqual(
      evidence.keys.map((k) => k.key),
      ['key1'],
    );
  });

  it('a caller of an older value is broken unless seen on a current value as late or later', () => {
    const brokenIf = (lastOnCurrent: number) =>
      read(
        table([
          row({ key: 'key1', hash: hashOf(oldKey1), ip: '10.0.0.9', first: 6, last: 4 }),
          row({ key: 'key2', hash: current2, ip: '10.0.0.9', first: 6, last: lastOnCurrent }),
          row({ key: 'key2', hash: current2, ip: '10.0.0.1', first: 6, last: 0 }),
        ]),
      ).keys[0]!.older?.top[0]!.broken;
    assert.equal(brokenIf(4), false, 'as late');
    assert.equal(brokenIf(5), true, 'only before');
  });

  it('tells callers apart by user agent and by the way they authorised', () => {
    const evidence = read(
      table([
        row({ key: 'key2', hash: current2, ip: '10.0.0.4', ua: 'a/1', first: 2, last: 1 }),
        row({ key: 'key2', hash: current2, ip: '10.0.0.4', ua: 'b/1', first: 2, last: 1 }),
        row({
          key: 'key2',
          hash: current2,
          ip: '10.0.0.4',
          ua: 'a/1',
          auth: 'SAS',
          first: 2,
          last: 1,
        }),
      ]),
    );
    assert.equal(evidence.keys[1]!.current.top.length, 3);
    assert.equal(evidence.refusedUnattributed, undefined, 'no refused request without a key');
  });

  it('one caller of three older values is one caller: counts added, services joined, its first and last time', () => {
    const old = [key(), key(), key()];
    const evidence = read(
      table([
        cells(
          {
            key: 'key1',
            hash: hashOf(old[0]!),
            ip: '10.0.0.9',
            requests: 4,
            succeeded: 3,
            refused: 1,
            first: 6,
            last: 5,
          },
          { [SERVICES]: ['file'] },
        ),
        row({
          key: 'key1',
          hash: hashOf(old[1]!),
          ip: '10.0.0.9',
          requests: 6,
          succeeded: 4,
          refused: 2,
          first: 9,
          last: 3,
        }),
        row({ key: 'key1', hash: hashOf(old[2]!), ip: '10.0.0.9', requests: 1, first: 7, last: 4 }),
      ]),
    );
    const older = evidence.keys[0]!.older!;
    assert.equal(older.requests, 11);
    assert.equal(older.top.length, 1);
    const merged = older.top[0]!;
    assert.deepEqual(
      [
        merged.requests,
        merged.succeeded,
        merged.refused,
        merged.services,
        merged.firstSeen,
        merged.lastSeen,
      ],
      [11, 8, 3, ['blob', 'file'], iso(9), iso(3)],
    );
    assert.deepEqual(merged.operations, ['GetBlob', 'PutBlob']);
    assert.equal(older.firstSeen, iso(9));
    assert.equal(older.lastSeen, iso(3));
  });

  it('lists the busiest callers first, then the latest, then by IP and user agent', () => {
    const caller = (ip: string, ua: string, requests: number, last: number) =>
      row({ key: 'key2', hash: current2, ip, ua, requests, first: 5, last });
    const evidence = read(
      table([
        caller('10.0.0.3', 'a', 5, 2),
        caller('10.0.0.2', 'a', 5, 1),
        caller('10.0.0.1', 'b', 5, 1),
        caller('10.0.0.1', 'a', 5, 1),
        caller('10.0.0.4', 'a', 9, 3),
      ]),
    );
    assert.deepEqual(
      evidence.keys[1]!.current.top.map((c) => `${c.ip} ${c.userAgent}`),
      ['10.0.0.4 a', '10.0.0.1 a', '10.0.0.1 b', '10.0.0.2 a', '10.0.0.3 a'],
    );
  });

  it('reads empty and odd cells: no user agent, an unreadable time, services as a list or a word', () => {
    const read1 = (changes: Record<number, unknown>) =>
      read(
        table([cells({ key: 'key2', hash: current2, ip: '10.0.0.4', first: 2, last: 1 }, changes)]),
      ).keys[1]!.current.top[0]!;
    assert.equal(read1({ [USER_AGENT]: null }).userAgent, '');
    assert.equal(read1({ [LAST_SEEN]: 'not a time' }).lastSeen, '');
    assert.deepEqual(read1({ [SERVICES]: ['file', '', 'blob'] }).services, ['blob', 'file']);
    assert.deepEqual(read1({ [SERVICES]: '["queue","blob"]' }).services, ['blob', 'queue']);
    assert.deepEqual(read1({ [SERVICES]: 'table' }).services, ['table']);
    assert.deepEqual(read1({ [SERVICES]: null }).services, []);
  });

  it('an answer without a column the parser reads fails, naming it', () => {
    const t = table([row({ key: 'key2', hash: current2, ip: '10.0.0.4', first: 2, last: 1 })]);
    const without: LogsTable = {
      columns: t.columns.filter((_, i) => i !== LAST_SEEN),
      rows: t.rows.map((r) => r.filter((_, i) => i !== LAST_SEEN)),
    };
    assert.throws(() => read(without), /The key-usage answer has no column LastSeen\./);
  });

  it('keeps a partial error and the tables the login may not read; none when it may read all', () => {
    const context = { lookbackDays: 7, services: ['blob'], partial: [] };
    const t = table([]);
    const partial = keyUsageFromTable(t, keys, {
      ...context,
      partialError: 'a shard timed out',
      unreadable: ['StorageFileLogs'],
    });
    assert.equal(partial.partialError, 'a shard timed out');
    assert.deepEqual(partial.unreadableTables, ['StorageFileLogs']);
    const whole = keyUsageFromTable(t, keys, { ...context, unreadable: [] });
    assert.equal('unreadableTables' in whole, false);
    assert.equal('partialError' in whole, false);
  });
});

describe('logCoverage, at the edges', () => {
  it('another category group or category covers nothing', () => {
    const logs = [
      { category: 'StorageRead', enabled: true },
      { category: 'StorageWrite', enabled: true },
      { category: 'SomeOtherCategory', enabled: true },
      { categoryGroup: 'someOtherGroup', enabled: true },
    ];
    assert.deepEqual(
      logCoverage({
        blob: [{ name: 's', workspaceId: '/ws', logs }],
        file: [],
        queue: [],
        table: [],
      }),
      { services: ['blob'], partial: ['blob'] },
    );
  });

  it('the hint names the account, the categories and a command that sends them', () => {
    const hint = enableLogsHint('/subscriptions/s/x/storageAccounts/st');
    assert.match(hint, /on \/subscriptions\/s\/x\/storageAccounts\/st\/blobServices\/default/);
    assert.match(
      hint,
      /tableServices\) that sends the categories StorageRead, StorageWrite and StorageDelete/,
    );
    assert.match(hint, /group allLogs\) to a Log Analytics workspace/);
    assert.match(
      hint,
      /az monitor diagnostic-settings create --name key-usage --resource <account id>\/blobServices\/default --workspace <workspace id> --logs/,
    );
    assert.match(hint, /"categoryGroup":"allLogs","enabled":true/);
  });
});
