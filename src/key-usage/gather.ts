import type { AzurePort, DiagnosticSetting, LogsAnswer } from '../azure/port.js';
import type { KeyInfo } from '../discover/inventory.js';
import { describeError } from '../util/secrets.js';
import { keyUsageFromTable } from './evidence.js';
import type { KeyUsage, TransactionTotals } from './usage.js';
import { unreadableTables } from './permissions.js';
import { keyUsageQuery } from './query.js';
import {
  enableLogsHint,
  logCoverage,
  LOGGED_SERVICES,
  type LogCoverage,
  type LoggedService,
} from './settings.js';

/** What the logs answered, before it is matched with the key values. */
export type LogsEvidence =
  | {
      status: 'answered';
      lookbackDays: number;
      answer: LogsAnswer;
      coverage: LogCoverage;
      /** Log tables the login may not read: the answer lacks their requests. */
      unreadable: string[];
    }
  | { status: 'no-logs'; lookbackDays: number; reason: string; metrics: TransactionTotals }
  | { status: 'failed'; lookbackDays: number; reason: string };

/**
 * Reads the four services' diagnostic settings, and when some send their requests to Log Analytics,
 * runs the key-usage query once on the account. Never throws: a failure is evidence that is missing.
 * Needs no key value, so it runs alongside discovery.
 */
export async function gatherKeyUsage(
  azure: AzurePort,
  accountId: string,
  lookbackDays: number,
): Promise<LogsEvidence> {
  let coverage: LogCoverage;
  try {
    const read = await Promise.all(
      LOGGED_SERVICES.map(async ([service, subResource]) => {
        try {
          return [service, await azure.diagnosticSettings(`${accountId}/${subResource}/default`)];
        } catch (error) {
          throw new Error(
            `Could not read the diagnostic settings of the ${service} service: ${describeError(error)}`,
          );
        }
      }),
    );
    coverage = logCoverage(Object.fromEntries(read) as Record<LoggedService, DiagnosticSetting[]>);
  } catch (error) {
    return { status: 'failed', lookbackDays, reason: (error as Error).message };
  }
  if (coverage.services.length === 0) {
    return {
      status: 'no-logs',
      lookbackDays,
      reason: `No diagnostic setting of the account's blob, file, queue or table service sends its requests to Log Analytics, so who uses each key cannot be told. ${enableLogsHint(accountId)}`,
      metrics: await transactionTotals(azure, accountId, lookbackDays),
    };
  }
  try {
    const [answer, unreadable] = await Promise.all([
      azure.queryResourceLogs(accountId, keyUsageQuery(lookbackDays), lookbackDays),
      unreadableTables(azure, accountId),
    ]);
    return { status: 'answered', lookbackDays, answer, coverage, unreadable };
  } catch (error) {
    return { status: 'failed', lookbackDays, reason: queryFailure(error) };
  }
}

/** The evidence per key: the answer's hashes compared with the current key values, in memory. */
export function keyUsageOf(evidence: LogsEvidence, keys: readonly KeyInfo[]): KeyUsage {
  if (evidence.status !== 'answered') return evidence;
  try {
    return keyUsageFromTable(evidence.answer.table, keys, {
      lookbackDays: evidence.lookbackDays,
      services: evidence.coverage.services,
      partial: evidence.coverage.partial,
      partialError: evidence.answer.partialError,
      unreadable: evidence.unreadable,
    });
  } catch (error) {
    return { status: 'failed', lookbackDays: evidence.lookbackDays, reason: describeError(error) };
  }
}

/** The platform metrics, always recorded: how many requests an account key or a SAS authorised. */
async function transactionTotals(
  azure: AzurePort,
  accountId: string,
  days: number,
): Promise<TransactionTotals> {
  try {
    return { status: 'read', ...(await azure.storageTransactions(accountId, days)) };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const advice =
      status === 403 ? ' The login needs Microsoft.Insights/metrics/read on the account.' : '';
    return {
      status: 'failed',
      reason: `The account's Transactions metric could not be read: ${describeError(error)}${advice}`,
    };
  }
}

function queryFailure(error: unknown): string {
  const described = describeError(error);
  const status = (error as { statusCode?: number }).statusCode;
  const advice =
    status === 403
      ? " The login needs Microsoft.Insights/logs/*/read on the account (e.g. Log Analytics Reader), and the workspace's access control mode must allow resource permissions; otherwise it needs read access to the workspace itself."
      : '';
  return `The key-usage query failed: ${described}${advice}`;
}
