// The three ways the action logs in, each through the real bundle against the emulator: GitHub OIDC
// (client-id + tenant-id inputs), a service principal in the environment, and the Azure CLI
// session azure/login leaves. act() fails any run that tries to reach anything but 127.0.0.1, so
// none of these may probe the managed-identity endpoint (169.254.169.254).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadScenario, type Scenario } from '../emulator/scenario.js';
import type { Emulator } from '../emulator/server.js';
import type { ActionRun } from './support/action.js';
import { act, withEmulator } from './e2e/world.js';
import { NETWORK_GUARD_MODULE } from './support/paths.js';
import { waitFor } from './support/wait.js';

const ACCOUNT = 'mlprodstore';
const dryRun = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  'dry-run': 'true',
  ...extra,
});
const SHIFTED_CLOCK = new URL('./support/shifted-clock.mjs', import.meta.url).href;
/** Past the access token's hour and the GitHub ID token's five minutes. */
const CLOCK_MOVE_MS = 65 * 60_000;
const ARM_SCOPE = 'https://management.azure.com/.default';
const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The app registration runAction logs in as (its default service principal). */
const CLIENT_ID = '00000000-0000-4000-8000-00000000c11e';

/** A scenario whose Entra knows only the harness's app registration, as a real tenant would. */
function sample(): Scenario {
  const scenario = loadScenario('sample');
  return { ...scenario, entra: { ...scenario.entra, clientId: CLIENT_ID } };
}

const armRequests = (emu: Emulator) =>
  emu.requests().filter((r) => r.path.toLowerCase().startsWith('/subscriptions/'));
const errorOf = (run: ActionRun) =>
  run.annotations.find((a) => a.level === 'error')?.message ?? assert.fail(run.stdout);

function assertDryRunSucceeded(run: ActionRun, emu: Emulator) {
  assert.equal(run.exitCode, 0, run.stdout);
  assert.equal((run.report as { mode: string }).mode, 'dry-run');
  assert.deepEqual(emu.writes(), []);
  assert.ok(armRequests(emu).length > 0, 'the action reached Resource Manager');
  assert.ok(
    armRequests(emu).every((r) => r.status !== 401),
    'no request went out without a valid token',
  );
}

/** Nothing happened after the login failed: no token, no Resource Manager call, no write. */
function assertStoppedAtLogin(run: ActionRun, emu: Emulator) {
  assert.equal(run.exitCode, 1, run.stdout);
  assert.deepEqual(armRequests(emu), []);
  assert.deepEqual(emu.writes(), []);
  assert.match(errorOf(run), /Nothing was changed\.$/);
}

