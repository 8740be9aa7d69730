import { userError } from '../arm-errors.js';
import type { DatastoreScenario, PutFailure } from '../scenario-types.js';
import { asObject, type JsonObject, type SystemData } from './common.js';

/** What the ML service checks in and fills into datastore registrations, and how it stores one. */

/** A datastore as the service stores it. */
export interface DatastoreState {
  id: string;
  name: string;
  workspace: string;
  /** As stored by the service: what the last PUT sent, credentials without secrets. */
  properties: Record<string, unknown>;
  secret?: string;
  /** The blob or file a scenario's one-blob (or one-file) SAS is for; kept across PUTs. */
  sasPath?: string;
  failPut?: PutFailure;
  /** PUTs answer 200 but keep the old secret. */
  loseUpdate?: boolean;
  systemData: SystemData;
}

export function expandCopies(datastores: DatastoreScenario[]): DatastoreScenario[] {
  return datastores.flatMap((datastore) => {
    if (!datastore.copies || datastore.copies <= 1) return [datastore];
    const width = String(datastore.copies).length;
    return Array.from({ length: datastore.copies }, (_, index) => ({
      ...datastore,
      copies: undefined,
      name: `${datastore.name}_${String(index + 1).padStart(Math.max(2, width), '0')}`,
    }));
  });
}

export function typeDefaults(datastoreType: string): JsonObject {
  switch (datastoreType) {
    case 'AzureBlob':
    case 'AzureFile':
    case 'AzureDataLakeGen2':
      return {
        endpoint: 'core.windows.net',
        protocol: 'https',
        serviceDataAccessAuthIdentity: 'None',
      };
    default:
      return {};
  }
}

const requiredFieldsByType: Record<string, string[]> = {
  AzureBlob: ['accountName'],
  AzureFile: ['accountName', 'fileShareName'],
  AzureDataLakeGen2: ['accountName', 'filesystem'],
  AzureDataLakeGen1: ['storeName'],
};

export function requireTypeFields(datastoreType: string, properties: JsonObject): void {
  for (const field of requiredFieldsByType[datastoreType] ?? []) {
    if (typeof properties[field] !== 'string' || !properties[field])
      throw userError(`'properties.${field}' is required for ${datastoreType} datastores.`);
  }
}

const secretFieldByCredentialsType: Record<string, string> = {
  AccountKey: 'key',
  Sas: 'sasToken',
  ServicePrincipal: 'clientSecret',
  Certificate: 'certificate',
};

export function extractSecret(credentials: JsonObject): string | undefined {
  const credentialsType = credentials.credentialsType;
  if (typeof credentialsType !== 'string')
    throw userError("'credentials.credentialsType' is required.");
  const field = secretFieldByCredentialsType[credentialsType];
  if (!field) return undefined;
  const secrets = asObject(credentials.secrets);
  const value = secrets?.[field];
  if (secrets?.secretsType !== credentialsType || typeof value !== 'string' || !value) {
    throw userError(
      `${credentialsType} credentials must carry secrets {"secretsType": "${credentialsType}", ` +
        `"${field}": …}.`,
    );
  }
  return value;
}

export function withoutSecrets(credentials: JsonObject): JsonObject {
  const rest = { ...credentials };
  delete rest.secrets;
  return rest;
}
