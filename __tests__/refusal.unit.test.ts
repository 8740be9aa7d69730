// The planner's refusals, one kind of outside holder at a time: each is named in its own message,
// never in another's, and every holder of a kind is listed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plan } from '../src/plan/plan.js';
import { inventory, keyed } from './fakes/inventory.js';
import { caller, policy, usage, world } from './fakes/key-usage.js';

const OUTSIDE_CONSUMERS = /would break consumers outside the workspaces this run manages/;

describe('refusal', () => {
  it('callers in the storage logs are refused as callers, each named, not as outside consumers', () => {
    const inv = world(usage({ key2: [caller('203.0.113.7', 0.1), caller('198.51.100.9', 0.2)] }));
    const refused = plan(inv, policy('key2')).refused ?? '';
    assert.match(refused, /callers the storage logs show signing with its current value/);
    assert.match(refused, /last seen [^;]*; caller 198\.51\.100\.9 /);
    assert.doesNotMatch(refused, OUTSIDE_CONSUMERS);
  });

  it('what the run could not read is refused as unread, each named with why, not as outside consumers', () => {
    const inv = inventory({
      workspaces: [{ name: 'ws', holds: 'key1', datastores: keyed('key1') }],
    });
    inv.uninspected = [
      { name: 'the workspaces of subscription s2', reason: '503: unavailable' },
      { name: 'the workspaces of subscription s3', reason: '500: error' },
    ];
    const refused = plan(inv, policy('key1')).refused ?? '';
    assert.match(refused, /may break what this run could not read/);
    assert.match(
      refused,
      /subscription s2 \(503: unavailable\); the workspaces of subscription s3 \(500: error\)/,
    );
    assert.doesNotMatch(refused, OUTSIDE_CONSUMERS);
  });
});
