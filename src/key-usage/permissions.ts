import type { AzurePort } from '../azure/port.js';
import { isGranted } from '../azure/rbac.js';
import { KEY_USAGE_TABLES } from './query.js';
import type { KeyUsage } from './usage.js';

export const DIAGNOSTIC_SETTINGS_READ = 'Microsoft.Insights/diagnosticSettings/read';
export const METRICS_READ = 'Microsoft.Insights/metrics/read';
/**
 * Reading a table of a resource's logs (table-level RBAC of resource-context queries). A table the
 * login may not read is left out of the answer without an error, so these are checked up front.
 */
export const LOG_TABLE_READS = KEY_USAGE_TABLES.map(
  (table) => `Microsoft.Insights/logs/${table}/read`,
);

/** Every read the key-usage evidence may need, on the storage account. */
export const EVIDENCE_ACTIONS = [DIAGNOSTIC_SETTINGS_READ, ...LOG_TABLE_READS, METRICS_READ];

/** The reads this run's evidence needed: the logs where a setting sends them, the metrics where none does. */
export function evidenceActions(usage: KeyUsage | undefined): string[] {
  if (!usage) return [];
  if (usage.status === 'no-logs') return [DIAGNOSTIC_SETTINGS_READ, METRICS_READ];
  return [DIAGNOSTIC_SETTINGS_READ, ...LOG_TABLE_READS];
}

/**
 * The log tables the login may not read on the account, as Microsoft.Authorization/permissions
 * tells: the query's answer leaves them out silently. None when the permissions cannot be read
 * (the preflight says so).
 */
export async function unreadableTables(azure: AzurePort, accountId: string): Promise<string[]> {
  try {
    const granted = await azure.permissions(accountId);
    return KEY_USAGE_TABLES.filter((_, i) => !isGranted(granted, LOG_TABLE_READS[i]!));
  } catch {
    return [];
  }
}
