// refresh-apps: the input's parse, which references count as on the new version, the warnings,
// the calls made (none without a moved secret) and the report's rows of the apps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appRefreshWarnings,
  refreshApps,
  referencesToMoved,
  type AppRefreshOutcome,
} from '../src/execute/app-refresh.js';
import { parseRefreshApps } from '../src/inputs/refresh-apps.js';
import { appRefreshRows, appRefreshSection } from '../src/report/app-refresh.js';
import type { Report } from '../src/report/report.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { captureStdout } from './support/process-io.js';

const SITE = '/subscriptions/sub/resourceGroups/rg-web/providers/Microsoft.Web/sites/web-1';
const app = { subscriptionId: 'sub', resourceGroup: 'rg-web', name: 'web-1' };
const moved = [{ vault: 'kv-apps', secret: 'storage-key', version: 'v2' }];
/** Runs `fn` with its log (core.info, core.warning) captured: the result and what it wrote. */
async function quietly<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  let result: T | undefined;
  const stdout = await captureStdout(async () => {
    result = await fn();
  });
  return { result: result as T, stdout };
}

const ref = (extra: object) => ({
  setting: 'STORAGE',
  vaultName: 'kv-apps',
  secretName: 'storage-key',
  status: 'Resolved',
  ...extra,
});

describe('refresh-apps input', () => {
  it('takes app resource IDs, one a line, the same app once', () => {
    const parsed = parseRefreshApps([SITE, '', `  ${SITE}/ `], true);
    assert.deepEqual(parsed, { apps: [app], problems: [] });
  });

  it('refuses anything but a Microsoft.Web/sites ID, and apps without key-vaults', () => {
    const parsed = parseRefreshApps(
      ['web-1', SITE.replace('Microsoft.Web/sites', 'Microsoft.KeyVault/vaults')],
      true,
    );
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0]!, /refresh-apps: 'web-1' is not the resource ID of an App/);
    assert.match(parseRefreshApps([SITE], false).problems[0]!, /refresh-apps needs key-vaults/);
    assert.deepEqual(parseRefreshApps([], false).problems, []);
  });
});

describe('references to the moved secrets', () => {
  it('a reference is on the new version when it resolved to it (or follows the current one)', () => {
    const outcomes = referencesToMoved(
      [
        ref({ setting: 'ACTIVE', activeVersion: 'v2' }),
        ref({ setting: 'OLD', activeVersion: 'v1' }),
        ref({ setting: 'FOLLOWS' }),
        ref({ setting: 'PINNED', secretVersion: 'v1' }),
        ref({ setting: 'DENIED', status: 'AccessToKeyVaultDenied' }),
        ref({
          setting: 'CASE',
          vaultName: 'KV-APPS',
          secretName: 'Storage-Key',
          activeVersion: 'v2',
        }),
        ref({ setting: 'OTHER', secretName: 'password' }),
      ],
      moved,
    );
    assert.deepEqual(
      outcomes.map((o) => [o.setting, o.onNewVersion]),
      [
        ['ACTIVE', true],
        ['OLD', false],
        ['FOLLOWS', true],
        ['PINNED', false],
        ['DENIED', false],
        ['CASE', true],
      ],
    );
    assert.equal(outcomes[0]!.secret, 'kv-apps/storage-key');
  });

  it('warns once per app that failed or has a reference behind, naming the app', () => {
    const outcomes: AppRefreshOutcome[] = [
      { app, status: 'failed', error: 'the refresh failed: 403', references: [] },
      {
        app: { ...app, name: 'web-2' },
        status: 'refreshed',
        references: referencesToMoved([ref({ activeVersion: 'v1' })], moved),
      },
      {
        app: { ...app, name: 'web-3' },
        status: 'refreshed',
        references: referencesToMoved([ref({ activeVersion: 'v2' })], moved),
      },
    ];
    const warnings = appRefreshWarnings(outcomes);
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0]!,
      /^App web-1: the refresh failed: 403; it reads the new version within 24 hours/,
    );
    assert.match(
      warnings[1]!,
      /^App web-2: not on the new version after the refresh: STORAGE \(kv-apps\/storage-key: Resolved\)/,
    );
  });
});

describe('refreshApps', () => {
  it('refreshes each app and reads its references; a refused refresh is a failed app, not a throw', async () => {
    const azure = new MemoryAzure();
    azure.appReferences.set('web-1', [ref({ activeVersion: 'v2' })]);
    azure.refreshRefused.add('web-2');
    const { result } = await quietly(() =>
      refreshApps(azure, [app, { ...app, name: 'web-2' }], moved),
    );
    assert.deepEqual(
      result.map((o) => [o.app.name, o.status, o.references.map((r) => r.onNewVersion)]),
      [
        ['web-1', 'refreshed', [true]],
        ['web-2', 'failed', []],
      ],
    );
    assert.deepEqual([...azure.calls].sort(), [
      'appKeyVaultReferences web-1',
      'refreshAppKeyVaultReferences web-1',
      'refreshAppKeyVaultReferences web-2',
    ]);
  });

  it('makes no call when no secret got a new version', async () => {
    const azure = new MemoryAzure();
    const { result } = await quietly(() => refreshApps(azure, [app], []));
    assert.deepEqual(
      result.map((o) => o.status),
      ['not run'],
    );
    assert.deepEqual(azure.calls, []);
  });
});

describe('the report of the apps', () => {
  it('maps each app to a row with its references, and the summary shows them', () => {
    const rows = appRefreshRows([
      {
        app,
        status: 'refreshed',
        references: referencesToMoved([ref({ activeVersion: 'v1' })], moved),
      },
      {
        app: { ...app, name: 'web-2' },
        status: 'failed',
        error: 'the refresh failed: 403',
        references: [],
      },
    ]);
    assert.deepEqual(rows[0], {
      app: 'web-1',
      resourceGroup: 'rg-web',
      id: SITE,
      result: 'refreshed',
      references: [
        {
          setting: 'STORAGE',
          secret: 'kv-apps/storage-key',
          onNewVersion: false,
          status: 'Resolved',
          activeVersion: 'v1',
          newVersion: 'v2',
        },
      ],
    });
    assert.equal(rows[1]!.error, 'the refresh failed: 403');
    const html = appRefreshSection({ appRefresh: rows } as Report);
    assert.match(html, /Apps \(Key Vault references\)/);
    assert.match(html, /STORAGE → kv-apps\/storage-key: not on the new version \(Resolved\)/);
    assert.match(html, /failed: the refresh failed: 403/);
    assert.equal(appRefreshSection({} as Report), '');
  });
});
