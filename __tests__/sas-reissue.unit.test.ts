// Re-issuing a SAS token with another key: the same literal fields, only the signature changes,
// and the new token validates under the target key. Tokens from the storage SDKs for every kind
// and several signed versions of each layout, and hand-built ones in formats the SDK never writes.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AccountSASPermissions,
  BlobSASPermissions,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import {
  FileSASPermissions,
  ShareSASPermissions,
  generateFileSASQueryParameters,
} from '@azure/storage-file-share';
import { reissue, signedBy, type AccountKeys, type SasResource } from '../src/sas/index.js';

const ACCOUNT = 'mlstorage';
const CONTAINER = 'datasets';
const BLOB = 'raw/2024 01/données ü.csv';
const SHARE = 'projects';
const FILE = 'notebooks/run #1.ipynb';
const SNAPSHOT = '2024-05-01T10:20:30.1234567Z';
const VERSION_ID = '2024-05-02T11:22:33.7654321Z';
const HOUR = 3_600_000;
const newKey = () => randomBytes(64).toString('base64');
const credential = (key: string) => new StorageSharedKeyCredential(ACCOUNT, key);

interface Fixture {
  name: string;
  /** Makes the token, signed by the given key. */
  make: (key: string) => string;
  resource?: SasResource;
}

const VERSIONS = [
  '2015-04-05',
  '2018-03-28',
  '2018-11-09',
  '2020-10-02',
  '2020-12-06',
  '2026-10-06',
];

function extras(version: string, scope = true) {
  const now = Date.now();
  return {
    version,
    startsOn: new Date(now - HOUR),
    expiresOn: new Date(now + 30 * 24 * HOUR),
    ipRange: { start: '10.0.0.1', end: '10.0.0.254' },
    protocol: SASProtocol.HttpsAndHttp,
    contentDisposition: 'attachment; filename="a b.csv"',
    contentType: 'text/csv; charset=utf-8',
    ...(scope && version >= '2020-12-06' ? { encryptionScope: 'scope-1' } : {}),
  };
}

const blob = { service: 'blob', container: CONTAINER, blob: BLOB } as const;
const SDK_FIXTURES: Fixture[] = VERSIONS.flatMap((version): Fixture[] => [
  {
    name: `container (sr=c), sv=${version}`,
    resource: { service: 'blob', container: CONTAINER },
    make: (key) =>
      generateBlobSASQueryParameters(
        {
          ...extras(version),
          containerName: CONTAINER,
          permissions: ContainerSASPermissions.parse('racwdl'),
        },
        credential(key),
      ).toString(),
  },
  {
    name: `blob (sr=b), sv=${version}`,
    resource: blob,
    make: (key) =>
      generateBlobSASQueryParameters(
        {
          ...extras(version),
          containerName: CONTAINER,
          blobName: BLOB,
          permissions: BlobSASPermissions.parse('rw'),
        },
        credential(key),
      ).toString(),
  },
  ...(version >= '2018-11-09'
    ? [
        {
          name: `blob snapshot (sr=bs), sv=${version}`,
          resource: { ...blob, snapshot: SNAPSHOT },
          make: (key: string) =>
            generateBlobSASQueryParameters(
              {
                ...extras(version),
                containerName: CONTAINER,
                blobName: BLOB,
                snapshotTime: SNAPSHOT,
                permissions: BlobSASPermissions.parse('rd'),
              },
              credential(key),
            ).toString(),
        },
      ]
    : []),
  ...(version >= '2020-10-02'
    ? [
        {
          name: `blob version (sr=bv), sv=${version}`,
          resource: { ...blob, versionId: VERSION_ID },
          make: (key: string) =>
            generateBlobSASQueryParameters(
              {
                ...extras(version),
                containerName: CONTAINER,
                blobName: BLOB,
                versionId: VERSION_ID,
                permissions: BlobSASPermissions.parse('rdx'),
              },
              credential(key),
            ).toString(),
        },
      ]
    : []),
  {
    name: `share (sr=s), sv=${version}`,
    resource: { service: 'file', share: SHARE },
    make: (key) =>
      generateFileSASQueryParameters(
        {
          ...extras(version, false),
          shareName: SHARE,
          permissions: ShareSASPermissions.parse('rcwdl'),
        },
        credential(key),
      ).toString(),
  },
  {
    name: `file (sr=f), sv=${version}`,
    resource: { service: 'file', share: SHARE, file: FILE },
    make: (key) =>
      generateFileSASQueryParameters(
        {
          ...extras(version, false),
          shareName: SHARE,
          filePath: FILE,
          permissions: FileSASPermissions.parse('rcwd'),
        },
        credential(key),
      ).toString(),
  },
  {
    name: `account SAS, sv=${version}`,
    make: (key) =>
      generateAccountSASQueryParameters(
        {
          version,
          services: 'bf',
          resourceTypes: 'sco',
          permissions: AccountSASPermissions.parse('rwdl'),
          startsOn: new Date(Date.now() - HOUR),
          expiresOn: new Date(Date.now() + 24 * HOUR),
          ipRange: { start: '192.168.0.0', end: '192.168.255.255' },
          protocol: SASProtocol.Https,
          ...(version >= '2020-12-06' ? { encryptionScope: 'scope-1' } : {}),
        },
        credential(key),
      ).toString(),
  },
]);

