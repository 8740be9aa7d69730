// Which key signed a SAS token, checked against tokens made by the Azure storage SDKs
// (@azure/storage-blob 12.32, @azure/storage-file-share 12.31) with keys generated here.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AccountSASPermissions,
  BlobSASPermissions,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  type UserDelegationKey,
} from '@azure/storage-blob';
import {
  FileSASPermissions,
  ShareSASPermissions,
  generateAccountSASQueryParameters as generateFileAccountSAS,
  generateFileSASQueryParameters,
} from '@azure/storage-file-share';
import {
  parseSasToken,
  signedBy,
  storageTargetFromUrl,
  stringToSign,
  type AccountKeys,
  type SasResource,
  type SasVerdict,
} from '../src/sas/index.js';

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

/** A token signed by key1, one by key2 and one by an unrelated key, from the same maker. */
function threeWays(make: (key: string) => string) {
  const keys: AccountKeys = { key1: newKey(), key2: newKey() };
  return {
    keys,
    byKey1: make(keys.key1),
    byKey2: make(keys.key2),
    byOther: make(newKey()),
  };
}

/** Neither the token nor its signature (raw or decoded) appears in what the module returns. */
function assertNothingSecret(token: string, ...outputs: unknown[]) {
  const sig = /(?:^|[?&])sig=([^&]*)/.exec(token)?.[1] ?? '';
  assert.ok(sig.length > 20, 'the test token has a signature');
  const secrets = [token, sig, decodeURIComponent(sig)];
  for (const output of outputs) {
    const text = JSON.stringify(output, (_key, value: unknown) =>
      value instanceof Map ? [...value] : value,
    );
    for (const secret of secrets) assert.ok(!text.includes(secret), 'no token or signature leaks');
  }
}

function assertSignedBy(
  made: ReturnType<typeof threeWays>,
  resource: SasResource | undefined,
  layout: string,
) {
  const verdicts: SasVerdict[] = [];
  for (const [token, expected] of [
    [made.byKey1, 'key1'],
    [made.byKey2, 'key2'],
    [made.byOther, 'neither'],
  ] as const) {
    const verdict = signedBy(token, ACCOUNT, made.keys, resource);
    assert.equal(verdict.signedBy, expected, verdict.reason);
    assert.equal(verdict.expired, false);
    assertNothingSecret(token, verdict, parseSasToken(token));
    verdicts.push(verdict);
  }
  const text = stringToSign(parseSasToken(made.byKey1), ACCOUNT, resource);
  assert.ok(text.ok);
  assert.equal(text.layout, layout);
  return verdicts;
}

const blobLayout = (version: string) =>
  version >= '2020-12-06'
    ? 'blob service SAS, 2020-12-06 layout'
    : version >= '2018-11-09'
      ? 'blob service SAS, 2018-11-09 layout'
      : 'blob service SAS, 2015-04-05 layout';

// The first and last version of each layout, some in between, the SDK's default and the newest known.
const BLOB_VERSIONS = [
  '2015-04-05',
  '2017-11-09',
  '2018-03-28',
  '2018-11-09',
  '2019-02-02',
  '2019-12-12',
  '2020-10-02',
  '2020-12-06',
  '2021-08-06',
  '2023-11-03',
  '2025-07-05',
  '2026-04-06',
  '2026-10-06',
];

/** Every optional field the SDK signs, with characters that need percent-encoding. */
function blobExtras(version: string) {
  const now = Date.now();
  return {
    version,
    startsOn: new Date(now - HOUR),
    expiresOn: new Date(now + 30 * 24 * HOUR),
    ipRange: { start: '10.0.0.1', end: '10.0.0.254' },
    protocol: SASProtocol.HttpsAndHttp,
    cacheControl: 'no-cache',
    contentDisposition: 'attachment; filename="a b.csv"',
    contentEncoding: 'gzip',
    contentLanguage: 'en-US',
    contentType: 'text/csv; charset=utf-8',
    ...(version >= '2020-12-06' ? { encryptionScope: 'scope-1' } : {}),
  };
}

