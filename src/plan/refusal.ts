// The planner's refusals, pure: why regenerating some keys must not happen under the policy.
import type { KeyName } from '../azure/port.js';
import {
  describeConsumer,
  type Inventory,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import { outsideHolders } from './notes.js';
import { brokenSasOf, renewBlocker, type SasChoice } from './sas.js';

/** What the planner's policy says that the refusals depend on. */
export interface RefusalPolicy {
  allowOutsideBreakage?: boolean;
  allowWorkspaceOutage?: boolean;
  sas?: SasChoice;
}

/**
 * Why regenerating these keys must not happen under the policy, in one message; or nothing.
 * What the run could not read counts as holding either key (see outsideHolders).
 */
export function refusal(
  inventory: Inventory,
  workspaces: WorkspaceInventory[],
  regenerate: KeyName[],
  policy: RefusalPolicy,
): string | undefined {
  const problems: string[] = [];
  const keys = regenerate.join(' and ');
  const holders = outsideHolders(inventory, regenerate);
  const known = holders.filter((h) => !h.unread && !h.caller);
  const callers = holders.filter((h) => h.caller);
  const unread = holders.filter((h) => h.unread);
  if (known.length > 0 && !policy.allowOutsideBreakage) {
    problems.push(
      `Regenerating ${keys} would break consumers outside the workspaces this run manages: ${known.map((h) => h.text).join('; ')}. Add those workspaces to the workspace input (or use workspace: '*') so they are moved first, or set allow-outside-breakage: true to regenerate anyway.`,
    );
  }
  if (callers.length > 0 && !policy.allowOutsideBreakage) {
    problems.push(
      `Regenerating ${keys} would break callers the storage logs show signing with its current value while no managed consumer held it (for longer than an Azure ML job lives): ${callers.map((h) => h.text).join('; ')}. Give them the other key (or identity-based access) first, or set allow-outside-breakage: true to regenerate anyway.`,
    );
  }
  if (unread.length > 0 && !policy.allowOutsideBreakage) {
    problems.push(
      `Regenerating ${keys} may break what this run could not read, since each may hold either key: ${unread.map((h) => h.text).join('; ')}. Let the login read them (or rerun once the error has cleared), or set allow-outside-breakage: true to regenerate without checking them.`,
    );
  }
  const unrenewable = brokenSasOf(inventory, regenerate)
    .filter((c) => c.inScope && (policy.sas ?? 'warn') === 'renew')
    .map((c) => [c, renewBlocker(c)] as const)
    .filter(([, why]) => why !== undefined);
  if (unrenewable.length > 0) {
    const list = unrenewable.map(([c, why]) => `${describeConsumer(c)}: ${why}`).join('; ');
    problems.push(
      `Regenerating ${keys} would break SAS consumers whose token this run cannot re-issue: ${list}.`,
    );
  }
  const held = workspaces.filter((ws) => regenerate.some((k) => k === ws.holds));
  if (held.length > 0 && policy.allowWorkspaceOutage === false) {
    const list = held.map((ws) => `workspace '${ws.ref.name}' holds ${ws.holds}`).join('; ');
    problems.push(
      `${keys} must be regenerated, but ${list} in its own copy. Azure ML decides which key resyncKeys gives a workspace, so its copy may be invalid from the regeneration until the resync right after it, and allow-workspace-outage is false.`,
    );
  }
  return problems.length > 0 ? `${problems.join(' ')} Nothing was changed.` : undefined;
}
