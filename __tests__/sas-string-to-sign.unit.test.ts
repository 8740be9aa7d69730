// Where the string-to-sign of a SAS cannot be rebuilt, each with its reason, and what of the
// resource a consumer points at changes the string and what does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSasToken, stringToSign, type SasResource } from '../src/sas/index.js';

/** The string-to-sign of a token with these fields (and a permission, an expiry, a signature). */
const layOut = (fields: string, resource?: SasResource, account = 'acct') =>
  stringToSign(parseSasToken(`${fields}&sp=r&se=2031-01-01&sig=AAAA`), account, resource);
const reasonOf = (fields: string, resource?: SasResource, account?: string) => {
  const laidOut = layOut(fields, resource, account);
  return laidOut.ok ? undefined : laidOut.reason;
};
const valueOf = (fields: string, resource: SasResource) => {
  const laidOut = layOut(fields, resource);
  assert.ok(laidOut.ok, fields);
  return laidOut.value;
};

const container = { service: 'blob', container: 'c' } as const;
const blob = { service: 'blob', container: 'c', blob: 'dir/x.txt' } as const;
const share = { service: 'file', share: 'data' } as const;

describe('stringToSign: what it cannot rebuild, and why', () => {
  it('a signed version that is not exactly a date, or no account name', () => {
    for (const sv of ['x2020-12-06', '2020-12-06x']) {
      assert.equal(reasonOf(`sv=${sv}&sr=c`, container), 'the signed version (sv) is not a date');
    }
    assert.equal(reasonOf('sv=2020-12-06&sr=c', container, ''), 'the account name is needed');
  });

  it('a file SAS: too old, used without a share, on an empty share, or for a file without its path', () => {
    assert.equal(
      reasonOf('sv=2014-02-14&sr=s', share),
      'a file SAS needs version 2015-02-21 or later',
    );
    const noShare = 'the token is for a file share (sr=s): the share it is used on is needed';
    assert.equal(reasonOf('sv=2020-12-06&sr=s'), noShare);
    assert.equal(reasonOf('sv=2020-12-06&sr=s', container), noShare);
    assert.equal(
      reasonOf('sv=2020-12-06&sr=s', { service: 'file', share: '/' }),
      'the share name is empty',
    );
    assert.equal(
      reasonOf('sv=2020-12-06&sr=f', share),
      'the token is for a file (sr=f): the file path is needed',
    );
  });

  it('a blob SAS: too old for a version or a directory, an empty container, a missing path, snapshot or version ID', () => {
    assert.equal(
      reasonOf('sv=2017-11-09&sr=bv', { ...blob, versionId: 'v' }),
      'sr=bv needs version 2018-11-09 or later',
    );
    assert.equal(
      reasonOf('sv=2019-12-12&sr=d&sdd=1', blob),
      'sr=d needs version 2020-02-10 or later',
    );
    assert.ok(layOut('sv=2020-02-10&sr=d&sdd=1', blob).ok);
    assert.equal(
      reasonOf('sv=2020-12-06&sr=c', { service: 'blob', container: '//' }),
      'the container name is empty',
    );
    assert.equal(
      reasonOf('sv=2020-12-06&sr=d&sdd=1', container),
      'the token is for a directory (sr=d): its path is needed',
    );
    assert.equal(
      reasonOf('sv=2020-12-06&sr=b', container),
      'the token is for a blob (sr=b): its path is needed',
    );
    assert.equal(
      reasonOf('sv=2020-12-06&sr=bs', blob),
      'the token is for a blob snapshot (sr=bs): the snapshot time is needed',
    );
    assert.equal(
      reasonOf('sv=2020-12-06&sr=bv', blob),
      'the token is for a blob version (sr=bv): the version ID is needed',
    );
  });
});

describe('stringToSign: the resource a consumer points at', () => {
  it('slashes around a container or share name, and before a path, change nothing', () => {
    assert.equal(
      valueOf('sv=2020-12-06&sr=b', { service: 'blob', container: '//c//', blob: '//dir/x.txt' }),
      valueOf('sv=2020-12-06&sr=b', blob),
    );
    assert.equal(
      valueOf('sv=2020-12-06&sr=f', { service: 'file', share: '//data//', file: '//d/f.txt' }),
      valueOf('sv=2020-12-06&sr=f', { ...share, file: 'd/f.txt' }),
    );
  });

  it('a snapshot or a version ID is signed only by a token for that snapshot or version', () => {
    assert.equal(
      valueOf('sv=2020-12-06&sr=b', { ...blob, snapshot: '2030-01-01T00:00:00Z', versionId: 'v' }),
      valueOf('sv=2020-12-06&sr=b', blob),
    );
  });
});
