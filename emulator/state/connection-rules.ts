import { userError } from '../arm-errors.js';
import { targetSasResource, type SasResource } from '../sas/resource.js';
import { connectionAuthTypes, type PutFailure } from '../scenario-types.js';
import { asObject, requireObject, type JsonObject, type SystemData } from './common.js';
import type { AccountState, StorageAccounts } from './storage-accounts.js';

/**
 * What the ML service checks in workspace connections (WorkspaceConnectionPropertiesV2), and how
 * it stores one.
 */

/** A connection as the service stores it. */
export interface ConnectionState {
  id: string;
  name: string;
  workspace: string;
  /** As stored by the service: what the last PUT/PATCH left, without credentials. */
  properties: JsonObject;
  /** The credentials object, secrets included; none for authType None and AAD. */
  credentials?: JsonObject;
  failUpdate?: PutFailure;
  loseUpdate?: boolean;
  systemData: SystemData;
}

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

/** The `properties` of a PUT or PATCH body, without what the service computes itself. */
export function requestProperties(body: unknown): JsonObject {
  const properties = {
    ...requireObject(asObject(body)?.properties, "The request body must contain 'properties'."),
  };
  for (const field of readOnlyConnectionProperties) delete properties[field];
  if (properties.category !== undefined && typeof properties.category !== 'string')
    throw userError("'properties.category' must be a string.");
  return properties;
}

/**
 * What a connection's requests reach: its target's container (or share) and path; a target at the
 * account's root takes the container from metadata ContainerName, as AzureBlob connections keep it.
 */
export function connectionSasResource(properties: JsonObject): SasResource {
  const resource = targetSasResource(properties.target);
  if (resource.container !== undefined) return resource;
  const metadata = asObject(properties.metadata) ?? {};
  const entry = Object.entries(metadata).find(([key]) => key.toLowerCase() === 'containername');
  return typeof entry?.[1] === 'string' ? { ...resource, container: entry[1] } : resource;
}

/** The scenario storage account a connection's target host or metadata AccountName names. */
export function connectionAccount(
  storage: StorageAccounts,
  properties: JsonObject,
): AccountState | undefined {
  for (const candidate of connectionAccountCandidates(properties)) {
    const account = storage.get(candidate);
    if (account) return account;
  }
  return undefined;
}
