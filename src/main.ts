import * as core from '@actions/core';
import { attentionFromReport, runUrl } from './report/attention.js';
import { createArmPort } from './azure/arm.js';
import { createCredential } from './azure/credential.js';
import { cancelledRecord, NOTIFY_MS, watchForCancel, type Live } from './cancellation.js';
import type { AzurePort } from './azure/port.js';
import { discover } from './discover/discover.js';
import { gatherKeyUsage, keyUsageOf } from './key-usage/gather.js';
import {
  appsNotRefreshed,
  movedSecrets,
  planMovesSecrets,
  refreshApps,
} from './execute/app-refresh.js';
import { execute, type Execution } from './execute/execute.js';
import { beforeAnyWrite, failureMessage, RefusedError } from './report/failure.js';
import { accountInputForReport } from './inputs/input-secrets.js';
import { getInputs, requestedMode, type Inputs } from './inputs/inputs.js';
import type { Inventory } from './discover/inventory.js';
import { logInventory, logPlan, logStep } from './report/log.js';
import type { GitHubTarget } from './report/notify.js';
import { missingPermissionsMessage } from './execute/permissions.js';
import { plan as makePlan, type Plan, type Policy } from './plan/plan.js';
import { preflight, PreflightError } from './execute/preflight.js';
import { publish } from './report/publish.js';
import { resourceId, STORAGE } from './util/resource-id.js';
import { buildReport, type Report, type RunRecord } from './report/report.js';
import { describeError } from './util/secrets.js';
import { HOUR_MS } from './util/time.js';

/** The procedure: inputs → discover → plan → preflight → execute → report. Every run reports. */
export async function run(): Promise<void> {
  // The inventory mode and the GitHub client (notify: issue) are loaded only by the runs that use
  // them: a rotation's start is node compiling the bundle, and it compiles only what it imports.
  if (requestedMode() === 'inventory')
    return (await import('./inventory-mode/inventory-mode.js')).runInventory();
  const record: RunRecord = {
    accountInput: accountInputForReport(core.getInput('storage-account')),
    timings: [],
  };
  const started = Date.now();
  const cancel = watchForCancel();
  let live: Live | undefined;
  const work = rotation(record, cancel.signal, (now) => (live = now)).catch((error: unknown) => {
    record.failure = {
      message: failureMessage(error, record.inputs),
      beforeAnyWrite: beforeAnyWrite(error),
      refused: error instanceof RefusedError,
    };
  });
  const ended = await cancel.settle(work);
  const cutShort = ended ? undefined : { live, started };
  const told = cancel.by ? cancelledRecord(record, cancel.by, cutShort) : record;
  const report = buildReport(told, new Date());
  await publish(report);
  if (record.inputs?.notify === 'issue')
    await cancel.within(NOTIFY_MS, notifyThroughIssue(record.inputs, report));
  cancel.end();
}

/** Runs the procedure, writing down in the record what it learns and does as it goes. */
async function rotation(
  record: RunRecord,
  cancel: AbortSignal,
  watch: (live: Live) => void,
): Promise<void> {
  const inputs = (record.inputs = getInputs());
  const azure = createArmPort(createCredential(inputs.login, inputs.cloud), inputs.cloud);
  const timed = phase(record);

  const inventory = await timed('Discovery', async () => {
    // The key-usage evidence needs no key value: its query runs alongside discovery, once a run.
    const accountId = resourceId(inputs.storageAccount, ...STORAGE);
    const [found, logs] = await Promise.all([
      discover(azure, inputs),
      // The gate needs the logs of its whole window: the query looks back at least that far.
      gatherKeyUsage(
        azure,
        accountId,
        Math.max(inputs.keyUsageDays, inputs.requireUnusedDays ?? 0),
      ),
    ]);
    logInventory(found);
    return { ...found, keyUsage: keyUsageOf(logs, found.keys) };
  });
  record.inventory = inventory;
  const policy: Policy = {
    keyName: inputs.keyName,
    maxKeyAgeDays: inputs.maxKeyAgeDays,
    now: new Date(),
    allowOutsideBreakage: inputs.allowOutsideBreakage,
    allowWorkspaceOutage: inputs.allowWorkspaceOutage,
    sas: inputs.sas,
    requireUnusedDays: inputs.requireUnusedDays,
    graceMs: (inputs.gracePeriodHours ?? 0) * HOUR_MS,
  };
  const plan = (record.plan = makePlan(inventory, policy));
  await core.group(inputs.dryRun ? 'Plan (dry run: nothing is changed)' : 'Plan', async () =>
    logPlan(plan),
  );
  // A plan that settles the workspaces first is judged by the rotation after it.
  const rotationPlan = plan.settleFirst ? makePlan(inventory, { ...policy, settled: true }) : plan;
  if (plan.settleFirst) record.plan = { ...plan, refused: rotationPlan.refused };
  if (rotationPlan.refused && !inputs.dryRun) throw new RefusedError(rotationPlan.refused);
  if (cancel.aborted) return;
  const apps = inputs.refreshApps ?? [];
  record.permissions = await timed('Permissions', () =>
    preflight(azure, inventory, rotationPlan, apps),
  );
  const missing = missingPermissionsMessage(record.permissions);
  if (inputs.dryRun) {
    if (apps.length > 0) record.appRefresh = appsNotRefreshed(apps, planMovesSecrets(rotationPlan));
    return;
  }
  if (missing) throw new PreflightError(missing);
  if (cancel.aborted) return;
  const done = await rotate(azure, inputs, inventory, plan, policy, timed, { cancel, watch });
  record.plan = done.plan;
  record.execution = done.execution;
  if (apps.length > 0 && !cancel.aborted) {
    const moved = movedSecrets(done.execution);
    record.appRefresh = await timed('App Service refresh', () => refreshApps(azure, apps, moved));
  }
}