describe('SAS signed by which key: blob service SAS made by @azure/storage-blob', () => {
  const containerResource: SasResource = { service: 'blob', container: CONTAINER };
  const blobResource: SasResource = { service: 'blob', container: CONTAINER, blob: BLOB };

  for (const version of BLOB_VERSIONS) {
    it(`container (sr=c), sv=${version}`, () => {
      const made = threeWays((key) =>
        generateBlobSASQueryParameters(
          {
            ...blobExtras(version),
            containerName: CONTAINER,
            permissions: ContainerSASPermissions.parse('racwdl'),
          },
          credential(key),
        ).toString(),
      );
      assert.equal(parseSasToken(made.byKey1).resource, 'c');
      assertSignedBy(made, containerResource, blobLayout(version));
    });

    it(`blob (sr=b), sv=${version}`, () => {
      const made = threeWays((key) =>
        generateBlobSASQueryParameters(
          {
            ...blobExtras(version),
            containerName: CONTAINER,
            blobName: BLOB,
            permissions: BlobSASPermissions.parse('racwd'),
          },
          credential(key),
        ).toString(),
      );
      assert.equal(parseSasToken(made.byKey1).resource, 'b');
      assertSignedBy(made, blobResource, blobLayout(version));
    });

    if (version >= '2018-11-09') {
      it(`blob snapshot (sr=bs), sv=${version}`, () => {
        const made = threeWays((key) =>
          generateBlobSASQueryParameters(
            {
              ...blobExtras(version),
              containerName: CONTAINER,
              blobName: BLOB,
              snapshotTime: SNAPSHOT,
              permissions: BlobSASPermissions.parse('rd'),
            },
            credential(key),
          ).toString(),
        );
        assert.equal(parseSasToken(made.byKey1).resource, 'bs');
        assertSignedBy(made, { ...blobResource, snapshot: SNAPSHOT }, blobLayout(version));
      });
    }

    if (version >= '2019-10-10') {
      it(`blob version (sr=bv), sv=${version}`, () => {
        const made = threeWays((key) =>
          generateBlobSASQueryParameters(
            {
              ...blobExtras(version),
              containerName: CONTAINER,
              blobName: BLOB,
              versionId: VERSION_ID,
              permissions: BlobSASPermissions.parse('rdx'),
            },
            credential(key),
          ).toString(),
        );
        assert.equal(parseSasToken(made.byKey1).resource, 'bv');
        assertSignedBy(made, { ...blobResource, versionId: VERSION_ID }, blobLayout(version));
      });
    }
  }

  it('the SDK default version, bare (only permissions and expiry)', () => {
    const made = threeWays((key) =>
      generateBlobSASQueryParameters(
        {
          containerName: CONTAINER,
          permissions: ContainerSASPermissions.parse('rl'),
          expiresOn: new Date(Date.now() + HOUR),
        },
        credential(key),
      ).toString(),
    );
    assert.equal(parseSasToken(made.byKey1).version, '2026-04-06');
    assertSignedBy(made, containerResource, 'blob service SAS, 2020-12-06 layout');
  });
});

const FILE_VERSIONS = ['2015-04-05', '2017-11-09', '2019-02-02', '2020-12-06', '2026-04-06'];

describe('SAS signed by which key: file service SAS made by @azure/storage-file-share', () => {
  for (const version of FILE_VERSIONS) {
    const extras = () => {
      const { encryptionScope: _none, ...rest } = blobExtras(version) as ReturnType<
        typeof blobExtras
      > & { encryptionScope?: string };
      return rest;
    };

    it(`share (sr=s), sv=${version}`, () => {
      const made = threeWays((key) =>
        generateFileSASQueryParameters(
          { ...extras(), shareName: SHARE, permissions: ShareSASPermissions.parse('rcwdl') },
          credential(key),
        ).toString(),
      );
      assert.equal(parseSasToken(made.byKey1).resource, 's');
      assertSignedBy(
        made,
        { service: 'file', share: SHARE },
        'file service SAS, 2015-04-05 layout',
      );
    });

    it(`file (sr=f), sv=${version}`, () => {
      const made = threeWays((key) =>
        generateFileSASQueryParameters(
          {
            ...extras(),
            shareName: SHARE,
            filePath: FILE,
            permissions: FileSASPermissions.parse('rcwd'),
          },
          credential(key),
        ).toString(),
      );
      assert.equal(parseSasToken(made.byKey1).resource, 'f');
      assertSignedBy(
        made,
        { service: 'file', share: SHARE, file: FILE },
        'file service SAS, 2015-04-05 layout',
      );
    });
  }
});

const ACCOUNT_VERSIONS = [
  '2015-04-05',
  '2017-11-09',
  '2019-12-12',
  '2020-10-02',
  '2020-12-06',
  '2023-11-03',
  '2026-04-06',
  '2026-10-06',
];

