import type { KeyName } from '../azure/port.js';
import type { ConsumerRef } from '../discover/inventory.js';
import type { KeyNameChoice } from '../inputs/inputs.js';
import type { ResourceRef } from '../util/resource-id.js';
import type { Drain } from './drain.js';
import type { AgeLimit } from './key-age.js';
import type { Note } from './notes.js';
import type { SasChoice } from './sas.js';

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
  /** Regenerate a key only after N days without a managed holder or a request in the logs. */
  requireUnusedDays?: number;
  /**
   * How long a key a Key Vault secret moved off is kept before it is regenerated, counted from the
   * secret's new version (apps read it late); 0 or unset: at once.
   */
  graceMs?: number;
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
  /**
   * Keys the run would regenerate but holds back (require-unused-days): every managed consumer is
   * moved off them, and a later run regenerates them from `until`.
   */
  held: Drain[];
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
