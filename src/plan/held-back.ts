// Which keys the run holds back, from every source of reasons, and what it tells of them. Pure.
import type { KeyName } from '../azure/port.js';
import type { Inventory } from '../discover/inventory.js';
import { describeUntil, type Drain } from './drain.js';
import type { Note } from './notes.js';
import { gracePeriod } from './grace-period.js';
import { unusedGate, type GatePolicy } from './unused-gate.js';

/**
 * The drains of the keys the run would regenerate. Each source says which keys must wait, until
 * when and why; drain.ts merges them per key (the latest time wins, an unknown time wins over all).
 */
export function heldBack(
  inventory: Inventory,
  regenerate: readonly KeyName[],
  policy: GatePolicy & { graceMs?: number },
): Drain[] {
  return [
    ...unusedGate(inventory, regenerate, policy),
    ...gracePeriod(inventory, regenerate, policy.graceMs ?? 0, policy.now),
  ];
}

/**
 * One note per key held back. A due key that waits, or one the run cannot say when it may be
 * regenerated, needs a person (a warning: "Needs attention", the notify issue); a drain that a later
 * run will finish by itself is for the record.
 */
export function drainNotes(held: readonly Drain[], due: readonly KeyName[]): Note[] {
  return held.map((d) => ({
    level: due.includes(d.key) || !d.until ? 'warning' : 'notice',
    kind: 'held-back',
    text: `${d.key} was not regenerated: it is held back, and a run may regenerate it ${describeUntil(d)}${due.includes(d.key) ? ` (it is due now)` : ''}. This run moves every managed consumer off it.`,
    subjects: d.because,
  }));
}