describe('login: GitHub OIDC (client-id and tenant-id inputs)', () => {
  it('exchanges a GitHub ID token for the default audience at Entra and completes a dry run', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { login: 'oidc', inputs: dryRun() });
      assertDryRunSucceeded(run, emu);

      const idTokens = emu.idTokenRequests();
      assert.ok(idTokens.length > 0, 'the action asked ACTIONS_ID_TOKEN_REQUEST_URL for a token');
      for (const request of idTokens) {
        assert.equal(request.audience, DEFAULT_AUDIENCE);
        assert.ok(request.authorized, 'sent with ACTIONS_ID_TOKEN_REQUEST_TOKEN');
        // @actions/core masks the ID token the moment it has it.
        assert.ok(run.maskedValues.includes(request.token!), 'the ID token is masked');
      }

      const tokens = emu.tokenRequests();
      assert.ok(tokens.length > 0);
      for (const token of tokens) {
        assert.equal(token.status, 200, token.error);
        assert.equal(token.tenant, emu.tenantId);
        assert.equal(token.clientId, CLIENT_ID);
        assert.equal(token.grantType, 'client_credentials');
        assert.equal(token.scope, ARM_SCOPE);
        assert.equal(token.clientAssertionType, JWT_BEARER);
        assert.ok(token.assertionIssuedByEmulator, 'the assertion is the GitHub ID token');
        assert.equal(token.clientSecret, undefined);
      }
      // MSAL reads the assertion twice per token request; GitHub is asked once.
      assert.equal(idTokens.length, tokens.length, 'one GitHub ID token per exchange at Entra');
      assert.deepEqual(run.azCalls, [], 'OIDC never falls back to the Azure CLI');
    }));

  it('asks GitHub for the ID token with the audience input', () =>
    withEmulator(sample(), async (emu) => {
      const audience = 'api://contoso-ml-rotation';
      const run = await act(emu, { login: 'oidc', inputs: dryRun({ audience }) });
      assertDryRunSucceeded(run, emu);
      const audiences = new Set(emu.idTokenRequests().map((r) => r.audience));
      assert.deepEqual([...audiences], [audience]);
      assert.ok(emu.tokenRequests().every((t) => t.status === 200 && t.assertionIssuedByEmulator));
    }));

  it('gets a fresh ID token and a fresh access token once the first has run out', () =>
    // While the resync request is held, the clocks of the emulator and of the action's process
    // move on 65 minutes: the access token (1 hour) and the GitHub ID token it came from (5
    // minutes) have both run out. Nothing waits on real time, so a slow machine cannot change it.
    withEmulator(sample(), async (emu) => {
      const clockFile = join(await mkdtemp(join(tmpdir(), 'login-clock-')), 'offset');
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      emu.addFault({ kind: 'hold', path: '/resyncKeys', method: 'POST', until: held });
      let resyncSeq = 0;
      let movedTo = 0;
      const run = await act(emu, {
        login: 'oidc',
        inputs: dryRun({ 'dry-run': 'false' }),
        env: {
          NODE_OPTIONS: `--import=${pathToFileURL(NETWORK_GUARD_MODULE).href} --import=${SHIFTED_CLOCK}`,
          SHIFTED_CLOCK_FILE: clockFile,
        },
        killAfter: async (child, exited) => {
          try {
            const resync = () =>
              emu.writes().find((w) => w.path.toLowerCase().endsWith('/resynckeys'));
            await waitFor('the resync request', () => resync() !== undefined, { signal: exited });
            resyncSeq = resync()!.seq;
            emu.advanceClock(CLOCK_MOVE_MS);
            movedTo = Date.now() + emu.clockOffsetMs();
            await writeFile(clockFile, String(emu.clockOffsetMs()));
            child.kill('SIGUSR2');
            await waitFor("the action's clock moved", () => existsSync(`${clockFile}.ack`), {
              signal: exited,
            });
          } finally {
            release();
          }
        },
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.equal(run.outputs['rotated'], 'true');

      const tokens = emu.tokenRequests();
      assert.ok(
        tokens.every((t) => t.status === 200),
        JSON.stringify(tokens.map((t) => t.error)),
      );
      assert.ok(tokens[0]!.expiresAt! < movedTo, 'the first access token had run out');
      assert.ok(
        armRequests(emu).every((r) => r.status !== 401),
        'no request was sent with an expired token',
      );
      const renewed = tokens.filter((t) => t.seq > resyncSeq);
      assert.ok(renewed.length > 0, 'a token was fetched after the first ran out');

      // Each exchange used its own, freshly issued GitHub ID token; those after the move, one
      // issued after it (the first ID token had run out too).
      const assertions = tokens.map((t) => t.clientAssertion);
      assert.equal(new Set(assertions).size, tokens.length, 'no ID token was exchanged twice');
      assert.ok(tokens.every((t) => t.assertionIssuedByEmulator));
      const issued = new Map(emu.idTokenRequests().map((r) => [r.token, r]));
      for (const token of renewed) {
        const idToken = issued.get(token.clientAssertion);
        assert.ok(idToken, 'the assertion came from ACTIONS_ID_TOKEN_REQUEST_URL');
        assert.ok(idToken.seq > resyncSeq, 'an ID token requested after the clock moved');
      }
    }));

  it("fails without the ID-token variables (no 'id-token: write'), naming OIDC and the permission", () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, {
        login: 'oidc',
        inputs: dryRun({ 'dry-run': 'false' }),
        // What a job without `permissions: id-token: write` gets: neither variable.
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
      });
      assertStoppedAtLogin(run, emu);
      const message = errorOf(run);
      assert.match(message, /^Login failed using GitHub OIDC \(client /);
      assert.match(message, /ACTIONS_ID_TOKEN_REQUEST_URL/);
      assert.match(message, /'permissions: id-token: write'/);
      assert.deepEqual(emu.idTokenRequests(), []);
      assert.deepEqual(emu.tokenRequests(), []);
      assert.deepEqual(run.azCalls, [], 'no fallback to the Azure CLI');
    }));

  it('reports a token exchange Entra rejects as an OIDC login failure', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, {
        login: 'oidc',
        inputs: dryRun({ 'dry-run': 'false' }),
        // An app registration the tenant does not know (or without a federated credential).
        servicePrincipal: { clientId: '00000000-0000-4000-8000-0000000000ff', clientSecret: '' },
      });
      assertStoppedAtLogin(run, emu);
      const message = errorOf(run);
      assert.match(message, /^Login failed using GitHub OIDC \(client 0{8}-0000-4000-8000-0+ff/);
      assert.match(message, /Microsoft Entra failed: .*AADSTS700016/);
      assert.match(message, /federated credential/);
      assert.ok(emu.tokenRequests().every((t) => t.status === 400));
      assert.deepEqual(run.azCalls, []);
    }));
});

