// The edges of reading, re-issuing and judging a SAS token: times the service accepts or refuses,
// malformed query strings, a token that cannot be re-issued, and what the report says of each.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import {
  HeldSas,
  holdingOfSas,
  readSas,
  renewedToken,
  verifyStoredSas,
} from '../src/consumers/sas.js';
import type { Consumer, SasFacts } from '../src/discover/inventory.js';
import { describeSas, periodMs, renewBlocker } from '../src/plan/sas.js';
import { parseSasTime, parseSasToken, reissue, signedBy } from '../src/sas/index.js';

const KEY1 = Buffer.alloc(64, 1).toString('base64');
const KEY2 = Buffer.alloc(64, 2).toString('base64');
const KEYS = { key1: KEY1, key2: KEY2 };
const ACCOUNT = 'acct';

/** An account SAS (2020-12-06 layout) signed with `key`, its fields in the given order. */
function accountSas(key: string, extra = ''): string {
  const fields = { sv: '2020-12-06', ss: 'b', srt: 'sco', sp: 'rl', se: '2030-01-01T00:00:00Z' };
  const text = [
    ACCOUNT,
    fields.sp,
    fields.ss,
    fields.srt,
    '',
    fields.se,
    '',
    '',
    fields.sv,
    '',
    '',
  ].join('\n');
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(text).digest('base64');
  return `sv=${fields.sv}&ss=b&srt=sco&sp=rl&se=${fields.se}${extra}&sig=${encodeURIComponent(sig)}`;
}

describe('parseSasTime', () => {
  const iso = (text: string) => parseSasTime(text)?.toISOString();
  it('reads a date, minutes, seconds, fractions and offsets as the service does', () => {
    assert.equal(iso('2030-01-31'), '2030-01-31T00:00:00.000Z');
    assert.equal(iso('2030-01-31T12:30Z'), '2030-01-31T12:30:00.000Z');
    assert.equal(iso('2030-01-31T12:30:45Z'), '2030-01-31T12:30:45.000Z');
    assert.equal(iso('2030-01-31T12:30:45.1234567Z'), '2030-01-31T12:30:45.123Z');
    assert.equal(iso('2030-01-31T12:30:45'), '2030-01-31T12:30:45.000Z');
    assert.equal(iso('2030-01-31T12:30:45+02:00'), '2030-01-31T10:30:45.000Z');
    assert.equal(iso('2030-01-31T12:30:45-0530'), '2030-01-31T18:00:45.000Z');
  });
  it('refuses what is not a time', () => {
    for (const text of [
      '2030-02-30',
      '2031-13-01',
      '2030-01-31T24:00Z',
      '2030-01-31T23:60Z',
      '2030-01-31T23:59:60Z',
      ' 2030-01-31',
      '2030-01-31 ',
      'x2030-01-31',
      '2030-01-31Tnoon',
    ]) {
      assert.equal(parseSasTime(text), undefined, text);
    }
    assert.ok(parseSasTime('2030-01-31T23:59:59Z'));
  });
  it('refuses a minute or a second of 60 even where it would not roll into the next day', () => {
    assert.equal(parseSasTime('2030-01-31T12:60Z'), undefined);
    assert.equal(parseSasTime('2030-01-31T12:30:60Z'), undefined);
  });
});

