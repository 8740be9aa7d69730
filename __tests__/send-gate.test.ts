// The cancel gate (src/azure/send-gate.ts) in the real SDK pipeline, on the emulator: a
// regeneration the cancel comes before is never sent (nor a retry of it), one already on the wire
// is waited for and its answer kept. The emulator's request log and keys are the oracle.
import type { TokenCredential } from '@azure/core-auth';
import { StorageManagementClient } from '@azure/arm-storage';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotSentError } from '../src/azure/port.js';
import { sendGatePolicy, unlessCancelled } from '../src/azure/send-gate.js';
import { ARM_SCOPE, setUp } from './support/emulator-clients.js';
import { waitFor } from './support/wait.js';

const ACCOUNT = 'mlprodstore';
const token = { token: 'test', expiresOnTimestamp: Date.now() + 3600e3 };

async function world(credential?: TokenCredential, extra?: PipelinePolicy) {
  const { emulator, storage, agent } = await setUp({ scenario: 'sample' });
  const client = credential
    ? new StorageManagementClient(credential, emulator.subscriptionId, {
        endpoint: emulator.url,
        credentials: { scopes: [ARM_SCOPE] },
        agent,
      })
    : storage;
  if (extra) client.pipeline.addPolicy(extra, { afterPhase: 'Retry' });
  client.pipeline.addPolicy(sendGatePolicy(), { afterPhase: 'Sign' });
  const regenerate = (cancel: AbortSignal) =>
    unlessCancelled(cancel, (options) =>
      client.storageAccounts.regenerateKey('rg-ml', ACCOUNT, { keyName: 'key2' }, options),
    );
  const sent = () =>
    emulator.requests().filter((r) => r.path.toLowerCase().endsWith('/regeneratekey'));
  return { emulator, regenerate, sent, key2: () => emulator.keys(ACCOUNT).key2 };
}

const notSent = (earlierAttemptSent: boolean) => (error: unknown) =>
  error instanceof NotSentError && error.earlierAttemptSent === earlierAttemptSent;

describe('the cancel gate of a key regeneration', () => {
  it('sends nothing once the run is cancelled', async () => {
    const { regenerate, sent, key2 } = await world();
    const before = key2();
    await assert.rejects(regenerate(AbortSignal.abort('SIGINT')), notSent(false));
    assert.deepEqual(sent(), []);
    assert.equal(key2(), before);
  });

  it('holds back a request still waiting for its token when the cancel comes', async () => {
    let giveToken!: () => void;
    const asked = new Promise<void>((resolve) => {
      giveToken = resolve;
    });
    let tokenAsked = false;
    const slowCredential: TokenCredential = {
      getToken: async () => {
        tokenAsked = true;
        await asked;
        return token;
      },
    };
    const { regenerate, sent, key2 } = await world(slowCredential);
    const before = key2();
    const cancel = new AbortController();
    const call = regenerate(cancel.signal);
    await waitFor('the token request', () => tokenAsked);
    cancel.abort('SIGINT');
    giveToken();
    await assert.rejects(call, notSent(false));
    assert.deepEqual(sent(), []);
    assert.equal(key2(), before);
  });

  it('waits for a request already on the wire and keeps its answer', async () => {
    const { emulator, regenerate, sent, key2 } = await world();
    const before = key2();
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    emulator.addFault({ kind: 'hold', method: 'POST', path: '/regenerateKey', until });
    const cancel = new AbortController();
    const call = regenerate(cancel.signal);
    await waitFor('the regeneration at the emulator', () => sent().length === 1);
    cancel.abort('SIGINT');
    release();
    const result = await call;
    assert.notEqual(key2(), before);
    assert.equal(result.keys?.find((k) => k.keyName === 'key2')?.value, key2());
  });

  it('does not send a retry after the cancel: the error says an attempt went out', async () => {
    const cancel = new AbortController();
    // The cancel comes as the first attempt's 500 is on its way back, before the SDK's retry.
    const cancelOnError: PipelinePolicy = {
      name: 'cancelOnError',
      async sendRequest(request, next) {
        const response = await next(request);
        if (response.status >= 500) cancel.abort('SIGTERM');
        return response;
      },
    };
    const { emulator, regenerate, sent, key2 } = await world(
      { getToken: async () => token },
      cancelOnError,
    );
    const before = key2();
    emulator.addFault({ kind: 'status', status: 500, method: 'POST', path: '/regenerateKey' });
    await assert.rejects(regenerate(cancel.signal), notSent(true));
    assert.equal(sent().length, 1);
    assert.equal(key2(), before);
  });
});