type Timed = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** Runs a phase in its own log group and records how long it took. */
function phase(record: RunRecord): Timed {
  return async (name, work) => {
    const started = Date.now();
    try {
      return await core.group(name, work);
    } finally {
      record.timings.push({ phase: name, ms: Date.now() - started });
    }
  };
}

/** Opens, updates or closes the account's GitHub issue; a failure here is only a warning. */
async function notifyThroughIssue(inputs: Inputs, report: Report): Promise<void> {
  let github: typeof import('./report/notify.js') | undefined;
  let target: GitHubTarget | undefined;
  try {
    const attention = attentionFromReport(report, runUrl());
    if (!attention) return;
    github = await import('./report/notify.js');
    target = github.githubTarget(inputs.githubToken);
    const sent = await github.notify(target, attention);
    core.info(
      `GitHub issue: ${sent.action}${sent.issue ? ` #${sent.issue.number} (${sent.issue.url})` : ''}.`,
    );
  } catch (error) {
    const reason = github ? github.describeGitHubError(error, target) : describeError(error);
    core.warning(
      `Could not notify through a GitHub issue: ${reason} The rotation's result does not depend on it.`,
    );
  }
}

/**
 * Executes the plan. When the workspaces must first settle on one key, that happens, then the
 * world is observed and planned again; the result tells both parts as one run.
 */
async function rotate(
  azure: AzurePort,
  inputs: Inputs,
  inventory: Inventory,
  plan: Plan,
  policy: Policy,
  timed: Timed,
  { cancel, watch }: { cancel: AbortSignal; watch: (live: Live) => void },
): Promise<{ plan: Plan; execution: Execution }> {
  const options = (told: (execution: Execution) => { plan: Plan; execution: Execution }) => ({
    concurrency: inputs.concurrency,
    onStep: logStep,
    resyncTimeoutMs:
      inputs.resyncTimeoutMinutes === undefined ? undefined : inputs.resyncTimeoutMinutes * 60_000,
    cancel,
    progress: (now: () => Execution) => watch(() => told(now())),
  });
  const alone = (execution: Execution) => ({ plan, execution });
  if (!plan.settleFirst) {
    return alone(await timed('Rotation', () => execute(azure, inventory, plan, options(alone))));
  }
  const settled = await timed('Settling the workspaces on one key', () =>
    execute(azure, inventory, plan, options(alone)),
  );
  if (settled.failed) return { plan, execution: settled };
  watch(() => alone(settled));
  const observed = await timed('Discovery, after the resync', async () => ({
    ...(await discover(azure, inputs)),
    keyUsage: inventory.keyUsage,
  }));
  const next = makePlan(observed, { ...policy, settled: true });
  await core.group('Plan', async () => logPlan(next));
  if (next.refused) {
    return { plan, execution: { ...settled, stopped: next.refused, failed: true } };
  }
  // Both parts told as one run.
  const both = (execution: Execution) => ({
    plan: { ...next, steps: [...plan.steps, ...next.steps] },
    execution: { ...execution, steps: [...settled.steps, ...execution.steps] },
  });
  return both(await timed('Rotation', () => execute(azure, observed, next, options(both))));
}
