import { KEY_NAMES, type KeyName } from './azure/port.js';
import type { KeyNameChoice } from './inputs.js';
import {
  usesAccountKey,
  type DatastoreConsumer,
  type Holding,
  type Inventory,
  type KeyInfo,
  type WorkspaceInventory,
} from './inventory.js';
import { refKey, type ResourceRef } from './resource-id.js';

export interface Policy {
  keyName: KeyNameChoice;
  maxKeyAgeDays?: number;
  now: Date;
  /** The workspaces were already resynced to settle on one key: plan the rotation regardless. */
  settled?: boolean;
}

export interface DatastoreRef {
  workspace: ResourceRef;
  name: string;
}

/** One action of a rotation. Steps run in order; a `move` targets the key's value at that time. */
export type Step =
  | { kind: 'move'; datastores: DatastoreRef[]; to: KeyName; reason: string }
  | { kind: 'regenerate'; key: KeyName; reason: string }
  | { kind: 'resync'; workspace: ResourceRef; reason: string };

export interface Note {
  level: 'warning' | 'notice';
  text: string;
}

export interface Plan {
  /** Keys regenerated, in order. Empty when nothing is due or key-name is none. */
  regenerate: KeyName[];
  /** Why the plan regenerates what it does (or nothing). */
  decision: string;
  /** The key every AccountKey consumer holds when the plan has run. */
  activeKey: KeyName;
  steps: Step[];
  /** Per datastore (by datastoreId), the planned action in words. */
  actions: Map<string, string>;
  notes: Note[];
  /**
   * The steps only resync the workspaces: they hold different keys, and which key resyncKeys gives
   * them decides which key can be regenerated without an outage. Run them, observe, plan again.
   */
  settleFirst: boolean;
}

const DAY_MS = 86_400_000;

export const datastoreId = (ds: DatastoreRef) => `${refKey(ds.workspace)}/${ds.name}`;
export const otherKey = (key: KeyName): KeyName => (key === 'key1' ? 'key2' : 'key1');

/** What the plan writes to: datastores (by datastoreId) and workspaces it resyncs (by refKey). */
export function writeTargets(plan: Plan): { datastores: Set<string>; workspaces: Set<string> } {
  const datastores = new Set<string>();
  const workspaces = new Set<string>();
  for (const step of plan.steps) {
    if (step.kind === 'move') step.datastores.forEach((ds) => datastores.add(datastoreId(ds)));
    if (step.kind === 'resync') workspaces.add(refKey(step.workspace));
  }
  return { datastores, workspaces };
}

/**
 * Turns what discovery saw into ordered steps. Pure: no I/O, no clock but policy.now.
 * The rule: a consumer is moved off a key before that key is regenerated; workspaces resync right
 * after a regeneration; every AccountKey consumer ends on the newest key.
 */