describe('login: service principal in the environment', () => {
  it('uses AZURE_CLIENT_ID/SECRET/TENANT_ID at AZURE_AUTHORITY_HOST and completes a dry run', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { login: 'service-principal', inputs: dryRun() });
      assertDryRunSucceeded(run, emu);
      const tokens = emu.tokenRequests();
      assert.ok(tokens.length > 0, 'a token came from the emulated Entra');
      for (const token of tokens) {
        assert.equal(token.status, 200, token.error);
        assert.equal(token.tenant, emu.tenantId);
        assert.equal(token.clientId, CLIENT_ID);
        assert.equal(token.grantType, 'client_credentials');
        assert.equal(token.scope, ARM_SCOPE);
        assert.ok(token.clientSecret, 'client_secret was sent');
        assert.equal(token.clientAssertion, undefined);
      }
      assert.deepEqual(emu.idTokenRequests(), [], 'no OIDC without client-id and tenant-id');
      assert.deepEqual(run.azCalls, [], 'the environment credential answers before the CLI');
    }));
});

describe('login: Azure CLI session (azure/login)', () => {
  const getAccessToken = (resource: string) => [
    'account',
    'get-access-token',
    '--output',
    'json',
    '--resource',
    resource,
  ];

  it('asks az for a Resource Manager token and completes a dry run', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { login: 'cli', inputs: dryRun() });
      assertDryRunSucceeded(run, emu);
      assert.ok(run.azCalls.length > 0);
      for (const call of run.azCalls) {
        assert.deepEqual(call, getAccessToken('https://management.azure.com'));
      }
      assert.deepEqual(emu.idTokenRequests(), []);
    }));

  it("asks az for the chosen cloud's Resource Manager (environment: AzureUSGovernment)", () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, {
        login: 'cli',
        inputs: dryRun({ environment: 'AzureUSGovernment' }),
      });
      assertDryRunSucceeded(run, emu);
      assert.ok(run.azCalls.length > 0);
      for (const call of run.azCalls) {
        assert.deepEqual(call, getAccessToken('https://management.usgovcloudapi.net'));
      }
    }));

  it('fails when the CLI is not logged in, saying to add azure/login', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, {
        login: 'cli',
        inputs: dryRun({ 'dry-run': 'false' }),
        env: { FAKE_AZ_FAIL: '1' },
      });
      assertStoppedAtLogin(run, emu);
      const message = errorOf(run);
      assert.match(message, /^Login failed using .*the Azure CLI session from azure\/login/);
      assert.match(message, /Add an azure\/login step before this action/);
      assert.match(message, /az login/, "the CLI's own reason is kept");
      // The run still writes its summary and report, saying why it stopped.
      assert.equal(run.outputs['result'], 'failed');
      assert.match(run.summary, /<h2>❌ mlprodstore: Failed before the first write/);
      assert.match(run.summary, /Login failed using/);
      assert.deepEqual(run.azCalls, [getAccessToken('https://management.azure.com')]);
      assert.deepEqual(emu.tokenRequests(), []);
    }));

  it('fails the same way with no login at all, without probing a managed identity', () =>
    withEmulator(sample(), async (emu) => {
      const run = await act(emu, { login: 'none', inputs: dryRun() });
      assertStoppedAtLogin(run, emu);
      assert.match(errorOf(run), /Add an azure\/login step before this action/);
      // act() already fails on any refused connection; this names the one that matters here.
      assert.ok(!run.refusedConnections.some((c) => c.host === '169.254.169.254'));
      assert.deepEqual(emu.tokenRequests(), []);
    }));
});
