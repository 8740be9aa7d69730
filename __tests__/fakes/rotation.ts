import { cloudByName } from '../../src/azure/cloud.js';
import { discover } from '../../src/discover/discover.js';
import { execute } from '../../src/execute/execute.js';
import type { Inputs, KeyNameChoice } from '../../src/inputs/inputs.js';
import { plan, type Policy } from '../../src/plan/plan.js';
import { buildReport } from '../../src/report/report.js';
import { MemoryAzure } from './memory-azure.js';

/** Inputs naming the given workspaces of the in-memory world (all of them by default). */
export function inputsFor(
  azure: MemoryAzure,
  keyName: KeyNameChoice = 'auto',
  named = [...azure.workspaceKey.keys()],
): Inputs {
  return {
    workspaces: {
      kind: 'list',
      workspaces: named.map((name) => ({ subscriptionId: 'sub', resourceGroup: 'rg', name })),
    },
    storageAccount: azure.account,
    dryRun: false,
    keyName,
    allowOutsideBreakage: false,
    allowWorkspaceOutage: true,
    sas: 'warn',
    keyUsageDays: 7,
    concurrency: 2,
    cloud: cloudByName('AzureCloud'),
    login: { kind: 'ambient' },
    notify: 'none',
    githubToken: '',
  };
}

/** Observe, plan and (unless a dry run) execute, as main.ts does; and the report of it. */
export async function rotate(
  azure: MemoryAzure,
  keyName: KeyNameChoice = 'auto',
  options: {
    named?: string[];
    dryRun?: boolean;
    policy?: Partial<Policy>;
    /** More inputs (key-vaults, say). */
    inputs?: Partial<Inputs>;
  } = {},
) {
  const inputs = {
    ...inputsFor(azure, keyName, options.named),
    dryRun: !!options.dryRun,
    ...options.inputs,
  };
  const inventory = await discover(azure, inputs);
  // The in-memory port dates a regenerated key with the clock: plan with it too.
  const now = new Date();
  const p = plan(inventory, { keyName, now, ...options.policy });
  const execution = options.dryRun
    ? undefined
    : await execute(azure, inventory, p, { concurrency: 2 });
  const report = buildReport(
    { inputs, accountInput: azure.account.name, inventory, plan: p, execution, timings: [] },
    now,
  );
  return { inputs, inventory, plan: p, execution, report };
}

/** A world with one workspace on key1 and AccountKey datastores a and b on key1. */
export function world(datastores = ['a', 'b']): MemoryAzure {
  const azure = new MemoryAzure();
  azure.addWorkspace('ws', 'key1');
  for (const name of datastores) azure.addDatastore('ws', name, 'key1');
  return azure;
}

/** The key a consumer (`ws/name`) holds in the in-memory world now. */
export const holdsNow = (azure: MemoryAzure, id: string) =>
  azure.holds((azure.datastores.get(id) ?? azure.connections.get(id))?.key);
