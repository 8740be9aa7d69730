import * as core from '@actions/core';
import { SITES } from '../azure/app-service.js';
import type { AppKeyVaultReference, AzurePort } from '../azure/port.js';
import type { Plan } from '../plan/plan.js';
import { mapLimit } from '../util/concurrency.js';
import { resourceId, type ResourceRef } from '../util/resource-id.js';
import { describeError } from '../util/secrets.js';
import type { Execution } from './execution.js';
import type { RequiredPermissions } from './permissions.js';

/**
 * The refresh is not in the REST spec (App Service's docs name the call, not its RBAC action): it
 * is taken to be a write of the app's config. Reading the references back reads its config.
 */
export const APP_REFRESH_ACTIONS = {
  refresh: 'Microsoft.Web/sites/config/write',
  read: 'Microsoft.Web/sites/config/read',
} as const;

/** A secret this run gave a new version, read back. */
export interface MovedSecret {
  vault: string;
  secret: string;
  version: string;
}

export interface AppReferenceOutcome {
  setting: string;
  /** `vault/secret`. */
  secret: string;
  newVersion: string;
  /** The version the app uses, as it says; absent when it does not say. */
  activeVersion?: string;
  status?: string;
  /** Resolved on the version this run wrote. */
  onNewVersion: boolean;
}

export interface AppRefreshOutcome {
  app: ResourceRef;
  status: 'refreshed' | 'failed' | 'would refresh' | 'not run';
  error?: string;
  /** The app's references to the secrets this run moved. */
  references: AppReferenceOutcome[];
}

/** The secrets the run gave a new version: the last one it wrote to each. */
export function movedSecrets(execution: Execution): MovedSecret[] {
  return [...execution.consumers.values()].flatMap((o) =>
    o.ref.kind === 'key-vault-secret' && o.status === 'updated' && o.written?.version
      ? [{ vault: o.ref.workspace.name, secret: o.ref.name, version: o.written.version }]
      : [],
  );
}

/** Whether the plan writes a Key Vault secret (and so would refresh the apps). */
export const planMovesSecrets = (plan: Plan) =>
  plan.steps.some(
    (s) => s.kind === 'move' && s.consumers.some((c) => c.kind === 'key-vault-secret'),
  );

/** What the refresh needs on each app; missing is a warning (the refresh is best effort). */
export function appRefreshPermissions(apps: ResourceRef[], plan: Plan): RequiredPermissions[] {
  if (!planMovesSecrets(plan)) return [];
  return apps.map((app) => ({
    scope: resourceId(app, ...SITES),
    name: app.name,
    actions: Object.values(APP_REFRESH_ACTIONS),
    bestEffort: true,
  }));
}

/** A dry run whose plan writes secrets (`wouldRefresh`), or a run that wrote none: no call. */
export function appsNotRefreshed(apps: ResourceRef[], wouldRefresh: boolean): AppRefreshOutcome[] {
  for (const app of apps) {
    core.info(
      `${wouldRefresh ? 'Would refresh' : 'Not refreshed (no secret got a new version)'}: ${app.name}`,
    );
  }
  return apps.map((app) => ({
    app,
    status: wouldRefresh ? 'would refresh' : 'not run',
    references: [],
  }));
}

/**
 * Asks each app to resolve its Key Vault references now, then reads them back: each reference to
 * a moved secret is on its new version or not. A failure is a warning naming the app, never the
 * run's failure: the app reads the new version within 24 hours anyway, inside the grace period.
 */
export async function refreshApps(
  azure: AzurePort,
  apps: ResourceRef[],
  moved: MovedSecret[],
): Promise<AppRefreshOutcome[]> {
  if (moved.length === 0) return appsNotRefreshed(apps, false);
  // Its warnings reach the annotations, the summary and the issue through the report's notes.
  return mapLimit(apps, 4, async (app): Promise<AppRefreshOutcome> => {
    try {
      await azure.refreshAppKeyVaultReferences(app);
    } catch (error) {
      return {
        app,
        status: 'failed',
        error: `the refresh failed: ${describeError(error)}`,
        references: [],
      };
    }
    try {
      const references = referencesToMoved(await azure.appKeyVaultReferences(app), moved);
      return { app, status: 'refreshed', references };
    } catch (error) {
      const error_ = `refreshed, but its references could not be read: ${describeError(error)}`;
      return { app, status: 'failed', error: error_, references: [] };
    }
  });
}

export function referencesToMoved(
  references: AppKeyVaultReference[],
  moved: MovedSecret[],
): AppReferenceOutcome[] {
  const same = (a = '', b = '') => a.toLowerCase() === b.toLowerCase();
  return references.flatMap((r) => {
    const secret = moved.find((m) => same(m.vault, r.vaultName) && same(m.secret, r.secretName));
    if (!secret) return [];
    const resolved = r.status === 'Resolved';
    // Without activeVersion (older api-versions) a reference that follows the current version
    // and resolved after the refresh is on it; one pinned to a version is on that version.
    const using = r.activeVersion ?? r.secretVersion;
    return [
      {
        setting: r.setting,
        secret: `${secret.vault}/${secret.secret}`,
        newVersion: secret.version,
        ...(r.activeVersion ? { activeVersion: r.activeVersion } : {}),
        ...(r.status ? { status: r.status } : {}),
        onNewVersion: resolved && (using === undefined || using === secret.version),
      },
    ];
  });
}

/** One warning per app that failed or has a reference not on the new version. */
export function appRefreshWarnings(outcomes: AppRefreshOutcome[]): string[] {
  const later = 'it reads the new version within 24 hours, inside the grace period.';
  return outcomes.flatMap((o) => {
    if (o.status === 'failed') return [`App ${o.app.name}: ${o.error}; ${later}`];
    const behind = o.references.filter((r) => !r.onNewVersion);
    if (behind.length === 0) return [];
    const list = behind.map((r) => `${r.setting} (${r.secret}: ${r.status ?? 'no status'})`);
    return [
      `App ${o.app.name}: not on the new version after the refresh: ${list.join(', ')}; ${later}`,
    ];
  });
}
