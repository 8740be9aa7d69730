import type { Report } from './types.js';

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

/** A person is needed when the report names something that needs one (a failure, a warning). */
export function needsAttention(report: Report): boolean {
  return report.attention.length > 0;
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
    headline: report.headline,
    details: report.attention,
    runUrl,
  };
}

/** The link to this workflow run, from the variables every runner sets. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}
