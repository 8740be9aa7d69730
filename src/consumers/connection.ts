import type { Connection } from '../azure/port.js';
import type { Auth } from '../discover/inventory.js';
import type { ResourceRef } from '../util/resource-id.js';
import { storageTargetFromUrl, type SasResource } from '../sas/index.js';
import { describeError } from '../util/secrets.js';
import {
  listAll,
  rekeying,
  streamConsumers,
  type AccountReference,
  type AccountTarget,
  type WorkspaceAdapter,
  type ListedConsumer,
} from './adapter.js';

const ACTIONS = 'Microsoft.MachineLearningServices/workspaces/connections';
const STORAGE_SERVICES = ['blob', 'dfs', 'file', 'queue', 'table'];

/** Workspace connections (prompt flow, AI projects) that reach the account. */
export const connections: WorkspaceAdapter = {
  kind: 'connection',
  actions: {
    list: `${ACTIONS}/read`,
    readSecret: `${ACTIONS}/listsecrets/action`,
    write: `${ACTIONS}/write`,
  },

  discover(azure, workspace, context) {
    return streamConsumers(
      azure.connectionPages(workspace),
      context,
      (c) => (pointsAt(c, context.account) ? toConsumer(workspace, c) : undefined),
      (c) => azure.connectionSecret(workspace, c.name),
      sasResourceOf,
    );
  },

  async survey(azure, workspace, { storageSuffix, limit }) {
    const all = await listAll(azure.connectionPages(workspace), limit);
    return all.flatMap((c): AccountReference[] => {
      const account = accountNamed(c, storageSuffix);
      if (!account) return [];
      const auth = authOf(c.properties.authType);
      return [{ kind: 'connection', name: c.name, auth, account }];
    });
  },

  /**
   * PATCH sets the credentials (the key, or the SAS token re-signed by it) and keeps every other
   * property; authType is required in it.
   */
  async rekey(azure, target, key) {
    const ref = target.consumer;
    const change = rekeying(target, key);
    if (typeof change === 'string') return change;
    const { secret } = change;
    try {
      await azure.updateConnection(
        ref.workspace,
        ref.name,
        secret.kind === 'AccountKey'
          ? { authType: 'AccountKey', credentials: { key: secret.key } }
          : { authType: 'SAS', credentials: { sas: secret.sasToken } },
      );
      return change.verify(await azure.connectionSecret(ref.workspace, ref.name));
    } catch (error) {
      return describeError(error);
    }
  },
};

/** On the account: its target is one of the account's endpoints, or it names the account. */
export function pointsAt(connection: Connection, account: AccountTarget): boolean {
  return accountNamed(connection, account.storageSuffix) === account.name.toLowerCase();
}

/**
 * The storage account a connection reaches, lower case: the host of its target when that is a
 * storage endpoint (`<account>.blob.<suffix>`, …), else its metadata's AccountName.
 */
export function accountNamed(connection: Connection, storageSuffix: string): string | undefined {
  const p = connection.properties;
  const host = hostOf(p.target);
  if (host) {
    const suffix = `.${storageSuffix.toLowerCase()}`;
    if (!host.endsWith(suffix)) return undefined;
    const [account, service, ...rest] = host.slice(0, -suffix.length).split('.');
    return rest.length === 0 && STORAGE_SERVICES.includes(service ?? '') ? account : undefined;
  }
  return (p.metadata?.AccountName ?? p.metadata?.accountName)?.toLowerCase() || undefined;
}

function hostOf(target: string | undefined): string | undefined {
  if (!target) return undefined;
  try {
    return new URL(target).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * What a SAS connection's token is used on: its target's container or share (and path); a target at
 * the account's root takes the container from metadata ContainerName, as AzureBlob connections keep
 * it (an account SAS needs neither).
 */
function sasResourceOf(c: Connection): SasResource | undefined {
  const target = storageTargetFromUrl(c.properties.target ?? '');
  if (target?.resource) return target.resource;
  const container = c.properties.metadata?.ContainerName ?? c.properties.metadata?.containerName;
  if (!container) return undefined;
  const host = hostOf(c.properties.target) ?? '';
  return host.split('.')[1] === 'file'
    ? { service: 'file', share: container }
    : { service: 'blob', container };
}

function toConsumer(workspace: ResourceRef, c: Connection): ListedConsumer {
  const p = c.properties;
  return {
    kind: 'connection',
    workspace,
    name: c.name,
    auth: authOf(p.authType),
    type: p.category ?? '',
    target: p.target ?? '',
    credentials: p.authType,
    isDefault: false,
    ...(c.modifiedOn ? { writtenOn: c.modifiedOn } : {}),
  };
}

function authOf(authType: string): Auth {
  if (authType === 'AccountKey') return 'AccountKey';
  return authType === 'SAS' ? 'Sas' : 'Other';
}
