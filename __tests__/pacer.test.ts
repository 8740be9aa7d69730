// The pacer against the emulator's ARM throttling, through a real SDK client's pipeline.
import { createHttpHeaders, type PipelineResponse } from '@azure/core-rest-pipeline';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, pacerPolicy, type Ticket } from '../src/azure/pacer.js';
import { mapLimit } from '../src/util/concurrency.js';
import type { ThrottlingSettings } from '../emulator/throttling.js';
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
 * pacer, against the emulator's throttling; checks every read succeeded and returns how many were
 * throttled and how long the pacer held requests back.
 */
async function burstOfSecretReads(throttling: ThrottlingSettings) {
  const { emulator, ml } = await setUp({
    latencyMs: 5,
    throttling,
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
  return {
    throttled: emulator.requests().filter((r) => r.throttled).length,
    pacedMs: pacer.stats().pacedMs,
  };
}

describe('Pacer', () => {
  it('slows a burst down to the bucket instead of running into 429s', async () => {
    const { throttled, pacedMs } = await burstOfSecretReads({
      writes: { capacity: 10, refillPerSecond: 100 },
    });
    assert.ok(throttled <= 2, `${throttled} requests were throttled`);
    assert.ok(pacedMs > 0, 'requests waited for tokens');
  });

  it("paces to the subscription's global bucket when other principals leave it the smaller", async () => {
    // The principal's own bucket is large; what the subscription's other principals leave of the
    // global one is not.
    const { throttled, pacedMs } = await burstOfSecretReads({
      writes: { capacity: 1000, refillPerSecond: 1000 },
      global: { writes: { capacity: 10, refillPerSecond: 100 } },
    });
    assert.ok(throttled <= 2, `${throttled} requests were throttled`);
    assert.ok(pacedMs > 0, 'requests waited for tokens');
  });

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
