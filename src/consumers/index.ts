import type { ConsumerKind } from '../discover/inventory.js';
import type { ConsumerAdapter } from './adapter.js';
import { connections } from './connection.js';
import { datastores } from './datastore.js';

export type {
  AccountReference,
  AccountTarget,
  ConsumerAdapter,
  DiscoveryContext,
  SurveyContext,
} from './adapter.js';

/** Every kind of consumer the action reads and re-keys, in the order they are reported. */
export const ADAPTERS: readonly ConsumerAdapter[] = [datastores, connections];

export function adapterFor(kind: ConsumerKind): ConsumerAdapter {
  return ADAPTERS.find((a) => a.kind === kind)!;
}
