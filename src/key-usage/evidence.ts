import { createHash } from 'node:crypto';
import { KEY_NAMES } from '../azure/port.js';
import type { KeyInfo } from '../discover/inventory.js';
import type { KeyUsageColumn } from './query.js';
import type { CallerUsage, KeyEvidence, KeyUsage, KeyValueUsage } from './usage.js';

/** A table of a Log Analytics answer: columns by name and type, rows of cells. */
export interface LogsTable {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/**
 * The SHA-256 a storage log names a key by, upper-case hex: of the key's decoded bytes (as reported)
 * and, in case the service hashes the text, of its base64 text.
 */
export function keyHashes(value: string): string[] {
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex').toUpperCase();
  return [sha(Buffer.from(value, 'base64')), sha(Buffer.from(value, 'utf8'))];
}

interface Row {
  key: string;
  hash: string;
  caller: CallerUsage;
  keyRequests: number;
  keyCallers: number;
}

/**
 * Turns the key-usage query's answer into evidence per key: each row's hash is compared with the
 * current key values here, in memory, so neither a key value nor its hash ever leaves the run.
 */
export function keyUsageFromTable(
  table: LogsTable,
  keys: readonly KeyInfo[],
  context: {
    lookbackDays: number;
    services: string[];
    partial: string[];
    partialError?: string;
    unreadable?: string[];
  },
): Extract<KeyUsage, { status: 'found' }> {
  const rows = readRows(table);
  const currentHashes = new Map(keys.map((k) => [k.name, new Set(keyHashes(k.value))]));
  let hashUnrecognised = false;
  const isCurrent = (row: Row, key: KeyInfo): boolean => {
    if (currentHashes.get(key.name)?.has(row.hash)) return true;
    // An older value cannot sign a request that succeeds after the regeneration that replaced it.
    const after =
      !!key.createdOn &&
      row.caller.succeeded > 0 &&
      Date.parse(row.caller.lastSeen) > key.createdOn.getTime();
    if (after) hashUnrecognised = true;
    return after;
  };
  const evidence = KEY_NAMES.flatMap((name): KeyEvidence[] => {
    const key = keys.find((k) => k.name === name);
    if (!key) return [];
    const ofKey = rows.filter((r) => r.key === name);
    const current = ofKey.filter((r) => isCurrent(r, key));
    const older = ofKey.filter((r) => !current.includes(r));
    return [
      {
        key: name,
        current: usageOf(current),
        ...(older.length > 0 ? { older: usageOf(older) } : {}),
      },
    ];
  });
  const seenOnCurrent = evidence.flatMap((k) => k.current.top);
  for (const older of evidence.flatMap((k) => k.older?.top ?? [])) {
    older.broken = !seenOnCurrent.some(
      (c) => sameCaller(c, older) && Date.parse(c.lastSeen) >= Date.parse(older.lastSeen),
    );
  }
  const unattributed = rows.filter((r) => r.key === '');
  return {
    status: 'found',
    lookbackDays: context.lookbackDays,
    keys: evidence,
    ...(unattributed.length > 0 ? { refusedUnattributed: usageOf(unattributed) } : {}),
    services: context.services,
    partial: context.partial,
    ...(hashUnrecognised ? { hashUnrecognised } : {}),
    ...(context.partialError ? { partialError: context.partialError } : {}),
    ...(context.unreadable?.length ? { unreadableTables: context.unreadable } : {}),
  };
}

const sameCaller = (a: CallerUsage, b: CallerUsage) =>
  a.ip === b.ip && a.userAgent === b.userAgent && a.authType === b.authType;

/** The rows of one or more key values together: totals per value, callers merged, busiest first. */
function usageOf(rows: Row[]): KeyValueUsage {
  const totals = new Map<string, { requests: number; callers: number }>();
  for (const r of rows) totals.set(r.hash, { requests: r.keyRequests, callers: r.keyCallers });
  const merged: CallerUsage[] = [];
  for (const { caller } of rows) {
    const same = merged.find((c) => sameCaller(c, caller));
    if (!same) {
      merged.push({
        ...caller,
        services: [...caller.services],
        operations: [...caller.operations],
      });
      continue;
    }
    same.requests += caller.requests;
    same.succeeded += caller.succeeded;
    same.refused += caller.refused;
    same.services = union(same.services, caller.services);
    same.operations = union(same.operations, caller.operations);
    same.firstSeen = earliest(same.firstSeen, caller.firstSeen);
    same.lastSeen = latest(same.lastSeen, caller.lastSeen);
  }
  merged.sort(
    (a, b) =>
      b.requests - a.requests ||
      b.lastSeen.localeCompare(a.lastSeen) ||
      a.ip.localeCompare(b.ip) ||
      a.userAgent.localeCompare(b.userAgent),
  );
  const sum = (f: (t: { requests: number; callers: number }) => number) =>
    [...totals.values()].reduce((n, t) => n + f(t), 0);
  return {
    requests: sum((t) => t.requests),
    callers: sum((t) => t.callers),
    firstSeen: merged.map((c) => c.firstSeen).reduce(earliest, undefined),
    lastSeen: merged.map((c) => c.lastSeen).reduce(latest, undefined),
    top: merged,
  };
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();
const earliest = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
const latest = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Reads the rows by column name, so a reordered answer reads the same; a missing column fails. */
function readRows(table: LogsTable): Row[] {
  const index = new Map(table.columns.map((c, i) => [c.name, i]));
  const at = (row: unknown[], name: KeyUsageColumn): unknown => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`The key-usage answer has no column ${name}.`);
    return row[i];
  };
  const text = (row: unknown[], name: KeyUsageColumn) => String(at(row, name) ?? '');
  const count = (row: unknown[], name: KeyUsageColumn) => Number(at(row, name) ?? 0) || 0;
  const time = (row: unknown[], name: KeyUsageColumn) => {
    const value = at(row, name);
    const date = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(date.getTime()) ? '' : date.toISOString();
  };
  const list = (row: unknown[], name: KeyUsageColumn): string[] => {
    let value = at(row, name);
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        value = [value];
      }
    }
    return Array.isArray(value) ? value.map(String).filter(Boolean).sort() : [];
  };
  return table.rows.map((row) => ({
    key: text(row, 'Key'),
    hash: text(row, 'KeyHash').toUpperCase(),
    keyRequests: count(row, 'KeyRequests'),
    keyCallers: count(row, 'KeyCallers'),
    caller: {
      ip: text(row, 'CallerIp'),
      userAgent: text(row, 'UserAgent'),
      authType: text(row, 'AuthenticationType'),
      requests: count(row, 'Requests'),
      succeeded: count(row, 'Succeeded'),
      refused: count(row, 'Refused'),
      services: list(row, 'Services'),
      operations: list(row, 'Operations'),
      firstSeen: time(row, 'FirstSeen'),
      lastSeen: time(row, 'LastSeen'),
    },
  }));
}
