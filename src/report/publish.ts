import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sentence } from './failure.js';
import { describeRow, list, withSubjects } from './outcome.js';
import { UNANSWERED } from './rows.js';
import type { ConsumerRow, Report } from './types.js';
import { describeError } from '../util/secrets.js';
import { writeSummary } from './summary.js';

/**
 * Tells the result: the JSON report, the outputs, the job summary and the annotations. A report or
 * summary that cannot be written is a warning: the exit status reflects the rotation alone.
 */
export async function publish(report: Report): Promise<void> {
  const reportPath = await bestEffort('write the JSON report', () => writeReportFile(report));
  setOutputs(report, reportPath ?? '');
  annotate(report);
  await bestEffort('write the job summary', () => writeSummary(report));
}

/** Writes the JSON report under RUNNER_TEMP, readable by the runner's user only. */
export async function writeReportFile(report: Report): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'aml-storage-key-rotation');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = report.generatedAt.replace(/[:.]/g, '-');
  const path = join(dir, `report-${report.account.name}-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return path;
}

export function setOutputs(report: Report, reportPath: string): void {
  const r = report.result;
  core.setOutput('result', report.outcome);
  core.setOutput('rotated', String(r.rotated));
  core.setOutput('regenerated-keys', r.regeneratedKeys.join(','));
  core.setOutput('active-key', report.allOnActiveKey ? (report.activeKey ?? '') : '');
  core.setOutput('datastores-updated', String(r.datastoresUpdated));
  core.setOutput('datastores-failed', String(r.datastoresFailed));
  core.setOutput('connections-updated', String(r.connectionsUpdated));
  core.setOutput('connections-failed', String(r.connectionsFailed));
  core.setOutput('secrets-updated', String(r.secretsUpdated));
  core.setOutput('secrets-failed', String(r.secretsFailed));
  core.setOutput('report-path', reportPath);
}

/**
 * GitHub shows ten errors and ten warnings of a step: the conclusion and the rerun instruction come
 * first, then one annotation per kind of problem, with its count and the first names.
 */
export function annotate(report: Report): void {
  if (['failed', 'blocked', 'cancelled'].includes(report.outcome)) {
    core.setFailed(conclusion(report));
  }
  const named = (c: ConsumerRow) => `${describeRow(c)}: ${c.error}`;
  const failed = report.consumers.filter((c) => c.error && c.result !== UNANSWERED);
  if (failed.length > 0) {
    core.error(`${failed.length} consumer(s) were not updated: ${list(failed.map(named))}`);
  }
  const unknown = report.consumers.filter((c) => c.result === UNANSWERED);
  if (unknown.length > 0) {
    core.error(
      `${unknown.length} consumer(s) may or may not have been updated: ${list(unknown.map(named))}`,
    );
  }
  for (const step of report.steps.filter((s) => s.error && !s.text.startsWith('Re-key'))) {
    core.error(`${step.text}: ${step.error}`);
  }
  if (report.mode === 'dry-run' && report.refused) {
    core.warning(`A rotation would stop before its first write: ${report.refused}`);
  }
  if (report.mode === 'dry-run' && report.missingPermissions) {
    core.warning(`A rotation would fail: ${report.missingPermissions}`);
  }
  for (const note of report.notes) {
    if (note.level === 'warning') core.warning(withSubjects(note));
    else core.notice(withSubjects(note));
  }
}

function conclusion(report: Report): string {
  if (report.failure) return report.failure;
  const r = report.result;
  const what =
    (r.stopped && sentence(r.stopped)) ??
    `${r.datastoresFailed + r.connectionsFailed + r.secretsFailed} consumer(s) were not updated; ${r.datastoresUpdated + r.connectionsUpdated + r.secretsUpdated} were.`;
  return [what, r.rerun].filter(Boolean).join(' ');
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