const hmac = (key: string, lines: string[]) =>
  createHmac('sha256', Buffer.from(key, 'base64'))
    .update(lines.join('\n'), 'utf8')
    .digest('base64');

/** Formats the SDK never writes (unsorted permissions, dates without seconds, old versions, `?`). */
const HAND_BUILT: Fixture[] = [
  {
    name: 'container, sv=2012-02-12, a stored access policy',
    resource: { service: 'blob', container: CONTAINER },
    make: (key) =>
      `sv=2012-02-12&sr=c&si=readers&sig=${encodeURIComponent(
        hmac(key, ['', '', '', `/${ACCOUNT}/${CONTAINER}`, 'readers', '2012-02-12']),
      )}`,
  },
  {
    name: 'blob, sv=2013-08-15, permissions out of order, expiry to the minute, leading ?',
    resource: { service: 'blob', container: CONTAINER, blob: 'raw/part 1.csv' },
    make: (key) =>
      `?sv=2013-08-15&sr=b&sp=wr&se=2031-01-01T00%3A00Z&sig=${encodeURIComponent(
        hmac(key, [
          'wr',
          '',
          '2031-01-01T00:00Z',
          `/${ACCOUNT}/${CONTAINER}/raw/part 1.csv`,
          '',
          '2013-08-15',
          '',
          '',
          '',
          '',
          '',
        ]),
      )}`,
  },
  {
    name: 'account SAS, sv=2020-12-06, signature first, date-only expiry',
    make: (key) =>
      `sig=${encodeURIComponent(
        hmac(key, [ACCOUNT, 'lr', 'b', 'c', '', '2031-01-01', '', '', '2020-12-06', '', '']),
      )}&sv=2020-12-06&ss=b&srt=c&sp=lr&se=2031-01-01`,
  },
];

/** The token's query parameters, the signature left out, in their written order. */
const withoutSig = (token: string) =>
  token
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => !p.startsWith('sig='));
const sigOf = (token: string) => /(?:^|[?&])sig=([^&]*)/.exec(token)![1]!;

describe('reissue: a SAS token re-signed by another key', () => {
  for (const fixture of [...SDK_FIXTURES, ...HAND_BUILT]) {
    it(fixture.name, () => {
      const keys: AccountKeys = { key1: newKey(), key2: newKey() };
      const original = fixture.make(keys.key1);
      assert.equal(signedBy(original, ACCOUNT, keys, fixture.resource).signedBy, 'key1');

      const renewed = reissue(original, ACCOUNT, keys.key2, fixture.resource);
      assert.ok(renewed.ok, renewed.ok ? '' : renewed.reason);
      // Every field byte for byte, in the same order; only the signature differs.
      assert.deepEqual(withoutSig(renewed.token), withoutSig(original));
      assert.equal(renewed.token.startsWith('?'), original.startsWith('?'));
      assert.notEqual(sigOf(renewed.token), sigOf(original));
      assert.equal(signedBy(renewed.token, ACCOUNT, keys, fixture.resource).signedBy, 'key2');
      // And back: re-signing with key1 gives the original token.
      const back = reissue(renewed.token, ACCOUNT, keys.key1, fixture.resource);
      assert.ok(back.ok);
      assert.equal(back.token, original);
    });
  }

  it('refuses a user delegation token, and says why', () => {
    const token =
      'sv=2022-11-02&sr=c&sp=r&se=2031-01-01&skoid=a&sktid=b&skt=c&ske=d&sks=b&skv=e&sig=AAAA';
    const result = reissue(token, ACCOUNT, newKey(), { service: 'blob', container: CONTAINER });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /user delegation/);
  });

  it('refuses a service SAS without the resource it is used on, and a version newer than known', () => {
    const key = newKey();
    const noResource = reissue('sv=2020-12-06&sr=c&sp=r&se=2031-01-01&sig=AAAA', ACCOUNT, key);
    assert.equal(noResource.ok, false);
    const newer = reissue('sv=2099-01-01&ss=b&srt=c&sp=r&se=2031-01-01&sig=AAAA', ACCOUNT, key);
    assert.equal(newer.ok, false);
    assert.match(newer.ok ? '' : newer.reason, /newer/);
  });

  it('never puts the key in what it returns', () => {
    const keys: AccountKeys = { key1: newKey(), key2: newKey() };
    const original = SDK_FIXTURES[0]!.make(keys.key1);
    const result = reissue(original, ACCOUNT, keys.key2, SDK_FIXTURES[0]!.resource);
    assert.ok(!JSON.stringify(result).includes(keys.key2));
    assert.ok(!JSON.stringify(result).includes(encodeURIComponent(keys.key2)));
  });
});
