// The string a SAS signature is computed over, rebuilt from the token's own literal values.
// Field lists: the REST docs "Create a service SAS" and "Create an account SAS", checked against
// @azure/storage-blob's BlobSASSignatureValues/AccountSASSignatureValues and
// @azure/storage-file-share's FileSASSignatureValues (12.32–12.34).
import type { ParsedSas } from './token.js';

/**
 * What the consumer points at, which the token itself doesn't say: a service SAS signs the path of
 * its container, blob, directory, share or file. Names are URL-decoded; a leading `/` is ignored.
 * Give what you know — for a container-level token (`sr=c`, a datastore) the container is enough,
 * and a longer path is ignored when the token is for the container.
 */
export type SasResource =
  | {
      readonly service: 'blob';
      /** The container (ADLS Gen2: the file system). */
      readonly container: string;
      /** The blob or directory path inside it, for `sr=b`, `bs`, `bv`, `d`. */
      readonly blob?: string;
      /** The URL's `snapshot`, for `sr=bs`. */
      readonly snapshot?: string;
      /** The URL's `versionid`, for `sr=bv`. */
      readonly versionId?: string;
    }
  | {
      readonly service: 'file';
      readonly share: string;
      /** The file path inside the share (`dir/name.txt`), for `sr=f`. */
      readonly file?: string;
    };