describe('parseSasToken', () => {
  it('trims a bare query, and drops what comes before the first ?, however short', () => {
    const bare = parseSasToken('  sv=2020-12-06&sr=c\n');
    assert.deepEqual(
      [...bare.params],
      [
        ['sv', '2020-12-06'],
        ['sr', 'c'],
      ],
    );
    assert.deepEqual([...parseSasToken('/?sv=2020-12-06&sr=c').params.keys()], ['sv', 'sr']);
  });
  it('skips every empty piece: none is a parameter with an empty name', () => {
    const parsed = parseSasToken('&sv=2020-12-06&&sr=c&');
    assert.deepEqual([...parsed.params.keys()], ['sv', 'sr']);
    assert.deepEqual(parsed.problems, []);
  });
  it('a name that is not valid percent-encoding is a problem, not a parameter', () => {
    const parsed = parseSasToken('sv=2020-12-06&%E0%A4%A=1');
    assert.deepEqual([...parsed.params.keys()], ['sv']);
    assert.deepEqual(parsed.problems, ['parameter 2 is not valid percent-encoding']);
  });
  it('takes a whole URL or a query with spaces around it', () => {
    const parsed = parseSasToken(
      '  https://acct.blob.core.windows.net/c?sv=2020-12-06&sr=c&sig=AA== ',
    );
    assert.equal(parsed.kind, 'service');
    assert.equal(parsed.version, '2020-12-06');
    assert.equal(parsed.hasSignature, true);
    assert.deepEqual([...parsed.params.keys()], ['sv', 'sr']);
  });
  it('skips empty pieces, reads a name without a value as empty, and names what is wrong', () => {
    const parsed = parseSasToken('sv=2020-12-06&&sr=c&spr&sp=%E0%A4%A&sv=again&sig=');
    assert.equal(parsed.params.get('spr'), '');
    assert.equal(parsed.params.get('sr'), 'c');
    assert.equal(parsed.hasSignature, false);
    assert.deepEqual(parsed.problems, [
      'parameter 5 is not valid percent-encoding',
      'the parameter sv appears twice',
    ]);
    assert.deepEqual(parseSasToken('sv=1&st=tomorrow&se=never').problems, [
      'the start time (st) is unreadable',
      'the expiry (se) is unreadable',
    ]);
    assert.deepEqual(parseSasToken('a%20b=1&a%20b=2').problems, ['a parameter appears twice']);
  });
  it('tells the kind of a token from its own parameters', () => {
    for (const name of ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv']) {
      assert.equal(
        parseSasToken(`sv=2020-12-06&sr=c&${name}=x&sig=AA==`).kind,
        'user delegation',
        name,
      );
    }
    assert.equal(parseSasToken('sv=2020-12-06&ss=b&sig=AA==').kind, 'account');
    assert.equal(parseSasToken('sv=2020-12-06&srt=s&sig=AA==').kind, 'account');
    assert.equal(parseSasToken('sv=2020-12-06&tn=table&sig=AA==').kind, 'other');
    const parsed = parseSasToken(
      'sv=2020-12-06&ss=bf&srt=sco&st=2030-01-01&se=2030-02-01&sig=AA==',
    );
    assert.equal(parsed.services, 'bf');
    assert.equal(parsed.resourceTypes, 'sco');
    assert.equal(parsed.startsOn?.toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(parsed.expiresOn?.toISOString(), '2030-02-01T00:00:00.000Z');
  });
  it('gives signedBy a reason when the signature is missing or empty', () => {
    for (const token of [
      'sv=2020-12-06&ss=b&srt=s&sp=r&se=2030-01-01',
      'sv=2020-12-06&ss=b&srt=s&sp=r&se=2030-01-01&sig=',
    ]) {
      const verdict = signedBy(token, ACCOUNT, KEYS);
      assert.equal(verdict.signedBy, 'unknown');
      assert.equal(verdict.reason, 'there is no signature (sig)');
    }
  });
});

describe('reissue', () => {
  it('keeps a URL prefix and the surrounding text, and changes only sig', () => {
    const token = accountSas(KEY1);
    const url = `https://acct.blob.core.windows.net/?${token}`;
    const renewed = reissue(`  ${url}`, ACCOUNT, KEY2);
    assert.ok(renewed.ok);
    assert.equal(renewed.token.split('&sig=')[0], url.split('&sig=')[0]);
    assert.equal(signedBy(renewed.token, ACCOUNT, KEYS).signedBy, 'key2');
    const bare = reissue(token, ACCOUNT, KEY2);
    assert.ok(bare.ok);
    assert.equal(bare.token, renewed.token.slice(renewed.token.indexOf('?') + 1));
  });
  it('refuses a token without one signature, and an empty key', () => {
    const token = accountSas(KEY1);
    const noSig = token.slice(0, token.indexOf('&sig='));
    assert.deepEqual(reissue(noSig, ACCOUNT, KEY2), {
      ok: false,
      reason: 'there is no signature (sig)',
    });
    assert.deepEqual(reissue(`${token}&sig=AA==`, ACCOUNT, KEY2), {
      ok: false,
      reason: 'the signature appears twice',
    });
    assert.deepEqual(reissue(token, ACCOUNT, ''), {
      ok: false,
      reason: 'the signing key is empty or not base64',
    });
    // A piece whose name is not valid percent-encoding is not the signature.
    const odd = reissue(`${token}&%E0%A4%A=1`, ACCOUNT, KEY2);
    assert.ok(!odd.ok || odd.token.endsWith('&%E0%A4%A=1'));
  });
});

describe('a SAS consumer as discovery and re-keying see it', () => {
  it('never shows the token it holds', () => {
    const held = new HeldSas('sv=1&sig=SECRET', undefined);
    assert.equal(JSON.stringify({ held }), '{"held":"[SAS token]"}');
    assert.equal(String(held), '[SAS token]');
    assert.equal(inspect(held), '[SAS token]');
    assert.equal(held.token, 'sv=1&sig=SECRET');
  });
  it('a secret without a token is unknown, never expired, holding nothing', () => {
    for (const secret of [{ kind: 'Sas' as const, sasToken: '' }, { kind: 'Other' as const }]) {
      const reading = readSas(secret, ACCOUNT, [], undefined, new Date());
      assert.deepEqual(reading, {
        sas: {
          signedBy: 'unknown',
          kind: 'other',
          expired: false,
          reason: 'the service returned no SAS token for it',
        },
      });
    }
  });
  it('reads which key signed a token, with the account keys by name', () => {
    const keys = [
      { name: 'key2' as const, value: KEY2 },
      { name: 'key1' as const, value: KEY1 },
    ];
    const reading = readSas(
      { kind: 'Sas', sasToken: accountSas(KEY2) },
      ACCOUNT,
      keys,
      undefined,
      new Date(),
    );
    assert.equal(reading.sas.signedBy, 'key2');
    assert.equal(reading.holds, 'key2');
  });
  it('holds a key only while the token lives', () => {
    const facts = (more: Partial<SasFacts>): SasFacts => ({
      signedBy: 'key1',
      kind: 'account',
      expired: false,
      ...more,
    });
    assert.equal(holdingOfSas(facts({})), 'key1');
    assert.equal(holdingOfSas(facts({ expired: true })), 'stale');
    assert.equal(holdingOfSas(facts({ refusedByPolicy: 'policy' })), 'stale');
    assert.equal(holdingOfSas(facts({ signedBy: 'neither' })), 'stale');
    assert.equal(holdingOfSas(facts({ signedBy: 'user delegation' })), undefined);
    assert.equal(holdingOfSas(facts({ signedBy: 'unknown' })), undefined);
  });
  it('says why a token cannot be renewed, and checks what the service stored', () => {
    const signing = { account: ACCOUNT, key: 'key2' as const, keys: KEYS };
    assert.equal(
      renewedToken(new HeldSas('sv=2020-12-06&ss=b&srt=s', undefined), signing),
      'its SAS token cannot be re-issued: there is no signature (sig)',
    );
    const held = new HeldSas(accountSas(KEY1), undefined);
    const renewed = renewedToken(held, signing);
    assert.ok(typeof renewed !== 'string');
    assert.equal(
      verifyStoredSas({ kind: 'Sas', sasToken: renewed.token }, held, signing),
      undefined,
    );
    assert.equal(
      verifyStoredSas({ kind: 'Other' }, held, signing),
      'the service accepted the update but reading the secret back returns no SAS token',
    );
    assert.match(
      verifyStoredSas({ kind: 'Sas', sasToken: held.token }, held, signing)!,
      /^the service accepted the new SAS token but the token read back is signed by key1/,
    );
  });
});

describe('what the plan and the report say of a SAS consumer', () => {
  const consumer = (sas: SasFacts | undefined, inScope = true): Consumer => ({
    kind: 'datastore',
    workspace: { subscriptionId: 's', resourceGroup: 'rg', name: 'ws' },
    name: 'd',
    inScope,
    auth: 'Sas',
    type: 'AzureBlob',
    target: 'c',
    credentials: 'Sas',
    isDefault: false,
    ...(sas ? { sas } : {}),
  });
  const expiresOn = new Date('2030-01-01T00:00:00Z');
  const facts = (more: Partial<SasFacts>): SasFacts => ({
    signedBy: 'key1',
    kind: 'service',
    expired: false,
    expiresOn,
    ...more,
  });

  it('renewBlocker names each reason', () => {
    assert.equal(renewBlocker(consumer(facts({}), false)), 'it is outside the managed workspaces');
    assert.equal(renewBlocker(consumer(undefined)), 'which key signed its token is unknown');
    assert.equal(
      renewBlocker(consumer(facts({ signedBy: 'unknown', reason: 'a queue SAS' }))),
      'which key signed its token is unknown (a queue SAS)',
    );
    assert.equal(
      renewBlocker(consumer(facts({ signedBy: 'user delegation' }))),
      'it is a user delegation SAS',
    );
    assert.equal(renewBlocker(consumer(facts({ expired: true }))), 'its token has expired');
    assert.equal(
      renewBlocker(consumer(facts({ refusedByPolicy: 'the policy refuses it' }))),
      'the policy refuses it',
    );
    assert.equal(renewBlocker(consumer(facts({}))), undefined);
  });

  it('describeSas says who signed it and when it expires', () => {
    const say = (more: Partial<SasFacts>) => describeSas(consumer(facts(more)));
    assert.equal(say({}), 'signed by key1; expires 2030-01-01T00:00:00.000Z');
    assert.equal(
      say({ signedBy: 'key2', expired: true }),
      'signed by key2; expired 2030-01-01T00:00:00.000Z',
    );
    assert.equal(
      say({ signedBy: 'user delegation' }),
      'user delegation (unaffected); expires 2030-01-01T00:00:00.000Z',
    );
    assert.equal(
      say({ signedBy: 'neither' }),
      'neither key (already broken); expires 2030-01-01T00:00:00.000Z',
    );
    assert.equal(
      say({ signedBy: 'unknown', reason: 'a queue SAS' }),
      'unknown: a queue SAS; expires 2030-01-01T00:00:00.000Z',
    );
    assert.equal(
      say({ signedBy: 'unknown' }),
      'unknown: no reason given; expires 2030-01-01T00:00:00.000Z',
    );
    assert.equal(
      say({ expiresOn: undefined, policy: 'read-only' }),
      "signed by key1; expiry in stored access policy 'read-only'",
    );
    assert.equal(say({ expiresOn: undefined }), 'signed by key1; no expiry');
    assert.equal(
      say({ refusedByPolicy: 'the policy refuses it' }),
      'already broken: the policy refuses it; expires 2030-01-01T00:00:00.000Z',
    );
    assert.equal(describeSas(consumer(undefined)), 'unknown: the token was not read');
  });

  it('periodMs reads a TimeSpan, with or without days, and nothing else', () => {
    assert.equal(periodMs('7.00:00:00'), 7 * 86_400_000);
    assert.equal(periodMs('10.01:02:03'), ((10 * 24 + 1) * 60 + 2) * 60_000 + 3000);
    assert.equal(periodMs(' 12:00:00 '), 12 * 3_600_000);
    for (const text of ['x7.00:00:00', '7.00:00:00x', '7.00:0:00', '', '7']) {
      assert.equal(periodMs(text), undefined, text);
    }
  });
});
