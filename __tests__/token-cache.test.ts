import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { SharedTokenCache } from '../src/azure/token-cache.js';

/** A login that counts its fetches; each token lives `lifeMs` from the (fake) clock. */
class CountingLogin implements TokenCredential {
  fetches: GetTokenOptions[] = [];
  constructor(
    private readonly clock: { now: number },
    private readonly lifeMs: number,
  ) {}
  async getToken(_scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    this.fetches.push(options);
    await sleep(5);
    return {
      token: `token-${this.fetches.length}`,
      expiresOnTimestamp: this.clock.now + this.lifeMs,
    };
  }
}

const SCOPE = 'https://management.azure.com/.default';

describe('SharedTokenCache', () => {
  it('fetches once for callers at the same time and after, until the token nears expiry', async () => {
    const clock = { now: 1_000_000 };
    const login = new CountingLogin(clock, 60 * 60_000);
    const cache = new SharedTokenCache(login, () => clock.now);
    const first = await Promise.all([cache.getToken(SCOPE), cache.getToken([SCOPE])]);
    assert.equal(login.fetches.length, 1);
    assert.equal(first[0]!.token, first[1]!.token);
    // The pipelines are told to come back when the cache would refresh: 5 minutes before expiry.
    assert.equal(first[0]!.refreshAfterTimestamp, clock.now + 55 * 60_000);

    clock.now += 54 * 60_000;
    assert.equal((await cache.getToken(SCOPE))!.token, 'token-1');
    clock.now += 2 * 60_000;
    assert.equal((await cache.getToken(SCOPE))!.token, 'token-2');
    assert.equal(login.fetches.length, 2);
  });

  it('refreshes a short-lived token after half its life, and keeps scopes and tenants apart', async () => {
    const clock = { now: 0 };
    const login = new CountingLogin(clock, 1000);
    const cache = new SharedTokenCache(login, () => clock.now);
    await cache.getToken(SCOPE);
    clock.now = 400;
    await cache.getToken(SCOPE);
    assert.equal(login.fetches.length, 1);
    clock.now = 600;
    await cache.getToken(SCOPE);
    assert.equal(login.fetches.length, 2);
    await cache.getToken('https://storage.azure.com/.default');
    await cache.getToken(SCOPE, { tenantId: 'other' });
    assert.equal(login.fetches.length, 4);
  });

  it('sends a claims challenge to the login, and never shares one caller’s abort signal', async () => {
    const clock = { now: 0 };
    const login = new CountingLogin(clock, 3_600_000);
    const cache = new SharedTokenCache(login, () => clock.now);
    await cache.getToken(SCOPE, { abortSignal: new AbortController().signal });
    assert.equal(login.fetches[0]!.abortSignal, undefined);
    await cache.getToken(SCOPE, { claims: 'challenge' });
    assert.equal(login.fetches.length, 2);
  });

  it('does not keep a failure: the next caller asks the login again', async () => {
    let calls = 0;
    const cache = new SharedTokenCache({
      getToken: async () => {
        calls++;
        if (calls === 1) throw new Error('az: not logged in');
        return { token: 't', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    await assert.rejects(cache.getToken(SCOPE), /not logged in/);
    assert.equal((await cache.getToken(SCOPE))!.token, 't');
  });
});
