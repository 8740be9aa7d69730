import type { KeyName } from './azure/port.js';
import type { ResourceRef } from './resource-id.js';

/** Which of the account's keys a consumer's copy matches; `stale` matches neither (already broken). */
export type Holding = KeyName | 'stale';

export interface KeyInfo {
  name: KeyName;
  /** The key value: masked on arrival, never reported. */
  value: string;
  createdOn?: Date;
}

export interface DatastoreConsumer {
  workspace: ResourceRef;
  name: string;
  datastoreType: string;
  /** Blob container, file share or Data Lake filesystem. */
  container: string;
  credentialsType: string;
  isDefault: boolean;
  /** For AccountKey datastores: the key they hold now. */
  holds?: Holding;
}

export interface WorkspaceInventory {
  ref: ResourceRef;
  id: string;
  /** The account is this workspace's default storage, so the workspace itself holds a key. */
  usesAccountAsDefault: boolean;
  /** The key the workspace's own copy matches (Workspaces_ListKeys), when it uses the account. */
  holds?: Holding;
  /** Datastores that point at the account. */
  datastores: DatastoreConsumer[];
  /** Datastores on other accounts or services: counted, not listed. */
  otherDatastores: number;
}

export interface Inventory {
  account: { ref: ResourceRef; id: string };
  keys: KeyInfo[];
  workspaces: WorkspaceInventory[];
  observedAt: Date;
}

export function holdingOf(value: string | undefined, keys: readonly KeyInfo[]): Holding {
  return keys.find((k) => value !== undefined && k.value === value)?.name ?? 'stale';
}

/** A workspace that reaches its storage with its identity has no userStorageKey: it holds no key. */
export function workspaceHolding(value: string | undefined, keys: readonly KeyInfo[]) {
  return value ? holdingOf(value, keys) : undefined;
}

export const usesAccountKey = (ds: DatastoreConsumer) => ds.credentialsType === 'AccountKey';

export function allDatastores(inventory: Inventory): DatastoreConsumer[] {
  return inventory.workspaces.flatMap((ws) => ws.datastores);
}
