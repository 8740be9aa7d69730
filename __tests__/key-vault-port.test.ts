// The port's Key Vault operations over the real SDK clients against the emulator: vaults from ARM,
// the data plane behind the 401 challenge (a vault on 127.0.0.1, outside the cloud's suffix),
// secret properties without values, values masked, a new version with its content type, tags and
// expiry, older versions untouched, 403s as Key Vault words them, and its throttling retried.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Scenario } from '../emulator/server.js';
import { setUp } from './support/emulator-clients.js';

const SUB = '00000000-0000-0000-0000-0000000000aa';
const scenario: Scenario = {
  subscriptionId: SUB,
  tenantId: '11111111-1111-1111-1111-111111111111',
  storageAccounts: [{ resourceGroup: 'rg-data', name: 'store' }],
  workspaces: [],
  keyVaults: [
    {
      resourceGroup: 'rg-apps',
      name: 'kv-apps',
      throttledRequests: 2,
      secrets: [
        {
          name: 'storage-key',
          value: { key: 'key2' },
          tutorialTags: true,
          contentType: 'text/plain',
        },
        { name: 'locked', value: { connectionString: 'key1' }, forbidden: true },
      ],
    },
    {
      resourceGroup: 'rg-apps',
      name: 'kv-policy',
      enableRbacAuthorization: false,
      accessPolicies: [{ permissions: { secrets: ['get', 'list'] } }],
      secrets: [{ name: 'conn', value: { connectionString: 'key1' } }],
    },
  ],
};

describe('Key Vault through the port, on the emulator', () => {
  it('resolves vaults, reads properties and values, writes a new version and reads it back', async () => {
    const { emulator } = await setUp({ scenario });
    const newValue = randomBytes(64).toString('base64');
    const run = await runNode(['--import', 'tsx', '__tests__/support/key-vault-port-run.ts'], {
      NODE_EXTRA_CA_CERTS: emulator.caFile,
      EMU_URL: emulator.url,
      EMU_TENANT: emulator.tenantId,
      EMU_SUB: emulator.subscriptionId,
      NEW_VALUE: newValue,
    });
    assert.equal(run.code, 0, run.stderr);
    const steps = Object.fromEntries(
      run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => {
          const { step, result } = JSON.parse(line) as { step: string; result: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
          return [step, result];
        }),
    );
    const keys = emulator.keys('store');

    assert.deepEqual(steps.listVaults.map((v: { ref: { name: string } }) => v.ref.name).sort(), [
      'kv-apps',
      'kv-policy',
    ]);
    const vault = steps.getVault;
    assert.match(vault.uri, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(vault.rbacAuthorization, true);
    assert.equal(
      vault.id,
      `/subscriptions/${SUB}/resourceGroups/rg-apps/providers/Microsoft.KeyVault/vaults/kv-apps`,
    );

    const listed = steps.listSecretProperties as Record<string, unknown>[];
    assert.deepEqual(listed.map((p) => p.name).sort(), ['locked', 'storage-key']);
    assert.ok(
      listed.every((p) => !('value' in p)),
      'a listing carries no values',
    );
    const tagged = listed.find((p) => p.name === 'storage-key')!;
    assert.deepEqual(tagged.tags, {
      CredentialId: 'key2',
      ProviderAddress: `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/store`,
    });
    assert.equal(tagged.contentType, 'text/plain');

    assert.equal(steps.getSecret.value, keys.key2);
    assert.match(run.stdout, new RegExp(`::add-mask::${escape(keys.key2)}`), 'the value is masked');
    assert.match(run.stdout, new RegExp(`::add-mask::${escape(newValue)}`), 'the new value too');

    const written = steps.setSecret;
    assert.match(written.version, /^[0-9a-f]{32}$/);
    assert.equal(written.contentType, 'text/plain', 'the content type reaches the service');
    assert.equal(written.tags.CredentialId, 'key1');
    assert.equal(written.expiresOn, '2030-01-01T00:00:00.000Z');
    assert.equal(steps.readBack.value, newValue);
    assert.equal(steps.readBack.properties.contentType, 'text/plain');
    assert.equal(steps.oldVersion.value, keys.key2);
    assert.equal(steps.oldVersion.properties.enabled, true);

    const stored = emulator.vaultSecret('kv-apps', 'storage-key')!;
    assert.equal(stored.versions.length, 2);
    assert.ok(stored.versions.every((v) => v.enabled));
    assert.equal(stored.holds, 'stale', 'a value that is no key of the account');

    assert.equal(steps.forbidden.statusCode, 403);
    assert.match(steps.forbidden.message, /^403 Forbidden: Caller is not authorized/);

    assert.equal(steps.policyVault.rbacAuthorization, false);
    assert.deepEqual(steps.policyVault.accessPolicies[0].secrets, ['get', 'list']);
    assert.equal(steps.policyList.length, 1);
    assert.equal(steps.policySet.statusCode, 403);
    assert.match(steps.policySet.message, /does not have secrets set permission/);

    const scopes = emulator.tokenRequests().map((t) => t.scope);
    assert.ok(scopes.includes('https://vault.azure.net/.default'), scopes.join(', '));
    const dataPlane = emulator.requests().filter((r) => r.vault === 'kv-apps');
    assert.ok(
      dataPlane.some((r) => r.status === 401),
      'the SDK met the challenge',
    );
    assert.ok(
      dataPlane.some((r) => r.status === 429),
      'and the throttling, which it retried',
    );
    const accepted = emulator
      .writes()
      .filter((r) => r.vault && r.status === 200)
      .map((r) => [r.vault, r.operation]);
    assert.deepEqual(accepted, [['kv-apps', 'Secrets.set']]);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function runNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: new URL('..', import.meta.url),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
