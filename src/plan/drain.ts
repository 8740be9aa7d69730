// Holding a key back: the run moves every managed consumer off it and regenerates it only in a
// later run, once whatever held it back has passed. Any source of reasons plugs in (the
// require-unused-days gate, a grace period after a Key Vault secret moves); the planner applies
// them all the same way. Pure.
import type { KeyName } from '../azure/port.js';

/**
 * A key whose regeneration waits: something that moved off it (or may still use it) needs time to
 * let go of it. The run moves what it must and leaves the key; a run from `until` on may regenerate
 * it. No `until`: the run cannot tell when (no logs to prove it unused, say).
 */
export interface Drain {
  key: KeyName;
  until?: Date;
  /** One sentence per reason, naming the holder. */
  because: string[];
  /** The consumers (consumerId) a reason names, so the report can tell each when its key may go. */
  holders?: string[];
}

/** One drain per key: every reason, the latest time, and no time when any reason has none. */
export function mergeDrains(drains: readonly Drain[]): Drain[] {
  const byKey = new Map<KeyName, Drain>();
  for (const d of drains) {
    const seen = byKey.get(d.key);
    if (!seen) {
      byKey.set(d.key, {
        ...d,
        because: [...d.because],
        ...(d.holders ? { holders: [...d.holders] } : {}),
      });
      continue;
    }
    seen.because.push(...d.because);
    if (d.holders) seen.holders = [...(seen.holders ?? []), ...d.holders];
    seen.until = seen.until && d.until ? (d.until > seen.until ? d.until : seen.until) : undefined;
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The keys still regenerated (in order), and the drains of those held back. */
export function holdBack(
  regenerate: readonly KeyName[],
  drains: readonly Drain[],
): { regenerate: KeyName[]; held: Drain[] } {
  const merged = mergeDrains(drains);
  const held = regenerate
    .map((key) => merged.find((d) => d.key === key))
    .filter((d): d is Drain => d !== undefined);
  return { regenerate: regenerate.filter((k) => !held.some((d) => d.key === k)), held };
}

/** "from 2026-11-30 12:20 UTC" or "once the reasons below have cleared". */
export function describeUntil(drain: Drain): string {
  return drain.until
    ? `from ${drain.until.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'once what holds it back has cleared (the run cannot tell when)';
}

/** "key2 is held back: it may be regenerated from …, because …; …". */
export function describeDrain(drain: Drain): string {
  return `${drain.key} is held back: it may be regenerated ${describeUntil(drain)}, because ${drain.because.join('; ')}`;
}
