import * as core from '@actions/core';
import { attentionFromFailure, attentionFromReport, runUrl } from './attention.js';
import { createArmPort } from './azure/arm.js';
import {
  createCredential,
  describeLogin,
  loginFailureReasons,
  loginHint,
} from './azure/credential.js';
import type { AzurePort } from './azure/port.js';
import { discover, DiscoveryError } from './discover.js';
import { execute, type Execution } from './execute.js';
import { getInputs, requestedMode, type Inputs } from './inputs.js';
import { runInventory } from './inventory-mode.js';
import type { Inventory } from './inventory.js';
import { logInventory, logPlan, logStep } from './log.js';
import { describeGitHubError, githubTarget, notify, type GitHubTarget } from './notify.js';
import { plan as makePlan, type Plan, type Policy } from './plan.js';
import { preflight, PreflightError } from './preflight.js';
import {
  buildReport,
  setOutputs,
  setUnchangedOutputs,
  writeReportFile,
  type Report,
} from './report.js';
import { describeError, redact } from './secrets.js';
import { writeSummary } from './summary.js';
import { capitalise } from './text.js';

/** The procedure: inputs → discover → plan → preflight → execute → report. One catch, one way to fail. */
export async function run(): Promise<void> {
  if (requestedMode() === 'inventory') return runInventory();
  let inputs: Inputs | undefined;
  let report: Report | undefined;
  let failure: string | undefined;
  try {
    inputs = getInputs();
    const azure = createArmPort(createCredential(inputs.login, inputs.cloud), inputs.cloud);
    const settings = inputs;

    const inventory = await core.group('Discovery', async () => {
      const found = await discover(azure, settings);
      logInventory(found);
      return found;
    });
    const policy: Policy = {
      keyName: inputs.keyName,
      maxKeyAgeDays: inputs.maxKeyAgeDays,
      now: new Date(),
      allowOutsideBreakage: inputs.allowOutsideBreakage,
      allowWorkspaceOutage: inputs.allowWorkspaceOutage,
    };
    const plan = makePlan(inventory, policy);
    await core.group(inputs.dryRun ? 'Plan (dry run: nothing is changed)' : 'Plan', async () =>
      logPlan(plan),
    );
    // A plan that settles the workspaces first is judged by the rotation after it.
    const rotationPlan = plan.settleFirst
      ? makePlan(inventory, { ...policy, settled: true })
      : plan;
    if (rotationPlan.refused && !inputs.dryRun) throw new PreflightError(rotationPlan.refused);
    if (rotationPlan.refused) core.warning(`A rotation would stop here: ${rotationPlan.refused}`);
    const permissions = await core.group('Permissions', () =>
      preflight(azure, inventory, rotationPlan, settings.dryRun),
    );

    const done = inputs.dryRun
      ? { plan, execution: undefined }
      : await rotate(azure, settings, inventory, plan, policy);
    report = buildReport(inputs, inventory, done.plan, done.execution, permissions, new Date());
    await publish(report, done.plan);
  } catch (error) {
    if (beforeAnyWrite(error)) setUnchangedOutputs();
    failure = failureMessage(error, inputs);
    core.setFailed(failure);
  }
  if (inputs?.notify === 'issue') await notifyThroughIssue(inputs, report, failure);
}

/** Opens, updates or closes the account's GitHub issue; a failure here is only a warning. */
async function notifyThroughIssue(
  inputs: Inputs,
  report: Report | undefined,
  failure: string | undefined,
): Promise<void> {
  let target: GitHubTarget | undefined;
  try {
    const attention =
      failure !== undefined
        ? attentionFromFailure(inputs.storageAccount.name, failure, runUrl())
        : report && attentionFromReport(report, runUrl());
    if (!attention) return;
    target = githubTarget(inputs.githubToken);
    const sent = await notify(target, attention);
    core.info(
      `GitHub issue: ${sent.action}${sent.issue ? ` #${sent.issue.number} (${sent.issue.url})` : ''}.`,
    );
  } catch (error) {
    core.warning(
      `Could not notify through a GitHub issue: ${describeGitHubError(error, target)} The rotation's result does not depend on it.`,
    );
  }
}

