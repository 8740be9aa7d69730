// The platform metrics when there are no logs: the Metrics_List answer read into totals per way of
// authorising, and how the run tells them (one notice, the "Who uses each key" section), always
// saying that they cannot tell key1 from key2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transactionsOf } from '../src/azure/metrics.js';
import { transactionRows } from '../src/key-usage/metrics.js';
import { keyUsageNotes } from '../src/key-usage/notes.js';
import { keyUsageSection } from '../src/key-usage/summary.js';
import type { KeyUsage } from '../src/key-usage/usage.js';
import type { Report } from '../src/report/types.js';

const series = (value: string, totals: number[]) => ({
  metadatavalues: [{ name: { value: 'authentication', localizedValue: 'authentication' }, value }],
  data: totals.map((total, i) => ({ timeStamp: `2025-01-0${i + 1}T00:00:00Z`, total })),
});

describe('transactionsOf (Metrics_List, 2023-10-01)', () => {
  it('sums each Authentication series over its points', () => {
    const totals = transactionsOf({
      timespan: '2025-01-01T00:00:00Z/2025-01-08T00:00:00Z',
      interval: 'PT168H',
      value: [
        {
          name: { value: 'Transactions' },
          errorCode: 'Success',
          timeseries: [
            series('AccountKey', [400, 80]),
            series('SAS', [0, 7]),
            series('OAuth', [5]),
          ],
        },
      ],
    });
    assert.deepEqual(totals, {
      timespan: '2025-01-01T00:00:00Z/2025-01-08T00:00:00Z',
      byAuthentication: { AccountKey: 480, SAS: 7, OAuth: 5 },
    });
  });

  it('no series: no request in the window', () => {
    const totals = transactionsOf({
      timespan: 't',
      value: [{ name: { value: 'Transactions' }, errorCode: 'Success', timeseries: [] }],
    });
    assert.deepEqual(totals.byAuthentication, {});
  });

  it('a metric the service could not answer, or none, is an error, never zero requests', () => {
    assert.throws(
      () =>
        transactionsOf({
          timespan: 't',
          value: [
            {
              name: { value: 'Transactions' },
              errorCode: 'InvalidSamplingType',
              errorMessage: 'Sampling type is not found.',
              timeseries: [],
            },
          ],
        }),
      /InvalidSamplingType: Sampling type is not found/,
    );
    assert.throws(() => transactionsOf({ timespan: 't', value: [] }), /no Transactions metric/);
  });
});

const noLogs = (metrics: Extract<KeyUsage, { status: 'no-logs' }>['metrics']): KeyUsage => ({
  status: 'no-logs',
  lookbackDays: 7,
  reason: 'No diagnostic setting of the account sends its requests to Log Analytics.',
  metrics,
});

describe('the metrics in the run', () => {
  const read = noLogs({
    status: 'read',
    timespan: 't',
    byAuthentication: { OAuth: 12, AccountKey: 480 },
  });

  it('one notice: no logs, and the AccountKey and SAS totals of both keys together', () => {
    const notes = keyUsageNotes(read);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.level, 'notice');
    assert.match(notes[0]!.text, /^No diagnostic setting/);
    assert.match(
      notes[0]!.text,
      /480 request\(s\) authorised with an account key and 0 with a SAS in the last 7 days/,
    );
    assert.match(notes[0]!.text, /cannot tell key1 from key2/);
  });

  it('the section: a table of requests per way of authorising, key-signed first', () => {
    const html = keyUsageSection({ keyUsage: read } as Report);
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
      [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]),
    );
    assert.deepEqual(rows, [
      ['Authentication', 'Requests (both keys)'],
      ['AccountKey', '480'],
      ['SAS', '0'],
      ['OAuth', '12'],
    ]);
    assert.match(html, /cannot tell key1 from key2/);
  });

  it('metrics that could not be read: said, and no table', () => {
    const failed = noLogs({
      status: 'failed',
      reason: 'The Transactions metric could not be read: 403.',
    });
    const html = keyUsageSection({ keyUsage: failed } as Report);
    assert.doesNotMatch(html, /<table/);
    assert.match(html, /could not be read: 403/);
    assert.match(keyUsageNotes(failed)[0]!.text, /could not be read: 403/);
  });
});

describe('transactionRows', () => {
  it('key-signed first (whatever the case of their names), then the rest, busiest first, ties by name', () => {
    assert.deepEqual(
      transactionRows({ OAuth: 9, accountkey: 5, Anonymous: 9, SAS: 2, Other: 12 }),
      [
        ['AccountKey', 5],
        ['SAS', 2],
        ['Other', 12],
        ['Anonymous', 9],
        ['OAuth', 9],
      ],
    );
  });
});
