import { KEY_NAMES, type KeyName } from '../azure/port.js';
import {
  consumerId,
  managedWorkspaces,
  usesAccountKey,
  type Consumer,
  type Inventory,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import { refKey } from '../util/resource-id.js';
import { plannedAction } from './actions.js';
import { decide, sasChoice, skipSasKeys } from './decide.js';
import { ageLimit, dueKeys, type AgeLimit } from './key-age.js';
import { outsideHolders, planNotes } from './notes.js';
import { drainNotes, heldBack } from './held-back.js';
import { describeDrain, holdBack } from './drain.js';
import { refusal } from './refusal.js';
import { toRenew } from './sas.js';
import { buildSteps } from './steps.js';
import { otherKey, type Plan, type Policy } from './types.js';

export type { Note } from './notes.js';
export { otherKey, type Plan, type Policy, type Step } from './types.js';

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
  const skippedSas = skipSasKeys(inventory, decided, policy);
  const { skipped } = skippedSas;
  const { regenerate, held } = holdBack(
    skippedSas.regenerate,
    heldBack(inventory, skippedSas.regenerate, policy),
  );
  const decision =
    held.length > 0
      ? `${skippedSas.decision}; ${held.map(describeDrain).join('; ')}`
      : skippedSas.decision;
  const drained = held.map((d) => d.key);
  // A SAS consumer the run re-issues moves like an AccountKey consumer, its token re-signed; one
  // on a key held back is moved off it like the others.
  const keyed = [
    ...accountKeyed,
    ...toRenew(inventory, [...regenerate, ...drained], sasChoice(policy)),
  ];

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
  // A key held back is drained: every managed consumer moves onto the other key, or onto the key
  // regenerated in this run.
  const activeKey =
    regenerate.at(-1) ??
    (drained[0] ? otherKey(drained[0]) : newestKey(inventory, keyed, workspaces));
  if (regenerate.length === 0) {
    built.repair(activeKey, policy.keyName === 'none' || drained.length > 0);
  }

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
    notes: [
      ...built.notes,
      ...planNotes(inventory, regenerate, policy),
      ...skipped.notes,
      ...drainNotes(held, due),
    ],
    ageLimit: limit,
    due,
    refused: refusal(inventory, workspaces, regenerate, policy),
    settleFirst: false,
    blockedBySas: skipped.blocked,
    held,
  };
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
    held: [],
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
