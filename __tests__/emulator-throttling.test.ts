// ARM's throttling in the emulator (token buckets per subscription and principal), and what a
// request costs the emulator when a workspace has many datastores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadScenario, validateScenario } from '../emulator/scenario.js';
import { fakeJwt } from '../emulator/secrets.js';
import { Throttle, bucketKindOf } from '../emulator/throttling.js';
import { raw, sampleArm, setUp } from './support/emulator-clients.js';

const READS = 'x-ms-ratelimit-remaining-subscription-reads';
const WRITES = 'x-ms-ratelimit-remaining-subscription-writes';
const GLOBAL_READS = 'x-ms-ratelimit-remaining-subscription-global-reads';
const GLOBAL_WRITES = 'x-ms-ratelimit-remaining-subscription-global-writes';

/**
 * Retry-After in whole seconds, at least 1 and at most the time a token takes to come back: exactly
 * how long depends on when the request arrived (the exact value is tested on a fake clock).
 */
function assertRetryAfterWithin(header: unknown, mostSeconds: number) {
  const seconds = Number(header);
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= mostSeconds, String(header));
}

/** A token whose oid claim the emulator reads as the principal. */
const tokenFor = (oid: string) => fakeJwt({ oid });

describe('ARM throttling', () => {
  it('is off by default: no quota headers, no 429', async () => {
    const { emulator } = await setUp({ scenario: 'sample' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        raw(
          emulator,
          'GET',
          `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore?api-version=2025-08-01`,
        ),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200));
    assert.ok(answers.every((a) => a.headers[READS] === undefined));
  });

  it('meters reads and writes apart, says what is left, and answers 429 with Retry-After', async () => {
    const { emulator } = await setUp({
      scenario: 'sample',
      throttling: {
        // Refilled so slowly that none comes back during the test, however slow the machine;
        // how a bucket refills, and the Retry-After that says when, is tested on a fake clock.
        reads: { capacity: 3, refillPerSecond: 0.01 },
        writes: { capacity: 2, refillPerSecond: 0.01 },
      },
    });
    const account = `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore`;
    const read = () => raw(emulator, 'GET', `${account}?api-version=2025-08-01`);
    const listKeys = () => raw(emulator, 'POST', `${account}/listKeys?api-version=2025-08-01`);

    const reads = [await read(), await read(), await read()];
    assert.deepEqual(
      reads.map((r) => [r.status, r.headers[READS]]),
      [
        [200, '2'],
        [200, '1'],
        [200, '0'],
      ],
    );
    const throttled = await read();
    assert.equal(throttled.status, 429);
    assertRetryAfterWithin(throttled.headers['retry-after'], 100);
    assert.equal(throttled.headers[READS], '0');
    assert.equal(throttled.body.error.code, 'SubscriptionRequestsThrottled');
    assert.match(throttled.body.error.message, /Number of 'read' requests for subscription/);

    // POST actions (listKeys) are writes, as ARM meters them; the reads bucket does not matter.
    const write = await listKeys();
    assert.equal(write.status, 200);
    assert.equal(write.headers[WRITES], '1');
    assert.equal(write.headers[READS], undefined);

    const log = emulator.requests();
    assert.equal(log.filter((r) => r.throttled).length, 1);
    assert.equal(log.find((r) => r.throttled)?.status, 429);
  });

  it('keeps a bucket per principal, and throttles before the resource provider acts', async () => {
    const { emulator } = await setUp({
      scenario: 'sample',
      throttling: { writes: { capacity: 1, refillPerSecond: 0.1 } },
    });
    const regenerate = (token: string) =>
      raw(
        emulator,
        'POST',
        `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore/regenerateKey?api-version=2025-08-01`,
        { token, body: { keyName: 'key2' } },
      );
    const before = emulator.keys('mlprodstore').key2;
    assert.equal((await regenerate(tokenFor('principal-a'))).status, 200);
    const afterFirst = emulator.keys('mlprodstore').key2;
    assert.notEqual(afterFirst, before);
    const refused = await regenerate(tokenFor('principal-a'));
    assert.equal(refused.status, 429);
    assertRetryAfterWithin(refused.headers['retry-after'], 10);
    assert.equal(
      emulator.keys('mlprodstore').key2,
      afterFirst,
      'a throttled write changes nothing',
    );
    assert.equal((await regenerate(tokenFor('principal-b'))).status, 200, 'another principal');
  });

  it('keeps a global bucket per subscription that every principal draws from', async () => {
    let now = 0;
    const throttle = new Throttle(
      {
        writes: { capacity: 5, refillPerSecond: 1 },
        global: { writes: { capacity: 2, refillPerSecond: 0.5 } },
      },
      () => now,
    );
    const a = throttle.admit('SUB', 'principal-a', 'POST');
    assert.ok(a.allowed);
    assert.deepEqual(a.headers, { [WRITES]: '4', [GLOBAL_WRITES]: '1' });
    assert.ok(throttle.admit('sub', 'principal-b', 'PUT').allowed, 'the same subscription');
    const c = throttle.admit('sub', 'principal-c', 'POST');
    assert.ok(!c.allowed, 'its own bucket is full, the global one is empty');
    assert.equal(c.retryAfterSeconds, 2, 'until the global bucket has a token: 1 / 0.5 s');
    assert.deepEqual(c.headers, { [WRITES]: '5', [GLOBAL_WRITES]: '0', 'Retry-After': '2' });
    assert.ok(throttle.admit('other-sub', 'principal-c', 'POST').allowed, 'another subscription');
    now += 2000;
    const again = throttle.admit('sub', 'principal-c', 'POST');
    assert.ok(again.allowed);
    assert.deepEqual(
      again.headers,
      { [WRITES]: '4', [GLOBAL_WRITES]: '0' },
      'a 429 takes no token',
    );
    assert.throws(
      () =>
        validateScenario({
          ...loadScenario('sample'),
          throttling: { global: { writes: { capacity: 0, refillPerSecond: 1 } } },
        }),
      /throttling\.global\.writes: capacity must be ≥ 1/,
    );
  });

  it('leaves requests without a token to authentication (401), unmetered', async () => {
    const { emulator } = await setUp({
      scenario: 'sample',
      throttling: { reads: { capacity: 1, refillPerSecond: 0.01 } },
    });
    const path = `${sampleArm(emulator)}/Microsoft.Storage/storageAccounts/mlprodstore?api-version=2025-08-01`;
    assert.equal((await raw(emulator, 'GET', path, { token: null })).status, 401);
    assert.equal((await raw(emulator, 'GET', path)).status, 200);
  });

  it('refills continuously up to the capacity', () => {
    let now = 0;
    const throttle = new Throttle({ reads: { capacity: 2, refillPerSecond: 4 } }, () => now);
    const take = () => throttle.admit('sub', 'p', 'GET');
    assert.ok(take().allowed);
    assert.ok(take().allowed);
    const empty = take();
    assert.ok(!empty.allowed && empty.retryAfterSeconds === 1);
    now += 250;
    assert.ok(take().allowed, 'one token after a quarter second at 4 per second');
    now += 60_000;
    assert.deepEqual(
      take().headers,
      { [READS]: '1', [GLOBAL_READS]: '29' },
      'never more than the capacity (the global bucket: 15 times the principal one)',
    );
    const slow = new Throttle({ writes: { capacity: 1, refillPerSecond: 0.1 } }, () => now);
    assert.ok(slow.admit('sub', 'p', 'POST').allowed);
    now += 500;
    const refused = slow.admit('sub', 'p', 'POST');
    assert.ok(!refused.allowed && refused.retryAfterSeconds === 10, '9.5 s, in whole seconds');
    assert.equal(refused.headers['Retry-After'], '10');
    assert.equal(bucketKindOf('PATCH'), 'writes');
    assert.equal(bucketKindOf('DELETE'), 'deletes');
  });

  it('validates the scenario’s buckets', () => {
    const scenario = loadScenario('sample');
    scenario.throttling = { reads: { capacity: 0, refillPerSecond: 1 } };
    assert.throws(() => validateScenario(scenario), /throttling.reads: capacity must be ≥ 1/);
  });
});