export function plan(inventory: Inventory, policy: Policy): Plan {
  const keyed = inventory.workspaces.flatMap((ws) => ws.datastores.filter(usesAccountKey));
  const workspaces = inventory.workspaces.filter((ws) => ws.usesAccountAsDefault);
  const holding = new Map<string, Holding | 'unknown'>(
    keyed.map((ds) => [datastoreId(ds), ds.holds ?? 'stale']),
  );
  const moves = new Map<string, string[]>();
  const steps: Step[] = [];
  const notes: Note[] = [];

  const moveAll = (
    from: (h: Holding | 'unknown') => boolean,
    to: KeyName,
    fresh: boolean,
    reason: string,
  ) => {
    const targets = keyed.filter((ds) => from(holding.get(datastoreId(ds))!));
    if (targets.length === 0) return;
    steps.push({ kind: 'move', datastores: targets.map(refOf), to, reason });
    for (const ds of targets) {
      holding.set(datastoreId(ds), to);
      const list = moves.get(datastoreId(ds)) ?? [];
      list.push(fresh ? `new ${to}` : to);
      moves.set(datastoreId(ds), list);
    }
  };

  const resync = (ws: WorkspaceInventory, reason: string) => {
    steps.push({ kind: 'resync', workspace: ws.ref, reason });
    for (const ds of keyed.filter(
      (d) => refKey(d.workspace) === refKey(ws.ref) && isSystemDatastore(d),
    )) {
      holding.set(datastoreId(ds), 'unknown');
    }
  };

  const { regenerate, decision } = decide(inventory, workspaces, keyed, policy);
  const split = KEY_NAMES.every((key) => workspaces.some((ws) => ws.holds === key));
  if (
    split &&
    !policy.settled &&
    regenerate.length > 0 &&
    policy.keyName !== 'key1' &&
    policy.keyName !== 'key2'
  ) {
    return settlePlan(inventory, workspaces);
  }
  // What each workspace's own copy holds as far as the plan can know: after a resync, only the
  // service knows (which key resyncKeys takes is undocumented), so it becomes unknown.
  // Each resync comes before the datastore moves next to it: a resync may also rewrite the
  // workspace's default datastores (undocumented too), and the moves must have the last word.
  const workspaceHolds = new Map(workspaces.map((ws) => [ws, ws.holds as Holding | 'unknown']));
  for (const key of regenerate) {
    const other = otherKey(key);
    for (const ws of workspaces.filter((w) => workspaceHolds.get(w) === key)) {
      resync(
        ws,
        `the workspace holds ${key}: resync first, in case the workspace moves to ${other}`,
      );
      workspaceHolds.set(ws, 'unknown');
    }
    moveAll(
      (h) => h === key || h === 'unknown',
      other,
      false,
      `${key} is regenerated next: move its holders to ${other} first`,
    );
    steps.push({ kind: 'regenerate', key, reason: decision });
    for (const ws of workspaces) {
      resync(
        ws,
        ws.holds === key
          ? `the workspace held ${key}: resync right after its regeneration`
          : `the workspace reads the account's keys again (which one it takes is up to Azure ML)`,
      );
      workspaceHolds.set(ws, 'unknown');
      if (ws.holds === key) {
        notes.push({
          level: 'warning',
          text: `Workspace '${ws.ref.name}' holds ${key}. Azure ML cannot point a workspace at a chosen key: unless the resync before the regeneration moves it to ${other}, its own copy is invalid from the regeneration of ${key} until the resync right after it.`,
        });
      }
    }
    moveAll((h) => h !== key, key, true, `move every AccountKey datastore onto the new ${key}`);
  }

  const activeKey = regenerate.at(-1) ?? newestKey(inventory.keys, keyed, workspaces);
  if (regenerate.length === 0) {
    for (const ws of workspaces.filter((w) => w.holds !== undefined && w.holds !== activeKey)) {
      resync(
        ws,
        ws.holds === 'stale'
          ? `repair: the workspace's copy matches neither key`
          : `the workspace holds ${ws.holds ?? 'an unknown key'}, not the newest key ${activeKey}`,
      );
    }
    moveAll(
      (h) => h === 'stale',
      activeKey,
      false,
      `repair: datastores whose key matches neither key`,
    );
    moveAll(
      (h) => h !== activeKey,
      activeKey,
      false,
      `bring datastores onto the newest key, ${activeKey}`,
    );
  }

  notes.push(...datastoreNotes(inventory, regenerate));
  const unused = inventory.keys.find(
    (k) =>
      k.name !== activeKey &&
      !regenerate.includes(k.name) &&
      !workspaces.some((ws) => ws.holds === k.name),
  );
  if (unused && policy.maxKeyAgeDays && ageDays(unused, policy.now) > policy.maxKeyAgeDays) {
    notes.push({
      level: 'notice',
      text: `${unused.name} is ${Math.floor(ageDays(unused, policy.now))} days old and no consumer is left on it, but it stays valid until it is regenerated (key-name: both revokes every old key).`,
    });
  }

  const actions = new Map<string, string>();
  for (const ds of inventory.workspaces.flatMap((ws) => ws.datastores)) {
    actions.set(datastoreId(ds), plannedAction(ds, moves.get(datastoreId(ds)), regenerate));
  }
  return { regenerate, decision, activeKey, steps, actions, notes, settleFirst: false };
}

function settlePlan(inventory: Inventory, workspaces: WorkspaceInventory[]): Plan {
  const actions = new Map(
    inventory.workspaces
      .flatMap((ws) => ws.datastores)
      .map((ds) => [datastoreId(ds), 'decided once the workspaces have resynced'] as const),
  );
  return {
    regenerate: [],
    decision:
      'the workspaces hold different keys: resync them first, then choose the key to regenerate from the key each one holds afterwards',
    activeKey: 'key1',
    steps: workspaces.map((ws) => ({
      kind: 'resync' as const,
      workspace: ws.ref,
      reason: 'settle the workspaces on one key before choosing which key to regenerate',
    })),
    actions,
    notes: [],
    settleFirst: true,
  };
}

