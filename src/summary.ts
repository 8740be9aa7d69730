import * as core from '@actions/core';
import type { Report } from './report.js';

/** Rows beyond this go to the JSON report only: a step summary is capped at 1 MiB. */
const MAX_TABLE_ROWS = 500;

type SummaryTableRow = Parameters<typeof core.summary.addTable>[0][number];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '\\': '&#92;',
};

/** Escapes a value from Azure (names can hold markup) for the summary's HTML and markdown. */
export function escape(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`*_[\]|\\]/g, (c) => ENTITIES[c]!);
}

const header = (...cells: string[]): SummaryTableRow =>
  cells.map((data) => ({ data: escape(data), header: true }));
const row = (...cells: unknown[]): SummaryTableRow => cells.map((c) => escape(c));

export async function writeSummary(report: Report): Promise<void> {
  const s = core.summary;
  const dryRun = report.mode === 'dry-run';
  s.addHeading(
    escape(`Storage key rotation: ${report.account.name}${dryRun ? ' (dry run)' : ''}`),
    2,
  );
  s.addRaw(
    `<p><b>Account</b>: ${escape(report.account.name)} (resource group ${escape(report.account.resourceGroup)})<br>` +
      `<b>Workspaces</b>: ${escape(report.workspaces.map((w) => w.workspace).join(', ') || 'none')}<br>` +
      `<b>Mode</b>: ${dryRun ? 'dry run: nothing was changed' : 'rotation'}; key-name ${escape(report.keyName)}` +
      `${report.maxKeyAgeDays ? `, max-key-age-days ${escape(report.maxKeyAgeDays)}` : ''}<br>` +
      `<b>Age limit</b>: ${escape(report.ageLimit?.text ?? 'none')}<br>` +
      `<b>Decision</b>: ${escape(report.decision)}</p>`,
    true,
  );

  if (report.refused) {
    s.addHeading(dryRun ? 'A rotation would stop before its first write' : 'Refused', 3);
    s.addRaw(`<p>${escape(report.refused)}</p>`, true);
  }

  s.addHeading('Keys', 3);
  s.addTable([
    header('Key', 'Age (days)', 'Created', 'Consumers holding it', 'Planned'),
    ...report.keys.map((k) =>
      row(
        k.name,
        `${k.ageDays ?? 'unknown'}${k.due ? ` (due under ${report.ageLimit?.text})` : ''}`,
        k.createdOn ?? 'unknown',
        k.heldBy,
        [
          report.regenerate.includes(k.name) ? 'regenerate' : '',
          k.name === report.activeKey ? 'every AccountKey consumer ends on it' : '',
        ]
          .filter(Boolean)
          .join('; ') || '-',
      ),
    ),
  ]);

  s.addHeading(dryRun ? 'Plan' : 'Steps', 3);
  if (report.steps.length === 0)
    s.addRaw('<p>Nothing to do: every consumer is on the key in use.</p>', true);
  else {
    s.addList(
      report.steps.map(
        (st) =>
          `${escape(st.text)} <i>(${escape(st.reason)})</i>${dryRun ? '' : ` <b>${escape(st.status)}</b>`}` +
          (st.error ? `: ${escape(st.error)}` : ''),
      ),
      true,
    );
  }

  s.addHeading('Datastores and connections on the account', 3);
  const managed = report.consumers.filter((c) => c.inScope);
  const rows = managed.slice(0, MAX_TABLE_ROWS);
  s.addTable([
    header(
      'Workspace',
      'Kind',
      'Name',
      'Type',
      'Container / target',
      'Credentials',
      'Key held',
      'Planned action',
      'Result',
    ),
    ...rows.map((c) =>
      row(
        c.workspace,
        c.kind,
        `${c.name}${c.isDefault ? ' (default)' : ''}`,
        c.type,
        c.target,
        c.credentials,
        c.keyHeld || '-',
        c.plannedAction,
        c.error ? `${c.result}: ${c.error}` : c.result,
      ),
    ),
  ]);
  if (managed.length > rows.length) {
    s.addRaw(`<p>${managed.length - rows.length} more are in the JSON report.</p>`, true);
  }
  s.addRaw(
    `<p>${report.otherConsumers} datastore(s) and connection(s) on other accounts or services were not affected.</p>`,
    true,
  );

  const outside = report.consumers.filter((c) => !c.inScope);
  const outsideWorkspaces = report.workspaces.filter((w) => !w.inScope);
  if (outsideWorkspaces.length > 0 || report.uninspected.length > 0) {
    s.addHeading('Outside the managed workspaces (observed, never changed)', 3);
    s.addTable([
      header('Workspace', 'Own copy (default storage)', 'Kind', 'Name', 'Key held', 'Effect'),
      ...outsideWorkspaces
        .filter((w) => w.defaultStorage)
        .map((w) => row(w.workspace, w.keyHeld ?? 'no key', '-', '-', '-', '-')),
      ...outside.map((c) =>
        row(c.workspace, '-', c.kind, c.name, c.keyHeld || c.credentials, c.plannedAction),
      ),
    ]);
    if (report.uninspected.length > 0) {
      s.addRaw(`<p>Could not be inspected (consumers there are unknown to this run):</p>`, true);
      s.addList(report.uninspected.map((u) => `${escape(u.name)}: ${escape(u.reason)}`));
    }
  }

  s.addHeading('Workspaces', 3);
  s.addTable([
    header(
      'Workspace',
      'Default storage',
      'Own copy holds',
      'After the run',
      'Resync',
      'Invalid for',
    ),
    ...report.workspaces
      .filter((w) => w.inScope)
      .map((w) =>
        row(
          w.workspace,
          w.defaultStorage ? 'this account' : 'another account',
          w.keyHeld ?? '-',
          w.keyAfter ?? (dryRun ? '-' : (w.keyHeld ?? '-')),
          w.error ? `${w.resync}: ${w.error}` : w.resync,
          w.invalidForMs !== undefined
            ? `${(w.invalidForMs / 1000).toFixed(1)} s`
            : dryRun
              ? '-'
              : 'never',
        ),
      ),
  ]);

  s.addHeading('Permissions', 3);
  s.addTable([
    header('Scope', 'Action', 'Allowed'),
    ...report.permissions.map((p) =>
      row(
        p.name,
        p.action,
        p.allowed === undefined ? 'could not check' : p.allowed ? 'yes' : 'MISSING',
      ),
    ),
  ]);

  if (report.notes.length > 0) {
    s.addHeading('Notes', 3);
    s.addList(report.notes.map((n) => escape(n.text)));
  }
  if (report.result.failed) {
    s.addHeading('The run did not finish', 3);
    s.addRaw(
      `<p>${escape(report.result.stopped ?? `${report.result.datastoresFailed + report.result.connectionsFailed} consumer(s) were not updated.`)}<br>` +
        `${escape(report.result.rerun ?? '')}</p>`,
      true,
    );
  }
  await s.write();
}
