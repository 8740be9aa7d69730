import { userError } from '../arm-errors.js';
import { connectionAuthTypes } from '../scenario-types.js';
import { asObject, type JsonObject } from './common.js';

/** What the ML service checks in workspace connections (WorkspaceConnectionPropertiesV2). */

/** The credential field each auth type cannot do without. */
const requiredSecretField: Record<string, string> = {
  AccountKey: 'key',
  SAS: 'sas',
  ApiKey: 'key',
  PAT: 'pat',
};

/** Credential fields that name something rather than prove it: never remembered as secrets. */
const publicCredentialFields = new Set([
  'username',
  'clientId',
  'tenantId',
  'resourceId',
  'accessKeyId',
  'authUrl',
]);

/** Properties the service computes; ignored in PUT and PATCH bodies. */
export const readOnlyConnectionProperties = ['createdByWorkspaceArmId', 'group'];

/** The spec's spelling of an auth type (ARM enums compare case-insensitively). */
export function canonicalAuthType(value: unknown): string {
  if (typeof value !== 'string' || !value) throw userError("'properties.authType' is required.");
  const known = connectionAuthTypes.find(
    (authType) => authType.toLowerCase() === value.toLowerCase(),
  );
  if (!known)
    throw userError(
      `'${value}' is not a valid authType; use one of ${connectionAuthTypes.join(', ')}.`,
    );
  return known;
}

/** The credentials a connection of this auth type stores, checked for their required secret. */
export function connectionCredentials(authType: string, value: unknown): JsonObject | undefined {
  if (authType === 'None' || authType === 'AAD') return undefined;
  const credentials = asObject(value);
  const field = requiredSecretField[authType];
  if (field && (typeof credentials?.[field] !== 'string' || !credentials[field])) {
    throw userError(`${authType} connections must carry credentials {"${field}": …}.`);
  }
  return credentials && structuredClone(credentials);
}

/** The one secret a test cares about: the key, the SAS token, the client secret… */
export function primarySecret(
  authType: string,
  credentials: JsonObject | undefined,
): string | undefined {
  if (!credentials) return undefined;
  const pick = (field: string) =>
    typeof credentials[field] === 'string' ? (credentials[field] as string) : undefined;
  switch (authType) {
    case 'AccountKey':
    case 'ApiKey':
      return pick('key');
    case 'SAS':
      return pick('sas');
    case 'PAT':
      return pick('pat');
    case 'UsernamePassword':
      return pick('password');
    case 'AccessKey':
      return pick('secretAccessKey');
    case 'ServicePrincipal':
    case 'OAuth2':
      return pick('clientSecret');
    case 'CustomKeys': {
      const first = Object.values(asObject(credentials.keys) ?? {})[0];
      return typeof first === 'string' ? first : undefined;
    }
    default:
      return undefined;
  }
}

/** Every secret value in a credentials object (nested custom keys included). */
export function secretValues(credentials: JsonObject | undefined): string[] {
  if (!credentials) return [];
  return Object.entries(credentials).flatMap(([field, value]) => {
    if (publicCredentialFields.has(field)) return [];
    if (typeof value === 'string') return value ? [value] : [];
    return secretValues(asObject(value));
  });
}

/** Storage account names a connection may point at: its target's host, then metadata AccountName. */
export function connectionAccountCandidates(properties: JsonObject): string[] {
  const candidates: string[] = [];
  const target = properties.target;
  const host = typeof target === 'string' && target ? hostOf(target) : undefined;
  if (host) candidates.push(host.split('.')[0] as string);
  const metadata = asObject(properties.metadata) ?? {};
  for (const [key, value] of Object.entries(metadata))
    if (key.toLowerCase() === 'accountname' && typeof value === 'string') candidates.push(value);
  return candidates;
}

function hostOf(target: string): string | undefined {
  for (const candidate of [target, `https://${target}`]) {
    try {
      return new URL(candidate).hostname || undefined;
    } catch {
      // not a URL yet: try with a scheme
    }
  }
  return undefined;
}
