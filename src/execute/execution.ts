import type { AzurePort, KeyName } from '../azure/port.js';
import type { Consumer, ConsumerRef, Holding, KeyInfo } from '../discover/inventory.js';
import type { Step } from '../plan/plan.js';
import type { ResourceRef } from '../util/resource-id.js';

/** What a run of the plan did, and what it knows while it runs: the executor's data. */

/** `unknown`: under way when the run was cancelled, its end never seen. */
export type StepStatus = 'done' | 'failed' | 'partly failed' | 'not run' | 'unknown';

export interface StepResult {
  step: Step;
  status: StepStatus;
  error?: string;
}

export interface ConsumerOutcome {
  ref: ConsumerRef;
  /**
   * `unchanged`: the plan needed no write; `not run`: a planned write that did not happen;
   * `unknown`: its write is under way (or was, when the run was cancelled), its answer not in.
   */
  status: 'updated' | 'failed' | 'not run' | 'unchanged' | 'unknown';
  /** The key the consumer holds after the run, as far as the run knows. */
  holds: Holding;
  /** Set when holds is a key regenerated in this run. */
  fresh: boolean;
  /** The last version this run wrote and read back (a Key Vault secret's). */
  written?: { version?: string; createdOn?: Date };
  error?: string;
}

export interface WorkspaceOutcome {
  ref: ResourceRef;
  /** `unknown`: its resync is under way (or was, when the run was cancelled), its end not seen. */
  status: 'resynced' | 'failed' | 'not run' | 'unknown';
  holdsBefore?: Holding;
  /** What Workspaces_ListKeys says after the last resync. */
  holdsAfter?: Holding;
  /** Milliseconds the workspace's own copy was invalid (regeneration of its key → resync). */
  invalidForMs?: number;
  error?: string;
}

export interface Execution {
  steps: StepResult[];
  regenerated: KeyName[];
  /**
   * A key whose regeneration answered an error and whose keys could not be read back after, or
   * whose regeneration was under way when the run was cancelled.
   */
  uncertain?: KeyName;
  /** The account's keys as the run last read them: names and creation times, never values. */
  keysAfter: { name: KeyName; createdOn?: Date }[];
  consumers: Map<string, ConsumerOutcome>;
  workspaces: Map<string, WorkspaceOutcome>;
  /** Why the run stopped before its end, if it did. */
  stopped?: string;
  failed: boolean;
  /** A cancel stopped the run: steps after it were not started, those under way are unknown. */
  cancelled?: boolean;
}

/** What the run knows while it runs: the keys as it last read them, and every outcome so far. */
export interface Run {
  azure: AzurePort;
  account: ResourceRef;
  concurrency: number;
  now: () => number;
  resyncTimeoutMs?: number;
  /** Aborts when the run is cancelled: nothing new starts after it. */
  cancel?: AbortSignal;
  keys: Map<KeyName, KeyInfo>;
  regenerated: KeyName[];
  uncertain?: KeyName;
  consumers: Map<string, ConsumerOutcome>;
  workspaces: Map<string, WorkspaceOutcome>;
  /** Since when a workspace's own copy holds a regenerated key, by refKey. */
  invalidSince: Map<string, number>;
  /** Every consumer as discovery listed it, by consumerId. */
  listed: Map<string, Consumer>;
  /** Workspaces this run resynced (refKey): what discovery listed there may be out of date. */
  resynced: Set<string>;
  /** Each step's result, once it has one; a step under way has none yet. */
  results: Map<Step, StepResult>;
  /** The steps started and not yet ended. */
  underway: Set<Step>;
  /** The key being regenerated: its request is out (or about to be), what it did not yet known. */
  regenerating?: KeyName;
  stopped?: string;
  /** The run stopped for a cancel. */
  cancelled?: boolean;
}
