import * as core from '@actions/core';
import { appRefreshSection } from './app-refresh.js';
import { withSubjects } from './outcome.js';
import { keyUsageCell, keyUsageSection } from '../key-usage/summary.js';
import type { ConsumerKind } from '../discover/inventory.js';
import type { ConsumerRow, KeyState, Outcome, Report } from './types.js';
import {
  details,
  escape,
  heading,
  items,
  link,
  paragraph,
  table,
  type Cell,
} from './summary-html.js';

export { escape } from './summary-html.js';

/** Rows shown before the rest of a table is folded; beyond MAX_ROWS they are in the JSON report only. */
const SHOWN_ROWS = 30;
const MAX_ROWS = 500;

const ICONS: Record<Outcome, string> = {
  rotated: '✅',
  'not-due': '✅',
  drained: '⏳',
  'dry-run': '🔎',
  blocked: '⛔',
  'blocked-by-sas': '⏸️',
  failed: '❌',
  cancelled: '🛑',
};

/** The job summary as HTML: the outcome first, what needs a person next, then the detail. */
export function renderSummary(report: Report): string {
  return [
    `<h2>${ICONS[report.outcome]} ${escape(report.account.name)}: ${escape(report.headline)}</h2>\n`,
    context(report),
    attention(report),
    keys(report),
    keyUsageSection(report),
    consumers(report),
    workspaces(report),
    appRefreshSection(report),
    outside(report),
    unchecked(report),
    steps(report),
    timings(report),
    permissions(report),
    notices(report),
  ].join('');
}

export async function writeSummary(report: Report): Promise<void> {
  await core.summary.addRaw(renderSummary(report), true).write();
}

function context(report: Report): string {
  const account = link(report.account.name, report.account.link).html;
  const where = report.account.resourceGroup
    ? ` (resource group ${escape(report.account.resourceGroup)})`
    : '';
  const lines = [`<b>Account</b>: ${account}${where}`];
  if (report.keyName) {
    lines.push(
      `<b>Mode</b>: ${report.mode === 'dry-run' ? 'dry run, nothing was changed' : 'rotation'}; key-name ${escape(report.keyName)}; age limit: ${escape(report.ageLimit?.text ?? 'none')}`,
    );
  }
  if (report.decision) lines.push(`<b>Decision</b>: ${escape(report.decision)}`);
  return paragraph(lines.join('<br>'));
}

function attention(report: Report): string {
  if (report.attention.length === 0) return '';
  const shown = report.attention.slice(0, SHOWN_ROWS);
  const rest = report.attention.slice(SHOWN_ROWS);
  return (
    heading('Needs attention') +
    items(shown) +
    (rest.length > 0 ? details(`${rest.length} more`, items(rest)) : '')
  );
}

function keys(report: Report): string {
  if (report.keys.length === 0) return '';
  const state = (k: KeyState | undefined) =>
    k ? `${k.ageDays ?? 'unknown'} days (${k.createdOn ?? 'created at an unknown time'})` : '-';
  return (
    heading('Keys') +
    table(
      ['Key', 'Before', 'After', 'Due', 'Held by (managed)', 'Used (storage logs)', 'Plan'],
      report.keys.map((k) => [
        k.name,
        state(k.before),
        k.after ? state(k.after) : report.mode === 'dry-run' ? 'dry run' : '-',
        k.due ? `due under ${report.ageLimit?.text}` : report.ageLimit ? 'no' : '-',
        k.heldBy,
        keyUsageCell(report.keyUsage, k.name),
        [
          report.regenerate.includes(k.name) ? 'regenerate' : '',
          k.name === report.activeKey ? 'every AccountKey consumer ends on it' : '',
        ]
          .filter(Boolean)
          .join('; ') || '-',
      ]),
    )
  );
}

/** A row that needs a look: it failed, breaks, was already broken, or holds a SAS token at risk. */
function isProblem(c: ConsumerRow): boolean {
  return (
    !!c.error ||
    c.plannedAction.startsWith('BREAKS') ||
    c.keyHeld === 'stale' ||
    /FAILED|NOT UPDATED|NOT RENEWED|BROKEN/.test(c.result) ||
    c.sas?.signedBy === 'unknown' ||
    c.sas?.expired === true ||
    !!c.remarks
  );
}

