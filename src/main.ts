import * as core from '@actions/core';
import { createArmPort } from './azure/arm.js';
import { createCredential, describeLogin, loginHint } from './azure/credential.js';
import type { AzurePort } from './azure/port.js';
import { discover, DiscoveryError } from './discover.js';
import { execute, type Execution } from './execute.js';
import { mapLimit } from './concurrency.js';
import { getInputs, type Inputs } from './inputs.js';
import type { Inventory } from './inventory.js';
import { plan as makePlan, type Plan } from './plan.js';
import {
  checkPermissions,
  missingPermissionsMessage,
  requiredPermissions,
  type PermissionCheck,
  type RequiredPermissions,
} from './permissions.js';
import { buildReport, describeStep, setOutputs, writeReportFile } from './report.js';
import { describeError } from './secrets.js';
import { writeSummary } from './summary.js';

export interface RunDependencies {
  /** Replaces the Azure connection (tests of the flow); the action itself always uses Azure. */
  azure?: AzurePort;
  now?: () => Date;
}

/** The procedure: inputs → discover → plan → execute → report. One catch, one way to fail. */
export async function run(deps: RunDependencies = {}): Promise<void> {
  let inputs: Inputs | undefined;
  try {
    inputs = getInputs();
    const now = deps.now ?? (() => new Date());
    const azure =
      deps.azure ?? createArmPort(createCredential(inputs.login, inputs.cloud), inputs.cloud);
    const current = inputs;

    const discovered = await core.group('Discovery', async () => {
      const found = await discover(azure, current);
      logInventory(found);
      return found;
    });
    const policy = { keyName: inputs.keyName, maxKeyAgeDays: inputs.maxKeyAgeDays, now: now() };
    let inventory = discovered;
    let plan = makePlan(inventory, policy);
    await core.group(inputs.dryRun ? 'Plan (dry run: nothing is changed)' : 'Plan', async () =>
      logPlan(plan),
    );

    // When the plan must settle the workspaces first, the permissions are those of the rotation
    // as it looks before settling: the same actions, whichever key is chosen afterwards.
    const rotationPlan = plan.settleFirst
      ? makePlan(inventory, { ...policy, settled: true })
      : plan;
    const permissions = await core.group('Permissions', () =>
      checkAllPermissions(azure, requiredPermissions(inventory, rotationPlan)),
    );
    const missing = missingPermissionsMessage(permissions);
    if (missing && !inputs.dryRun) throw new PreflightError(missing);

    let settled: Execution | undefined;
    if (plan.settleFirst && !inputs.dryRun) {
      const settlePlan = plan;
      settled = await core.group('Settling the workspaces on one key', () =>
        execute(azure, discovered, settlePlan, { concurrency: current.concurrency }),
      );
      if (!settled.failed) {
        inventory = await core.group('Discovery, after the resync', () => discover(azure, current));
        plan = makePlan(inventory, { ...policy, settled: true });
        await core.group('Plan', async () => logPlan(plan));
      }
    }

    const execution =
      inputs.dryRun || settled?.failed
        ? settled
        : await core.group('Rotation', () =>
            execute(azure, inventory, plan, {
              concurrency: current.concurrency,
              onStep: (r) =>
                core.info(`${describeStep(r.step)}: ${r.status}${r.error ? ` (${r.error})` : ''}`),
            }),
          );
    // The report tells the whole run: what discovery first saw, and the settling resyncs, if any.
    const told =
      settled && execution && execution !== settled
        ? {
            plan: { ...plan, steps: [...settled.steps.map((r) => r.step), ...plan.steps] },
            execution: { ...execution, steps: [...settled.steps, ...execution.steps] },
          }
        : { plan, execution };
    const report = buildReport(inputs, discovered, told.plan, told.execution, permissions, now());
    const reportPath = await writeReportFile(report);
    await writeSummary(report);
    setOutputs(report, reportPath);
    for (const note of plan.notes) {
      if (note.level === 'warning') core.warning(note.text);
      else core.notice(note.text);
    }
    for (const ds of report.datastores.filter((d) => d.error)) {
      core.error(
        `Datastore '${ds.name}' (workspace '${ds.workspace}') was not updated: ${ds.error}`,
      );
    }
    if (report.result.failed) {
      core.setFailed(
        [
          report.result.stopped ??
            `${report.result.datastoresFailed} datastore(s) were not updated; ${report.result.datastoresUpdated} were.`,
          report.result.rerun,
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
  } catch (error) {
    core.setFailed(failureMessage(error, inputs));
  }
}

class PreflightError extends Error {
  override name = 'PreflightError';
}

async function checkAllPermissions(
  azure: AzurePort,
  required: RequiredPermissions[],
): Promise<PermissionCheck[]> {
  const checks = await mapLimit(required, 4, async (scope): Promise<PermissionCheck[]> => {
    try {
      return checkPermissions(scope, await azure.permissions(scope.scope));
    } catch (error) {
      core.warning(`Could not read the permissions on ${scope.name}: ${describeError(error)}`);
      return scope.actions.map((action) => ({ scope: scope.scope, name: scope.name, action }));
    }
  });
  const flat = checks.flat();
  for (const c of flat) {
    const state = c.allowed === undefined ? 'unknown' : c.allowed ? 'allowed' : 'MISSING';
    core.info(`${state.padEnd(8)} ${c.action} on ${c.name}`);
  }
  return flat;
}

function failureMessage(error: unknown, inputs: Inputs | undefined): string {
  const cause = error instanceof DiscoveryError ? error.cause : error;
  const where = error instanceof DiscoveryError ? `${error.what} failed` : 'The action failed';
  if (inputs && isLoginError(cause)) {
    return `Login failed using ${describeLogin(inputs.login)}: ${describeError(cause)} ${loginHint(inputs.login)} Nothing was changed.`;
  }
  const status = (cause as { statusCode?: number })?.statusCode;
  const hint =
    status === 403
      ? ' The login lacks a permission: see the README for the role this action needs.'
      : '';
  const unchanged = error instanceof DiscoveryError ? ' Nothing was changed.' : '';
  return error instanceof Error && (error.name === 'InputError' || error.name === 'PreflightError')
    ? error.message
    : `${where}: ${describeError(cause)}.${hint}${unchanged}`;
}

function isLoginError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name)
  );
}

