// The pacer against ARM's throttling: on a fake clock with the emulator's token buckets, and through a
// real SDK client's pipeline against the emulator.
import { createHttpHeaders, type PipelineResponse } from '@azure/core-rest-pipeline';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, pacerPolicy, type Ticket } from '../src/azure/pacer.js';
import { mapLimit } from '../src/util/concurrency.js';
import { Throttle, type ThrottlingSettings } from '../emulator/throttling.js';
import { FakeClock } from './support/fake-clock.js';
import { setUp } from './support/emulator-clients.js';

const SUB = '00000000-0000-0000-0000-0000000000b1';
const URL = `https://arm.example/subscriptions/${SUB}/resourceGroups/rg/providers/x/y/z?api-version=1`;

function answer(status: number, headers: Record<string, string>): PipelineResponse {
  return {
    status,
    headers: createHttpHeaders(headers),
    request: {} as PipelineResponse['request'],
  };
}

/**
 * 150 secret reads (writes, as ARM meters a POST), 16 at a time, through a real SDK client with the
 * pacer, against the emulator's throttling, the first two answered 429 whatever the buckets say;
 * checks every read succeeded and that every attempt the client made, the SDK's retries of a 429
 * too, went through the pacer.
 */
async function burstOfSecretReads(throttling: ThrottlingSettings) {
  const { emulator, ml } = await setUp({
    latencyMs: 5,
    throttling,
    faults: [{ kind: 'status', status: 429, retryAfterSeconds: 0, path: '/listSecrets', times: 2 }],
    scenario: {
      subscriptionId: SUB,
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      storageAccounts: [{ resourceGroup: 'rg', name: 'store' }],
      workspaces: [
        {
          resourceGroup: 'rg',
          name: 'ws',
          storageAccount: 'store',
          datastores: [
            {
              name: 'd',
              datastoreType: 'AzureBlob',
              account: 'store',
              containerName: 'c',
              credentials: 'AccountKey',
              copies: 40,
            },
          ],
        },
      ],
    },
  });
  const pacer = new Pacer();
  ml.pipeline.addPolicy(pacerPolicy(pacer), { afterPhase: 'Retry' });
  const names = Array.from({ length: 150 }, (_, i) => `d_${String((i % 40) + 1).padStart(2, '0')}`);
  const results = await mapLimit(names, 16, (name) =>
    ml.datastores.listSecrets('rg', 'ws', name).then(
      () => 'ok',
      (error: { statusCode?: number }) => `failed ${error.statusCode}`,
    ),
  );
  assert.deepEqual(new Set(results), new Set(['ok']));
  const answered429 = emulator.requests().filter((r) => r.status === 429).length;
  assert.ok(answered429 >= 2);
  assert.equal(pacer.stats().throttled, answered429, 'the pacer saw every 429 the client got');
}

/** One request the simulation sent: when it asked the pacer, when it went, what ARM said. */
interface Sent {
  asked: number;
  sent: number;
  attempt: number;
  throttled: boolean;
}

const LATENCY_MS = 5;

/**
 * The same burst on a fake clock: the pacer and the emulator's token buckets share it, each
 * request reaches ARM when the pacer lets it go and is answered LATENCY_MS later, and a 429 is
 * retried after its Retry-After, three times at most, as the SDK's retry policy does.
 */
async function simulatedBurst(throttling: ThrottlingSettings) {
  const clock = new FakeClock(1_000_000);
  const arm = new Throttle(throttling, clock.now);
  const pacer = new Pacer(clock.now, clock.sleep);
  const log: Sent[] = [];
  const send = async () => {
    for (let attempt = 0; attempt <= 3; attempt++) {
      const asked = clock.now();
      const ticket = await pacer.acquire('POST', URL);
      const admission = arm.admit(SUB, 'the principal', 'POST');
      log.push({ asked, sent: clock.now(), attempt, throttled: !admission.allowed });
      await clock.sleep(LATENCY_MS);
      pacer.release(ticket, answer(admission.allowed ? 200 : 429, admission.headers));
      if (admission.allowed) return 'ok';
      await clock.sleep(Number(admission.headers['Retry-After']) * 1000);
    }
    return 'failed';
  };
  const results = await clock.run(mapLimit(Array.from({ length: 150 }), 16, send));
  return { results, log, elapsedMs: clock.now() - 1_000_000, start: 1_000_000 };
}

/**
 * A burst of 150 into a bucket of 10 refilled at 100 a second: the first 16 go before any answer
 * says what is left (6 are throttled); from the first answer on, none is.
 */
function assertPacedAfterFirstAnswers(burst: Awaited<ReturnType<typeof simulatedBurst>>) {
  const { results, log, elapsedMs, start } = burst;
  assert.deepEqual(new Set(results), new Set(['ok']), 'every request succeeded');
  const firstAnswer = start + LATENCY_MS;
  assert.deepEqual(
    log.filter((s) => s.throttled).map((s) => [s.sent - start, s.attempt]),
    Array.from({ length: 6 }, () => [0, 0]),
    'only 16 − 10 requests of the blind first burst were throttled',
  );
  assert.ok(log.filter((s) => s.sent >= firstAnswer).every((s) => !s.throttled));
  assert.ok(
    log.some((s) => s.sent > s.asked),
    'requests waited for tokens',
  );
  // The least time the bucket allows: the Retry-After of the first 429s (1 s, during which the
  // bucket fills up to 10 again), then 130 more at 100 a second.
  const floorMs = 1000 + 1300;
  assert.ok(elapsedMs <= 1.3 * floorMs, `${elapsedMs} ms, the bucket allows ${floorMs} ms`);
}