/** How the consumers table names a kind. */
const KINDS: Record<ConsumerKind, string> = {
  datastore: 'datastore',
  connection: 'connection',
  'key-vault-secret': 'secret',
};

/** "workspace ws-a", "key vault kv-1": where a consumer lives. */
const whereOf = (c: ConsumerRow) =>
  `${c.where.kind === 'key-vault' ? 'key vault' : 'workspace'} ${c.where.name}`;

/** "2026-12-07 15:27 UTC". */
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The result, and for a secret the version written and when the key it leaves may go. */
function resultOf(c: ConsumerRow): string {
  const parts = [c.error ? `${c.result}: ${c.error}` : c.result];
  const written = c.secret?.newVersion;
  if (written) {
    const created = written.createdOn ? `created ${utc(written.createdOn)}` : '';
    parts.push(
      ['new version', written.version, created && `(${created})`].filter(Boolean).join(' '),
    );
  }
  const leaves = c.secret?.leaves;
  if (leaves) {
    parts.push(
      `${leaves.key} may be regenerated ${leaves.until ? `from ${utc(leaves.until)}` : 'once the run can tell when'} (grace period)`,
    );
  }
  return parts.join('; ');
}

function consumers(report: Report): string {
  const managed = report.consumers.filter((c) => c.inScope);
  if (report.keys.length === 0) return '';
  const ordered = [...managed.filter(isProblem), ...managed.filter((c) => !isProblem(c))];
  const headers = ['Where', 'Kind', 'Name', 'Type', 'Container / target', 'Credentials'];
  const rowOf = (c: ConsumerRow): Cell[] => [
    whereOf(c),
    KINDS[c.kind],
    link(`${c.name}${c.isDefault ? ' (default)' : ''}`, c.link),
    c.type,
    c.target,
    c.credentials,
    (c.sas ? c.sas.text : c.keyHeld || '-') + (c.remarks ? ` (${c.remarks.join('; ')})` : ''),
    c.plannedAction,
    resultOf(c),
  ];
  const all = [...headers, 'Key held / SAS signed by', 'Planned action', 'Result'];
  const shown = ordered.slice(0, SHOWN_ROWS);
  const folded = ordered.slice(SHOWN_ROWS, MAX_ROWS);
  const counts = countBy(ordered.slice(SHOWN_ROWS), (c) => c.result.split(':')[0]!);
  return (
    heading('Consumers of the account') +
    table(all, shown.map(rowOf)) +
    (folded.length > 0
      ? details(`${ordered.length - SHOWN_ROWS} more (${counts})`, table(all, folded.map(rowOf)))
      : '') +
    (ordered.length > MAX_ROWS
      ? paragraph(`${ordered.length - MAX_ROWS} more are in the JSON report.`)
      : '') +
    paragraph(
      `${report.otherConsumers} datastore(s) and connection(s) on other accounts or services were not affected.` +
        (report.otherSecrets
          ? ` ${report.otherSecrets} secret(s) tagged for the account or named in key-vaults hold none of its keys and were left alone.`
          : ''),
    )
  );
}

function workspaces(report: Report): string {
  const managed = report.workspaces.filter((w) => w.inScope);
  if (managed.length === 0) return '';
  const dryRun = report.mode === 'dry-run';
  return (
    heading('Workspaces') +
    table(
      ['Workspace', 'Default storage', 'Own copy holds', 'After the run', 'Resync', 'Invalid for'],
      managed.map((w) => [
        link(w.workspace, w.link),
        w.defaultStorage ? 'this account' : 'another account',
        w.keyHeld,
        w.keyAfter ?? (dryRun ? '-' : w.keyHeld),
        w.error ? `${w.resync}: ${w.error}` : w.resync,
        invalidFor(w, dryRun),
      ]),
    )
  );
}

