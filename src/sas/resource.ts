// The resource a service SAS is used on, read from a storage URL (a connection's target).
import type { SasResource } from './string-to-sign.js';

export interface StorageTarget {
  readonly account: string;
  /** Undefined for the account's root URL: only an account SAS works there. */
  readonly resource?: SasResource;
}

/**
 * Reads `https://<account>.blob|dfs|file.<suffix>/<container or share>[/<path>]` (any cloud's
 * suffix), with `snapshot` and `versionid` from its query. Undefined for anything else, such as
 * an emulator's path-style URL: build the SasResource by hand then.
 */
export function storageTargetFromUrl(url: string): StorageTarget | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const [account, endpoint] = parsed.hostname.toLowerCase().split('.');
  if (!account || !endpoint) return undefined;
  const service =
    endpoint === 'blob' || endpoint === 'dfs' ? 'blob' : endpoint === 'file' ? 'file' : undefined;
  if (service === undefined) return undefined;

  const segments: string[] = [];
  for (const segment of parsed.pathname.split('/').filter((s) => s !== '')) {
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      return undefined;
    }
  }
  const [first, ...rest] = segments;
  if (first === undefined) return { account };
  const path = rest.length > 0 ? rest.join('/') : undefined;
  if (service === 'file') return { account, resource: { service, share: first, file: path } };
  const snapshot = parsed.searchParams.get('snapshot') ?? undefined;
  const versionId = parsed.searchParams.get('versionid') ?? undefined;
  return { account, resource: { service, container: first, blob: path, snapshot, versionId } };
}
