// Secrets where the action must not echo them: in an error cut short, and in an input that holds
// one by mistake. Asserted on the text that would reach a log, summary or report.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { accountInputForReport } from '../src/inputs/input-secrets.js';
import { InputError, parseInputs } from '../src/inputs/inputs.js';
import { describeError, looksLikeSecret, maskSecret } from '../src/util/secrets.js';
import { LEAK_FRAGMENT_LENGTH } from './support/leaks.js';
import { captureStdout, maskedValues } from './support/process-io.js';

const storageKey = () => randomBytes(64).toString('base64');
const SUB = '00000000-0000-0000-0000-000000000001';
const base: Record<string, string> = {
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': 'mlprodstore',
  'subscription-id': SUB,
};
const connectionString = (key: string) =>
  `DefaultEndpointsProtocol=https;AccountName=mlprodstore;AccountKey=${key};EndpointSuffix=core.windows.net`;

function problems(inputs: Record<string, string>): string[] {
  try {
    parseInputs((name) => inputs[name] ?? '', {});
  } catch (error) {
    assert.ok(error instanceof InputError);
    return error.problems;
  }
  return [];
}

const fragmentsOf = (secret: string) =>
  Array.from({ length: secret.length - LEAK_FRAGMENT_LENGTH + 1 }, (_, i) =>
    secret.slice(i, i + LEAK_FRAGMENT_LENGTH),
  );

describe('describeError: redacts before it cuts', () => {
  for (const before of [470, 490, 499]) {
    it(`leaves no piece of a known key that starts ${500 - before} characters before the cut`, async () => {
      const key = storageKey();
      await captureStdout(() => maskSecret(key));
      const text = describeError(new Error(`${'x'.repeat(before)}${key} and more`));
      assert.ok(!fragmentsOf(key).some((f) => text.includes(f)), text);
      if (before + '[redacted]'.length <= 500) assert.match(text, /\[redacted\]/);
    });
  }

  it('still cuts what is long after redacting', () => {
    assert.equal(describeError(new Error('y'.repeat(600))), `${'y'.repeat(500)}…`);
  });
});

describe('an input that looks like a secret', () => {
  it('recognises keys, SAS tokens and connection strings, not names, IDs or URLs', () => {
    const key = storageKey();
    for (const secret of [
      key,
      connectionString(key),
      'sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=abc%2Bdef%3D',
      `https://mlprodstore.blob.core.windows.net/data?sv=2022-11-02&sr=c&sig=abc`,
    ]) {
      assert.ok(looksLikeSecret(secret), secret.slice(0, 12));
    }
    for (const plain of [
      'mlprodstore',
      'ws-prod',
      `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/mlprodstore`,
      'https://management.azure.com/',
      'rg-ml-production-westeurope-2024',
    ]) {
      assert.ok(!looksLikeSecret(plain), plain);
    }
  });

  it('is named without its value, masked, and not also called missing', async () => {
    const key = storageKey();
    const pasted = connectionString(key);
    let found: string[] = [];
    const out = await captureStdout(() => {
      found = problems({ ...base, 'storage-account': pasted });
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^storage-account looks like a key, SAS token or connection string/);
    assert.ok(!found[0]!.includes('AccountKey') && !found[0]!.includes(key.slice(0, 20)));
    assert.ok(maskedValues(out).includes(pasted));
  });

  it('fails the inputs even where an empty value would be valid', async () => {
    let found: string[] = [];
    await captureStdout(() => {
      found = problems({ ...base, 'key-name': storageKey() });
    });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^key-name looks like a key/);
  });

  it('is left out of the report, which names the account only when the input is a name', async () => {
    assert.equal(accountInputForReport(' mlprodstore '), 'mlprodstore');
    await captureStdout(() =>
      assert.equal(accountInputForReport(connectionString(storageKey())), ''),
    );
  });
});

describe('resync-timeout-minutes', () => {
  it('a positive number of minutes, fractions allowed, 30 by default', () => {
    const parse = (value: string) =>
      parseInputs((name) => (name === 'resync-timeout-minutes' ? value : (base[name] ?? '')), {});
    assert.equal(parse('').resyncTimeoutMinutes, 30);
    assert.equal(parse('0.5').resyncTimeoutMinutes, 0.5);
    assert.equal(parse('120').resyncTimeoutMinutes, 120);
    for (const wrong of ['0', '-1', 'soon', '1e3']) {
      assert.equal(
        problems({ ...base, 'resync-timeout-minutes': wrong }).filter((p) =>
          p.startsWith('resync-timeout-minutes'),
        ).length,
        1,
        wrong,
      );
    }
  });
});
