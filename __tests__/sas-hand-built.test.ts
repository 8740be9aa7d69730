// Which key signed a SAS token, against tokens built by hand: versions the SDK no longer emits,
// and literal values it would re-format. The oracle is independent of src/sas: each case writes
// its string-to-sign out field by field, as the REST docs "Create a service SAS" and "Create an
// account SAS" lay it out, and signs it with node:crypto under keys generated here.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  LATEST_KNOWN_VERSION,
  parseSasTime,
  parseSasToken,
  signedBy,
  storageTargetFromUrl,
  stringToSign,
  type SasResource,
} from '../src/sas/index.js';

const ACCOUNT = 'mlstorage';
const newKey = () => randomBytes(64).toString('base64');

function hmac(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(text, 'utf8').digest('base64');
}

/** A query string in the given parameter order, each value percent-encoded, signature last. */
function tokenOf(params: Record<string, string>, signature: string): string {
  return Object.entries({ ...params, sig: signature })
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

interface HandBuilt {
  name: string;
  params: Record<string, string>;
  resource?: SasResource;
  /** The string-to-sign, one array element per line, as the REST docs give it. */
  lines: string[];
  layout: string;
}

const CASES: HandBuilt[] = [
  {
    name: 'blob container, sv=2012-02-12 (no service in the path, no response headers)',
    params: {
      sv: '2012-02-12',
      sr: 'c',
      sp: 'rl',
      st: '2026-01-01T00:00:00Z',
      se: '2031-01-01T00:00:00Z',
    },
    resource: { service: 'blob', container: 'datasets' },
    // signedPermissions, signedStart, signedExpiry, canonicalizedResource, signedIdentifier, signedVersion
    lines: [
      'rl',
      '2026-01-01T00:00:00Z',
      '2031-01-01T00:00:00Z',
      '/mlstorage/datasets',
      '',
      '2012-02-12',
    ],
    layout: 'blob service SAS, 2012-02-12 layout',
  },
  {
    name: 'blob, sv=2013-08-15 (response headers, still no service in the path)',
    params: { sv: '2013-08-15', sr: 'b', sp: 'r', se: '2031-01-01T00:00Z', rsct: 'text/csv' },
    resource: { service: 'blob', container: 'datasets', blob: '/raw/part 1.csv' },
    // … signedIdentifier, signedVersion, rscc, rscd, rsce, rscl, rsct
    lines: [
      'r',
      '',
      '2031-01-01T00:00Z',
      '/mlstorage/datasets/raw/part 1.csv',
      '',
      '2013-08-15',
      '',
      '',
      '',
      '',
      'text/csv',
    ],
    layout: 'blob service SAS, 2013-08-15 layout',
  },
  {
    name: 'blob container, sv=2015-02-21 (the 2013-08-15 fields, the service in the path)',
    params: { sv: '2015-02-21', sr: 'c', sp: 'rwl', se: '2031-01-01' },
    resource: { service: 'blob', container: 'datasets' },
    lines: [
      'rwl',
      '',
      '2031-01-01',
      '/blob/mlstorage/datasets',
      '',
      '2015-02-21',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'blob service SAS, 2013-08-15 layout',
  },
  {
    name: 'file share, sv=2015-02-21 (the first file SAS: no signed IP or protocol)',
    params: { sv: '2015-02-21', sr: 's', sp: 'rl', se: '2031-01-01T00:00:00Z' },
    resource: { service: 'file', share: 'projects' },
    lines: [
      'rl',
      '',
      '2031-01-01T00:00:00Z',
      '/file/mlstorage/projects',
      '',
      '2015-02-21',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'file service SAS, 2015-02-21 layout',
  },
  {
    name: 'file, sv=2019-02-02, permissions out of canonical order (wr)',
    params: {
      sv: '2019-02-02',
      sr: 'f',
      sp: 'wr',
      se: '2031-01-01T00:00:00Z',
      sip: '10.1.2.3',
      spr: 'https',
    },
    resource: { service: 'file', share: 'projects', file: 'a/b.txt' },
    // … signedIdentifier, signedIP, signedProtocol, signedVersion, rscc … rsct
    lines: [
      'wr',
      '',
      '2031-01-01T00:00:00Z',
      '/file/mlstorage/projects/a/b.txt',
      '',
      '10.1.2.3',
      'https',
      '2019-02-02',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'file service SAS, 2015-04-05 layout',
  },
  {
    name: 'blob container, sv=2017-07-29, permissions out of order (lwr), times to the minute',
    params: {
      sv: '2017-07-29',
      sr: 'c',
      sp: 'lwr',
      st: '2026-01-01T00:00Z',
      se: '2031-01-01T00:00Z',
      spr: 'https,http',
    },
    resource: { service: 'blob', container: 'datasets' },
    lines: [
      'lwr',
      '2026-01-01T00:00Z',
      '2031-01-01T00:00Z',
      '/blob/mlstorage/datasets',
      '',
      '',
      'https,http',
      '2017-07-29',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'blob service SAS, 2015-04-05 layout',
  },
  {
    name: 'blob container, sv=2019-12-12 (sr signed), as the portal writes it: dlrw, seconds',
    params: {
      sp: 'dlrw',
      st: '2026-01-01T08:00:00Z',
      se: '2031-01-01T16:00:00Z',
      spr: 'https',
      sv: '2019-12-12',
      sr: 'c',
    },
    resource: { service: 'blob', container: 'datasets' },
    // … signedVersion, signedResource, signedSnapshotTime, rscc … rsct
    lines: [
      'dlrw',
      '2026-01-01T08:00:00Z',
      '2031-01-01T16:00:00Z',
      '/blob/mlstorage/datasets',
      '',
      '',
      'https',
      '2019-12-12',
      'c',
      '',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'blob service SAS, 2018-11-09 layout',
  },
  {
    name: 'directory (sr=d, sdd unsigned), sv=2020-12-06, expiry with seven fraction digits',
    params: {
      sv: '2020-12-06',
      sr: 'd',
      sdd: '2',
      sp: 'rl',
      se: '2031-01-01T00:00:00.0000000Z',
      ses: 'scope-1',
    },
    resource: { service: 'blob', container: 'lake', blob: 'raw/2024' },
    // … signedResource, signedSnapshotTime, signedEncryptionScope, rscc … rsct
    lines: [
      'rl',
      '',
      '2031-01-01T00:00:00.0000000Z',
      '/blob/mlstorage/lake/raw/2024',
      '',
      '',
      '',
      '2020-12-06',
      'd',
      '',
      'scope-1',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'blob service SAS, 2020-12-06 layout',
  },
  {
    name: 'account SAS, sv=2019-02-02, services and types out of order (fb, oc)',
    params: { sv: '2019-02-02', ss: 'fb', srt: 'oc', sp: 'lr', se: '2031-01-01T00:00:00Z' },
    // accountname, signedpermissions, signedservice, signedresourcetype, signedstart, signedexpiry,
    // signedIP, signedProtocol, signedversion, and a final newline
    lines: ['mlstorage', 'lr', 'fb', 'oc', '', '2031-01-01T00:00:00Z', '', '', '2019-02-02', ''],
    layout: 'account SAS, 2015-04-05 layout',
  },
  {
    name: 'account SAS, sv=2021-06-08, with an encryption scope and an IP range',
    params: {
      sv: '2021-06-08',
      ss: 'b',
      srt: 'sco',
      sp: 'rwdlac',
      se: '2031-01-01T00:00:00Z',
      sip: '168.1.5.60-168.1.5.70',
      ses: 'scope-2',
    },
    lines: [
      'mlstorage',
      'rwdlac',
      'b',
      'sco',
      '',
      '2031-01-01T00:00:00Z',
      '168.1.5.60-168.1.5.70',
      '',
      '2021-06-08',
      'scope-2',
      '',
    ],
    layout: 'account SAS, 2020-12-06 layout',
  },
  {
    name: 'blob container on a stored access policy, sv=2018-03-28 (no sp, no se)',
    params: { sv: '2018-03-28', sr: 'c', si: 'policy-1' },
    resource: { service: 'blob', container: 'datasets' },
    lines: [
      '',
      '',
      '',
      '/blob/mlstorage/datasets',
      'policy-1',
      '',
      '',
      '2018-03-28',
      '',
      '',
      '',
      '',
      '',
    ],
    layout: 'blob service SAS, 2015-04-05 layout',
  },
];

describe('SAS signed by which key: hand-built tokens', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const keys = { key1: newKey(), key2: newKey() };
      const text = c.lines.join('\n');
      const byKey1 = tokenOf(c.params, hmac(keys.key1, text));
      const byKey2 = tokenOf(c.params, hmac(keys.key2, text));
      const byOther = tokenOf(c.params, hmac(newKey(), text));

      const rebuilt = stringToSign(parseSasToken(byKey1), ACCOUNT, c.resource);
      assert.ok(rebuilt.ok, rebuilt.ok ? '' : rebuilt.reason);
      assert.equal(rebuilt.value, text);
      assert.equal(rebuilt.layout, c.layout);

      assert.equal(signedBy(byKey1, ACCOUNT, keys, c.resource).signedBy, 'key1');
      assert.equal(signedBy(byKey2, ACCOUNT, keys, c.resource).signedBy, 'key2');
      assert.equal(signedBy(byOther, ACCOUNT, keys, c.resource).signedBy, 'neither');
    });
  }

  it('a signature with a bare + (not percent-encoded) is read as base64', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const params = { sv: '2021-08-06', sr: 'c', sp: 'r', se: '2031-01-01T00:00:00Z' };
    const lines = ['r', '', params.se, '/blob/mlstorage/d', '', '', '', params.sv, 'c', '', ''];
    lines.push('', '', '', '', '');
    // Find a key whose signature has a '+', then write it raw, and also as a form decoder leaves it.
    let signature = '';
    while (!signature.includes('+')) {
      keys.key1 = newKey();
      signature = hmac(keys.key1, lines.join('\n'));
    }
    const query = Object.entries(params)
      .map(([n, v]) => `${n}=${encodeURIComponent(v)}`)
      .join('&');
    const resource: SasResource = { service: 'blob', container: 'd' };
    for (const sig of [signature, signature.replaceAll('+', ' ')]) {
      assert.equal(signedBy(`${query}&sig=${sig}`, ACCOUNT, keys, resource).signedBy, 'key1');
    }
  });
});

describe('SAS signed by which key: versions newer than known', () => {
  const future = '2099-01-01';
  const params = { sv: future, sr: 'c', sp: 'r', se: '2031-01-01T00:00:00Z' };
  const resource: SasResource = { service: 'blob', container: 'datasets' };
  const newestLayout = ['r', '', params.se, '/blob/mlstorage/datasets', '', '', '', future, 'c'];
  newestLayout.push('', '', '', '', '', '', '');

  it(`a newer version signed in the ${LATEST_KNOWN_VERSION} layout still proves its key`, () => {
    const keys = { key1: newKey(), key2: newKey() };
    const token = tokenOf(params, hmac(keys.key2, newestLayout.join('\n')));
    assert.equal(signedBy(token, ACCOUNT, keys, resource).signedBy, 'key2');
  });

  it('a newer version that matches neither key is unknown, not neither: its layout may differ', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const changed = [...newestLayout.slice(0, 11), 'a-new-field', ...newestLayout.slice(11)];
    const token = tokenOf(params, hmac(keys.key1, changed.join('\n')));
    const verdict = signedBy(token, ACCOUNT, keys, resource);
    assert.equal(verdict.signedBy, 'unknown');
    assert.match(verdict.reason ?? '', /newer than/);
  });
});

describe('SAS tokens: reading', () => {
  it('keeps literal decoded values, drops the signature, tells the kind', () => {
    const token =
      '?sv=2019-12-12&ss=bf&srt=sco&sp=wlr&se=2031-01-01T00%3A00Z&spr=https&sig=abcd%2B%2F12';
    const parsed = parseSasToken(token);
    assert.equal(parsed.kind, 'account');
    assert.equal(parsed.permissions, 'wlr');
    assert.equal(parsed.params.get('se'), '2031-01-01T00:00Z');
    assert.deepEqual([...parsed.params.keys()], ['sv', 'ss', 'srt', 'sp', 'se', 'spr']);
    assert.equal(parsed.hasSignature, true);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.expiresOn, new Date('2031-01-01T00:00:00Z'));
  });

  it('kinds: service (sr), account (ss, srt), user delegation (skoid…), other (queue, table)', () => {
    const kinds = [
      ['sv=2020-12-06&sr=b&sp=r&se=2031-01-01&sig=AAAA', 'service'],
      ['sv=2020-12-06&ss=b&srt=o&sp=r&se=2031-01-01&sig=AAAA', 'account'],
      ['sv=2020-12-06&sr=c&skoid=x&sktid=y&sp=r&se=2031-01-01&sig=AAAA', 'user delegation'],
      ['sv=2020-12-06&sp=r&se=2031-01-01&sig=AAAA', 'other'],
      ['sv=2020-12-06&tn=t&sp=r&se=2031-01-01&sig=AAAA', 'other'],
    ] as const;
    for (const [token, kind] of kinds) assert.equal(parseSasToken(token).kind, kind, token);
  });

  it('names what makes a token unreadable, without quoting it', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const cases: [string, string[], string][] = [
      ['sv=2020-12-06&sr=c&sp=r&sp=w&sig=AAAA', ['the parameter sp appears twice'], ''],
      ['sv=2020-12-06&sr=c&sp=%ZZ&sig=AAAA', ['parameter 3 is not valid percent-encoding'], ''],
      ['sv=2020-12-06&sr=c&se=tomorrow&sig=AAAA', ['the expiry (se) is unreadable'], ''],
      ['sv=2020-12-06&sr=c&sp=r', [], 'there is no signature (sig)'],
      ['sv=2020-12-06&sr=c&sp=r&sig=not*base64', [], 'the signature (sig) is not base64'],
      ['sv=2020-12-06&sr=c&sp=r&sig=AAAA&sig=AAAA', [], 'the signature (sig) appears twice'],
    ];
    for (const [token, problems, signatureProblem] of cases) {
      assert.deepEqual(parseSasToken(token).problems, problems, token);
      const verdict = signedBy(token, ACCOUNT, keys, { service: 'blob', container: 'c' });
      assert.equal(verdict.signedBy, 'unknown', token);
      assert.equal(verdict.reason, problems[0] ?? signatureProblem, token);
    }
    // The fields of a token without a signature can still be laid out (to sign them, say).
    const unsigned = parseSasToken('sv=2020-12-06&sr=c&sp=r&se=2031-01-01');
    assert.equal(unsigned.hasSignature, false);
    assert.ok(stringToSign(unsigned, ACCOUNT, { service: 'blob', container: 'c' }).ok);
  });

  it('reads the time formats the service accepts', () => {
    const cases: [string, string | undefined][] = [
      ['2031-01-31', '2031-01-31T00:00:00.000Z'],
      ['2031-01-31T12:30Z', '2031-01-31T12:30:00.000Z'],
      ['2031-01-31T12:30:45Z', '2031-01-31T12:30:45.000Z'],
      ['2031-01-31T12:30:45.1234567Z', '2031-01-31T12:30:45.123Z'],
      ['2031-01-31T12:30:45', '2031-01-31T12:30:45.000Z'],
      ['2031-01-31T14:30:45+02:00', '2031-01-31T12:30:45.000Z'],
      ['2031-02-30T00:00:00Z', undefined],
      ['2031-01-31T24:00:00Z', undefined],
      ['31/01/2031', undefined],
    ];
    for (const [text, iso] of cases) assert.equal(parseSasTime(text)?.toISOString(), iso, text);
  });

  it('unknown, with the reason, for what cannot be recomputed', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const container: SasResource = { service: 'blob', container: 'c' };
    const cases: [string, RegExp][] = [
      ['sr=c&sp=r&se=2031-01-01&sig=AAAA', /no signed version/],
      ['sv=2011-08-18&sr=c&sp=r&se=2031-01-01&sig=AAAA', /older than 2012-02-12/],
      [
        'sv=2014-02-14&ss=b&srt=o&sp=r&se=2031-01-01&sig=AAAA',
        /account SAS needs version 2015-04-05/,
      ],
      ['sv=2015-04-05&sr=bs&sp=r&se=2031-01-01&sig=AAAA', /sr=bs needs version 2018-11-09/],
      ['sv=2020-12-06&sp=r&se=2031-01-01&sig=AAAA', /neither a service SAS/],
      ['sv=2020-12-06&sr=q&sp=r&se=2031-01-01&sig=AAAA', /not one of c, b, bs, bv, d, s, f/],
      ['sv=20201206&sr=c&sp=r&se=2031-01-01&sig=AAAA', /not a date/],
    ];
    for (const [token, reason] of cases) {
      const verdict = signedBy(token, ACCOUNT, keys, container);
      assert.equal(verdict.signedBy, 'unknown', token);
      assert.match(verdict.reason ?? '', reason, token);
    }
    const empty = signedBy(
      'sv=2020-12-06&sr=c&sp=r&sig=AAAA',
      ACCOUNT,
      { key1: '', key2: '' },
      container,
    );
    assert.deepEqual([empty.signedBy, empty.reason], ['unknown', 'key1 is empty or not base64']);
  });

  it('reads a storage URL: host-style blob, dfs and file endpoints in any cloud', () => {
    assert.deepEqual(storageTargetFromUrl('https://acct.dfs.core.windows.net/lake/raw/2024%2001'), {
      account: 'acct',
      resource: {
        service: 'blob',
        container: 'lake',
        blob: 'raw/2024 01',
        snapshot: undefined,
        versionId: undefined,
      },
    });
    assert.deepEqual(
      storageTargetFromUrl('https://acct.file.core.chinacloudapi.cn/share/d/f.txt'),
      {
        account: 'acct',
        resource: { service: 'file', share: 'share', file: 'd/f.txt' },
      },
    );
    assert.deepEqual(storageTargetFromUrl('https://acct.blob.core.windows.net/'), {
      account: 'acct',
    });
    assert.equal(storageTargetFromUrl('https://acct.queue.core.windows.net/q'), undefined);
    assert.equal(storageTargetFromUrl('http://127.0.0.1:10000/acct/c'), undefined);
    assert.equal(storageTargetFromUrl('not a url'), undefined);
  });
});
