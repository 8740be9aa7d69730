// The query docs/key-usage.md prints for the portal is the one the action sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { keyUsageQuery } from '../src/key-usage/query.js';

it('docs/key-usage.md prints the query the action sends (7 days)', () => {
  const page = readFileSync(new URL('../docs/key-usage.md', import.meta.url), 'utf8');
  const printed = /```kusto\n([\s\S]*?)```/.exec(page)?.[1];
  assert.equal(printed?.trim(), keyUsageQuery(7).trim());
});
