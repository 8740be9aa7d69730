import type { KeyName, Vault } from '../azure/port.js';
import type { KeyUsage } from '../key-usage/usage.js';
import { refKey, type ResourceRef } from '../util/resource-id.js';
import type { SasVerdict } from '../sas/index.js';

/** Which of the account's keys a consumer's copy matches; `stale` matches neither (already broken). */
export type Holding = KeyName | 'stale';
/** What discovery knows a copy holds: `unknown` when it could not be read, so it may hold either key. */
export type Seen = Holding | 'unknown';

export interface KeyInfo {
  name: KeyName;
  /** The key value: masked on arrival, never reported. */
  value: string;
  createdOn?: Date;
}

export type ConsumerKind = 'datastore' | 'connection' | 'key-vault-secret';

/** How a consumer reaches the account: with a copy of a key, a SAS token, or without either. */
export type Auth = 'AccountKey' | 'Sas' | 'Other';

export interface ConsumerRef {
  kind: ConsumerKind;
  /** The workspace that registers it; for a Key Vault secret, its vault. */
  workspace: ResourceRef;
  name: string;
}

/**
 * Anything registered in a workspace that reaches the account: a datastore or a connection. The
 * planner reasons about this one shape; each kind has an adapter that reads and re-keys it.
 */
export interface Consumer extends ConsumerRef {
  /** Inside the workspaces the run was asked to manage; outside ones are never written to. */
  inScope: boolean;
  auth: Auth;
  /** Datastore type or connection category. */
  type: string;
  /** Container, file share, filesystem or connection target. */
  target: string;
  /** The credential type as the service names it (AccountKey, Sas, SAS, None, …). */
  credentials: string;
  isDefault: boolean;
  /**
   * For AccountKey consumers: the key they hold now. For SAS consumers: the key that signed a live
   * token (key1, key2), or stale when the token is expired or signed by neither key; none when the
   * token does not depend on the account keys (user delegation) or its signer is unknown.
   * unknown: its secret could not be read (outside the managed workspaces only; see `unread`).
   */
  holds?: Seen;
  /**
   * When it was last written (systemData.lastModifiedAt): it has held what it holds since then at
   * the latest. Tells since when a key has had no managed holder (see plan/key-holders.ts).
   */
  writtenOn?: Date;
  /** Why its secret could not be read, when holds is unknown. */
  unread?: string;
  /** What the report should say of it besides the key it holds (a tag that disagrees with it). */
  remarks?: string[];
  /** For a Key Vault secret: when its current version was created (apps may read it late). */
  versionCreatedOn?: Date;
  /** For SAS consumers: what the token says and which key signed it. Never the token itself. */
  sas?: SasFacts;
  /**
   * For SAS consumers: the token and the resource it is used on, as the adapter read them, to
   * re-issue it. Opaque to every other module; it serialises as a placeholder and is never reported.
   */
  sasToken?: unknown;
  /**
   * What the consumer's adapter kept from the listing to re-key it without reading it again (a
   * datastore's registration as listed, which never carries a secret). Opaque to every other
   * module and never reported.
   */
  listed?: unknown;
}

/** What discovery learned of a SAS token: its signer, kind, version and validity; never its value. */
export interface SasFacts extends SasVerdict {
  /** `st`, when the token has one. */
  startsOn?: Date;
  /**
   * Why the account's SAS expiration policy, with action Block, refuses this token: the service
   * refuses it on every request, whichever key signed it, so it is already broken.
   */
  refusedByPolicy?: string;
}

/** Whether a vault's secrets are guarded by Azure RBAC data actions or by its access policies. */
export type VaultAccess = Pick<Vault, 'rbacAuthorization' | 'accessPolicies'>;

export interface WorkspaceInventory {
  /**
   * A Key Vault the run was asked to look in holds its secrets as consumers the same way: it is
   * managed (its secrets are re-keyed), never resynced, and holds no key of its own.
   */
  kind?: 'key-vault';
  /** For a Key Vault: how it authorises its data plane (what the preflight checks). */
  vault?: VaultAccess;
  ref: ResourceRef;
  id: string;
  /** One of the workspaces the run manages (resyncs, re-keys); otherwise only observed. */
  inScope: boolean;
  /** The account is this workspace's default storage, so the workspace itself holds a key. */
  usesAccountAsDefault: boolean;
  /**
   * The key the workspace's own copy matches (Workspaces_ListKeys), when it uses the account;
   * unknown when it could not be read (outside the managed workspaces only; see `unread`).
   */
  holds?: Seen;
  /** Datastores and connections (a Key Vault's: secrets) that reach the account. */
  consumers: Consumer[];
  /**
   * What of an outside workspace could not be read (its own key, a listing): each may hold either
   * key. A managed workspace that cannot be read stops discovery instead.
   */
  unread?: Uninspected[];
  /** Those of other accounts or services (a vault's: tagged or named secrets): counted, not listed. */
  otherConsumers: number;
}

/** Something discovery could not read: named in the report, never skipped silently. */
export interface Uninspected {
  name: string;
  reason: string;
  /**
   * A listing of workspaces the login may not read (401/403): the workspaces there are outside
   * what the run can check, and it says so. Anything else that could not be read (an error that
   * outlasted the retries) may hold either key.
   */
  denied?: boolean;
}

