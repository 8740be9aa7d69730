// Which keys a run regenerates, and why: the key-name input, the age limit, the holders' cost and
// sas: skip-keys. Pure.
import { KEY_NAMES, type KeyName } from '../azure/port.js';
import {
  describeConsumer,
  type Consumer,
  type Inventory,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import { ageDays, describeAge, describeLimit, type AgeLimit } from './key-age.js';
import { outsideHolders, type Note } from './notes.js';
import { refusal } from './refusal.js';
import { describeSas, liveSasOf, signsUnrenewedSas, type SasChoice } from './sas.js';
import type { Policy } from './types.js';

export const sasChoice = (policy: Policy): SasChoice => policy.sas ?? 'warn';

export /**
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

export function decide(
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

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
