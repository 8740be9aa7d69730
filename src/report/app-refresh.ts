import { SITES } from '../azure/app-service.js';
import { appRefreshWarnings, type AppRefreshOutcome } from '../execute/app-refresh.js';
import type { Note } from '../plan/notes.js';
import { resourceId } from '../util/resource-id.js';
import { heading, table } from './summary-html.js';
import type { AppRefreshRow, Report } from './types.js';

/** The report's rows of the refresh-apps apps. */
export function appRefreshRows(outcomes: AppRefreshOutcome[]): AppRefreshRow[] {
  return outcomes.map((o) => ({
    app: o.app.name,
    resourceGroup: o.app.resourceGroup,
    id: resourceId(o.app, ...SITES),
    result: o.status,
    ...(o.error ? { error: o.error } : {}),
    references: o.references.map((r) => ({
      setting: r.setting,
      secret: r.secret,
      onNewVersion: r.onNewVersion,
      ...(r.status ? { status: r.status } : {}),
      ...(r.activeVersion ? { activeVersion: r.activeVersion } : {}),
      newVersion: r.newVersion,
    })),
  }));
}

/** An app whose refresh failed or left a reference behind: a person should look (annotations, issue). */
export const appRefreshNotes = (outcomes: AppRefreshOutcome[]): Note[] =>
  appRefreshWarnings(outcomes).map((text) => ({
    level: 'warning',
    kind: 'app-refresh',
    text,
    subjects: [],
  }));

/** "Apps (Key Vault references)": one row per app, its references to the moved secrets. */
export function appRefreshSection(report: Report): string {
  const rows = report.appRefresh ?? [];
  if (rows.length === 0) return '';
  return (
    heading('Apps (Key Vault references)') +
    table(
      ['App', 'Refresh', 'References to moved secrets'],
      rows.map((row) => [
        row.app,
        row.error ? `${row.result}: ${row.error}` : row.result,
        row.references
          .map(
            (r) =>
              `${r.setting} → ${r.secret}: ${r.onNewVersion ? 'on the new version' : `not on the new version (${r.status ?? 'no status'})`}`,
          )
          .join('; ') || '-',
      ]),
    )
  );
}
