import type { AccountKey, AzurePort, KeyName } from './azure/port.js';
import { mapLimit } from './concurrency.js';
import { withAccountKey } from './datastore.js';
import {
  workspaceHolding,
  usesAccountKey,
  type Holding,
  type Inventory,
  type KeyInfo,
} from './inventory.js';
import {
  datastoreId,
  otherKey,
  writeTargets,
  type DatastoreRef,
  type Plan,
  type Step,
} from './plan.js';
import { refKey, type ResourceRef } from './resource-id.js';
import { describeError } from './secrets.js';

export type StepStatus = 'done' | 'failed' | 'partly failed' | 'not run';

export interface StepResult {
  step: Step;
  status: StepStatus;
  error?: string;
}

export interface DatastoreOutcome {
  ref: DatastoreRef;
  /** `unchanged`: the plan needed no write; `not run`: a planned write that did not happen. */
  status: 'updated' | 'failed' | 'not run' | 'unchanged';
  /** The key the datastore holds after the run, as far as the run knows. */
  holds: Holding;
  /** Set when holds is a key regenerated in this run. */
  fresh: boolean;
  error?: string;
}

export interface WorkspaceOutcome {
  ref: ResourceRef;
  status: 'resynced' | 'failed' | 'not run';
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
  datastores: Map<string, DatastoreOutcome>;
  workspaces: Map<string, WorkspaceOutcome>;
  /** Why the run stopped before its end, if it did. */
  stopped?: string;
  failed: boolean;
}

export interface ExecuteOptions {
  concurrency: number;
  /** Told of each step as it ends (the log). */
  onStep?: (result: StepResult) => void;
  now?: () => number;
}

/**
 * Runs the plan's steps in order. It decides nothing beyond one safety rule: no key is regenerated
 * after an earlier step failed, since a consumer may still hold it.
 */
