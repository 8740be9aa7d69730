import type { Execution } from '../execute/execution.js';
import type { Note } from '../plan/plan.js';
import type { ConsumerRow, Outcome, Report } from './types.js';
import { UNANSWERED } from './rows.js';
import { capitalise } from '../util/text.js';

type Told = Omit<Report, 'version' | 'outcome' | 'headline' | 'attention'>;

export function outcomeOf(report: Told, failure?: { refused?: boolean }): Outcome {
  if (report.cancelled) return 'cancelled';
  if (failure?.refused) return 'blocked';
  if (report.result.failed) return 'failed';
  if (report.mode === 'dry-run') return 'dry-run';
  if (report.result.rotated) return 'rotated';
  if (report.blockedBySas) return 'blocked-by-sas';
  return report.heldBack.length > 0 ? 'drained' : 'not-due';
}

/** "rotated key2 · 3 datastores and 2 connections moved · 0 failed · workspace copy invalid 0 s · 41 s" */
export function headlineOf(report: Told, outcome: Outcome): string {
  const r = report.result;
  const moved = amount(r.datastoresUpdated, r.connectionsUpdated, r.secretsUpdated);
  const failed = r.datastoresFailed + r.connectionsFailed + r.secretsFailed;
  const total = `${seconds(report.timings.reduce((sum, t) => sum + t.ms, 0))} s`;
  const window = Math.max(0, ...report.workspaces.map((w) => w.invalidForMs ?? 0));
  const regenerated = r.regeneratedKeys.join(' and ');
  switch (outcome) {
    case 'rotated':
      return [
        `Rotated ${regenerated}`,
        `${moved} moved`,
        `${failed} failed`,
        `workspace copy invalid ${seconds(window)} s`,
        total,
      ].join(' · ');
    case 'not-due':
      return [
        `No key regenerated (${report.decision})`,
        `${moved} moved`,
        `${failed} failed`,
        total,
      ].join(' · ');
    case 'dry-run': {
      const wouldStop = report.refused || report.missingPermissions;
      return [
        `Dry run: ${report.regenerate.length > 0 ? `would regenerate ${report.regenerate.join(' then ')}` : 'would regenerate nothing'}`,
        `${report.steps.length} step(s) planned`,
        wouldStop ? 'a rotation would stop before its first write' : 'nothing changed',
        total,
      ].join(' · ');
    }
    case 'drained':
      return [
        `No key regenerated: ${report.heldBack.map((h) => `${h.key} drained, may be regenerated ${h.until ? `from ${h.until.slice(0, 16).replace('T', ' ')} UTC` : 'once the run can prove it unused'}`).join('; ')}`,
        `${moved} moved`,
        `${failed} failed`,
        total,
      ].join(' · ');
    case 'blocked':
      return ['Blocked before the first write: nothing changed', total].join(' · ');
    case 'blocked-by-sas':
      return [
        'No key regenerated: every key it would regenerate signs a live SAS token (sas: skip-keys)',
        `${moved} moved`,
        `${failed} failed`,
        total,
      ].join(' · ');
    case 'cancelled':
      return cancelledHeadline(report, moved, total);
    case 'failed':
      if (report.failure)
        return ['Failed before the first write: nothing changed', total].join(' · ');
      return [
        `Failed${regenerated ? ` after regenerating ${regenerated}` : ', no key regenerated'}`,
        `${moved} moved`,
        `${failed} not updated`,
        total,
      ].join(' · ');
  }
}

/** "Cancelled (SIGINT) after regenerating key2 · 1 datastore moved · 2 not updated · 1 unknown · 9 s" */
function cancelledHeadline(report: Told, moved: string, total: string): string {
  const r = report.result;
  const by = `Cancelled (${report.cancelled?.signal})`;
  if (report.failure) return [`${by} before the first write: nothing changed`, total].join(' · ');
  const unknown = report.consumers.filter((c) => c.result === UNANSWERED).length;
  const unconfirmed = report.workspaces.filter((w) => w.resync === 'unknown').length;
  const uncertain = report.steps.some(
    (s) => s.text.startsWith('Regenerate') && s.status === 'unknown',
  );
  const regenerated = r.regeneratedKeys.join(' and ');
  return [
    `${by}${regenerated ? ` after regenerating ${regenerated}` : uncertain ? ' while regenerating a key' : ', no key regenerated'}`,
    `${moved} moved`,
    `${r.datastoresFailed + r.connectionsFailed + r.secretsFailed - unknown} not updated`,
    ...(unknown > 0 ? [`${unknown} unknown`] : []),
    ...(unconfirmed > 0 ? [`${unconfirmed} resync(s) unconfirmed`] : []),
    total,
  ].join(' · ');
}