describe('SAS signed by which key: account SAS', () => {
  for (const version of ACCOUNT_VERSIONS) {
    it(`account SAS (ss, srt), sv=${version}`, () => {
      const now = Date.now();
      const made = threeWays((key) =>
        generateAccountSASQueryParameters(
          {
            version,
            services: 'bfqt',
            resourceTypes: 'sco',
            permissions: AccountSASPermissions.parse('rwdlacup'),
            startsOn: new Date(now - HOUR),
            expiresOn: new Date(now + 24 * HOUR),
            ipRange: { start: '192.168.0.0', end: '192.168.255.255' },
            protocol: SASProtocol.Https,
            ...(version >= '2020-12-06' ? { encryptionScope: 'scope-1' } : {}),
          },
          credential(key),
        ).toString(),
      );
      const parsed = parseSasToken(made.byKey1);
      assert.equal(parsed.kind, 'account');
      assert.equal(parsed.encryptionScope, version >= '2020-12-06' ? 'scope-1' : undefined);
      // An account SAS signs no resource path: none is needed, and one given is ignored.
      const layout = `account SAS, ${version >= '2020-12-06' ? '2020-12-06' : '2015-04-05'} layout`;
      assertSignedBy(made, undefined, layout);
      assertSignedBy(made, { service: 'blob', container: 'elsewhere' }, layout);
    });
  }

  it('made by @azure/storage-file-share too', () => {
    const made = threeWays((key) =>
      generateFileAccountSAS(
        {
          services: 'f',
          resourceTypes: 'co',
          permissions: AccountSASPermissions.parse('rl'),
          expiresOn: new Date(Date.now() + HOUR),
        },
        credential(key),
      ).toString(),
    );
    assertSignedBy(made, undefined, 'account SAS, 2020-12-06 layout');
  });

  it('for another account it matches neither key', () => {
    const made = threeWays((key) =>
      generateAccountSASQueryParameters(
        {
          services: 'b',
          resourceTypes: 'c',
          permissions: AccountSASPermissions.parse('r'),
          expiresOn: new Date(Date.now() + HOUR),
        },
        credential(key),
      ).toString(),
    );
    assert.equal(signedBy(made.byKey1, 'otheraccount', made.keys).signedBy, 'neither');
  });
});

describe('SAS signed by which key: what the consumer knows', () => {
  const containerToken = threeWays((key) =>
    generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse('rl'),
        expiresOn: new Date(Date.now() + HOUR),
      },
      credential(key),
    ).toString(),
  );
  const blobToken = threeWays((key) =>
    generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: BLOB,
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + HOUR),
      },
      credential(key),
    ).toString(),
  );

  it("a datastore's container is enough for a container token (sr=c)", () => {
    const verdict = signedBy(containerToken.byKey2, ACCOUNT, containerToken.keys, {
      service: 'blob',
      container: CONTAINER,
    });
    assert.equal(verdict.signedBy, 'key2');
  });

  it("a connection's target URL gives the resource, its path ignored for sr=c", () => {
    const blobUrl = `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}/${encodeURI(BLOB)}`;
    const target = storageTargetFromUrl(blobUrl);
    assert.ok(target?.resource);
    assert.equal(target.account, ACCOUNT);
    assert.deepEqual(target.resource, {
      service: 'blob',
      container: CONTAINER,
      blob: BLOB,
      snapshot: undefined,
      versionId: undefined,
    });
    const { keys } = containerToken;
    assert.equal(signedBy(containerToken.byKey1, ACCOUNT, keys, target.resource).signedBy, 'key1');
    assert.equal(
      signedBy(blobToken.byKey1, ACCOUNT, blobToken.keys, target.resource).signedBy,
      'key1',
    );
  });

  it('the same token used on another container matches neither key', () => {
    const verdict = signedBy(containerToken.byKey1, ACCOUNT, containerToken.keys, {
      service: 'blob',
      container: 'other',
    });
    assert.equal(verdict.signedBy, 'neither');
    assert.match(verdict.reason ?? '', /neither key for this resource/);
  });

  it('unknown, with the reason, when the resource is missing or not enough', () => {
    const cases: [string, SasResource | undefined, RegExp][] = [
      [containerToken.byKey1, undefined, /container it is used on is needed/],
      [containerToken.byKey1, { service: 'file', share: SHARE }, /container it is used on/],
      [blobToken.byKey1, { service: 'blob', container: CONTAINER }, /blob \(sr=b\): its path/],
    ];
    for (const [token, resource, reason] of cases) {
      const verdict = signedBy(token, ACCOUNT, containerToken.keys, resource);
      assert.equal(verdict.signedBy, 'unknown');
      assert.match(verdict.reason ?? '', reason);
      assertNothingSecret(token, verdict);
    }
  });

  it('a snapshot or version token needs the snapshot time or version ID', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const token = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: BLOB,
        snapshotTime: SNAPSHOT,
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + HOUR),
      },
      credential(keys.key1),
    ).toString();
    const resource: SasResource = { service: 'blob', container: CONTAINER, blob: BLOB };
    assert.equal(signedBy(token, ACCOUNT, keys, resource).signedBy, 'unknown');
    const url = `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}/${encodeURI(BLOB)}?snapshot=${encodeURIComponent(SNAPSHOT)}`;
    assert.equal(
      signedBy(token, ACCOUNT, keys, storageTargetFromUrl(url)?.resource).signedBy,
      'key1',
    );
  });

  it('a leading ? and a whole SAS URL are read the same', () => {
    const { byKey1, keys } = containerToken;
    const resource: SasResource = { service: 'blob', container: CONTAINER };
    for (const token of [
      `?${byKey1}`,
      `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}?${byKey1}`,
    ]) {
      assert.equal(signedBy(token, ACCOUNT, keys, resource).signedBy, 'key1');
    }
  });
});