function outside(report: Report): string {
  const elsewhere = report.workspaces.filter((w) => !w.inScope);
  const denied = report.uninspected.filter((u) => u.denied);
  if (elsewhere.length === 0 && denied.length === 0) return '';
  const rows: Cell[][] = [
    ...elsewhere
      .filter((w) => w.defaultStorage)
      .map((w): Cell[] => [
        link(w.workspace, w.link),
        'own copy (default storage)',
        '-',
        w.keyHeld ?? 'no key',
        '-',
      ]),
    ...report.consumers
      .filter((c) => !c.inScope)
      .map((c): Cell[] => [
        c.workspace ?? c.where.name,
        KINDS[c.kind],
        c.name,
        c.sas ? c.sas.text : c.keyHeld || c.credentials,
        c.plannedAction,
      ]),
  ];
  return (
    heading('Outside the managed workspaces (observed, never changed)') +
    (rows.length > 0 ? table(['Workspace', 'Kind', 'Name', 'Holds', 'Effect'], rows) : '') +
    (denied.length > 0
      ? paragraph('Outside what this run could check (the login may not list them):') +
        items(denied.map((u) => `${u.name}: ${u.reason}`))
      : '')
  );
}

/** What could not be read, in a managed Key Vault or outside the managed workspaces. */
function unchecked(report: Report): string {
  if (report.unchecked.length === 0) return '';
  return (
    heading('Could not be read (each may hold either key)') +
    items(report.unchecked.map((u) => `${u.name}: ${u.reason}`))
  );
}

function steps(report: Report): string {
  if (!report.decision) return '';
  const title = report.mode === 'dry-run' ? 'Plan' : 'Steps';
  if (report.steps.length === 0) {
    return heading(title) + paragraph('Nothing to do: every consumer is on the key in use.');
  }
  const lines = report.steps.map(
    (st) =>
      `<li>${escape(st.text)} <i>(${escape(st.reason)})</i> <b>${escape(st.status)}</b>${st.error ? `: ${escape(st.error)}` : ''}</li>`,
  );
  const list = `<ol>${lines.join('')}</ol>\n`;
  return lines.length > 12
    ? details(`${title}: ${lines.length} steps`, list)
    : heading(title) + list;
}

function timings(report: Report): string {
  if (report.timings.length === 0) return '';
  const total = report.timings.reduce((sum, t) => sum + t.ms, 0);
  const parts = report.timings.map((t) => `${t.phase} ${(t.ms / 1000).toFixed(1)} s`);
  return paragraph(
    `<b>Timings</b>: ${escape(parts.join(' · '))} · total ${(total / 1000).toFixed(1)} s`,
  );
}

function permissions(report: Report): string {
  if (report.permissions.length === 0) return '';
  const missing = report.permissions.filter((p) => p.allowed === false && !p.evidence).length;
  const unknown = report.permissions.filter((p) => p.allowed === undefined).length;
  const unread = report.permissions.filter((p) => p.allowed === false && p.evidence).length;
  const allowed = report.permissions.length - unknown - unread;
  const title = missing
    ? `Permissions: ${missing} MISSING`
    : `Permissions: ${allowed} allowed${unknown ? `, ${unknown} could not be checked` : ''}${unread ? `, ${unread} evidence read(s) missing` : ''}`;
  return details(
    title,
    table(
      ['Scope', 'Action', 'Allowed'],
      report.permissions.map((p) => [
        p.name,
        p.action,
        p.allowed === undefined
          ? 'could not check'
          : p.allowed
            ? 'yes'
            : p.evidence
              ? 'missing (key-usage evidence only)'
              : 'MISSING',
      ]),
    ),
    missing > 0,
  );
}

/** How long the run left the workspace's own copy invalid; one stale before the run says so. */
function invalidFor(w: Report['workspaces'][number], dryRun: boolean): string {
  const during = w.invalidForMs !== undefined ? `${(w.invalidForMs / 1000).toFixed(1)} s` : '';
  if (w.keyHeld === 'stale') {
    const until = w.keyAfter && w.keyAfter !== 'stale' ? 'until its resync' : 'still';
    return dryRun ? 'already before the run' : `from before the run, ${until}`;
  }
  return during || (dryRun ? '-' : 'never');
}

function notices(report: Report): string {
  // A key-usage notice says what its own section above already says.
  const shownAbove = (n: Report['notes'][number]) => n.kind === 'key-usage' && !!report.keyUsage;
  const notes = report.notes.filter((n) => n.level === 'notice' && !shownAbove(n));
  if (notes.length === 0) return '';
  return heading('Notes') + items(notes.map((n) => withSubjects(n, n.subjects.length)));
}

function countBy<T>(rows: T[], key: (row: T) => string): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