function decide(
  inventory: Inventory,
  workspaces: WorkspaceInventory[],
  keyed: DatastoreConsumer[],
  policy: Policy,
): { regenerate: KeyName[]; decision: string } {
  if (policy.keyName === 'none') {
    return {
      regenerate: [],
      decision: 'key-name is none: regenerate nothing, bring every consumer onto the newest key',
    };
  }
  if (policy.maxKeyAgeDays !== undefined) {
    const inUse = keyInUse(inventory.keys, keyed, workspaces);
    if (inUse) {
      const age = ageDays(inUse, policy.now);
      if (age < policy.maxKeyAgeDays) {
        return {
          regenerate: [],
          decision: `not due: the key in use, ${inUse.name}, is ${Math.floor(age)} days old (max-key-age-days: ${policy.maxKeyAgeDays})`,
        };
      }
    }
  }
  const score = (key: KeyName) => [
    workspaces.filter((ws) => ws.holds === key).length,
    keyed.filter((ds) => ds.holds === key).length,
    -ageDays(
      inventory.keys.find((k) => k.name === key)!,
      policy.now,
    ),
  ];
  const byCost = [...KEY_NAMES].sort((a, b) => compareTuples(score(a), score(b)));
  switch (policy.keyName) {
    case 'key1':
    case 'key2':
      return { regenerate: [policy.keyName], decision: `key-name is ${policy.keyName}` };
    case 'both':
      return {
        regenerate: byCost,
        decision: `key-name is both: regenerate ${byCost[0]} then ${byCost[1]}, so no key from before the run stays valid`,
      };
    default: {
      const key = byCost[0]!;
      const holders = score(key);
      return {
        regenerate: [key],
        decision:
          holders[0] === 0 && holders[1] === 0
            ? `key-name is auto: ${key} is the key no consumer holds`
            : `key-name is auto: both keys are in use; ${key} has the fewest holders to move off first`,
      };
    }
  }
}

/** The newest key any AccountKey consumer holds. */
function keyInUse(
  keys: KeyInfo[],
  keyed: DatastoreConsumer[],
  workspaces: WorkspaceInventory[],
): KeyInfo | undefined {
  const held = new Set<Holding | undefined>([
    ...keyed.map((d) => d.holds),
    ...workspaces.map((w) => w.holds),
  ]);
  return newestFirst(keys.filter((k) => held.has(k.name)))[0];
}

/** The key with the latest creation time; without creation times, the key most consumers hold. */
function newestKey(
  keys: KeyInfo[],
  keyed: DatastoreConsumer[],
  workspaces: WorkspaceInventory[],
): KeyName {
  if (keys.every((k) => k.createdOn)) return newestFirst(keys)[0]!.name;
  const holders = (key: KeyName) =>
    keyed.filter((d) => d.holds === key).length + workspaces.filter((w) => w.holds === key).length;
  return holders('key2') > holders('key1') ? 'key2' : 'key1';
}

function newestFirst(keys: KeyInfo[]): KeyInfo[] {
  return [...keys].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
}

export function ageDays(key: KeyInfo, now: Date): number {
  return key.createdOn ? (now.getTime() - key.createdOn.getTime()) / DAY_MS : Infinity;
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * The datastores Azure ML creates with a workspace. A resync may rewrite their credentials too
 * (undocumented), so after one the plan no longer knows which key they hold.
 */
const SYSTEM_DATASTORES = new Set([
  'workspaceblobstore',
  'workspacefilestore',
  'workspaceartifactstore',
  'workspaceworkingdirectory',
]);

function isSystemDatastore(ds: DatastoreConsumer): boolean {
  return ds.isDefault || SYSTEM_DATASTORES.has(ds.name.toLowerCase());
}

function refOf(ds: DatastoreConsumer): DatastoreRef {
  return { workspace: ds.workspace, name: ds.name };
}

function plannedAction(ds: DatastoreConsumer, moves: string[] | undefined, regenerated: KeyName[]) {
  if (moves) return `move to ${moves.join(', then ')}`;
  switch (ds.credentialsType) {
    case 'AccountKey':
      return `none: stays on ${ds.holds}`;
    case 'Sas':
      return regenerated.length > 0
        ? `none: re-issue the SAS token if it was signed with ${regenerated.join(' or ')}`
        : 'none: SAS token';
    case 'None':
      return 'none: identity-based access';
    default:
      return `none: ${ds.credentialsType} credentials do not use the account keys`;
  }
}

function datastoreNotes(inventory: Inventory, regenerated: KeyName[]): Note[] {
  const notes: Note[] = [];
  for (const ds of inventory.workspaces.flatMap((ws) => ws.datastores)) {
    const where = `Datastore '${ds.name}' (workspace '${ds.workspace.name}')`;
    if (ds.credentialsType === 'Sas' && regenerated.length > 0) {
      notes.push({
        level: 'warning',
        text: `${where} uses a SAS token. A SAS signed with ${regenerated.join(' or ')} stops working when that key is regenerated: issue a new token and update the datastore.`,
      });
    } else if (ds.holds === 'stale') {
      notes.push({
        level: 'warning',
        text: `${where} holds a key that matches neither key of the account: it was already broken and is repaired by this run.`,
      });
    }
  }
  return notes;
}
