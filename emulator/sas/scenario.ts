import type { ConnectionScenario, DatastoreScenario, SasScenario } from '../scenario-types.js';
import { parseExpirationPeriod, type SasPolicySetting } from './policy.js';
import { targetSasResource, type SasResource, type SasService } from './resource.js';
import type { SasKindName, SasRequest } from './sign.js';
import { oldestSasVersion, oldestUserDelegationVersion } from './string-to-sign.js';

/** From a scenario's `sas` to the token request: the defaults the scenario types document. */

export const defaultSasVersion = '2022-11-02';
export const defaultSasPath = 'data/file.csv';
const DAY_MS = 86_400_000;

const kinds: readonly SasKindName[] = [
  'container',
  'blob',
  'share',
  'file',
  'account',
  'user delegation',
];
const kindService: Record<SasKindName, SasService | undefined> = {
  container: 'blob',
  blob: 'blob',
  share: 'file',
  file: 'file',
  account: undefined,
  'user delegation': undefined,
};

/** Whether a token of this kind signs one blob or file (so needs a path). */
export function signsOnePath(kind: SasKindName): boolean {
  return kind === 'blob' || kind === 'file';
}

/**
 * The token request for a consumer on `base` (its service and container or share). A kind that
 * signs one blob or file is for the path in `base` (a connection's target), else the scenario's.
 */
export function sasRequestFor(
  account: string,
  base: SasResource,
  defaultKind: SasKindName,
  sas: SasScenario | undefined,
  now: number,
): SasRequest {
  const kind = sas?.kind ?? defaultKind;
  const path = signsOnePath(kind) ? (base.path ?? sas?.path ?? defaultSasPath) : undefined;
  const resource: SasResource = { service: base.service, container: base.container, path };
  const delegatedShare = kind === 'user delegation' && base.service === 'file';
  return {
    account: account.toLowerCase(),
    kind,
    resource,
    version:
      sas?.version ?? (delegatedShare ? oldestUserDelegationVersion.file : defaultSasVersion),
    // List is no permission on one blob or file: the SDKs refuse `l` there.
    permissions: sas?.permissions ?? (signsOnePath(kind) ? 'r' : 'rl'),
    start: sas?.startedDaysAgo === undefined ? undefined : now - sas.startedDaysAgo * DAY_MS,
    expiry: now + (sas?.expiresInDays ?? 365) * DAY_MS,
    ip: sas?.ip,
    protocol: sas?.protocol ?? 'https',
  };
}

/** The service a kind of token is for, when the kind decides it (container → blob, share → file). */
export function serviceOfKind(kind: SasKindName | undefined): SasService | undefined {
  return kind === undefined ? undefined : kindService[kind];
}

/** The datastore property naming the container or share a datastore's service SAS is for. */
const containerFieldOf: Record<string, string | undefined> = {
  AzureBlob: 'containerName',
  AzureFile: 'fileShareName',
  AzureDataLakeGen2: 'filesystem',
};

export function datastoreSasProblems(where: string, datastore: DatastoreScenario): string[] {
  const service = datastore.datastoreType === 'AzureFile' ? 'file' : 'blob';
  const problems = sasScenarioProblems(where, datastore.sas, service);
  if (datastore.sas !== undefined && datastore.credentials !== 'Sas')
    problems.push(`${where}: sas is for Sas datastores only`);
  const containerField = containerFieldOf[datastore.datastoreType];
  const needsContainer = datastore.credentials === 'Sas' && datastore.sas?.kind !== 'account';
  if (needsContainer && containerField && typeof datastore[containerField] !== 'string')
    problems.push(
      `${where}: a Sas datastore's token is for its ${containerField}, which is missing`,
    );
  return problems;
}

export function connectionSasProblems(where: string, connection: ConnectionScenario): string[] {
  const problems = sasScenarioProblems(where, connection.sas, connectionSasService(connection));
  if (connection.sas !== undefined && connection.authType?.toLowerCase() !== 'sas')
    problems.push(`${where}: sas is for SAS connections only`);
  const kind = connection.sas?.kind ?? 'account';
  if (kind === 'account' || connection.target === undefined) return problems;
  const resource = targetSasResource(connection.target);
  const containerInMetadata = Object.keys(connection.metadata ?? {}).some(
    (key) => key.toLowerCase() === 'containername',
  );
  if (!resource.container && !containerInMetadata)
    problems.push(
      `${where}: a ${kind} SAS needs a target with a container or share (or metadata ContainerName)`,
    );
  if (signsOnePath(kind) && !resource.path)
    problems.push(`${where}: a ${kind} SAS needs a target with the ${kind}'s path`);
  return problems;
}

/** The service a SAS connection's token is for: its target's, or the one its kind names. */
function connectionSasService(connection: ConnectionScenario): SasService {
  if (connection.target !== undefined) return targetSasResource(connection.target).service;
  return serviceOfKind(connection.sas?.kind) ?? 'blob';
}

/** Problems with a consumer's `sas`, for a consumer of the given service. */
function sasScenarioProblems(
  where: string,
  sas: SasScenario | undefined,
  service: SasService,
): string[] {
  if (sas === undefined) return [];
  if (typeof sas !== 'object' || sas === null) return [`${where}: sas must be an object`];
  const problems: string[] = [];
  if (sas.kind !== undefined && !kinds.includes(sas.kind))
    problems.push(`${where}: sas.kind must be one of ${kinds.join(', ')}, not ${String(sas.kind)}`);
  const kindService = serviceOfKind(sas.kind);
  if (kindService && kindService !== service)
    problems.push(
      `${where}: a ${sas.kind} SAS is for ${kindService}, the consumer uses ${service}`,
    );
  if (sas.version !== undefined) {
    const oldest =
      sas.kind === 'user delegation' ? oldestUserDelegationVersion[service] : oldestSasVersion;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(sas.version) || sas.version < oldest)
      problems.push(`${where}: sas.version must be a signed version from ${oldest}`);
  }
  for (const field of ['expiresInDays', 'startedDaysAgo'] as const)
    if (sas[field] !== undefined && !Number.isFinite(sas[field]))
      problems.push(`${where}: sas.${field} must be a number of days`);
  for (const field of ['permissions', 'ip', 'protocol', 'path'] as const)
    if (sas[field] !== undefined && (typeof sas[field] !== 'string' || sas[field] === ''))
      problems.push(`${where}: sas.${field} must be a non-empty string`);
  return problems;
}

export function sasPolicyProblems(where: string, policy: SasPolicySetting | undefined): string[] {
  if (policy === undefined) return [];
  const problems: string[] = [];
  if (parseExpirationPeriod(String(policy.sasExpirationPeriod)) === undefined)
    problems.push(`${where}: sasPolicy.sasExpirationPeriod must be d.hh:mm:ss (e.g. 1.00:00:00)`);
  const action = policy.expirationAction;
  if (action !== undefined && action !== 'Log' && action !== 'Block')
    problems.push(`${where}: sasPolicy.expirationAction must be Log or Block`);
  return problems;
}
