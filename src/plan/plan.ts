import { KEY_NAMES, type KeyName } from '../azure/port.js';
import type { KeyNameChoice } from '../inputs/inputs.js';
import {
  consumerId,
  describeConsumer,
  managedWorkspaces,
  refOf,
  usesAccountKey,
  type Consumer,
  type ConsumerRef,
  type Holding,
  type Inventory,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import {
  ageDays,
  ageLimit,
  describeAge,
  describeLimit,
  dueKeys,
  type AgeLimit,
} from './key-age.js';
import { planNotes, outsideHolders, type Note } from './notes.js';
import { refusal } from './refusal.js';
import { refKey, type ResourceRef } from '../util/resource-id.js';
import {
  breaksUnknown,
  describeSas,
  liveSasOf,
  liveSigner,
  signsUnrenewedSas,
  toRenew,
  type SasChoice,
} from './sas.js';

export type { Note } from './notes.js';

export interface Policy {
  keyName: KeyNameChoice;
  maxKeyAgeDays?: number;
  now: Date;
  /** The workspaces were already resynced to settle on one key: plan the rotation regardless. */
  settled?: boolean;
  /** Regenerate a key even though consumers outside the named workspaces hold it. */
  allowOutsideBreakage?: boolean;
  /** Accept that a workspace's own copy may hold a regenerated key until the resync after it. */
  allowWorkspaceOutage?: boolean;
  /** What to do about SAS tokens a regenerated key signed (default warn). */
  sas?: SasChoice;
}

/** One action of a rotation. Steps run in order; a `move` targets the key's value at that time. */
export type Step =
  | { kind: 'move'; consumers: ConsumerRef[]; to: KeyName; reason: string }
  | { kind: 'regenerate'; key: KeyName; reason: string }
  | { kind: 'resync'; workspace: ResourceRef; reason: string };

export interface Plan {
  /** Keys regenerated, in order. Empty when nothing is due or key-name is none. */
  regenerate: KeyName[];
  /** Why the plan regenerates what it does (or nothing). */
  decision: string;
  /** The key every AccountKey consumer (and every renewed SAS consumer) holds when the plan has run. */
  activeKey: KeyName;
  /**
   * sas: skip-keys left every key it would regenerate alone, because each signs a live SAS token:
   * why, in one sentence. The run regenerates nothing and says so (result blocked-by-sas).
   */
  blockedBySas?: string;
  steps: Step[];
  /** Per consumer (by consumerId), the planned action in words. */
  actions: Map<string, string>;
  notes: Note[];
  /** The age limit the run applies, if any, and the keys older than it. */
  ageLimit?: AgeLimit;
  due: KeyName[];
  /**
   * Why the rotation must not run (it would break what it must not): a rotation stops before its
   * first write, a dry run says the real run would.
   */
  refused?: string;
  /**
   * The steps only resync the workspaces: they hold different keys, and which key resyncKeys gives
   * them decides which key can be regenerated without an outage. Run them, observe, plan again.
   */
  settleFirst: boolean;
}

export const otherKey = (key: KeyName): KeyName => (key === 'key1' ? 'key2' : 'key1');

/** What the plan writes to: consumers (by consumerId) and workspaces it resyncs (by refKey). */
export function writeTargets(plan: Plan): { consumers: Set<string>; workspaces: Set<string> } {
  const consumers = new Set<string>();
  const workspaces = new Set<string>();
  for (const step of plan.steps) {
    if (step.kind === 'move') step.consumers.forEach((c) => consumers.add(consumerId(c)));
    if (step.kind === 'resync') workspaces.add(refKey(step.workspace));
  }
  return { consumers, workspaces };
}

/**
 * Turns what discovery saw into ordered steps. Pure: no I/O, no clock but policy.now.
 * The rule: a consumer is moved off a key before that key is regenerated; workspaces resync right
 * after a regeneration; every AccountKey consumer ends on the newest key. Only the named
 * workspaces are written to; a key that a consumer outside them holds is not regenerated unless
 * the policy accepts breaking it.
 */
export function plan(inventory: Inventory, policy: Policy): Plan {
  const managed = managedWorkspaces(inventory);
  const accountKeyed = managed.flatMap((ws) => ws.consumers.filter(usesAccountKey));
  const workspaces = managed.filter((ws) => ws.usesAccountAsDefault);
  const limit = ageLimit(inventory, policy.maxKeyAgeDays);
  const due = limit ? dueKeys(inventory.keys, limit, policy.now) : [];
  const decided = decide(inventory, workspaces, accountKeyed, policy, limit, due);
  const { regenerate, decision, skipped } = skipSasKeys(inventory, decided, policy);
  // A SAS consumer the run re-issues moves like an AccountKey consumer, its token re-signed.
  const keyed = [...accountKeyed, ...toRenew(inventory, regenerate, sasChoice(policy))];

  const split = KEY_NAMES.every((key) => workspaces.some((ws) => ws.holds === key));
  if (
    split &&
    !policy.settled &&
    regenerate.length > 0 &&
    policy.keyName !== 'key1' &&
    policy.keyName !== 'key2'
  ) {
    return settlePlan(inventory, workspaces, limit, due);
  }
  const built = buildSteps(keyed, workspaces, regenerate, decision);
  const activeKey = regenerate.at(-1) ?? newestKey(inventory, keyed, workspaces);
  if (regenerate.length === 0) built.repair(activeKey, policy.keyName === 'none');

  const actions = new Map<string, string>();
  const breaks = new Set(outsideHolders(inventory, regenerate).map((h) => h.id));
  for (const c of inventory.workspaces.flatMap((ws) => ws.consumers)) {
    const id = consumerId(c);
    actions.set(id, plannedAction(c, built.moves.get(id), regenerate, breaks.has(id)));
  }
  return {
    regenerate,
    decision,
    activeKey,
    steps: built.steps,
    actions,
    notes: [...built.notes, ...planNotes(inventory, regenerate, policy), ...skipped.notes],
    ageLimit: limit,
    due,
    refused: refusal(inventory, workspaces, regenerate, policy),
    settleFirst: false,
    blockedBySas: skipped.blocked,
  };
}

const sasChoice = (policy: Policy): SasChoice => policy.sas ?? 'warn';

/**
 * sas: skip-keys: the keys that sign a live SAS token (in the managed workspaces or outside) are
 * not regenerated. Each one left alone is a warning; all of them left alone blocks the rotation.
 */
function skipSasKeys(
  inventory: Inventory,
  decided: { regenerate: KeyName[]; decision: string },
  policy: Policy,
): { regenerate: KeyName[]; decision: string; skipped: { notes: Note[]; blocked?: string } } {
  if (sasChoice(policy) !== 'skip-keys') return { ...decided, skipped: { notes: [] } };
  const signing = decided.regenerate.filter((k) => liveSasOf(inventory, [k]).length > 0);
  if (signing.length === 0) return { ...decided, skipped: { notes: [] } };
  const regenerate = decided.regenerate.filter((k) => !signing.includes(k));
  const left = `${signing.join(' and ')} ${signing.length === 1 ? 'signs' : 'sign'} live SAS tokens, so sas: skip-keys leaves ${signing.length === 1 ? 'it' : 'them'} alone`;
  const notes: Note[] = signing.map((key) => {
    const holders = liveSasOf(inventory, [key]);
    return {
      level: 'warning',
      kind: 'sas-skipped',
      text: `${key} was not regenerated (${decided.decision}): ${holders.length} SAS consumer(s) use a live token it signed, and sas: skip-keys never breaks one. Re-issue them with the other key (or with sas: renew), then rotate.`,
      subjects: holders.map((c) => `${describeConsumer(c)}, ${describeSas(c)}`),
    };
  });
  return {
    regenerate,
    decision: `${decided.decision}; ${left}`,
    skipped: {
      notes,
      blocked:
        regenerate.length === 0
          ? `Nothing was rotated: ${left}. Re-issue those tokens with the other key, or run with sas: renew.`
          : undefined,
    },
  };
}

/** The ordered steps for the keys to regenerate; `repair` adds the moves of a run that regenerates none. */
function buildSteps(
  keyed: Consumer[],
  workspaces: WorkspaceInventory[],
  regenerate: KeyName[],
  decision: string,
) {
  const holding = new Map<string, Holding | 'unknown'>(
    keyed.map((c) => [consumerId(c), c.holds ?? 'stale']),
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
    const targets = keyed.filter((c) => from(holding.get(consumerId(c))!));
    if (targets.length === 0) return;
    steps.push({ kind: 'move', consumers: targets.map(refOf), to, reason });
    for (const c of targets) {
      holding.set(consumerId(c), to);
      moves.set(consumerId(c), [...(moves.get(consumerId(c)) ?? []), fresh ? `new ${to}` : to]);
    }
  };

  // After a resync only the service knows which key the workspace's own copy holds (which key
  // resyncKeys takes is undocumented). A resync may also rewrite the workspace's default
  // datastores (undocumented too), so each resync comes before the moves next to it.
  const resync = (ws: WorkspaceInventory, reason: string) => {
    steps.push({ kind: 'resync', workspace: ws.ref, reason });
    for (const c of keyed) {
      if (refKey(c.workspace) === refKey(ws.ref) && isSystemDatastore(c)) {
        holding.set(consumerId(c), 'unknown');
      }
    }
  };

  const workspaceHolds = new Map(workspaces.map((ws) => [ws, ws.holds as Holding | 'unknown']));
  for (const key of regenerate) {
    const other = otherKey(key);
    for (const ws of workspaces.filter((w) => workspaceHolds.get(w) === key)) {
      resync(
        ws,
        `the workspace holds ${key}: resync first, in case the workspace moves to ${other}`,
      );
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
    }
    const holders = workspaces.filter((ws) => ws.holds === key);
    if (holders.length > 0) {
      notes.push({
        level: 'notice',
        kind: 'workspace-window',
        text: `${holders.length} workspace(s) hold ${key} in their own copy. Azure ML cannot point a workspace at a chosen key: unless the resync before the regeneration moves it to ${other}, its own copy is invalid from the regeneration of ${key} until the resync right after it (measured in the report).`,
        subjects: holders.map((ws) => `workspace '${ws.ref.name}'`),
      });
    }
    moveAll((h) => h !== key, key, true, `move every AccountKey consumer onto the new ${key}`);
  }

  // A workspace on the other, still valid key is resynced only when asked to converge (key-name:
  // none): resyncKeys may keep picking that key, and a run with nothing due must write nothing.
  const repair = (activeKey: KeyName, converge: boolean) => {
    const off = (w: WorkspaceInventory) =>
      w.holds === 'stale' || (converge && w.holds !== undefined && w.holds !== activeKey);
    for (const ws of workspaces.filter(off)) {
      resync(
        ws,
        ws.holds === 'stale'
          ? `repair: the workspace's copy matches neither key`
          : `the workspace holds ${ws.holds}, not the newest key ${activeKey}`,
      );
    }
    moveAll(
      (h) => h === 'stale',
      activeKey,
      false,
      'repair: consumers whose key matches neither key',
    );
    moveAll(
      (h) => h !== activeKey,
      activeKey,
      false,
      `bring consumers onto the newest key, ${activeKey}`,
    );
  };
  return { steps, moves, notes, repair };
}

function settlePlan(
  inventory: Inventory,
  workspaces: WorkspaceInventory[],
  limit: AgeLimit | undefined,
  due: KeyName[],
): Plan {
  const actions = new Map(
    inventory.workspaces
      .flatMap((ws) => ws.consumers)
      .map((c) => [consumerId(c), 'decided once the workspaces have resynced'] as const),
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
    ageLimit: limit,
    due,
    settleFirst: true,
  };
}

function decide(
  inventory: Inventory,
  workspaces: WorkspaceInventory[],
  keyed: Consumer[],
  policy: Policy,
  limit: AgeLimit | undefined,
  due: KeyName[],
): { regenerate: KeyName[]; decision: string } {
  if (policy.keyName === 'none') {
    return {
      regenerate: [],
      decision: 'key-name is none: regenerate nothing, bring every consumer onto the newest key',
    };
  }
  const ages = inventory.keys.map((k) => describeAge(k, policy.now)).join(', ');
  // A named key is an order (the emergency after a leak): the age limit applies to auto only.
  if (limit && policy.keyName === 'auto') {
    if (due.length === 0) {
      return {
        regenerate: [],
        decision: `not due: ${ages}; no key is older than ${describeLimit(limit)}`,
      };
    }
    return {
      regenerate: due,
      decision: `due under ${describeLimit(limit)}: ${ages}; regenerate ${due.join(' then ')}`,
    };
  }
  const order = limit ? ` (${ages}; the age limit applies to auto only)` : '';
  const holders = (key: KeyName) => [
    workspaces.filter((ws) => ws.holds === key).length,
    keyed.filter((c) => c.holds === key).length,
  ];
  const byCost = [...KEY_NAMES].sort((a, b) => compareTuples(holders(a), holders(b)));
  switch (policy.keyName) {
    case 'key1':
    case 'key2':
      return {
        regenerate: [policy.keyName],
        decision: `key-name is ${policy.keyName}${order}`,
      };
    case 'both':
      return {
        regenerate: byCost,
        decision: `key-name is both: regenerate ${byCost[0]} then ${byCost[1]}, so no key from before the run stays valid${order}`,
      };
    default:
      return autoKey(inventory, workspaces, policy, byCost, ages);
  }
}

/**
 * auto without an age limit: the older key, so successive runs alternate and both keys get
 * rotated; when the ages tie, the one with fewer holders. A key the policy may not regenerate
 * (held outside the scope, or by a workspace's own copy when no outage is allowed) is passed over.
 */
function autoKey(
  inventory: Inventory,
  workspaces: WorkspaceInventory[],
  policy: Policy,
  byCost: KeyName[],
  ages: string,
): { regenerate: KeyName[]; decision: string } {
  const days = (key: KeyName) => {
    const age = ageDays(
      inventory.keys.find((k) => k.name === key)!,
      policy.now,
    );
    return Number.isFinite(age) ? Math.floor(age) : Infinity;
  };
  const order = [...byCost].sort((a, b) => (days(a) === days(b) ? 0 : days(b) - days(a)));
  const tie = days(order[0]!) === days(order[1]!);
  const allowed = order.filter((k) => !refusal(inventory, workspaces, [k], policy));
  // A key whose regeneration breaks no SAS token the run leaves as it is comes first.
  const breaksNoSas = (k: KeyName) => !signsUnrenewedSas(inventory, k, sasChoice(policy));
  const pick = allowed.find(breaksNoSas) ?? allowed[0] ?? order[0]!;
  const why = tie
    ? `${pick} has the fewest holders to move off first`
    : `${pick} is the older key (${ages})`;
  if (pick === order[0]) return { regenerate: [pick], decision: `key-name is auto: ${why}` };
  const heldOutside =
    !policy.allowOutsideBreakage && outsideHolders(inventory, [order[0]!]).length > 0;
  const reason = allowed.includes(order[0]!)
    ? 'it signs live SAS tokens this run does not re-issue'
    : heldOutside
      ? 'consumers outside the managed workspaces hold it'
      : 'a workspace holds it in its own copy and allow-workspace-outage is false';
  return {
    regenerate: [pick],
    decision: `key-name is auto: ${order[0]} is ${tie ? 'as old' : 'older'}, but ${reason}; regenerate ${pick}`,
  };
}

/** The newest key: by creation time, or without creation times, the key most consumers hold. */
function newestKey(
  inventory: Inventory,
  keyed: Consumer[],
  workspaces: WorkspaceInventory[],
): KeyName {
  const keys = inventory.keys;
  if (keys.every((k) => k.createdOn)) {
    return [...keys].sort((a, b) => b.createdOn!.getTime() - a.createdOn!.getTime())[0]!.name;
  }
  const holders = (key: KeyName) =>
    keyed.filter((c) => c.holds === key).length + workspaces.filter((w) => w.holds === key).length;
  return holders('key2') > holders('key1') ? 'key2' : 'key1';
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

/** A SAS consumer's planned action: renewed, broken (in scope or outside), or left, and why. */
function sasAction(c: Consumer, moves: string[] | undefined, regenerated: KeyName[]): string {
  if (moves) return `renew: re-issue its SAS token signed by ${moves.join(', then ')}`;
  const signer = liveSigner(c);
  const outside = c.inScope ? '' : ', outside the managed workspaces';
  if (signer && regenerated.includes(signer)) {
    return `BREAKS: its SAS token is signed by ${signer}, which is regenerated${outside}`;
  }
  const sas = c.sas;
  if (breaksUnknown(c, regenerated)) {
    return `BREAKS: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}, and both keys are regenerated${outside}`;
  }
  const where = c.inScope ? '' : ' (outside the managed workspaces)';
  if (!sas || sas.signedBy === 'unknown') {
    return `none: which key signed its SAS token is unknown${sas?.reason ? ` (${sas.reason})` : ''}${where}`;
  }
  if (sas.signedBy === 'user delegation') {
    return `none: user delegation SAS, unaffected by the account keys${where}`;
  }
  if (sas.expired) return `none: its SAS token has expired (already broken)${where}`;
  if (sas.signedBy === 'neither') {
    return `none: its SAS token is signed by neither key (already broken)${where}`;
  }
  return `none: its SAS token is signed by ${sas.signedBy}, which stays${where}`;
}

function isSystemDatastore(c: Consumer): boolean {
  return c.kind === 'datastore' && (c.isDefault || SYSTEM_DATASTORES.has(c.name.toLowerCase()));
}

function plannedAction(
  c: Consumer,
  moves: string[] | undefined,
  regenerated: KeyName[],
  breaks: boolean,
): string {
  if (c.holds === 'unknown') {
    return breaks
      ? `MAY BREAK: its secret could not be read (${c.unread ?? 'unknown'}), so it may hold ${regenerated.join(' or ')}, which is regenerated, outside the managed workspaces`
      : `none: its secret could not be read (${c.unread ?? 'unknown'}), outside the managed workspaces`;
  }
  if (c.auth === 'Sas') return sasAction(c, moves, regenerated);
  if (moves) return `move to ${moves.join(', then ')}`;
  if (breaks)
    return `BREAKS: holds ${c.holds}, which is regenerated, outside the managed workspaces`;
  if (!c.inScope) return 'none: outside the managed workspaces';
  switch (c.auth) {
    case 'AccountKey':
      return `none: stays on ${c.holds}`;
    default:
      return c.credentials === 'None'
        ? 'none: identity-based access'
        : `none: ${c.credentials} credentials do not use the account keys`;
  }
}
