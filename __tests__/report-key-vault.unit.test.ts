// Key Vault secrets in the report, the summary and the log: each secret a consumer that lives in its
// vault (not a workspace), with the version the run wrote and when the key it left may go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logInventory } from '../src/report/log.js';
import { attentionOf } from '../src/report/outcome.js';
import type { Report } from '../src/report/report.js';
import { renderSummary } from '../src/report/summary.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { rotate } from './fakes/rotation.js';
import { captureStdout } from './support/process-io.js';

const HOUR = 3_600_000;
const connectionString = (key: string) =>
  `DefaultEndpointsProtocol=https;AccountName=store;AccountKey=${key};EndpointSuffix=core.windows.net`;

/**
 * ws holds key1 (a datastore on key1); vault kv-apps has a tutorial-tagged secret on key2 (the
 * older key, so auto regenerates it), a named connection string on key1 and a named password.
 */
function world() {
  const azure = new MemoryAzure();
  azure.addWorkspace('ws', 'key1');
  azure.addDatastore('ws', 'a', 'key1');
  const vault = azure.keyVaults.addVault('kv-apps');
  const old = new Date('2026-01-01T00:00:00Z');
  azure.keyVaults.addSecret(vault, 'tagged', azure.keys.key2.value, {
    tags: { CredentialId: 'key2', ProviderAddress: azure.accountId },
    createdOn: old,
  });
  azure.keyVaults.addSecret(vault, 'conn', connectionString(azure.keys.key1.value), {
    createdOn: old,
  });
  azure.keyVaults.addSecret(vault, 'password', 'hunter2', { createdOn: old });
  return { azure, vault };
}

const vaultInputs = (gracePeriodHours: number) => ({
  keyVaults: [{ vault: { name: 'kv-apps' }, tagged: true, secrets: ['conn', 'password'] }],
  gracePeriodHours,
});

async function run(graceHours: number, dryRun = false, azure = world().azure) {
  return rotate(azure, 'auto', {
    named: ['ws'],
    dryRun,
    inputs: vaultInputs(graceHours),
    policy: { graceMs: graceHours * HOUR },
  });
}

const rowOf = (report: Report, name: string) => report.consumers.find((c) => c.name === name)!;

/** The consumers table of a summary: header and rows, cells as text. */
function consumersTable(html: string): string[][] {
  const part = html
    .split(/(?=<h3>)/)
    .find((p) => p.startsWith('<h3>Consumers of the account</h3>'));
  assert.ok(part, 'a consumers table');
  const table = /<table>(.*?)<\/table>/s.exec(part)![1]!;
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) =>
      c[1]!.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'"),
    ),
  );
}

describe('Key Vault secrets in the report', () => {
  it('a secret is a consumer in its vault: where, its URL, the version written, the key it left', async () => {
    const { azure, vault } = world();
    const { report, plan } = await run(24, false, azure);
    assert.equal(report.outcome, 'drained');
    const held = plan.held.find((d) => d.key === 'key2')!;

    const tagged = rowOf(report, 'tagged');
    assert.equal(tagged.kind, 'key-vault-secret');
    assert.equal(tagged.workspace, undefined, 'a secret has no workspace');
    assert.deepEqual(tagged.where, {
      kind: 'key-vault',
      name: 'kv-apps',
      resourceGroup: 'rg',
      id: vault.id,
    });
    assert.equal(tagged.target, 'https://kv-apps.vault.azure.net/secrets/tagged');
    assert.deepEqual([tagged.type, tagged.keyHeld, tagged.keyAfter], ['raw key', 'key2', 'key1']);
    assert.equal(tagged.result, 'updated: holds key1, verified');
    const written = azure.keyVaults.versions.get(`${vault.uri}|tagged`)!.at(-1)!.properties;
    assert.deepEqual(tagged.secret, {
      versionCreatedOn: '2026-01-01T00:00:00.000Z',
      newVersion: { version: written.version, createdOn: written.createdOn!.toISOString() },
      leaves: { key: 'key2', until: held.until!.toISOString() },
    });

    // Already on key1: nothing written, and it leaves no key.
    const conn = rowOf(report, 'conn');
    assert.equal(conn.type, 'connection string');
    assert.deepEqual(conn.secret, { versionCreatedOn: '2026-01-01T00:00:00.000Z' });
    assert.equal(conn.result, 'no change: holds key1');

    assert.equal(rowOf(report, 'a').where.kind, 'workspace');
    assert.deepEqual(
      report.workspaces.map((w) => w.workspace),
      ['ws'],
      'a vault is no workspace',
    );
    assert.equal(report.otherConsumers, 0);
    assert.equal(report.otherSecrets, 1, 'the named password');
    assert.deepEqual(
      [report.result.secretsUpdated, report.result.secretsFailed, report.result.datastoresUpdated],
      [1, 0, 0],
    );
    assert.match(report.headline, / · 0 datastores and 1 secret moved · 0 failed · /);
  });

  it('a dry run says which key a secret would leave and from when it may go', async () => {
    const { report, plan } = await run(24, true);
    const tagged = rowOf(report, 'tagged');
    assert.equal(tagged.result, 'not applied');
    assert.equal(tagged.secret?.newVersion, undefined);
    assert.deepEqual(tagged.secret?.leaves, {
      key: 'key2',
      until: plan.held[0]!.until!.toISOString(),
    });
  });

  it('no grace period: the key it left is regenerated in the same run, nothing is held back', async () => {
    const { report } = await run(0);
    assert.equal(report.outcome, 'rotated');
    const tagged = rowOf(report, 'tagged');
    assert.equal(tagged.secret?.leaves, undefined);
    assert.equal(tagged.result, 'updated: holds new key2, verified');
    assert.ok(tagged.secret?.newVersion?.version, 'the last version it wrote');
    assert.equal(report.result.secretsUpdated, 2, 'both moved onto the new key2');
  });

  it('a secret that failed is named by its vault, not as a workspace', async () => {
    const { azure } = world();
    azure.setSecret = async () => {
      throw Object.assign(new Error('denied'), { statusCode: 403, code: 'Forbidden' });
    };
    const { report } = await run(24, false, azure);
    assert.equal(report.result.secretsFailed, 1);
    assert.ok(
      attentionOf(report).includes(
        "Secret 'tagged' (key vault 'kv-apps') was not updated: 403 Forbidden: denied",
      ),
      attentionOf(report).join('\n'),
    );
    assert.match(report.headline, /1 not updated/);
  });
});

