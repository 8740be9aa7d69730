/**
 * What a SAS consumer reaches, which a service SAS is signed for: the service, and a container or
 * share with maybe a path inside it. The token itself doesn't say which container or blob it is
 * for; the service takes that from the request's URL, so the emulator takes it from the consumer.
 */
export type SasService = 'blob' | 'file';

export interface SasResource {
  readonly service: SasService;
  /** The container (blob) or share (file); undefined when the consumer names only the account. */
  readonly container?: string;
  /** A blob or file path inside it, for tokens signed for one blob or file. */
  readonly path?: string;
}

/** A datastore's resource, from its registered properties (and the path a scenario gave it). */
export function datastoreSasResource(
  properties: Readonly<Record<string, unknown>>,
  path?: string,
): SasResource {
  const text = (field: string) =>
    typeof properties[field] === 'string' ? (properties[field] as string) : undefined;
  switch (properties.datastoreType) {
    case 'AzureFile':
      return { service: 'file', container: text('fileShareName'), path };
    case 'AzureDataLakeGen2':
      return { service: 'blob', container: text('filesystem'), path };
    default:
      return { service: 'blob', container: text('containerName'), path };
  }
}

/**
 * A connection's resource, from its target URL: `https://<account>.<blob|dfs|file>.<suffix>/
 * <container or share>[/<path>]`. A target that is no storage endpoint names only the account.
 */
export function targetSasResource(target: unknown): SasResource {
  if (typeof target !== 'string') return { service: 'blob' };
  let url: URL;
  try {
    url = new URL(target.includes('://') ? target : `https://${target}`);
  } catch {
    return { service: 'blob' };
  }
  const endpoint = /^[^.]+\.(blob|dfs|file)\./i.exec(url.hostname)?.[1]?.toLowerCase();
  if (!endpoint) return { service: 'blob' };
  const [container, ...rest] = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
  return {
    service: endpoint === 'file' ? 'file' : 'blob',
    container,
    path: rest.length > 0 ? rest.join('/') : undefined,
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The storage endpoint URL of a resource, for a connection's target. */
export function sasResourceUrl(account: string, resource: SasResource): string {
  const segments = [resource.container, resource.path].filter((part) => part !== undefined);
  return `https://${account}.${resource.service}.core.windows.net/${segments.join('/')}`;
}
