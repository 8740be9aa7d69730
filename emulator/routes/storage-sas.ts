import { badRequest } from '../arm-errors.js';
import { json } from '../http.js';
import { defaultSasVersion } from '../sas/scenario.js';
import type { SasKindName } from '../sas/sign.js';
import { ACCOUNT, route, type ArmRoute } from './arm-route.js';

const type = 'Microsoft.Storage/storageAccounts';
type Body = Record<string, string | undefined>;

/**
 * StorageAccounts_ListAccountSAS and _ListServiceSAS: tokens signed by the resource provider with
 * key1 (default) or key2 (`keyToSign`). The signed version ARM uses is not documented; these carry
 * the emulator's default, 2022-11-02.
 */
export const storageSasRoutes: ArmRoute[] = [
  route('POST', `${ACCOUNT}/ListAccountSas`, 'StorageAccounts.listAccountSAS', {
    type,
    action: 'Microsoft.Storage/storageAccounts/ListAccountSas/action',
    scopeDrop: 1,
    handle: ({ world, params, body }) => {
      const account = world.storage.require(
        params.rg as string,
        params.account as string,
        params.sub as string,
      );
      const fields = (body ?? {}) as Body;
      const accountSasToken = world.storage.issueSigned(account, fields.keyToSign, {
        account: account.name.toLowerCase(),
        kind: 'account',
        resource: { service: 'blob' },
        version: defaultSasVersion,
        services: fields.signedServices ?? 'bf',
        resourceTypes: fields.signedResourceTypes ?? 'sco',
        permissions: fields.signedPermission ?? 'rl',
        start: time(fields, 'signedStart'),
        expiry: requiredTime(fields, 'signedExpiry'),
        protocol: fields.signedProtocol ?? 'https',
        ip: fields.signedIp,
      });
      return json(200, { accountSasToken });
    },
  }),
  route('POST', `${ACCOUNT}/ListServiceSas`, 'StorageAccounts.listServiceSAS', {
    type,
    action: 'Microsoft.Storage/storageAccounts/ListServiceSas/action',
    scopeDrop: 1,
    handle: ({ world, params, body }) => {
      const account = world.storage.require(
        params.rg as string,
        params.account as string,
        params.sub as string,
      );
      const fields = (body ?? {}) as Body;
      if (fields.signedIdentifier !== undefined)
        throw badRequest(
          'Stored access policies (signedIdentifier) are not modelled by the emulator.',
          'InvalidValuesForRequestParameters',
        );
      const canonical = /^\/(blob|file)\/([^/]+)\/([^/]+)(?:\/(.+))?$/.exec(
        fields.canonicalizedResource ?? '',
      );
      if (!canonical || canonical[2]?.toLowerCase() !== account.name.toLowerCase())
        throw badRequest(
          `canonicalizedResource must be /blob/${account.name}/<container>[/<blob>] or ` +
            `/file/${account.name}/<share>[/<path>].`,
          'InvalidValuesForRequestParameters',
        );
      const [, service, , container, path] = canonical as unknown as [
        string,
        'blob' | 'file',
        string,
        string,
        string | undefined,
      ];
      const serviceSasToken = world.storage.issueSigned(account, fields.keyToSign, {
        account: account.name.toLowerCase(),
        kind: serviceKind(service, path, fields.signedResource),
        resource: { service, container, path },
        version: defaultSasVersion,
        permissions: fields.signedPermission ?? 'r',
        start: time(fields, 'signedStart'),
        expiry: requiredTime(fields, 'signedExpiry'),
        protocol: fields.signedProtocol ?? 'https',
        ip: fields.signedIp,
      });
      return json(200, { serviceSasToken });
    },
  }),
];

function serviceKind(
  service: 'blob' | 'file',
  path: string | undefined,
  signedResource: string | undefined,
): SasKindName {
  const expected = service === 'blob' ? (path ? 'b' : 'c') : path ? 'f' : 's';
  if (signedResource !== undefined && signedResource !== expected)
    throw badRequest(
      `signedResource ${signedResource} does not match the canonicalizedResource (${expected}).`,
      'InvalidValuesForRequestParameters',
    );
  const kinds: Record<string, SasKindName> = { b: 'blob', c: 'container', f: 'file', s: 'share' };
  return kinds[expected] as SasKindName;
}

function time(fields: Body, name: string): number | undefined {
  const text = fields[name];
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (Number.isNaN(value))
    throw badRequest(`${name} is not a date-time.`, 'InvalidValuesForRequestParameters');
  return value;
}

function requiredTime(fields: Body, name: string): number {
  const value = time(fields, name);
  if (value === undefined)
    throw badRequest(`${name} is required.`, 'InvalidValuesForRequestParameters');
  return value;
}