export type StringToSign =
  | {
      readonly ok: true;
      readonly value: string;
      /** Which layout was used, e.g. "blob service SAS, 2018-11-09 layout". */
      readonly layout: string;
      /** The token's version is newer than any this module knows; the newest layout was used. */
      readonly newerThanKnown: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The newest signed version whose layout this module has checked (@azure/storage-blob 12.34.0's
 * default). Key-signed layouts have not changed since 2020-12-06.
 */
export const LATEST_KNOWN_VERSION = '2026-10-06';

const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const BLOB_RESOURCES = ['c', 'b', 'bs', 'bv', 'd'];
const FILE_RESOURCES = ['s', 'f'];
const RESPONSE_HEADERS = ['rscc', 'rscd', 'rsce', 'rscl', 'rsct'];

/**
 * Rebuilds the string-to-sign of a key-signed SAS (service SAS for blob or file, or account SAS)
 * from the parsed token, the account name and, for a service SAS, the resource it is used on.
 */
export function stringToSign(
  parsed: ParsedSas,
  account: string,
  resource?: SasResource,
): StringToSign {
  const [problem] = parsed.problems;
  if (problem !== undefined) return fail(problem);
  if (parsed.kind === 'user delegation') {
    return fail('a user delegation SAS is signed with a user delegation key, not an account key');
  }
  if (parsed.kind === 'other') {
    return fail('neither a service SAS (sr) nor an account SAS (ss, srt): not a blob or file SAS');
  }
  const version = parsed.version;
  if (version === undefined) {
    return fail('there is no signed version (sv): a SAS older than 2012-02-12 is not supported');
  }
  if (!VERSION.test(version)) return fail('the signed version (sv) is not a date');
  if (account === '') return fail('the account name is needed');

  const field = (name: string) => parsed.params.get(name) ?? '';
  const newerThanKnown = version > LATEST_KNOWN_VERSION;
  const done = (fields: string[], layout: string): StringToSign => ({
    ok: true,
    value: fields.join('\n'),
    layout,
    newerThanKnown,
  });

  if (parsed.kind === 'account') {
    if (version < '2015-04-05') return fail(`an account SAS needs version 2015-04-05 or later`);
    const common = ['sp', 'ss', 'srt', 'st', 'se', 'sip', 'spr', 'sv'].map(field);
    // Both layouts end with a newline: the empty string after the last '\n'.
    return version >= '2020-12-06'
      ? done([account, ...common, field('ses'), ''], 'account SAS, 2020-12-06 layout')
      : done([account, ...common, ''], 'account SAS, 2015-04-05 layout');
  }

  const sr = parsed.resource ?? '';
  const path = canonicalPath(sr, version, account, resource);
  if (!path.ok) return path;
  const head = [field('sp'), field('st'), field('se'), path.value, field('si')];
  const headers = RESPONSE_HEADERS.map(field);
  const service = FILE_RESOURCES.includes(sr) ? 'file' : 'blob';

  if (service === 'file') {
    if (version >= '2015-04-05') {
      return done(
        [...head, field('sip'), field('spr'), version, ...headers],
        'file service SAS, 2015-04-05 layout',
      );
    }
    return done([...head, version, ...headers], 'file service SAS, 2015-02-21 layout');
  }

  if (version >= '2018-11-09') {
    const blob = resource?.service === 'blob' ? resource : undefined;
    const timestamp =
      sr === 'bs' ? (blob?.snapshot ?? '') : sr === 'bv' ? (blob?.versionId ?? '') : '';
    const middle = [field('sip'), field('spr'), version, sr, timestamp];
    return version >= '2020-12-06'
      ? done([...head, ...middle, field('ses'), ...headers], 'blob service SAS, 2020-12-06 layout')
      : done([...head, ...middle, ...headers], 'blob service SAS, 2018-11-09 layout');
  }
  if (version >= '2015-04-05') {
    return done(
      [...head, field('sip'), field('spr'), version, ...headers],
      'blob service SAS, 2015-04-05 layout',
    );
  }
  if (version >= '2013-08-15') {
    return done([...head, version, ...headers], 'blob service SAS, 2013-08-15 layout');
  }
  return done([...head, version], 'blob service SAS, 2012-02-12 layout');
}

/** The canonicalized resource: `/blob/<account>/<container>[/<blob>]`, `/file/…`, or before 2015-02-21 `/<account>/…`. */
function canonicalPath(
  sr: string,
  version: string,
  account: string,
  resource: SasResource | undefined,
): StringToSign {
  const value = (text: string) =>
    ({ ok: true, value: text, layout: '', newerThanKnown: false }) as const;

  if (FILE_RESOURCES.includes(sr)) {
    if (version < '2015-02-21') return fail('a file SAS needs version 2015-02-21 or later');
    if (resource?.service !== 'file') {
      return fail(`the token is for a file share (sr=${sr}): the share it is used on is needed`);
    }
    const share = trimSlashes(resource.share);
    if (share === '') return fail('the share name is empty');
    if (sr === 's') return value(`/file/${account}/${share}`);
    const file = trimLeadingSlashes(resource.file ?? '');
    if (file === '') return fail('the token is for a file (sr=f): the file path is needed');
    return value(`/file/${account}/${share}/${file}`);
  }

  if (!BLOB_RESOURCES.includes(sr)) {
    return fail('the signed resource (sr) is not one of c, b, bs, bv, d, s, f');
  }
  if (version < '2012-02-12') return fail('a service SAS older than 2012-02-12 is not supported');
  if ((sr === 'bs' || sr === 'bv') && version < '2018-11-09') {
    return fail(`sr=${sr} needs version 2018-11-09 or later`);
  }
  if (sr === 'd' && version < '2020-02-10') return fail('sr=d needs version 2020-02-10 or later');
  if (resource?.service !== 'blob') {
    return fail(`the token is for blob storage (sr=${sr}): the container it is used on is needed`);
  }
  const container = trimSlashes(resource.container);
  if (container === '') return fail('the container name is empty');
  const prefix = version >= '2015-02-21' ? `/blob/${account}` : `/${account}`;
  if (sr === 'c') return value(`${prefix}/${container}`);

  const blob = trimLeadingSlashes(resource.blob ?? '');
  const what = sr === 'd' ? 'directory' : 'blob';
  if (blob === '') return fail(`the token is for a ${what} (sr=${sr}): its path is needed`);
  if (sr === 'bs' && !resource.snapshot) {
    return fail('the token is for a blob snapshot (sr=bs): the snapshot time is needed');
  }
  if (sr === 'bv' && !resource.versionId) {
    return fail('the token is for a blob version (sr=bv): the version ID is needed');
  }
  return value(`${prefix}/${container}/${blob}`);
}

function fail(reason: string): StringToSign {
  return { ok: false, reason };
}

function trimLeadingSlashes(text: string): string {
  return text.replace(/^\/+/, '');
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}
