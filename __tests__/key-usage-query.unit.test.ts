// The key-usage query, checked by Microsoft's Kusto language service against the documented schemas
// of the four storage log tables: zero diagnostics, and the columns the parser reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_USAGE_COLUMNS, KEY_USAGE_TABLES, keyUsageQuery } from '../src/key-usage/query.js';
import { STORAGE_LOG_SCHEMAS } from './fixtures/storage-log-schemas.js';
import { analyseKusto } from './support/kusto.js';

describe('the key-usage query', () => {
  it('has no diagnostic against the four tables as Microsoft documents them', () => {
    const { diagnostics } = analyseKusto(keyUsageQuery(7), STORAGE_LOG_SCHEMAS);
    assert.deepEqual(diagnostics, []);
  });

  it('answers with the columns, in the order and of the types, the parser reads', () => {
    const { resultColumns } = analyseKusto(keyUsageQuery(7), STORAGE_LOG_SCHEMAS);
    assert.deepEqual(
      resultColumns,
      KEY_USAGE_COLUMNS.map(([name, type]) => [name, type]),
    );
  });

  it('stays valid when a workspace lacks some of the tables (union isfuzzy)', () => {
    const onlyBlob = { StorageBlobLogs: STORAGE_LOG_SCHEMAS.StorageBlobLogs! };
    const { diagnostics } = analyseKusto(keyUsageQuery(7), onlyBlob);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 'Error'),
      [],
    );
  });

  it('the language service would catch a misspelt column (the check bites)', () => {
    const broken = keyUsageQuery(7).replace('AuthenticationHash)', 'AuthenticationHsh)');
    const { diagnostics } = analyseKusto(broken, STORAGE_LOG_SCHEMAS);
    assert.ok(diagnostics.some((d) => d.text === 'AuthenticationHsh'));
  });

  it('reads the four tables over the look-back window it is given', () => {
    const query = keyUsageQuery(30);
    assert.match(query, /^let lookback = 30d;$/m);
    assert.match(query, new RegExp(`union isfuzzy=true ${KEY_USAGE_TABLES.join(', ')}\\n`));
    assert.throws(() => keyUsageQuery(0), RangeError);
    assert.throws(() => keyUsageQuery(1.5), RangeError);
  });

  it('takes a window of one day; refuses less, saying what it was given', () => {
    assert.match(keyUsageQuery(1), /^let lookback = 1d;$/m);
    assert.throws(() => keyUsageQuery(0), /lookbackDays must be a whole number of days, not 0/);
  });
});
