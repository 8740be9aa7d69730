import { randomBytes, randomUUID } from 'node:crypto';
import { sasResourceUrl } from '../sas/resource.js';
import { defaultSasPath, sasRequestFor, serviceOfKind, signsOnePath } from '../sas/scenario.js';
import type { ConnectionScenario, Holds, SasScenario } from '../scenario-types.js';
import { newApiKey, newClientSecret } from '../secrets.js';
import { DAY_MS, systemData, type JsonObject } from './common.js';
import {
  canonicalAuthType,
  connectionAccount,
  connectionSasResource,
  type ConnectionState,
} from './connection-rules.js';
import type { WorldContext } from './context.js';
import type { StorageAccounts } from './storage-accounts.js';
import type { WorkspaceState } from './workspaces.js';

/**
 * A scenario's connection as the service would have stored it: its properties (a target made for
 * its account when it names none) and credentials: the key or a token signed with the key the
 * scenario says, or a fresh secret for the other auth types.
 */
export function connectionFromScenario(
  world: WorldContext,
  storage: StorageAccounts,
  workspace: WorkspaceState,
  scenario: ConnectionScenario,
): ConnectionState {
  const {
    name,
    category,
    authType: requestedAuthType,
    account,
    target,
    holds,
    signedWith,
    sas,
    metadata,
    failUpdate,
    loseUpdate,
    ...passThrough
  } = scenario;
  const authType = canonicalAuthType(requestedAuthType);
  const created = new Date(world.now() - 100 * DAY_MS).toISOString();
  const targetOrDefault =
    target ?? (account === undefined ? undefined : defaultTarget(account, authType, sas));
  const properties: JsonObject = {
    authType,
    category,
    ...(targetOrDefault === undefined ? {} : { target: targetOrDefault }),
    metadata: metadata ?? {},
    createdByWorkspaceArmId: workspace.id,
    ...passThrough,
  };
  const keyAccount = account ?? connectionAccount(storage, properties)?.name;
  return {
    id: `${workspace.id}/connections/${name}`,
    name,
    workspace: workspace.name,
    properties,
    credentials:
      authType === 'SAS'
        ? { sas: scenarioSas(world, storage, keyAccount, properties, signedWith, sas) }
        : scenarioCredentials(world, storage, authType, keyAccount, holds),
    failUpdate,
    loseUpdate,
    systemData: systemData(created, created),
  };
}

/** A token for the connection's target, signed with the key the scenario says. */
function scenarioSas(
  world: WorldContext,
  storage: StorageAccounts,
  account: string | undefined,
  properties: JsonObject,
  signedWith: Holds | undefined,
  sas: SasScenario | undefined,
): string {
  const request = sasRequestFor(
    account ?? 'unknown',
    connectionSasResource(properties),
    'account',
    sas,
    world.now(),
  );
  return storage.issueSas(account, signedWith ?? 'key1', request);
}

function scenarioCredentials(
  world: WorldContext,
  storage: StorageAccounts,
  authType: string,
  account: string | undefined,
  holds: Holds | undefined,
): JsonObject | undefined {
  const secret = (value: string) => world.secret(value);
  switch (authType) {
    case 'AccountKey':
      return { key: storage.valueHeld(account, holds ?? 'key1') };
    case 'ApiKey':
      return { key: secret(newApiKey()) };
    case 'PAT':
      return { pat: secret(newApiKey()) };
    case 'CustomKeys':
      return { keys: { key: secret(newApiKey()) } };
    case 'UsernamePassword':
      return { username: 'svc-connection', password: secret(newClientSecret()) };
    case 'AccessKey':
      return {
        accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secretAccessKey: secret(newClientSecret()),
      };
    case 'ServicePrincipal':
      return {
        clientId: randomUUID(),
        clientSecret: secret(newClientSecret()),
        tenantId: world.tenantId,
      };
    case 'OAuth2':
      return { clientId: randomUUID(), clientSecret: secret(newClientSecret()) };
    case 'ManagedIdentity':
      return {
        clientId: randomUUID(),
        resourceId: `/subscriptions/${world.subscriptionId}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${randomBytes(3).toString('hex')}`,
      };
    default:
      return undefined;
  }
}

/** A scenario connection's target when it names none: the account's endpoint for its SAS kind. */
function defaultTarget(account: string, authType: string, sas: SasScenario | undefined): string {
  const kind = authType === 'SAS' ? (sas?.kind ?? 'account') : 'account';
  if (kind === 'account') return `https://${account}.blob.core.windows.net/`;
  const service = serviceOfKind(kind) ?? 'blob';
  const resource = {
    service,
    container: service === 'file' ? 'share' : 'data',
    path: signsOnePath(kind) ? (sas?.path ?? defaultSasPath) : undefined,
  };
  return sasResourceUrl(account, resource);
}
