import { ArmError } from '../arm-errors.js';
import { json } from '../http.js';
import { requestsOf, type LoggedRequest } from '../logs/traffic.js';
import { ACCOUNT, route, type ArmRoute } from './arm-route.js';

/** The storage account's own metrics (namespace Microsoft.Storage/storageAccounts). */
const ACCOUNT_METRICS = [
  'UsedCapacity',
  'Transactions',
  'Ingress',
  'Egress',
  'SuccessServerLatency',
  'SuccessE2ELatency',
  'Availability',
];
const NAMESPACE = 'microsoft.storage/storageaccounts';
/** The time grains the account's metrics offer, and FULL: one point for the whole timespan. */
const GRAINS: Record<string, number> = {
  PT1M: 60_000,
  PT5M: 300_000,
  PT15M: 900_000,
  PT30M: 1_800_000,
  PT1H: 3_600_000,
  PT6H: 21_600_000,
  PT12H: 43_200_000,
  P1D: 86_400_000,
};
const DEFAULT_TOP = 10;

/**
 * Metrics_List on a storage account (metrics_API.json, Microsoft.Insights): the Transactions
 * platform metric, counted from the world's storage traffic (emulator/logs/traffic.ts) — every
 * request, logged or not, since the metrics need no diagnostic setting. Aggregation Total only;
 * the one dimension modelled is Authentication (AccountKey, SAS). A storage request refused for its
 * signature counts too, as it does in Azure.
 */
export const metricsRoutes: ArmRoute[] = [
  route('GET', `${ACCOUNT}/providers/Microsoft.Insights/metrics`, 'Metrics.list', {
    type: 'Microsoft.Insights/metrics',
    action: 'Microsoft.Insights/metrics/read',
    scopeDrop: 3,
    handle: (context) => {
      const { world, params, query } = context;
      const account = world.storage.require(params.rg as string, params.account as string);
      const names = (query.get('metricnames') ?? 'Transactions').split(',').map((n) => n.trim());
      const namespace = query.get('metricnamespace');
      if (namespace && namespace.toLowerCase() !== NAMESPACE) {
        throw badRequest(`Metric namespace '${namespace}' is not valid for this resource.`);
      }
      for (const name of names) {
        if (!ACCOUNT_METRICS.some((m) => m.toLowerCase() === name.toLowerCase())) {
          throw badRequest(
            `Failed to find metric configuration for provider: Microsoft.Storage, resource Type: storageAccounts, metric: ${name}, Valid metrics: ${ACCOUNT_METRICS.join(',')}`,
          );
        }
        if (name.toLowerCase() !== 'transactions')
          throw badRequest(`The emulator models only the Transactions metric, not ${name}.`);
      }
      const aggregation = query.get('aggregation') ?? 'Total';
      if (aggregation.toLowerCase() !== 'total')
        throw badRequest(`The emulator models only the Total aggregation, not ${aggregation}.`);
      const [start, end] = timespanOf(query.get('timespan'), world.now());
      const interval = (query.get('interval') ?? 'PT1M').toUpperCase();
      const grain = interval === 'FULL' ? end - start : GRAINS[interval];
      if (!grain) throw badRequest(`Invalid interval '${interval}'.`);
      const split = authenticationFilter(query.get('$filter'));
      const top = Number(query.get('top') ?? DEFAULT_TOP);

      // The traffic as the logs have it (the same requests, at the same times), cut to the timespan.
      const requests = requestsOf(world, account, start, world.now()).filter(
        (r) => r.time >= start && r.time < end,
      );
      const series = seriesOf(requests, split).slice(0, top);
      return json(200, {
        cost: 0,
        timespan: `${iso(start)}/${iso(end)}`,
        interval: interval === 'FULL' ? duration(end - start) : interval,
        value: [
          {
            id: `${account.id}/providers/Microsoft.Insights/metrics/Transactions`,
            type: 'Microsoft.Insights/metrics',
            name: { value: 'Transactions', localizedValue: 'Transactions' },
            displayDescription:
              'The number of requests made to a storage service or the specified API operation. This number includes successful and failed requests, as well as requests which produced errors. Use ResponseType dimension for the number of different type of response.',
            unit: 'Count',
            timeseries: series.map(({ value, times }) => ({
              metadatavalues:
                value === undefined
                  ? []
                  : [
                      {
                        name: { value: 'authentication', localizedValue: 'authentication' },
                        value,
                      },
                    ],
              data: points(times, start, end, grain),
            })),
            errorCode: 'Success',
          },
        ],
        namespace: NAMESPACE,
        resourceregion: world.location,
      });
    },
  }),
];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const badRequest = (message: string) => new ArmError(400, 'BadRequest', message);

/** "start/end" (ISO date-times); by default the hour before now, as Azure Monitor does. */
function timespanOf(raw: string | null, now: number): [number, number] {
  if (!raw) return [now - 3_600_000, now];
  const [from, to] = raw.split('/').map((t) => Date.parse(t));
  if (
    from === undefined ||
    to === undefined ||
    Number.isNaN(from) ||
    Number.isNaN(to) ||
    to <= from
  )
    throw badRequest(`Invalid timespan '${raw}': expected 'startDateTime_ISO/endDateTime_ISO'.`);
  return [from, to];
}

/**
 * The Authentication values a $filter asks for: undefined, no split; '*' every value; otherwise
 * the listed ones. Other dimensions of Transactions are not modelled.
 */
function authenticationFilter(raw: string | null): string[] | '*' | undefined {
  if (!raw) return undefined;
  const values: string[] = [];
  for (const clause of raw.split(/\s+or\s+/i)) {
    const match = /^\s*\(?\s*(\w+)\s+eq\s+'([^']*)'\s*\)?\s*$/i.exec(clause);
    if (!match) throw badRequest(`The $filter '${raw}' is not valid.`);
    if (match[1]!.toLowerCase() !== 'authentication')
      throw badRequest(`The emulator models only the Authentication dimension, not ${match[1]}.`);
    if (match[2] === '*') return '*';
    values.push(match[2]!);
  }
  return values;
}

function seriesOf(requests: LoggedRequest[], split: string[] | '*' | undefined) {
  if (split === undefined) return [{ value: undefined, times: requests.map((r) => r.time) }];
  const byValue = new Map<string, number[]>();
  for (const r of requests) {
    const value = r.authenticationType;
    if (split !== '*' && !split.some((s) => s.toLowerCase() === value.toLowerCase())) continue;
    const times = byValue.get(value) ?? [];
    times.push(r.time);
    byValue.set(value, times);
  }
  return [...byValue]
    .map(([value, times]) => ({ value: value as string | undefined, times }))
    .sort((a, b) => b.times.length - a.times.length);
}

/** One data point per grain from the start, each with the count of requests in it. */
function points(times: number[], start: number, end: number, grain: number) {
  const totals = new Array<number>(Math.ceil((end - start) / grain)).fill(0);
  for (const t of times) totals[Math.floor((t - start) / grain)]! += 1;
  return totals.map((total, i) => ({ timeStamp: iso(start + i * grain), total }));
}

/** An ISO 8601 duration of whole minutes ("PT168H", "PT90M"). */
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}