function logInventory(inventory: Inventory): void {
  core.info(`Storage account ${inventory.account.ref.name}: ${inventory.account.id}`);
  for (const key of inventory.keys) {
    core.info(`  ${key.name} created ${key.createdOn?.toISOString() ?? 'at an unknown time'}`);
  }
  for (const ws of inventory.workspaces) {
    const own = ws.usesAccountAsDefault
      ? `default storage is this account, its own copy holds ${ws.holds ?? 'an unknown key'}`
      : 'default storage is another account';
    core.info(
      `Workspace ${ws.ref.name} (${ws.ref.resourceGroup}): ${own}; ${ws.datastores.length} datastore(s) on this account, ${ws.otherDatastores} elsewhere`,
    );
    for (const ds of ws.datastores) {
      const key = ds.holds ? `, holds ${ds.holds}` : '';
      core.info(
        `  ${ds.name}: ${ds.datastoreType} ${ds.container}, ${ds.credentialsType} credentials${key}`,
      );
    }
  }
}

function logPlan(plan: Plan): void {
  core.info(plan.decision);
  if (plan.steps.length === 0) core.info('Nothing to do: every consumer is on the key in use.');
  plan.steps.forEach((step, i) => core.info(`${i + 1}. ${describeStep(step)} — ${step.reason}`));
  core.info(
    `Every AccountKey datastore ends on ${plan.activeKey}; each workspace's own copy is whatever resyncKeys gives it, read back after each resync.`,
  );
}
