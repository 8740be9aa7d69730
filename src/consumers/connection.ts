import type { Connection } from '../azure/port.js';
import type { Auth } from '../inventory.js';
import type { ResourceRef } from '../resource-id.js';
import { describeError } from '../secrets.js';
import {
  streamConsumers,
  verifyStored,
  type AccountTarget,
  type ConsumerAdapter,
  type ListedConsumer,
} from './adapter.js';

const ACTIONS = 'Microsoft.MachineLearningServices/workspaces/connections';
const STORAGE_SERVICES = ['blob', 'dfs', 'file', 'queue', 'table'];

/** Workspace connections (prompt flow, AI projects) that reach the account. */
export const connections: ConsumerAdapter = {
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
    );
  },

  /** PATCH sets the credentials and keeps every other property; authType is required in it. */
  async rekey(azure, { consumer: ref }, key) {
    try {
      await azure.updateConnection(ref.workspace, ref.name, {
        authType: 'AccountKey',
        credentials: { key },
      });
      return verifyStored(await azure.connectionSecret(ref.workspace, ref.name), key);
    } catch (error) {
      return describeError(error);
    }
  },
};

/** On the account: its target is one of the account's endpoints, or it names the account. */
export function pointsAt(connection: Connection, account: AccountTarget): boolean {
  const p = connection.properties;
  const host = hostOf(p.target);
  if (host) {
    const suffix = account.storageSuffix.toLowerCase();
    return STORAGE_SERVICES.some((s) => host === `${account.name}.${s}.${suffix}`.toLowerCase());
  }
  const named = p.metadata?.AccountName ?? p.metadata?.accountName;
  return named?.toLowerCase() === account.name.toLowerCase();
}

function hostOf(target: string | undefined): string | undefined {
  if (!target) return undefined;
  try {
    return new URL(target).hostname.toLowerCase();
  } catch {
    return undefined;
  }
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
  };
}

function authOf(authType: string): Auth {
  if (authType === 'AccountKey') return 'AccountKey';
  return authType === 'SAS' ? 'Sas' : 'Other';
}