/** Input, login, discovery and preflight errors all come before the first write. */
function beforeAnyWrite(error: unknown): boolean {
  return (
    error instanceof DiscoveryError ||
    (error instanceof Error && ['InputError', 'PreflightError'].includes(error.name))
  );
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
): Promise<{ plan: Plan; execution: Execution }> {
  const options = { concurrency: inputs.concurrency, onStep: logStep };
  if (!plan.settleFirst) {
    return {
      plan,
      execution: await core.group('Rotation', () => execute(azure, inventory, plan, options)),
    };
  }
  const settled = await core.group('Settling the workspaces on one key', () =>
    execute(azure, inventory, plan, options),
  );
  if (settled.failed) return { plan, execution: settled };
  const observed = await core.group('Discovery, after the resync', () => discover(azure, inputs));
  const next = makePlan(observed, { ...policy, settled: true });
  await core.group('Plan', async () => logPlan(next));
  if (next.refused) {
    return { plan, execution: { ...settled, stopped: next.refused, failed: true } };
  }
  const execution = await core.group('Rotation', () => execute(azure, observed, next, options));
  return {
    plan: { ...next, steps: [...plan.steps, ...next.steps] },
    execution: { ...execution, steps: [...settled.steps, ...execution.steps] },
  };
}

/**
 * Tells the result. Outputs come before the summary, and a report or summary that cannot be
 * written is a warning: the exit status reflects the rotation alone.
 */
async function publish(report: Report, plan: Plan): Promise<void> {
  const reportPath = await bestEffort('write the JSON report', () => writeReportFile(report));
  await bestEffort('set the outputs', () => setOutputs(report, reportPath ?? ''));
  await bestEffort('write the job summary', () => writeSummary(report));
  for (const note of plan.notes) {
    if (note.level === 'warning') core.warning(note.text);
    else core.notice(note.text);
  }
  for (const c of report.consumers.filter((row) => row.error)) {
    core.error(
      `${capitalise(c.kind)} '${c.name}' (workspace '${c.workspace}') was not updated: ${c.error}`,
    );
  }
  if (report.result.failed) {
    const { datastoresFailed, datastoresUpdated, connectionsFailed, connectionsUpdated } =
      report.result;
    const what =
      report.result.stopped ??
      `${datastoresFailed + connectionsFailed} consumer(s) were not updated; ${datastoresUpdated + connectionsUpdated} were.`;
    core.setFailed([what, report.result.rerun].filter(Boolean).join(' '));
  }
}

/** Runs one reporting task; its failure becomes a warning instead of the run's failure. */
async function bestEffort<T>(what: string, task: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await task();
  } catch (error) {
    core.warning(
      `Could not ${what}: ${sentence(describeError(error))} The run's result does not depend on it.`,
    );
    return undefined;
  }
}

function failureMessage(error: unknown, inputs: Inputs | undefined): string {
  if (error instanceof Error && ['InputError', 'PreflightError'].includes(error.name)) {
    return error.message;
  }
  const cause = error instanceof DiscoveryError ? error.cause : error;
  if (inputs && isLoginError(cause)) {
    const reasons = loginFailureReasons(cause)
      .map((reason) => sentence(redact(reason)))
      .join(' ');
    return `Login failed using ${describeLogin(inputs.login)}: ${reasons} ${loginHint(inputs.login)} Nothing was changed.`;
  }
  const where = error instanceof DiscoveryError ? `${error.what} failed` : 'The action failed';
  const forbidden = (cause as { statusCode?: number })?.statusCode === 403;
  const hint = forbidden
    ? ' The login lacks a permission: see the README for the role this action needs.'
    : '';
  const unchanged = error instanceof DiscoveryError ? ' Nothing was changed.' : '';
  return `${sentence(`${where}: ${describeError(cause)}`)}${hint}${unchanged}`;
}

function isLoginError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name)
  );
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