describe('SAS signed by which key: expiry, stored policies, user delegation', () => {
  it('an expired token still tells its key, and says it expired', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const expiresOn = new Date(Date.now() - 24 * HOUR);
    const token = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse('rl'),
        startsOn: new Date(expiresOn.getTime() - 24 * HOUR),
        expiresOn,
      },
      credential(keys.key2),
    ).toString();
    const verdict = signedBy(token, ACCOUNT, keys, { service: 'blob', container: CONTAINER });
    assert.equal(verdict.signedBy, 'key2');
    assert.equal(verdict.expired, true);
    assert.equal(verdict.expiresOn?.getTime(), Math.floor(expiresOn.getTime() / 1000) * 1000);
  });

  it('expired is measured against the given now: valid until se, expired at se', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const expiresOn = new Date('2031-03-01T12:00:00Z');
    const token = generateBlobSASQueryParameters(
      { containerName: CONTAINER, permissions: ContainerSASPermissions.parse('r'), expiresOn },
      credential(keys.key1),
    ).toString();
    const resource: SasResource = { service: 'blob', container: CONTAINER };
    const before = signedBy(token, ACCOUNT, keys, resource, new Date(expiresOn.getTime() - 1000));
    const at = signedBy(token, ACCOUNT, keys, resource, expiresOn);
    assert.deepEqual([before.expired, at.expired], [false, true]);
    assert.deepEqual(before.expiresOn, expiresOn);
  });

  it('a token on a stored access policy: its key, and no expiry of its own', () => {
    const keys = { key1: newKey(), key2: newKey() };
    const token = generateBlobSASQueryParameters(
      { containerName: CONTAINER, identifier: 'read-only' },
      credential(keys.key1),
    ).toString();
    const verdict = signedBy(token, ACCOUNT, keys, { service: 'blob', container: CONTAINER });
    assert.equal(verdict.signedBy, 'key1');
    assert.equal(verdict.policy, 'read-only');
    assert.equal(verdict.expiresOn, undefined);
    assert.equal(verdict.expired, false);
  });

  const userDelegationKey = (signedVersion: string, service: string): UserDelegationKey => ({
    signedObjectId: randomUUID(),
    signedTenantId: randomUUID(),
    signedStartsOn: new Date(Date.now() - HOUR),
    signedExpiresOn: new Date(Date.now() + 24 * HOUR),
    signedService: service,
    signedVersion,
    value: newKey(),
  });

  for (const version of ['2018-11-09', '2020-02-10', '2020-12-06', '2026-04-06']) {
    it(`a user delegation SAS (blob, sv=${version}) is not signed by an account key`, () => {
      const keys = { key1: newKey(), key2: newKey() };
      const expiresOn = new Date(Date.now() + 2 * HOUR);
      const token = generateBlobSASQueryParameters(
        {
          version,
          containerName: CONTAINER,
          permissions: ContainerSASPermissions.parse('rl'),
          expiresOn,
        },
        userDelegationKey(version, 'b'),
        ACCOUNT,
      ).toString();
      const verdict = signedBy(token, ACCOUNT, keys, { service: 'blob', container: CONTAINER });
      assert.equal(verdict.signedBy, 'user delegation');
      assert.equal(verdict.kind, 'user delegation');
      assert.equal(verdict.expired, false);
      assert.equal(verdict.expiresOn?.getTime(), Math.floor(expiresOn.getTime() / 1000) * 1000);
      assertNothingSecret(token, verdict);
    });
  }

  it('a user delegation SAS for a file (sv=2025-07-05) is not signed by an account key', () => {
    const token = generateFileSASQueryParameters(
      {
        version: '2025-07-05',
        shareName: SHARE,
        filePath: FILE,
        permissions: FileSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + HOUR),
      },
      userDelegationKey('2025-07-05', 'f'),
      ACCOUNT,
    ).toString();
    const keys = { key1: newKey(), key2: newKey() };
    const verdict = signedBy(token, ACCOUNT, keys, { service: 'file', share: SHARE, file: FILE });
    assert.equal(verdict.signedBy, 'user delegation');
  });
});
