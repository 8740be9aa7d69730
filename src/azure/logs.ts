import type { TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { Cloud } from './cloud.js';
import { createMetricsOperations } from './metrics.js';
import type { AzurePort, DiagnosticSetting, LogsAnswer } from './port.js';
import type { ArmRest } from './rest.js';
import { subscriptionOf } from '../util/resource-id.js';

/** The api-version of Microsoft.Insights/diagnosticSettings with category groups. */
const DIAGNOSTIC_SETTINGS_API_VERSION = '2021-05-01-preview';
/** How long Log Analytics may work on the query (its default is 180 s). */
const SERVER_TIMEOUT_SECONDS = 120;

type LogsOperations = Pick<
  AzurePort,
  'diagnosticSettings' | 'queryResourceLogs' | 'storageTransactions'
>;

/**
 * Diagnostic settings and platform metrics (through Resource Manager, on the pipeline of the other
 * ARM calls) and resource-centric Log Analytics queries (@azure/monitor-query-logs, on the cloud's
 * query API).
 */
export function createLogsOperations(
  tokens: TokenCredential,
  cloud: Cloud,
  rest: (subscriptionId: string) => ArmRest,
): LogsOperations {
  let client: LogsQueryClient | undefined;
  // The client takes its token scope from `credentials.scopes`; it ignores `audience`.
  const logs = () =>
    (client ??= new LogsQueryClient(tokens, {
      endpoint: `${cloud.logsEndpoint}/v1`,
      credentials: { scopes: [cloud.logsScope] },
    }));

  return {
    ...createMetricsOperations(rest),

    async diagnosticSettings(resourceId) {
      const subscriptionId = subscriptionOf(resourceId);
      const settings = await rest(subscriptionId).list<WireDiagnosticSetting>(
        `${resourceId}/providers/Microsoft.Insights/diagnosticSettings`,
        DIAGNOSTIC_SETTINGS_API_VERSION,
      );
      return settings.map((s): DiagnosticSetting => ({
        name: s.name ?? '',
        workspaceId: s.properties?.workspaceId || undefined,
        logs: (s.properties?.logs ?? []).map((l) => ({
          category: l.category ?? undefined,
          categoryGroup: l.categoryGroup ?? undefined,
          enabled: l.enabled === true,
        })),
      }));
    },

    async queryResourceLogs(resourceId, query, days) {
      // The API's path is /v1{resourceId}/query; the client adds the slash before the ID itself.
      const result = await logs().queryResource(
        resourceId.replace(/^\/+/, ''),
        query,
        { duration: `P${days}D` },
        { serverTimeoutInSeconds: SERVER_TIMEOUT_SECONDS },
      );
      const [tables, partialError] =
        result.status === LogsQueryResultStatus.Success
          ? [result.tables, undefined]
          : [result.partialTables, describePartialError(result.partialError)];
      const table = tables[0];
      const answer: LogsAnswer = {
        table: {
          columns: (table?.columnDescriptors ?? []).map((c) => ({
            name: c.name ?? '',
            type: c.type ?? '',
          })),
          rows: table?.rows ?? [],
        },
      };
      return partialError ? { ...answer, partialError } : answer;
    },
  };
}

interface ErrorInfo {
  code?: string;
  message?: string;
  innererror?: ErrorInfo;
}

/** "PartialError: There were some errors… (inner: the first cause)". */
function describePartialError(error: ErrorInfo): string {
  const text = [error.code, error.message].filter(Boolean).join(': ') || 'a partial error';
  const inner = error.innererror?.message;
  return inner ? `${text} (${inner})` : text;
}

interface WireDiagnosticSetting {
  name?: string;
  properties?: {
    workspaceId?: string | null;
    logs?: { category?: string | null; categoryGroup?: string | null; enabled?: boolean }[];
  };
}
