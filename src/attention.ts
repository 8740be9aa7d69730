import type { Report } from './report.js';
import { capitalise } from './text.js';

/** What a run tells the people on call about one storage account: the input of notify(). */
export interface Attention {
  /** The storage account's name (globally unique in Azure): one issue per account. */
  account: string;
  /** True: open an issue or comment on the open one. False: the run ended cleanly; close it. */
  needsAttention: boolean;
  headline: string;
  /** What needs a person, one line each. Plain text: notify() sanitises and escapes it. */
  details: string[];
  runUrl: string;
}

/** A person is needed when the run failed or left a warning (a SAS token to reissue, a stale key, …). */
export function needsAttention(report: Report): boolean {
  return report.result.failed || report.notes.some((note) => note.level === 'warning');
}

/**
 * What the report tells the people on call. A clean dry run says nothing: it changed nothing, so it
 * cannot have settled what an earlier run left open.
 */
export function attentionFromReport(report: Report, runUrl: string): Attention | undefined {
  const attention = needsAttention(report);
  if (!attention && report.mode === 'dry-run') return undefined;
  return {
    account: report.account.name,
    needsAttention: attention,
    headline: headline(report),
    details: attention ? details(report) : [],
    runUrl,
  };
}

/** A run that stopped with an error before it had a report (login, discovery, permissions). */
export function attentionFromFailure(account: string, message: string, runUrl: string): Attention {
  return {
    account,
    needsAttention: true,
    headline: `The run for ${account} failed.`,
    details: [message],
    runUrl,
  };
}

/** The link to this workflow run, from the variables every runner sets. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

function headline(report: Report): string {
  const { result } = report;
  const name = report.account.name;
  const warnings = report.notes.filter((note) => note.level === 'warning').length;
  const warned = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (report.mode === 'dry-run')
    return `The dry run for ${name} has ${warned}; nothing was changed.`;
  if (result.failed) {
    const what =
      result.stopped ??
      `${result.datastoresFailed + result.connectionsFailed} consumer(s) were not updated; ${result.datastoresUpdated + result.connectionsUpdated} were.`;
    return `The rotation of ${name} did not finish: ${what}`;
  }
  const done = `${result.rotated ? `regenerated ${result.regeneratedKeys.join(' and ')}` : 'no key regenerated'}, ${result.datastoresUpdated} datastore(s) and ${result.connectionsUpdated} connection(s) updated`;
  return warnings > 0
    ? `The rotation of ${name} finished (${done}) with ${warned}.`
    : `The rotation of ${name} finished cleanly: ${done}.`;
}

function details(report: Report): string[] {
  return [
    ...report.steps.filter((step) => step.error).map((step) => `${step.text}: ${step.error}`),
    ...report.consumers
      .filter((c) => c.error)
      .map((c) => `${capitalise(c.kind)} '${c.workspace}/${c.name}' was not updated: ${c.error}`),
    ...report.notes.filter((note) => note.level === 'warning').map((note) => note.text),
    ...(report.result.rerun ? [report.result.rerun] : []),
  ];
}
