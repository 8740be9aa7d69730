import type { ConsumerKind } from '../discover/inventory.js';
import type { ConsumerAdapter, WorkspaceAdapter } from './adapter.js';
import { connections } from './connection.js';
import { datastores } from './datastore.js';
import { keyVaultSecrets } from './key-vault/index.js';

export type {
  AccountReference,
  AccountTarget,
  ConsumerAdapter,
  DiscoveryContext,
  SurveyContext,
  WorkspaceAdapter,
} from './adapter.js';

/** Every kind of consumer registered in workspaces, in the order they are reported. */
export const ADAPTERS: readonly WorkspaceAdapter[] = [datastores, connections];

/** Every kind of consumer the action re-keys: those of workspaces, then Key Vault secrets. */
const ALL_ADAPTERS: readonly ConsumerAdapter[] = [...ADAPTERS, keyVaultSecrets];

export function adapterFor(kind: ConsumerKind): ConsumerAdapter {
  return ALL_ADAPTERS.find((a) => a.kind === kind)!;
}
