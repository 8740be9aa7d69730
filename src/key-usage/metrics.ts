import type { TransactionTotals } from './usage.js';

/** The dimension values of requests signed with an account key: Shared Key, and SAS tokens. */
export const KEY_SIGNED = ['AccountKey', 'SAS'] as const;

/** The totals in the order shown: the key-signed ones first (always), then the rest, busiest first. */
export function transactionRows(totals: Record<string, number>): [string, number][] {
  const named = (name: string) =>
    Object.entries(totals)
      .filter(([k]) => k.toLowerCase() === name.toLowerCase())
      .reduce((n, [, v]) => n + v, 0);
  const rest = Object.entries(totals)
    .filter(([k]) => !KEY_SIGNED.some((s) => s.toLowerCase() === k.toLowerCase()))
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return [...KEY_SIGNED.map((name): [string, number] => [name, named(name)]), ...rest];
}

/** One sentence for the notice and the summary: what the metrics say, and what they cannot. */
export function describeTransactions(metrics: TransactionTotals, days: number): string {
  if (metrics.status === 'failed') return metrics.reason;
  const [[, accountKey], [, sas]] = transactionRows(metrics.byAuthentication) as [
    [string, number],
    [string, number],
  ];
  return (
    `The platform metrics (always recorded) count ${accountKey} request(s) authorised with an ` +
    `account key and ${sas} with a SAS in the last ${days} days, of both keys together: they ` +
    'cannot tell key1 from key2, nor who made the requests.'
  );
}
