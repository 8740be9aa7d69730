import type { KeyName } from '../azure/port.js';
import {
  consumerId,
  deniedListings,
  dependsOn,
  describeConsumer,
  outsideWorkspaces,
  unreadHolders,
  type Consumer,
  type Inventory,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import {
  breaksUnknown,
  describeSas,
  isSas,
  renewBlocker,
  sasBrokenInScope,
  type SasChoice,
} from './sas.js';
import { outsideCallers } from './key-holders.js';

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
    | 'unchecked'
    | 'outside-breaks'
    | 'outside'
    | 'sas'
    | 'sas-skipped'
    | 'sas-broken'
    | 'sas-unknown'
    | 'stale'
    | 'workspace-window'
    | 'key-usage'
    | 'held-back'
    | 'app-refresh';
  text: string;
  /** What it is about, e.g. "datastore 'x' (workspace 'ws')". */
  subjects: string[];
}

/** Something outside the managed workspaces that holds one of the keys. */
export interface OutsideHolder {
  /** consumerId, or `workspace:<refKey>` for a workspace's own copy, or `unread:<name>`. */
  id: string;
  text: string;
  /** It could not be read, so it may hold either key: it counts as holding both. */
  unread?: boolean;
  /** A caller the storage logs show on the key's current value (see plan/key-holders.ts). */
  caller?: boolean;
}

/**
 * What outside the named workspaces holds one of these keys, and so breaks when it is regenerated:
 * known holders, then everything the run could not read (see unreadHolders), which may hold either.
 */
export function outsideHolders(inventory: Inventory, keys: readonly KeyName[]): OutsideHolder[] {
  const holders: OutsideHolder[] = [];
  const holdsOne = (holds: string | undefined) => keys.some((k) => k === holds);
  if (keys.length > 0) {
    for (const u of unreadHolders(inventory)) {
      holders.push({ id: u.id, text: `${u.name} (${u.reason})`, unread: true });
    }
  }
  for (const ws of outsideWorkspaces(inventory)) {
    if (ws.usesAccountAsDefault && holdsOne(ws.holds)) {
      holders.push({
        id: `workspace:${ws.id.toLowerCase()}`,
        text: `workspace '${ws.ref.name}' (resource group '${ws.ref.resourceGroup}'), whose own copy holds ${ws.holds}`,
      });
    }
    for (const c of ws.consumers.filter((c) => holdsOne(dependsOn(c)))) {
      const holds =
        c.auth === 'Sas' ? `has a live SAS token signed by ${c.holds}` : `holds ${c.holds}`;
      holders.push({ id: consumerId(c), text: `${describeConsumer(c)} ${holds}` });
    }
    for (const c of ws.consumers.filter((c) => c.holds !== 'unknown' && breaksUnknown(c, keys))) {
      holders.push({
        id: consumerId(c),
        text: `${describeConsumer(c)} has a SAS token an unknown key signed, and both keys are regenerated`,
      });
    }
  }
  for (const c of outsideCallers(inventory, keys))
    holders.push({ id: c.id, text: c.text, caller: true });
  return holders;
}

/** What the planner's policy says that the notes depend on. */
export interface NotePolicy {
  allowOutsideBreakage?: boolean;
  sas?: SasChoice;
}