/** What needs a person: failures with their reason, what breaks, what is missing or unseen. */
export function attentionOf(report: Told): string[] {
  const lines: string[] = [];
  if (report.failure) lines.push(report.failure);
  if (report.result.stopped) lines.push(capitalise(`${report.result.stopped}.`));
  for (const step of report.steps.filter((s) => s.error && s.status !== 'done')) {
    if (!step.text.startsWith('Re-key')) lines.push(`${step.text}: ${step.error}`);
  }
  for (const c of report.consumers.filter((row) => row.error)) {
    const what = c.result === UNANSWERED ? 'may or may not have been updated' : 'was not updated';
    lines.push(`${capitalise(describeRow(c))} ${what}: ${c.error}`);
  }
  if (report.mode === 'dry-run' && report.refused) {
    lines.push(`A rotation would stop before its first write: ${report.refused}`);
  }
  if (report.missingPermissions && !report.failure) {
    lines.push(
      report.mode === 'dry-run'
        ? `A rotation would fail: ${report.missingPermissions}`
        : report.missingPermissions,
    );
  }
  for (const note of report.notes.filter((n) => n.level === 'warning')) {
    lines.push(withSubjects(note));
  }
  if (report.result.rerun) lines.push(report.result.rerun);
  return lines;
}

/** "…update them: datastore 'a' (workspace 'w'); …; and 4 more." */
export function withSubjects(note: Note, shown = 5): string {
  if (note.subjects.length === 0) return note.text;
  return `${note.text.replace(/\.$/, '')}: ${list(note.subjects, shown)}`;
}

/** "a; b; c; and 4 more.": the first few names of a long list. */
export function list(names: string[], shown = 5): string {
  if (names.length === 0) return '';
  const head = names.slice(0, shown).join('; ');
  return names.length > shown ? `${head}; and ${names.length - shown} more.` : `${head}.`;
}

/** "datastore 'a' (workspace 'ws')", "secret 's' (key vault 'kv')": how the report names a row. */
export function describeRow(c: Pick<ConsumerRow, 'kind' | 'name' | 'workspace' | 'where'>): string {
  return c.kind === 'key-vault-secret'
    ? `secret '${c.name}' (key vault '${c.where.name}')`
    : `${c.kind} '${c.name}' (workspace '${c.workspace ?? c.where.name}')`;
}

/** "3 datastores", "1 datastore and 2 connections", "0 datastores, 1 connection and 2 secrets". */
function amount(datastores: number, connections: number, secrets: number): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [plural(datastores, 'datastore')];
  if (connections > 0) parts.push(plural(connections, 'connection'));
  if (secrets > 0) parts.push(plural(secrets, 'secret'));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * What to do after a failure or a cancel: a rerun with none moves everyone onto the newest key, the
 * last one regenerated, and resyncs each workspace whose own copy is not on a current key. A rerun
 * observes afresh, so it reads back what a cancel left unknown.
 */
export function rerunAdvice(execution: Execution, cancelled = false): string {
  const newest = execution.regenerated.at(-1);
  const unconfirmed = [...execution.workspaces.values()]
    .filter((w) => w.status === 'failed' || w.status === 'unknown' || w.holdsAfter === 'stale')
    .map((w) => `'${w.ref.name}'`);
  const workspaces =
    unconfirmed.length === 0
      ? ''
      : ` The own copy of workspace ${unconfirmed.join(', ')} is not confirmed on a current key: the rerun resyncs it again; if it stays off, run az ml workspace sync-keys for it, or wait for Azure ML to pick up the account's keys by itself (about an hour).`;
  const rerun = cancelled ? 'Rerun' : 'Fix the cause, then rerun';
  if (execution.uncertain) {
    const why = cancelled
      ? 'the run was cancelled before its request was answered'
      : 'its request answered an error and the keys could not be read back';
    return `Whether ${execution.uncertain} was regenerated is unknown: ${why}. ${rerun} with key-name: none: it reads the keys, regenerates nothing and moves every consumer onto the newest key.${workspaces}`;
  }
  const unknown = [...execution.consumers.values()].some((c) => c.status === 'unknown')
    ? ' It reads back every consumer, those whose write the cancel left unknown too.'
    : '';
  return newest
    ? `${rerun} with key-name: none. It regenerates nothing and moves every remaining consumer onto ${newest}.${unknown}${workspaces}`
    : `No key was regenerated. ${rerun} with the same inputs.${unknown}${workspaces}`;
}