describe('emulator cost with many datastores', () => {
  it('pages a long list and keeps the timeline right with per-event bookkeeping', async () => {
    const scenario = loadScenario('paged');
    const { emulator, ml } = await setUp({ scenario });
    const workspace = scenario.workspaces[0]!;
    const listed = [];
    for await (const ds of ml.datastores.list(workspace.resourceGroup, workspace.name))
      listed.push(ds);
    assert.ok(listed.length > 30, 'more than one page');
    assert.equal(new Set(listed.map((d) => d.name)).size, listed.length, 'no item twice');

    // A datastore moved onto a dead key shows up as invalid in the timeline at that event, and
    // leaves it when it is fixed; the last entry agrees with a full recount.
    const first = listed.find((d) => d.properties.credentials.credentialsType === 'AccountKey')!;
    const account = (first.properties as { accountName: string }).accountName;
    const put = (key: string) =>
      ml.datastores.createOrUpdate(
        workspace.resourceGroup,
        workspace.name,
        first.name!,
        {
          properties: {
            ...first.properties,
            credentials: {
              credentialsType: 'AccountKey',
              secrets: { secretsType: 'AccountKey', key },
            },
          } as never,
        },
        { skipValidation: true },
      );
    const id = `datastore:${workspace.name}/${first.name}`;
    await put('ZGVhZGtleQ==');
    assert.ok(emulator.timeline().at(-1)!.invalid.includes(id));
    await put(emulator.keys(account).key2);
    assert.ok(!emulator.timeline().at(-1)!.invalid.includes(id));
    assert.deepEqual(
      [...emulator.timeline().at(-1)!.invalid].sort(),
      emulator.invalidConsumers().sort(),
    );
  });
});