export async function execute(
  azure: AzurePort,
  inventory: Inventory,
  plan: Plan,
  options: ExecuteOptions,
): Promise<Execution> {
  const now = options.now ?? Date.now;
  const account = inventory.account.ref;
  const keys = new Map<KeyName, KeyInfo>(inventory.keys.map((k) => [k.name, k]));
  const currentKeys = () => [...keys.values()];
  const regenerated: KeyName[] = [];
  const datastores = new Map<string, DatastoreOutcome>();
  const workspaces = new Map<string, WorkspaceOutcome>();
  const invalidSince = new Map<string, number>();
  const results: StepResult[] = [];
  let stopped: string | undefined;

  for (const ws of inventory.workspaces.filter((w) => w.usesAccountAsDefault)) {
    workspaces.set(refKey(ws.ref), {
      ref: ws.ref,
      status: 'not run',
      holdsBefore: ws.holds,
      holdsAfter: ws.holds,
    });
  }
  const planned = writeTargets(plan).datastores;
  for (const ds of inventory.workspaces.flatMap((ws) => ws.datastores).filter(usesAccountKey)) {
    const id = datastoreId(ds);
    datastores.set(id, {
      ref: { workspace: ds.workspace, name: ds.name },
      status: planned.has(id) ? 'not run' : 'unchanged',
      holds: ds.holds ?? 'stale',
      fresh: false,
    });
  }

  const run = async (step: Step): Promise<StepResult> => {
    switch (step.kind) {
      case 'regenerate': {
        const previous = keys.get(step.key)!.value;
        const before = keys.get(otherKey(step.key))!.value;
        let after: AccountKey[];
        try {
          after = await azure.regenerateKey(account, step.key);
        } catch (error) {
          const reason = describeError(error);
          stopped = `regenerating ${step.key} failed: ${reason}`;
          return { step, status: 'failed', error: reason };
        }
        const regeneratedAt = now();
        const fresh = after.find((k) => k.name === step.key)?.value;
        if (!fresh || fresh === previous) {
          stopped = `regenerating ${step.key} did not return a new value for it`;
          return { step, status: 'failed', error: stopped };
        }
        for (const key of after) keys.set(key.name, key);
        regenerated.push(step.key);
        for (const ws of workspaces.values()) {
          if (ws.holdsAfter === step.key) invalidSince.set(refKey(ws.ref), regeneratedAt);
        }
        for (const outcome of datastores.values()) {
          if (outcome.holds === step.key) outcome.holds = 'stale';
        }
        if (keys.get(otherKey(step.key))?.value !== before) {
          return {
            step,
            status: 'partly failed',
            error: `${otherKey(step.key)} changed too while ${step.key} was regenerated: something else is rotating this account's keys`,
          };
        }
        return { step, status: 'done' };
      }
      case 'resync': {
        const outcome = workspaces.get(refKey(step.workspace))!;
        try {
          await azure.resyncKeys(step.workspace);
          outcome.holdsAfter = workspaceHolding(
            await azure.workspaceStorageKey(step.workspace),
            currentKeys(),
          );
          outcome.status = 'resynced';
          const since = invalidSince.get(refKey(step.workspace));
          if (since !== undefined) {
            outcome.invalidForMs = (outcome.invalidForMs ?? 0) + (now() - since);
            invalidSince.delete(refKey(step.workspace));
          }
          return { step, status: 'done' };
        } catch (error) {
          outcome.status = 'failed';
          outcome.error = describeError(error);
          return { step, status: 'failed', error: outcome.error };
        }
      }
      case 'move': {
        // The key's value now, not as this run last saw it: if something else regenerated it
        // meanwhile, the old value would be written to the datastores and "verified".
        let current: AccountKey[];
        try {
          current = await azure.listKeys(account);
        } catch (error) {
          return { step, status: 'failed', error: describeError(error) };
        }
        const key = current.find((k) => k.name === step.to)?.value;
        if (!key) return { step, status: 'failed', error: `the account returned no ${step.to}` };
        const changedElsewhere = key !== keys.get(step.to)!.value;
        for (const k of current) keys.set(k.name, k);
        const fresh = regenerated.includes(step.to);
        const errors = await mapLimit(step.datastores, options.concurrency, async (ref) => {
          const error = await moveDatastore(azure, ref, key);
          const outcome = datastores.get(datastoreId(ref))!;
          if (error) Object.assign(outcome, { status: 'failed', error });
          else
            Object.assign(outcome, { status: 'updated', holds: step.to, fresh, error: undefined });
          return error;
        });
        const failures = errors.filter(Boolean).length;
        if (changedElsewhere) {
          return {
            step,
            status: 'partly failed',
            error: `${step.to} changed outside this run (is another rotation running?); datastores got its current value`,
          };
        }
        if (failures === 0) return { step, status: 'done' };
        return {
          step,
          status: failures === errors.length ? 'failed' : 'partly failed',
          error: `${failures} of ${errors.length} datastores failed`,
        };
      }
    }
  };

  for (const step of plan.steps) {
    if (
      stopped === undefined &&
      step.kind === 'regenerate' &&
      results.some((r) => r.status !== 'done')
    ) {
      stopped = `stopped before regenerating ${step.key}: an earlier step failed, and a consumer may still hold ${step.key}`;
    }
    const result: StepResult =
      stopped === undefined ? await run(step) : { step, status: 'not run' };
    results.push(result);
    options.onStep?.(result);
  }

  return {
    steps: results,
    regenerated,
    datastores,
    workspaces,
    stopped,
    failed:
      results.some((r) => r.status !== 'done' && r.status !== 'not run') || stopped !== undefined,
  };
}

/** Re-registers one datastore with the key and confirms the service stored it. Returns an error text. */
async function moveDatastore(
  azure: AzurePort,
  ref: DatastoreRef,
  key: string,
): Promise<string | undefined> {
  try {
    const current = await azure.getDatastore(ref.workspace, ref.name);
    if (current.properties.credentials?.credentialsType !== 'AccountKey') {
      return `its credentials changed to ${current.properties.credentials?.credentialsType} since discovery; left as it is`;
    }
    await azure.putDatastore(ref.workspace, withAccountKey(current, key));
    const stored = await azure.datastoreSecret(ref.workspace, ref.name);
    if (stored.kind !== 'AccountKey' || stored.key !== key) {
      return 'the service accepted the update but listSecrets does not return the new key';
    }
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