describe('Pacer', () => {
  it('slows a burst down to the bucket instead of running into 429s', async () => {
    assertPacedAfterFirstAnswers(
      await simulatedBurst({ writes: { capacity: 10, refillPerSecond: 100 } }),
    );
  });

  it("paces to the subscription's global bucket when other principals leave it the smaller", async () => {
    // The principal's own bucket is large; what the subscription's other principals leave of the
    // global one is not.
    assertPacedAfterFirstAnswers(
      await simulatedBurst({
        writes: { capacity: 1000, refillPerSecond: 1000 },
        global: { writes: { capacity: 10, refillPerSecond: 100 } },
      }),
    );
  });

  it("waits for the refill it expects: ARM's documented rate until it has measured one", async () => {
    let now = 0;
    const pacer = new Pacer(
      () => now,
      async (ms) => (now += ms),
    );
    const left = (n: number) =>
      answer(200, { 'x-ms-ratelimit-remaining-subscription-writes': String(n) });
    pacer.release(await pacer.acquire('POST', URL), left(99)); // a bucket of 100
    pacer.release(await pacer.acquire('POST', URL), left(1));
    // One token left, one kept in reserve: the next waits for one more at 10 a second.
    const third = await pacer.acquire('POST', URL);
    assert.deepEqual([now, pacer.stats().pacedMs], [100, 100]);
    now = 400;
    // Answered with 20 left: 19 refilled in 300 ms plus the one it took, 20 in 400 ms: 50 a second.
    pacer.release(third, left(20));
    // 20 left, less those in flight: 19 go at once, the 20th waits for one token at 50 a second.
    for (let i = 0; i < 19; i++) await pacer.acquire('POST', URL);
    assert.equal(now, 400, 'nineteen went at once');
    await pacer.acquire('POST', URL);
    assert.deepEqual([now, pacer.stats().pacedMs], [420, 120]);
  });

  it('lets every attempt of a real SDK client through it, retries of a 429 too', () =>
    burstOfSecretReads({ writes: { capacity: 10, refillPerSecond: 100 } }));

  it('never paces a bucket whose answers carry no quota header', async () => {
    let now = 0;
    const pacer = new Pacer(() => now);
    for (let i = 0; i < 50; i++) {
      const ticket = await pacer.acquire('POST', URL);
      now += 1;
      pacer.release(ticket, answer(200, {}));
    }
    assert.equal(pacer.stats().pacedMs, 0);
  });

  it('after a 429, waits out Retry-After for that bucket only', async () => {
    let now = 1000;
    const pacer = new Pacer(
      () => now,
      async (ms) => (now += ms),
    );
    const ticket = await pacer.acquire('POST', URL);
    pacer.release(ticket, answer(429, { 'retry-after': '2' }));
    assert.equal(pacer.stats().throttled, 1);
    const read = await pacer.acquire('GET', URL);
    pacer.release(read, answer(200, {}));
    assert.equal(pacer.stats().pacedMs, 0, 'a read goes at once');
    pacer.release(await pacer.acquire('POST', URL), answer(200, {}));
    assert.equal(pacer.stats().pacedMs, 2000, 'a write waits 2 s');
    assert.equal(now, 3000);
  });

  it('when its model sees no refill, still lets one request go now and then to learn otherwise', async () => {
    // Other jobs of the principal take what the bucket refills: each answer says one token fewer
    // than the last, so the measured refill is nil, and a model alone would wait for ever.
    let now = 0;
    const pacer = new Pacer(
      () => now,
      async (ms) => {
        now += ms;
        if (now > 600_000) throw new Error('the pacer waited ten minutes');
      },
    );
    const answered = (left: number) =>
      answer(200, { 'x-ms-ratelimit-remaining-subscription-writes': String(left) });
    for (const left of [5, 4, 3, 2, 1]) {
      const ticket = await pacer.acquire('POST', URL);
      now += 100;
      pacer.release(ticket, answered(left));
    }
    const waitingSince = now;
    const probe = await pacer.acquire('POST', URL);
    assert.ok(now - waitingSince <= 1000, `the next request went after ${now - waitingSince} ms`);
    // Only one at a time: while it is out, another waits for what its answer teaches.
    let second: Ticket | undefined;
    const waiting = pacer.acquire('POST', URL).then((t) => (second = t));
    await Promise.resolve();
    assert.equal(second, undefined);
    now += 100;
    pacer.release(probe, answered(6)); // the others have stopped: the bucket refilled
    await waiting;
    assert.ok(second, 'the answer let the next one go');
  });

  it('leaves calls outside a subscription alone', async () => {
    const pacer = new Pacer();
    assert.equal(
      await pacer.acquire('GET', 'https://arm.example/providers/x?api-version=1'),
      undefined,
    );
  });
});