describe('Key Vault secrets in the summary', () => {
  it('one table for every kind: where each lives, the kind, how it holds the key, what the run did', async () => {
    const { report } = await run(24);
    const [header, ...rows] = consumersTable(renderSummary(report));
    assert.deepEqual(header, [
      'Where',
      'Kind',
      'Name',
      'Type',
      'Container / target',
      'Credentials',
      'Key held / SAS signed by',
      'Planned action',
      'Result',
    ]);
    const byName = new Map(rows.map((r) => [r[2], r]));
    assert.deepEqual(byName.get('a')!.slice(0, 4), ['workspace ws', 'datastore', 'a', 'AzureBlob']);
    const tagged = byName.get('tagged')!;
    assert.deepEqual(tagged.slice(0, 7), [
      'key vault kv-apps',
      'secret',
      'tagged',
      'raw key',
      'https://kv-apps.vault.azure.net/secrets/tagged',
      'AccountKey',
      'key2',
    ]);
    const row = rowOf(report, 'tagged');
    const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
    assert.equal(
      tagged[8],
      `updated: holds key1, verified; new version ${row.secret!.newVersion!.version} (created ${utc(row.secret!.newVersion!.createdOn!)}); key2 may be regenerated from ${utc(row.secret!.leaves!.until!)} (grace period)`,
    );
    assert.deepEqual(byName.get('conn')!.slice(0, 4), [
      'key vault kv-apps',
      'secret',
      'conn',
      'connection string',
    ]);
    assert.equal(byName.get('conn')![8], 'no change: holds key1');
    assert.match(
      renderSummary(report),
      /<p>0 datastore\(s\) and connection\(s\) on other accounts or services were not affected\. 1 secret\(s\) tagged for the account or named in key-vaults hold none of its keys and were left alone\.<\/p>/,
    );
  });

  it('a secret the login cannot read is under "Could not be read", not outside the workspaces', async () => {
    const { azure } = world();
    azure.keyVaults.forbidden.add('kv-apps/conn');
    const { report } = await run(24, true, azure);
    const html = renderSummary(report);
    assert.ok(!html.includes('<h3>Outside the managed workspaces'), 'no outside section');
    const part = html.split(/(?=<h3>)/).find((p) => p.startsWith('<h3>Could not be read'))!;
    assert.match(
      part,
      /<li>the value of secret &#39;conn&#39; \(key vault &#39;kv-apps&#39;\): 403/,
    );
  });
});

describe('Key Vault secrets in the log', () => {
  it('a vault is logged as a vault, each secret with how it holds which key', async () => {
    const { inventory } = await run(24, true);
    const lines = (await captureStdout(() => logInventory(inventory))).split('\n');
    assert.ok(
      lines.includes(
        'Key vault kv-apps (rg): 2 secret(s) hold a key of this account, 1 tagged or named hold none',
      ),
      lines.join('\n'),
    );
    assert.ok(lines.includes('  secret conn: connection string, holds key1'), lines.join('\n'));
    assert.ok(lines.includes('  secret tagged: raw key, holds key2'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('Workspace kv-apps')), 'a vault is no workspace');
  });
});
