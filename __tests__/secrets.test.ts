import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { describeError, redact } from '../src/util/secrets.js';

const key = () => randomBytes(64).toString('base64');

describe('secrets', () => {
  it('redacts key-shaped values, connection strings and SAS signatures', () => {
    const k = key();
    const text = `key ${k} and DefaultEndpointsProtocol=https;AccountName=a;accountkey=abc;x and ?sv=1&sig=abc%2Fdef&se=2`;
    const out = redact(text);
    assert.ok(!out.includes(k));
    assert.match(out, /accountkey=\[redacted\]/);
    assert.match(out, /sig=\[redacted\]/);
  });

  it('keeps resource paths readable', () => {
    const path =
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/workspaceName/datastores/trainingData';
    assert.equal(redact(path), path);
  });

  it('reduces an SDK error to status, code and message, without bodies', () => {
    const k = key();
    const error = Object.assign(new Error('The key is invalid'), {
      name: 'RestError',
      statusCode: 400,
      code: 'UserError',
      request: { body: JSON.stringify({ credentials: { secrets: { key: k } } }) },
      response: { bodyAsText: `{"error":{"message":"bad key ${k}"}}` },
      details: { error: { code: 'BadKey', message: `The key ${k} failed validation\nstack...` } },
    });
    const text = describeError(error);
    assert.equal(text, '400 BadKey: The key [redacted] failed validation');
  });

  it("keeps Azure's correlation ID, for a support case", () => {
    const headers = new Map([
      ['x-ms-correlation-request-id', '2f8a6d1c-0000-4000-8000-00000000abcd'],
    ]);
    const error = Object.assign(new Error('Forbidden'), {
      statusCode: 403,
      code: 'AuthorizationFailed',
      response: { headers: { get: (name: string) => headers.get(name) } },
    });
    assert.equal(
      describeError(error),
      '403 AuthorizationFailed: Forbidden (correlation ID 2f8a6d1c-0000-4000-8000-00000000abcd)',
    );
  });
});
