import * as core from '@actions/core';
import type { StepResult } from './execute.js';
import type { Inventory } from './inventory.js';
import type { Plan } from './plan.js';
import { describeStep } from './report.js';

/**
 * Writes one line of the job log. Values from Azure (names, containers, descriptions) could hold
 * line breaks; a line that began with '::' would be read by the runner as a workflow command.
 * Every line here starts with the action's own words and is kept on one line.
 */
function line(text: string): void {
  core.info(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
}

/** The job log's account of discovery: names, types, and which key each consumer holds. */
export function logInventory(inventory: Inventory): void {
  line(`Storage account ${inventory.account.ref.name}: ${inventory.account.id}`);
  for (const key of inventory.keys) {
    line(`  ${key.name} created ${key.createdOn?.toISOString() ?? 'at an unknown time'}`);
  }
  for (const ws of inventory.workspaces) {
    const own = ws.usesAccountAsDefault
      ? `default storage is this account, its own copy holds ${ws.holds ?? 'an unknown key'}`
      : 'default storage is another account';
    line(
      `Workspace ${ws.ref.name} (${ws.ref.resourceGroup}): ${own}; ${ws.datastores.length} datastore(s) on this account, ${ws.otherDatastores} elsewhere`,
    );
    for (const ds of ws.datastores) {
      const key = ds.holds ? `, holds ${ds.holds}` : '';
      line(
        `  datastore ${ds.name}: ${ds.datastoreType} ${ds.container}, ${ds.credentialsType} credentials${key}`,
      );
    }
  }
}

export function logPlan(plan: Plan): void {
  line(plan.decision);
  if (plan.steps.length === 0) line('Nothing to do: every consumer is on the key in use.');
  plan.steps.forEach((step, i) => line(`${i + 1}. ${describeStep(step)} — ${step.reason}`));
  if (!plan.settleFirst) {
    line(
      `Every AccountKey datastore ends on ${plan.activeKey}; each workspace's own copy is whatever resyncKeys gives it, read back after each resync.`,
    );
  }
}

export function logStep(result: StepResult): void {
  const error = result.error ? ` (${result.error})` : '';
  line(`${describeStep(result.step)}: ${result.status}${error}`);
}