/** What the run tells beside its steps: scope, blind spots, account settings and SAS consumers. */
export function planNotes(inventory: Inventory, regenerate: KeyName[], policy: NotePolicy): Note[] {
  return [
    ...accountNotes(inventory),
    ...uncheckedNote(inventory, regenerate, policy),
    ...outsideNotes(inventory, regenerate, policy),
    ...consumerNotes(inventory, regenerate),
    ...sasNotes(inventory, regenerate, policy),
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
  const denied = deniedListings(inventory);
  if (denied.length > 0) {
    notes.push({
      level: 'warning',
      kind: 'uninspected',
      text: `${denied.length} workspace listing(s) the login may not read: the workspaces there are outside what this run could check.`,
      subjects: denied.map((u) => `${u.name} (${u.reason})`),
    });
  }
  return notes;
}

/** What could not be read: each may hold either key, so a regeneration needs allow-outside-breakage. */
function uncheckedNote(inventory: Inventory, regenerate: KeyName[], policy: NotePolicy): Note[] {
  const unread = unreadHolders(inventory);
  if (unread.length === 0) return [];
  const effect =
    regenerate.length === 0
      ? 'nothing is regenerated, so none of them breaks'
      : policy.allowOutsideBreakage
        ? `allow-outside-breakage: true, so ${regenerate.join(' and ')} ${regenerate.length === 1 ? 'is' : 'are'} regenerated without checking them, and any of them on ${regenerate.length === 1 ? 'it' : 'them'} breaks`
        : 'a regeneration stops before its first write unless allow-outside-breakage: true';
  return [
    {
      level: 'warning',
      kind: 'unchecked',
      text: `${unread.length} thing(s) could not be read, so each may hold either key (unchecked): ${effect}.`,
      subjects: unread.map((u) => `${u.name} (${u.reason})`),
    },
  ];
}

function outsideNotes(
  inventory: Inventory,
  regenerate: KeyName[],
  policy: { allowOutsideBreakage?: boolean },
): Note[] {
  const outside = outsideWorkspaces(inventory);
  const notes: Note[] = [];
  const holders = outsideHolders(inventory, regenerate);
  const broken = holders.filter((h) => !h.unread);
  if (broken.length > 0 && policy.allowOutsideBreakage) {
    notes.push({
      level: 'warning',
      kind: 'outside-breaks',
      text: `allow-outside-breakage: regenerating ${regenerate.join(' and ')} breaks ${broken.length} ${broken.some((h) => h.caller) ? 'consumer(s) and caller(s) seen in the storage logs' : 'consumer(s)'} outside the managed workspaces. Update them with the new key (or resync those workspaces).`,
      subjects: broken.map((h) => h.text),
    });
  }
  const brokenIds = new Set(holders.map((h) => h.id));
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
    const holds =
      c.auth === 'AccountKey' ? `holds ${c.holds}` : isSas(c) ? describeSas(c) : c.credentials;
    parts.push(`${c.kind} '${c.name}' (${holds})`);
  }
  return `'${ws.ref.name}': ${parts.join(', ')}`;
}

function consumerNotes(inventory: Inventory, _regenerate: KeyName[]): Note[] {
  const consumers = inventory.workspaces.flatMap((ws) => ws.consumers);
  const stale = consumers.filter(
    (c) => c.inScope && c.auth === 'AccountKey' && c.holds === 'stale',
  );
  const notes: Note[] = [];
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

/**
 * SAS consumers in the managed workspaces: exactly those the regeneration breaks (and only those),
 * those already broken, those whose signer is unknown, and those the run re-issues. Outside ones are
 * outside holders like any other (see outsideHolders).
 */
function sasNotes(inventory: Inventory, regenerate: KeyName[], policy: NotePolicy): Note[] {
  const choice = policy.sas ?? 'warn';
  const sas = inventory.workspaces
    .flatMap((ws) => ws.consumers)
    .filter((c) => c.inScope && isSas(c));
  const named = (c: Consumer) => `${describeConsumer(c)}, ${describeSas(c)}`;
  const notes: Note[] = [];
  const breaks = sasBrokenInScope(inventory, regenerate, choice);
  if (breaks.length > 0) {
    const advice =
      choice === 'renew'
        ? 'this run cannot re-issue their tokens (see the reason of each)'
        : 'issue them new tokens signed by the key that stays and update them, or run with sas: renew';
    // With both keys regenerated, a token whose signer could not be told breaks too.
    const signers =
      regenerate.length === 1
        ? 'it signed'
        : 'signed by one of them or by a key that cannot be told';
    notes.push({
      level: 'warning',
      kind: 'sas',
      text: `Regenerating ${regenerate.join(' and ')} breaks ${breaks.length} SAS consumer(s) with a live token ${signers}: ${advice}.`,
      subjects: breaks.map((c) => {
        const why = choice === 'renew' ? renewBlocker(c) : undefined;
        return why ? `${named(c)} (${why})` : named(c);
      }),
    });
  }
  const broken = sas.filter((c) => c.holds === 'stale');
  if (broken.length > 0) {
    notes.push({
      level: 'warning',
      kind: 'sas-broken',
      text: `${broken.length} SAS consumer(s) are already broken (their token has expired or matches neither key): this run leaves them as they are; issue them new tokens.`,
      subjects: broken.map(named),
    });
  }
  const unknown = sas.filter((c) => !c.sas || c.sas.signedBy === 'unknown');
  if (unknown.length > 0) {
    notes.push({
      level: regenerate.length > 0 ? 'warning' : 'notice',
      kind: 'sas-unknown',
      text: `Which key signed the SAS token of ${unknown.length} consumer(s) could not be told, so this run cannot say whether a regeneration breaks them.`,
      subjects: unknown.map(named),
    });
  }
  return notes;
}
