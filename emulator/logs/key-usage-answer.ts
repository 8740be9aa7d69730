import { KEY_USAGE_COLUMNS, MAX_CALLERS } from '../../src/key-usage/query.js';
import type { LoggedRequest } from './traffic.js';

/** A table of the Log Analytics query API: columns, and rows of JSON cells. */
export interface QueryTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/**
 * What the action's key-usage query (src/key-usage/query.ts, whose doc comment states its meaning)
 * answers over these requests, already narrowed to its window: that meaning, computed directly.
 */
export function answerKeyUsage(requests: readonly LoggedRequest[]): QueryTable {
  interface Group {
    key: string;
    hash: string;
    auth: string;
    ip: string;
    userAgent: string;
    requests: number;
    succeeded: number;
    refused: number;
    services: Set<string>;
    operations: Set<string>;
    first: number;
    last: number;
  }
  const groups = new Map<string, Group>();
  for (const r of requests) {
    if (r.authenticationType !== 'AccountKey' && r.authenticationType !== 'SAS') continue;
    const named = /^(key[12])\(([0-9A-Fa-f]+)\)/.exec(r.authenticationHash);
    const refused = r.statusCode === '401' || r.statusCode === '403';
    if (!named && !refused) continue;
    const ip =
      /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(r.callerIpAddress)?.[1] ??
      /^\[([0-9A-Fa-f:.]+)\]:\d+$/.exec(r.callerIpAddress)?.[1] ??
      r.callerIpAddress;
    const group = {
      key: named?.[1] ?? '',
      hash: named?.[2]?.toUpperCase() ?? '',
      auth: r.authenticationType,
      ip,
      userAgent: r.userAgentHeader.replace(/^"+|"+$/g, ''),
    };
    const id = JSON.stringify(Object.values(group));
    let g = groups.get(id);
    if (!g) {
      g = {
        ...group,
        requests: 0,
        succeeded: 0,
        refused: 0,
        services: new Set(),
        operations: new Set(),
        first: r.time,
        last: r.time,
      };
      groups.set(id, g);
    }
    g.requests += 1;
    if (/^[23]/.test(r.statusCode)) g.succeeded += 1;
    if (refused) g.refused += 1;
    if (g.services.size < 8) g.services.add(r.service);
    if (g.operations.size < 20) g.operations.add(r.operationName);
    g.first = Math.min(g.first, r.time);
    g.last = Math.max(g.last, r.time);
  }
  const all = [...groups.values()];
  const totals = new Map<string, { requests: number; callers: number }>();
  for (const g of all) {
    const id = `${g.key}|${g.hash}`;
    const t = totals.get(id) ?? { requests: 0, callers: 0 };
    totals.set(id, { requests: t.requests + g.requests, callers: t.callers + 1 });
  }
  all.sort(
    (a, b) =>
      a.key.localeCompare(b.key) ||
      a.hash.localeCompare(b.hash) ||
      b.requests - a.requests ||
      b.last - a.last ||
      a.ip.localeCompare(b.ip) ||
      a.userAgent.localeCompare(b.userAgent),
  );
  const rank = new Map<string, number>();
  const rows = all.flatMap((g) => {
    const id = `${g.key}|${g.hash}`;
    const n = (rank.get(id) ?? 0) + 1;
    rank.set(id, n);
    if (n > MAX_CALLERS) return [];
    const total = totals.get(id)!;
    return [
      [
        g.key,
        g.hash,
        g.auth,
        g.ip,
        g.userAgent,
        g.requests,
        g.succeeded,
        g.refused,
        JSON.stringify([...g.services]),
        JSON.stringify([...g.operations]),
        new Date(g.first).toISOString(),
        new Date(g.last).toISOString(),
        total.requests,
        total.callers,
      ],
    ];
  });
  return {
    name: 'PrimaryResult',
    columns: KEY_USAGE_COLUMNS.map(([name, type]) => ({ name, type })),
    rows,
  };
}
