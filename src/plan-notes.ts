import type { KeyName } from './azure/port.js';
import {
  consumerId,
  describeConsumer,
  outsideWorkspaces,
  type Inventory,
  type WorkspaceInventory,
} from './inventory.js';

/**
 * Something the run tells beside its steps. One note per kind of thing, naming every consumer or
 * workspace it is about, so a run with 300 SAS datastores still makes one annotation.
 */
export interface Note {
  /** warning: a person should act; notice: for the record. */
  level: 'warning' | 'notice';
  kind:
    | 'shared-key-off'
    | 'uninspected'
    | 'outside-breaks'
    | 'outside'
    | 'sas'
    | 'stale'
    | 'workspace-window';
  text: string;
  /** What it is about, e.g. "datastore 'x' (workspace 'ws')". */
  subjects: string[];
}

/** Something outside the managed workspaces that holds one of the keys. */
export interface OutsideHolder {
  /** consumerId, or `workspace:<refKey>` for a workspace's own copy. */
  id: string;
  text: string;
}

/** What outside the named workspaces holds one of these keys, and so breaks when it is regenerated. */
export function outsideHolders(inventory: Inventory, keys: readonly KeyName[]): OutsideHolder[] {
  const holders: OutsideHolder[] = [];
  const holdsOne = (holds: string | undefined) => keys.some((k) => k === holds);
  for (const ws of outsideWorkspaces(inventory)) {
    if (ws.usesAccountAsDefault && holdsOne(ws.holds)) {
      holders.push({
        id: `workspace:${ws.id.toLowerCase()}`,
        text: `workspace '${ws.ref.name}' (resource group '${ws.ref.resourceGroup}'), whose own copy holds ${ws.holds}`,
      });
    }
    for (const c of ws.consumers.filter((c) => c.auth === 'AccountKey' && holdsOne(c.holds))) {
      holders.push({ id: consumerId(c), text: `${describeConsumer(c)} holds ${c.holds}` });
    }
  }
  return holders;
}

/** What the run tells beside its steps: scope, blind spots, account settings and SAS consumers. */
export function planNotes(
  inventory: Inventory,
  regenerate: KeyName[],
  policy: { allowOutsideBreakage?: boolean },
): Note[] {
  return [
    ...accountNotes(inventory),
    ...outsideNotes(inventory, regenerate, policy),
    ...consumerNotes(inventory, regenerate),
  ];
}

function accountNotes(inventory: Inventory): Note[] {
  const notes: Note[] = [];
  if (!inventory.account.allowSharedKeyAccess) {
    const keyBased = inventory.workspaces
      .flatMap((ws) => ws.consumers)
      .filter((c) => c.auth !== 'Other');
    notes.push({
      level: 'warning',
      kind: 'shared-key-off',
      text: `Shared key access is off on storage account '${inventory.account.ref.name}': its ${keyBased.length} AccountKey and SAS consumer(s) cannot authenticate while it is off. Turn it on, or move them to identity-based access (datastores with credentials None).`,
      subjects: keyBased.map(describeConsumer),
    });
  }
  if (inventory.uninspected.length > 0) {
    notes.push({
      level: 'warning',
      kind: 'uninspected',
      text: `${inventory.uninspected.length} workspace listing(s) could not be inspected, so consumers there are unknown to this run.`,
      subjects: inventory.uninspected.map((u) => `${u.name} (${u.reason})`),
    });
  }
  return notes;
}

function outsideNotes(
  inventory: Inventory,
  regenerate: KeyName[],
  policy: { allowOutsideBreakage?: boolean },
): Note[] {
  const outside = outsideWorkspaces(inventory);
  if (outside.length === 0) return [];
  const notes: Note[] = [];
  const broken = outsideHolders(inventory, regenerate);
  if (broken.length > 0 && policy.allowOutsideBreakage) {
    notes.push({
      level: 'warning',
      kind: 'outside-breaks',
      text: `allow-outside-breakage: regenerating ${regenerate.join(' and ')} breaks ${broken.length} consumer(s) outside the managed workspaces. Update them with the new key (or resync those workspaces).`,
      subjects: broken.map((h) => h.text),
    });
  }
  const brokenIds = new Set(broken.map((h) => h.id));
  const untouched = outside.filter(
    (ws) =>
      !brokenIds.has(`workspace:${ws.id.toLowerCase()}`) &&
      (ws.usesAccountAsDefault || ws.consumers.some((c) => !brokenIds.has(consumerId(c)))),
  );
  if (untouched.length > 0) {
    notes.push({
      level: 'notice',
      kind: 'outside',
      text: `${untouched.length} workspace(s) outside the managed ones use the account and are left as they are.`,
      subjects: untouched.map(describeOutside),
    });
  }
  return notes;
}

function describeOutside(ws: WorkspaceInventory): string {
  const parts: string[] = [];
  if (ws.usesAccountAsDefault)
    parts.push(`default storage, own copy holds ${ws.holds ?? 'no key'}`);
  for (const c of ws.consumers) {
    parts.push(
      `${c.kind} '${c.name}' (${c.auth === 'AccountKey' ? `holds ${c.holds}` : c.credentials})`,
    );
  }
  return `'${ws.ref.name}': ${parts.join(', ')}`;
}

function consumerNotes(inventory: Inventory, regenerate: KeyName[]): Note[] {
  const consumers = inventory.workspaces.flatMap((ws) => ws.consumers);
  const sas = consumers.filter((c) => c.auth === 'Sas');
  const stale = consumers.filter((c) => c.inScope && c.holds === 'stale');
  const notes: Note[] = [];
  if (sas.length > 0 && regenerate.length > 0) {
    notes.push({
      level: 'warning',
      kind: 'sas',
      text: `${sas.length} consumer(s) use a SAS token. A SAS signed with ${regenerate.join(' or ')} stops working when that key is regenerated: issue a new token and update them.`,
      subjects: sas.map(describeConsumer),
    });
  }
  if (stale.length > 0) {
    notes.push({
      level: 'notice',
      kind: 'stale',
      text: `${stale.length} consumer(s) held a key that matches neither key of the account: they were already broken, and this run repairs them.`,
      subjects: stale.map(describeConsumer),
    });
  }
  return notes;
}
