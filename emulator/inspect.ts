import type { Emulator, RequestRecord } from './api.js';
import { json, type Reply } from './http.js';
import { delegationKeyValue } from './sas/delegation.js';
import type { SasVerdict } from './sas/validate.js';
import type { World } from './world.js';

/** What a test reads of the world, and fixes in it between two runs, without making a request. */
export type WorldView = Pick<
  Emulator,
  | 'keys'
  | 'secrets'
  | 'datastore'
  | 'connection'
  | 'sas'
  | 'checkSas'
  | 'userDelegationKey'
  | 'workspaceKey'
  | 'vaultSecret'
  | 'appReferences'
  | 'holds'
  | 'timeline'
  | 'invalidConsumers'
  | 'consumers'
  | 'fixWrites'
>;

export function worldView(world: World): WorldView {
  return {
    keys: (account) => {
      const keys = world.storage.keyValues(account);
      if (!keys) throw new Error(`The scenario has no storage account named ${account}`);
      return keys;
    },
    secrets: () => world.secrets(),
    datastore: (workspace, name) => {
      const datastore = world.datastores.get(workspace, name);
      return (
        datastore && { properties: structuredClone(datastore.properties), secret: datastore.secret }
      );
    },
    connection: (workspace, name) => {
      const connection = world.connections.get(workspace, name);
      return (
        connection && {
          properties: structuredClone(connection.properties),
          secret: world.connections.secretOf(connection),
        }
      );
    },
    sas: (consumerId) => {
      const verdict = world.sasVerdict(consumerId);
      return verdict && verdictOnly(verdict);
    },
    checkSas: (account, token, resource) =>
      verdictOnly(world.storage.checkSas(account, token, resource)),
    userDelegationKey: (account, fields) => {
      const state = world.storage.get(account);
      if (!state) throw new Error(`The scenario has no storage account named ${account}`);
      return delegationKeyValue(state.delegationSecret, fields);
    },
    workspaceKey: (workspace) => world.workspaces.get(workspace)?.userStorageKey,
    vaultSecret: (vault, name) => world.keyVaults.view(vault, name),
    appReferences: (app) => structuredClone(world.webApps.byName(app)?.references),
    holds: (account, value) => world.holds(account, value),
    timeline: () => world.timeline(),
    invalidConsumers: () => world.invalidConsumers(),
    consumers: () => world.consumers(),
    fixWrites: (kind, workspace, name) => {
      const consumer =
        kind === 'datastore'
          ? world.datastores.get(workspace, name)
          : world.connections.get(workspace, name);
      if (!consumer) throw new Error(`no ${kind} ${workspace}/${name}`);
      if ('failPut' in consumer) delete consumer.failPut;
      if ('failUpdate' in consumer) delete consumer.failUpdate;
      delete consumer.loseUpdate;
    },
  };
}

/** A verdict as tests see it: valid, who signed, why not (not when it next changes). */
function verdictOnly({ changesAt: _changesAt, ...verdict }: SasVerdict): SasVerdict {
  return verdict;
}

/** The dev-only /_emulator/requests and /_emulator/state endpoints. */
export function debugReply(
  what: string | undefined,
  sources: { log: RequestRecord[]; world: World },
): Reply {
  const { log, world } = sources;
  if (what === 'requests') return json(200, log);
  if (what === 'state') return json(200, world.snapshot());
  return json(404, {
    error: { code: 'NotFound', message: 'Use /_emulator/requests or /_emulator/state.' },
  });
}
