import type { AzurePort, StorageTransactions } from './port.js';
import type { ArmRest } from './rest.js';
import { subscriptionOf } from '../util/resource-id.js';
import { DAY_MS } from '../util/time.js';

/** Metrics_List (metrics_API.json in Microsoft.Insights, monitor). */
const METRICS_API_VERSION = '2023-10-01';
/** The series a dimension filter returns by default is 10; the dimension has fewer values. */
const TOP = '20';

type MetricsOperations = Pick<AzurePort, 'storageTransactions'>;

/**
 * Azure Monitor platform metrics of a resource, through Resource Manager on the pipeline of the
 * other ARM calls. Storage records them always, with no setting: they count requests by the way
 * they were authorised, but cannot tell key1 from key2.
 */
export function createMetricsOperations(
  rest: (subscriptionId: string) => ArmRest,
  now: () => number = Date.now,
): MetricsOperations {
  return {
    async storageTransactions(accountId, days) {
      const subscriptionId = subscriptionOf(accountId);
      const end = now();
      const answer = await rest(subscriptionId).send<WireMetrics>(
        'GET',
        `${accountId}/providers/Microsoft.Insights/metrics`,
        METRICS_API_VERSION,
        undefined,
        {
          metricnames: 'Transactions',
          timespan: `${new Date(end - days * DAY_MS).toISOString()}/${new Date(end).toISOString()}`,
          // One data point for the whole window.
          interval: 'FULL',
          aggregation: 'Total',
          $filter: "Authentication eq '*'",
          top: TOP,
        },
      );
      return transactionsOf(answer);
    },
  };
}

/** The totals per Authentication value; a metric the answer lacks or marks as failed throws. */
export function transactionsOf(answer: WireMetrics): StorageTransactions {
  const metric = answer.value?.find((m) => m.name?.value?.toLowerCase() === 'transactions');
  if (!metric) throw new Error('The metrics answer has no Transactions metric.');
  if (metric.errorCode && metric.errorCode !== 'Success') {
    throw new Error(
      `The Transactions metric failed: ${[metric.errorCode, metric.errorMessage].filter(Boolean).join(': ')}`,
    );
  }
  const byAuthentication: Record<string, number> = {};
  for (const series of metric.timeseries ?? []) {
    const dimension = series.metadatavalues?.find(
      (m) => m.name?.value?.toLowerCase() === 'authentication',
    );
    const name = dimension?.value || 'Unknown';
    const total = (series.data ?? []).reduce((n, point) => n + (point.total ?? 0), 0);
    byAuthentication[name] = (byAuthentication[name] ?? 0) + total;
  }
  return { timespan: answer.timespan ?? '', byAuthentication };
}

/** The Response of Metrics_List, as far as it is read. */
export interface WireMetrics {
  timespan?: string;
  interval?: string;
  value?: {
    name?: { value?: string };
    errorCode?: string;
    errorMessage?: string;
    timeseries?: {
      metadatavalues?: { name?: { value?: string }; value?: string }[];
      data?: { timeStamp?: string; total?: number }[];
    }[];
  }[];
}
