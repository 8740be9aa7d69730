import type { KeyName } from '../azure/port.js';
import type { Report } from '../report/types.js';
import { details, escape, heading, paragraph, table, type Cell } from '../report/summary-html.js';
import { describeTransactions, transactionRows } from './metrics.js';
import type { CallerUsage, KeyUsage, KeyValueUsage } from './usage.js';

/** Callers shown per key value; the JSON report has every caller the query returned. */
const SHOWN_CALLERS = 10;

const day = (iso: string | undefined) => iso?.slice(0, 16).replace('T', ' ') ?? '-';

/** The keys table's cell: what the logs tell of one key in the window. */
export function keyUsageCell(usage: KeyUsage | undefined, key: KeyName): string {
  if (!usage) return '-';
  if (usage.status === 'no-logs') return 'no logs';
  if (usage.status === 'failed') return 'unknown (the query failed)';
  const evidence = usage.keys.find((k) => k.key === key);
  if (!evidence) return '-';
  const { current, older } = evidence;
  const now =
    current.requests === 0
      ? `no request in ${usage.lookbackDays} days`
      : `${current.requests} requests by ${current.callers} caller(s), last ${day(current.lastSeen)}`;
  return older
    ? `${now}; an older value: ${older.requests} requests, last ${day(older.lastSeen)}`
    : now;
}

/** "Who uses each key": the busiest callers of each key value, and what the logs cannot tell. */
export function keyUsageSection(report: Report): string {
  const usage = report.keyUsage;
  if (!usage) return '';
  const title = `Who uses each key (storage logs, last ${usage.lookbackDays} days)`;
  if (usage.status === 'no-logs' && usage.metrics) {
    const { metrics } = usage;
    return (
      heading(title) +
      paragraph(escape(usage.reason)) +
      (metrics.status === 'read'
        ? table(
            ['Authentication', 'Requests (both keys)'],
            transactionRows(metrics.byAuthentication),
          )
        : '') +
      paragraph(escape(describeTransactions(metrics, usage.lookbackDays)))
    );
  }
  if (usage.status !== 'found') return heading(title) + paragraph(escape(usage.reason));
  const rows: Cell[][] = [];
  const folded: Cell[][] = [];
  const add = (key: string, value: string, use: KeyValueUsage | undefined) => {
    for (const [i, caller] of (use?.top ?? []).entries()) {
      (i < SHOWN_CALLERS ? rows : folded).push(callerRow(key, value, caller));
    }
  };
  for (const k of usage.keys) {
    add(k.key, 'current', k.current);
    add(k.key, 'older value', k.older);
  }
  add('none named', 'refused', usage.refusedUnattributed);
  const headers = [
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
  ];
  const notes = [
    `Services whose requests reach the logs: ${usage.services.join(', ')}${usage.partial.length > 0 ? ` (only some request categories for ${usage.partial.join(', ')})` : ''}.`,
    'Requests of the managed workspaces (their compute, their datastores) are among these: the logs cannot tell them from other callers with the same key.',
  ];
  return (
    heading(title) +
    (rows.length > 0
      ? table(headers, rows)
      : paragraph('No request signed with an account key or a SAS in the window.')) +
    (folded.length > 0 ? details(`${folded.length} more callers`, table(headers, folded)) : '') +
    paragraph(escape(notes.join(' ')))
  );
}

function callerRow(key: string, value: string, c: CallerUsage): Cell[] {
  return [
    key,
    value,
    c.ip,
    c.userAgent,
    c.authType,
    c.requests,
    c.refused,
    c.services.join(', '),
    c.operations.slice(0, 5).join(', ') + (c.operations.length > 5 ? ', …' : ''),
    day(c.lastSeen),
    c.broken ? 'already broken: not seen on a current key since' : '',
  ];
}
