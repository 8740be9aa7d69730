import * as core from '@actions/core';
import type { StepResult } from '../execute/execute.js';
import { deniedListings, unreadHolders, type Inventory } from '../discover/inventory.js';
import type { Plan } from '../plan/plan.js';
import { describeStep } from './report.js';
import { describeSas } from '../plan/sas.js';

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
    if (ws.kind === 'key-vault') {
      line(
        `Key vault ${ws.ref.name} (${ws.ref.resourceGroup}): ${ws.consumers.length} secret(s) hold a key of this account, ${ws.otherConsumers} tagged or named hold none`,
      );
      for (const c of ws.consumers) {
        const held = c.holds === 'unknown' ? 'could not be read' : `${c.type}, holds ${c.holds}`;
        const remarks = c.remarks ? ` (${c.remarks.join('; ')})` : '';
        line(`  secret ${c.name}: ${held}${remarks}`);
      }
      continue;
    }
    const own = ws.usesAccountAsDefault
      ? `default storage is this account, its own copy holds ${ws.holds ?? 'no key'}`
      : 'default storage is another account';
    const scope = ws.inScope ? '' : ' [outside the managed workspaces: observed only]';
    line(
      `Workspace ${ws.ref.name} (${ws.ref.resourceGroup})${scope}: ${own}; ${ws.consumers.length} consumer(s) on this account, ${ws.otherConsumers} elsewhere`,
    );
    for (const c of ws.consumers) {
      const key =
        c.auth === 'Sas' ? `, SAS token ${describeSas(c)}` : c.holds ? `, holds ${c.holds}` : '';
      line(`  ${c.kind} ${c.name}: ${c.type} ${c.target}, ${c.credentials} credentials${key}`);
    }
  }
  for (const u of deniedListings(inventory)) line(`Could not inspect ${u.name}: ${u.reason}`);
  for (const u of unreadHolders(inventory)) {
    line(`Could not read ${u.name}, so it may hold either key: ${u.reason}`);
  }
}

export function logPlan(plan: Plan): void {
  line(plan.decision);
  if (plan.steps.length === 0) line('Nothing to do: every consumer is on the key in use.');
  plan.steps.forEach((step, i) => line(`${i + 1}. ${describeStep(step)} — ${step.reason}`));
  if (!plan.settleFirst) {
    line(
      `Every AccountKey consumer ends on ${plan.activeKey}; each workspace's own copy is whatever resyncKeys gives it, read back after each resync.`,
    );
  }
}

export function logStep(result: StepResult): void {
  const error = result.error ? ` (${result.error})` : '';
  line(`${describeStep(result.step)}: ${result.status}${error}`);
}