export interface AccountInventory {
  ref: ResourceRef;
  id: string;
  keyExpirationDays?: number;
  allowSharedKeyAccess: boolean;
  /** The account's SAS expiration policy (properties.sasPolicy), if it has one. */
  sasPolicy?: SasPolicy;
}

/** properties.sasPolicy of a storage account: the longest validity a SAS may have. */
export interface SasPolicy {
  /** "d.hh:mm:ss", e.g. "7.00:00:00". */
  sasExpirationPeriod: string;
  /** Block: requests with a longer-lived SAS are refused; Log: they are only logged. */
  expirationAction: 'Log' | 'Block';
}

export interface Inventory {
  account: AccountInventory;
  keys: KeyInfo[];
  /** In-scope workspaces first, then every other workspace that uses the account (or may). */
  workspaces: WorkspaceInventory[];
  /** Listings of workspaces (a subscription, a resource group) that could not be read. */
  uninspected: Uninspected[];
  observedAt: Date;
  /** Who signed requests with each key, from the storage logs (once per run; see key-usage/). */
  keyUsage?: KeyUsage;
}

export function holdingOf(value: string | undefined, keys: readonly KeyInfo[]): Holding {
  return keys.find((k) => value !== undefined && k.value === value)?.name ?? 'stale';
}

/** A workspace that reaches its storage with its identity has no userStorageKey: it holds no key. */
export function workspaceHolding(value: string | undefined, keys: readonly KeyInfo[]) {
  return value ? holdingOf(value, keys) : undefined;
}

/** A copy's holding once known; unknown ones are outside the managed workspaces, never acted on. */
export const knownHolding = (holds: Seen | undefined): Holding | undefined =>
  holds === 'unknown' ? undefined : holds;

export const consumerId = (c: ConsumerRef) => `${c.kind}:${refKey(c.workspace)}/${c.name}`;
export const refOf = (c: ConsumerRef): ConsumerRef => ({
  kind: c.kind,
  workspace: c.workspace,
  name: c.name,
});
export const usesAccountKey = (c: Consumer) => c.auth === 'AccountKey';
/** The key a consumer's copy or live SAS token depends on: its regeneration breaks the consumer. */
export const dependsOn = (c: Consumer): KeyName | undefined =>
  c.auth !== 'Other' && (c.holds === 'key1' || c.holds === 'key2') ? c.holds : undefined;

export const allConsumers = (inventory: Inventory) =>
  inventory.workspaces.flatMap((ws) => ws.consumers);
/** The workspaces the run manages, and those it only observes. */
export const managedWorkspaces = (inventory: Inventory) =>
  inventory.workspaces.filter((ws) => ws.inScope);
export const outsideWorkspaces = (inventory: Inventory) =>
  inventory.workspaces.filter((ws) => !ws.inScope);

/** "datastore 'x' (workspace 'ws')": how messages name a consumer. */
export const describeConsumer = (c: ConsumerRef) =>
  c.kind === 'key-vault-secret'
    ? `secret '${c.name}' (key vault '${c.workspace.name}')`
    : `${c.kind} '${c.name}' (workspace '${c.workspace.name}')`;

/**
 * What the run could not read that may hold either key: outside workspaces' own copies, listings
 * and secrets, and workspace listings that failed for another reason than a refusal. Each counts
 * as a holder of both keys.
 */
export function unreadHolders(inventory: Inventory): UnreadHolder[] {
  const unread: UnreadHolder[] = inventory.uninspected
    .filter((u) => !u.denied)
    .map((u) => ({ ...u, id: `unread:${u.name}` }));
  for (const ws of inventory.workspaces) {
    unread.push(...(ws.unread ?? []).map((u) => ({ ...u, id: `unread:${u.name}` })));
    for (const c of ws.consumers.filter((c) => c.holds === 'unknown')) {
      unread.push({
        id: consumerId(c),
        name: `${c.kind === 'key-vault-secret' ? 'the value' : 'the secret'} of ${describeConsumer(c)}`,
        reason: c.unread ?? 'unknown',
      });
    }
  }
  return unread;
}

/** Something unread that may hold either key; `id` is the consumer's id when it is a consumer. */
export interface UnreadHolder extends Uninspected {
  id: string;
}

/** Listings of workspaces the login may not read: outside what the run can check. */
export const deniedListings = (inventory: Inventory) =>
  inventory.uninspected.filter((u) => u.denied);

/**
 * The datastores Azure ML creates with a workspace, on its default storage. A resync may rewrite
 * their credentials too (undocumented), so after one their key is unknown until read again.
 */
const SYSTEM_DATASTORES = new Set([
  'workspaceblobstore',
  'workspacefilestore',
  'workspaceartifactstore',
  'workspaceworkingdirectory',
]);

/** A system datastore (or the default one): a resync of its workspace may rewrite it. */
export function rewrittenByResync(datastore: { name: string; isDefault?: boolean }): boolean {
  return datastore.isDefault === true || SYSTEM_DATASTORES.has(datastore.name.toLowerCase());
}
