// Masking and sanitising, asserted on what the runner reads: `::add-mask::` commands on stdout, and
// the text that would reach a log, summary or report.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { describeError, maskSecret, redact } from '../src/util/secrets.js';
import { captureStdout, maskedValues } from './support/process-io.js';

const storageKey = () => randomBytes(64).toString('base64');
/** A secret that is not key-shaped: only masking can hide it. */
const plainSecret = () => `hunter-${randomBytes(4).toString('hex')}`;

describe('maskSecret', () => {
  it('registers a value with ::add-mask:: once, and nothing else', async () => {
    const secret = plainSecret();
    const first = await captureStdout(() => maskSecret(secret));
    assert.deepEqual(maskedValues(first), [secret]);
    assert.equal(first, `::add-mask::${secret}\n`);
    assert.equal(await captureStdout(() => maskSecret(secret)), '');
  });

  it('registers the URL-encoded form too when it differs (a key in a query string)', async () => {
    const key = `${storageKey().slice(0, 20)}+/=`;
    const out = await captureStdout(() => maskSecret(key));
    assert.deepEqual(maskedValues(out), [key, encodeURIComponent(key)]);
  });

  it('masks a storage key as it arrives', async () => {
    const key = storageKey();
    assert.deepEqual(maskedValues(await captureStdout(() => maskSecret(key))), [
      key,
      encodeURIComponent(key),
    ]);
  });

  it('ignores an empty or missing value', async () => {
    assert.equal(await captureStdout(() => maskSecret(undefined)), '');
    assert.equal(await captureStdout(() => maskSecret('')), '');
  });

  it('a masked value, and its URL-encoded form, are redacted wherever they appear', async () => {
    const secret = `${plainSecret()} !`;
    await captureStdout(() => maskSecret(secret));
    assert.equal(
      redact(`a ${secret} b ${secret}`),
      'a [redacted] b [redacted]',
      'every occurrence',
    );
    assert.equal(redact(`?t=${encodeURIComponent(secret)}`), '?t=[redacted]');
    const other = plainSecret();
    assert.equal(redact(`a ${other}`), `a ${other}`, 'an unmasked short value stays');
  });
});

describe('redact', () => {
  it('redacts the value after each secret-bearing name, keeping the name and separator', () => {
    for (const name of [
      'AccountKey',
      'SharedAccessSignature',
      'sig',
      'key',
      'sasToken',
      'clientSecret',
    ]) {
      assert.equal(redact(`${name}=abc`), `${name}=[redacted]`, name);
      assert.equal(redact(`${name.toUpperCase()}: abc`), `${name.toUpperCase()}: [redacted]`);
    }
  });

  it('redacts quoted JSON values and stops at the delimiters of each format', () => {
    assert.equal(redact('{"clientSecret": "s3cr3t"}'), '{"clientSecret": "[redacted]"}');
    assert.equal(redact("{'key':'abc'}"), "{'key':'[redacted]'}");
    assert.equal(redact('{key:abc}'), '{key:[redacted]}');
    assert.equal(
      redact('AccountName=a;AccountKey=abc;EndpointSuffix=core.windows.net'),
      'AccountName=a;AccountKey=[redacted];EndpointSuffix=core.windows.net',
    );
    assert.equal(redact('?sv=1&sig=abc%2F&se=2'), '?sv=1&sig=[redacted]&se=2');
    assert.equal(redact('key=abc,next key=def next'), 'key=[redacted],next key=[redacted] next');
  });

  it('needs the name to start a word', () => {
    assert.equal(redact('monkey=banana'), 'monkey=banana');
    assert.equal(redact('design: flat'), 'design: flat');
  });

  it('redacts a base64 run of 40 or more characters with its padding', () => {
    const key = storageKey();
    assert.equal(redact(`x ${key} y`), 'x [redacted] y');
    assert.ok(key.endsWith('=='));
    const forty = 'Ab1'.repeat(13) + 'A';
    assert.equal(forty.length, 40);
    assert.equal(redact(`(${forty})`), '([redacted])');
    assert.equal(redact(`(${forty.slice(1)})`), `(${forty.slice(1)})`, '39 characters stay');
    assert.equal(redact(`${'A'.repeat(40)}==.`), '[redacted].', 'padding without digits');
    assert.equal(redact(`${'A'.repeat(40)}=.`), '[redacted].');
  });

  it('keeps long word-like and path-like runs, which are not random base64', () => {
    const letters = 'abcdefghij'.repeat(5);
    assert.equal(redact(letters), letters, 'no digit, no padding');
    const path = 'dir1/'.repeat(12);
    assert.equal(redact(path), path, 'a slash every few characters');
  });

  it('random base64 has about one slash in 64 characters: up to 1 in 16 is still a key', () => {
    const run = (slashes: number) => {
      const chars = Array.from({ length: 64 }, (_, i) => 'aB3'[i % 3]!);
      for (let i = 0; i < slashes; i++) chars[5 + i * 12] = '/';
      return chars.join('');
    };
    assert.equal(redact(run(0)), '[redacted]');
    assert.equal(redact(run(4)), '[redacted]');
    assert.equal(redact(run(5)), run(5));
  });
});

describe('describeError', () => {
  it('reduces an SDK error to status, service code and the first line of the message', () => {
    const key = storageKey();
    const error = Object.assign(new Error('outer'), {
      statusCode: 403,
      code: 'RestError',
      request: { body: key },
      details: { error: { code: 'AuthorizationFailed', message: `denied for ${key}\nat x` } },
    });
    assert.equal(describeError(error), '403 AuthorizationFailed: denied for [redacted]');
  });

  it('falls back to the error code and message when the details carry no error', () => {
    const error = Object.assign(new Error('not found'), {
      statusCode: 404,
      code: 'ResourceNotFound',
      details: {},
    });
    assert.equal(describeError(error), '404 ResourceNotFound: not found');
    const partial = Object.assign(new Error('plain message'), {
      code: 'Outer',
      details: { error: { message: 'inner message' } },
    });
    assert.equal(describeError(partial), 'Outer: inner message');
    const codeOnly = Object.assign(new Error('plain message'), {
      details: { error: { code: 'Inner' } },
    });
    assert.equal(describeError(codeOnly), 'Inner: plain message');
  });

  it('names only the parts it has', () => {
    assert.equal(describeError(Object.assign(new Error('m'), { code: 'E1' })), 'E1: m');
    assert.equal(describeError(Object.assign(new Error('m'), { statusCode: 500 })), '500: m');
    assert.equal(describeError(new Error('just this')), 'just this');
    assert.equal(describeError(new Error('  padded \n')), 'padded');
    assert.equal(describeError(new Error('first\r\nsecond')), 'first');
    assert.equal(
      describeError(Object.assign(new Error('x'), { message: undefined })),
      'unknown error',
    );
  });

  it('cuts a long first line at 500 characters', () => {
    assert.equal(describeError(new Error('a.'.repeat(250))), 'a.'.repeat(250));
    assert.equal(describeError(new Error(`${'a.'.repeat(250)}b`)), `${'a.'.repeat(250)}…`);
  });

  it('sanitises what is not an Error', () => {
    const key = storageKey();
    assert.equal(describeError(`failed with ${key}`), 'failed with [redacted]');
    assert.equal(describeError(42), '42');
  });
});

describe('describeError: an error whose response headers are a plain object', () => {
  it('describes it without the correlation ID instead of throwing', () => {
    const error = Object.assign(new Error('throttled'), {
      statusCode: 429,
      response: { headers: { 'x-ms-correlation-request-id': 'abc' } },
    });
    assert.equal(describeError(error), '429: throttled');
  });
});
