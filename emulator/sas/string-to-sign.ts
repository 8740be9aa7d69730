import type { SasResource } from './resource.js';

/**
 * The string-to-sign of each kind of SAS, per signed version (`sv`), written from the storage
 * service's documentation: "Create an account SAS", "Create a service SAS" (Blob and Files) and
 * "Create a user delegation SAS" on learn.microsoft.com/rest/api/storageservices. Every field is
 * the token's own decoded value; a field the token lacks is an empty line. Each layout is checked
 * against tokens of @azure/storage-blob and @azure/storage-file-share in emulator-sas.test.ts.
 *
 * Where the layout changes:
 * - account SAS: 2020-12-06 adds `ses` (signed encryption scope).
 * - Blob service SAS: 2018-11-09 adds `sr` and the snapshot time; 2020-12-06 adds `ses`.
 * - Files service SAS: one layout from 2015-04-05 (no `sr`).
 * - user delegation SAS (Blob, from 2018-11-09): 2020-02-10 adds `saoid`, `suoid`, `scid`;
 *   2020-12-06 adds `ses`; 2025-07-05 adds `skdutid`, `sduoid`; 2026-04-06 adds the signed
 *   request headers and query parameters (`srh`, `srq`). Files user delegation SAS: 2025-07-05.
 */

export type SasLayout = 'account' | 'service' | 'user delegation';

export type StringToSign = { ok: true; text: string } | { ok: false; reason: string };

/** The oldest signed version whose string-to-sign the emulator knows (canonical `/blob/…` names). */
export const oldestSasVersion = '2015-04-05';
/** The first signed version with user delegation SAS, for Blob and for Files. */
export const oldestUserDelegationVersion = { blob: '2018-11-09', file: '2025-07-05' } as const;

export function layoutOf(fields: ReadonlyMap<string, string>): SasLayout | undefined {
  if (fields.has('skoid')) return 'user delegation';
  if (fields.has('sr')) return 'service';
  if (fields.has('ss') || fields.has('srt')) return 'account';
  return undefined;
}

export function stringToSign(
  fields: ReadonlyMap<string, string>,
  account: string,
  resource: SasResource,
): StringToSign {
  const version = fields.get('sv') ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) return fail('sv is missing or not a version');
  if (version < oldestSasVersion) return fail(`signed version ${version} is older than supported`);
  const field = (name: string) => fields.get(name) ?? '';
  const layout = layoutOf(fields);
  if (layout === undefined) return fail('neither sr, ss/srt nor skoid: not a Blob or Files SAS');
  if (layout === 'account') return accountStringToSign(field, account, version, resource);

  const canonical = canonicalResource(field('sr'), account, resource);
  if (!canonical.ok) return canonical;
  const head = [field('sp'), field('st'), field('se'), canonical.text];
  const headers = ['rscc', 'rscd', 'rsce', 'rscl', 'rsct'].map(field);
  const atLeast = (since: string) => version >= since;

  if (layout === 'service') {
    const signed = [field('si'), field('sip'), field('spr'), version];
    if (resource.service === 'file') return ok([...head, ...signed, ...headers]);
    // The snapshot time: empty, as snapshot and version tokens (sr=bs, bv) are refused above.
    const resourceFields = atLeast('2018-11-09') ? [field('sr'), ''] : [];
    const scope = atLeast('2020-12-06') ? [field('ses')] : [];
    return ok([...head, ...signed, ...resourceFields, ...scope, ...headers]);
  }

  if (!atLeast(oldestUserDelegationVersion[resource.service]))
    return fail(`no user delegation SAS for ${resource.service} at version ${version}`);
  const key = ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv'].map(field);
  const protocol = [field('sip'), field('spr'), version];
  if (resource.service === 'file')
    return ok([...head, ...key, field('skdutid'), field('sduoid'), ...protocol, ...headers]);
  const agents = atLeast('2020-02-10') ? [field('saoid'), field('suoid'), field('scid')] : [];
  const delegated = atLeast('2025-07-05') ? [field('skdutid'), field('sduoid')] : [];
  const resourceFields = [field('sr'), ''];
  const scope = atLeast('2020-12-06') ? [field('ses')] : [];
  if (atLeast('2026-04-06') && (fields.has('srh') || fields.has('srq')))
    return fail('signed request headers or query parameters: their values are not in the token');
  const request = atLeast('2026-04-06') ? ['', ''] : [];
  return ok([
    ...head,
    ...key,
    ...agents,
    ...delegated,
    ...protocol,
    ...resourceFields,
    ...scope,
    ...request,
    ...headers,
  ]);
}

function accountStringToSign(
  field: (name: string) => string,
  account: string,
  version: string,
  resource: SasResource,
): StringToSign {
  const serviceLetter = resource.service === 'file' ? 'f' : 'b';
  if (!field('ss').includes(serviceLetter))
    return fail(`the account SAS is not for the ${resource.service} service (ss=${field('ss')})`);
  const scope = version >= '2020-12-06' ? [field('ses')] : [];
  const signed = [field('sp'), field('ss'), field('srt'), field('st'), field('se')];
  // The trailing empty line is part of the documented layout.
  return ok([account, ...signed, field('sip'), field('spr'), version, ...scope, '']);
}

/** `/blob/<account>/<container>[/<blob>]` or `/file/<account>/<share>[/<file>]`. */
function canonicalResource(sr: string, account: string, resource: SasResource): StringToSign {
  const forService: Record<string, { service: string; withPath: boolean }> = {
    c: { service: 'blob', withPath: false },
    b: { service: 'blob', withPath: true },
    s: { service: 'file', withPath: false },
    f: { service: 'file', withPath: true },
  };
  const expected = forService[sr];
  if (!expected) return fail(`signed resource sr=${sr} is not one the emulator signs or checks`);
  if (expected.service !== resource.service)
    return fail(`sr=${sr} is a ${expected.service} SAS; the consumer uses ${resource.service}`);
  if (!resource.container)
    return fail('the consumer names no container or share for this service SAS');
  const base = `/${resource.service}/${account}/${resource.container}`;
  if (!expected.withPath) return ok([base]);
  if (!resource.path) return fail(`sr=${sr} signs one blob or file; the consumer names none`);
  return ok([`${base}/${resource.path}`]);
}

function ok(lines: string[]): StringToSign {
  return { ok: true, text: lines.join('\n') };
}

function fail(reason: string): StringToSign {
  return { ok: false, reason };
}
