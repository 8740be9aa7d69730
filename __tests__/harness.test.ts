// Tests of the end-to-end support itself; none of them needs the action or the emulator.
import * as core from '@actions/core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startEmulator, type Emulator } from '../emulator/server.js';
import {
  createRunnerWorkspace,
  runAction,
  type AzureEndpoint,
  type LoginMode,
} from './support/action.js';
import { assertNoSecrets, findLeaks, type LeakSurfaces } from './support/leaks.js';
import { refusedConnections } from './support/loopback-only.mjs';
import { waitFor } from './support/wait.js';
import { readDeclaredInputs } from './support/action-metadata.js';
import { ACTION_METADATA, FAKE_AZ_DIR, NETWORK_GUARD_MODULE, REPO_ROOT } from './support/paths.js';
import {
  parseAnnotations,
  parseFileCommandOutputs,
  parseMaskedValues,
} from './support/workflow-commands.js';

const ACTION_INPUTS = [
  'mode',
  'workspace',
  'resource-group',
  'storage-account',
  'storage-account-resource-group',
  'subscription-id',
  'dry-run',
  'key-name',
  'max-key-age-days',
  'allow-outside-breakage',
  'allow-workspace-outage',
  'sas',
  'concurrency',
  'resync-timeout-minutes',
  'environment',
  'arm-endpoint',
  'logs-endpoint',
  'key-usage-days',
  'require-unused-days',
  'key-vaults',
  'grace-period-hours',
  'refresh-apps',
  'client-id',
  'tenant-id',
  'audience',
  'notify',
  'github-token',
];
const GUARD_MESSAGE = /network guard: refused connection to .* — tests may only reach 127\.0\.0\.1/;

let scratch: string;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'harness-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(
  args: string[],
  env: Record<string, string | undefined>,
  cwd = REPO_ROOT,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function connectionError(connect: () => net.Socket): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const socket = connect();
    socket.on('connect', () => reject(new Error('connected, but the guard should have refused')));
    socket.on('error', resolve);
  });
}

function guardEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: `--import=${pathToFileURL(NETWORK_GUARD_MODULE).href}`,
    ...extra,
  };
}

describe('network guard (loopback-only.mjs)', () => {
  before(async () => {
    await import('./support/loopback-only.mjs'); // already preloaded by `npm test`; idempotent
  });

  it('refuses https://management.azure.com before any DNS lookup', async () => {
    const error: unknown = await fetch('https://management.azure.com/subscriptions').then(
      () => assert.fail('fetch reached management.azure.com'),
      (failure: unknown) => failure,
    );
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    assert.equal(cause?.code, 'ERR_NETWORK_GUARD');
    assert.match(cause?.message ?? '', GUARD_MESSAGE);
    assert.match(cause?.message ?? '', /management\.azure\.com:443/);
  });

  it('refuses the managed identity endpoint 169.254.169.254:80', async () => {
    const error = await connectionError(() => net.connect(80, '169.254.169.254'));
    assert.equal(error.code, 'ERR_NETWORK_GUARD');
    assert.match(error.message, /169\.254\.169\.254:80/);
  });

  it('refuses http://10.0.0.1 through the http client', async () => {
    const error = await new Promise<Error>((resolve, reject) => {
      http
        .get('http://10.0.0.1/metadata', () => reject(new Error('got a response')))
        .on('error', resolve);
    });
    assert.match(error.message, GUARD_MESSAGE);
    assert.match(error.message, /10\.0\.0\.1:80/);
  });

  it('records every refusal', () => {
    const hosts = refusedConnections().map((attempt) => `${attempt.host}:${attempt.port}`);
    for (const target of ['management.azure.com:443', '169.254.169.254:80', '10.0.0.1:80']) {
      assert.ok(hosts.includes(target), `${target} not in ${hosts.join(', ')}`);
    }
  });

  it('allows 127.0.0.1, localhost and unix-domain sockets', async () => {
    const server = http.createServer((_request, response) => response.end('loopback ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await response.text(), 'loopback ok');
      const viaName = await fetch(`http://localhost:${port}/`);
      assert.equal(await viaName.text(), 'loopback ok');
    } finally {
      server.close();
    }

    const socketPath = join(scratch, 'ipc.sock');
    const ipc = net.createServer((socket) => socket.end('ipc ok'));
    await new Promise<void>((resolve) => ipc.listen(socketPath, resolve));
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        net
          .connect(socketPath)
          .on('data', (data) => resolve(String(data)))
          .on('error', reject);
      });
      assert.equal(reply, 'ipc ok');
    } finally {
      ipc.close();
    }
  });

  it('guards a child through NODE_OPTIONS and logs to NETWORK_GUARD_LOG', async () => {
    const log = join(scratch, 'guard.log');
    const probe = [
      "const r = await fetch('https://login.microsoftonline.com/x').catch((e) => e.cause);",
      'console.log(r.code);',
    ].join('\n');
    const result = await runNode(
      ['--input-type=module', '-e', probe],
      guardEnv({ NETWORK_GUARD_LOG: log }),
    );
    assert.equal(result.stdout.trim(), 'ERR_NETWORK_GUARD', result.stderr);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(
      { host: JSON.parse(lines[0] ?? '').host, port: JSON.parse(lines[0] ?? '').port },
      { host: 'login.microsoftonline.com', port: '443' },
    );
  });
});

describe('fake az', () => {
  const getToken = [
    "import { AzureCliCredential } from '@azure/identity';",
    'try {',
    "  const token = await new AzureCliCredential().getToken('https://management.azure.com/.default');",
    '  console.log(JSON.stringify(token));',
    '} catch (error) {',
    '  console.log(JSON.stringify({ error: error.name, message: error.message }));',
    '}',
  ].join('\n');

  function credentialInChild(env: Record<string, string>) {
    return runNode(
      ['--input-type=module', '-e', getToken],
      guardEnv({ PATH: `${FAKE_AZ_DIR}${delimiter}${process.env.PATH}`, ...env }),
    );
  }

  it('prints a token the real AzureCliCredential accepts, and logs the call', async () => {
    const azLog = join(scratch, 'az.log');
    const before = Date.now();
    const result = await credentialInChild({
      FAKE_AZ_ACCESS_TOKEN: 'harness-access-token',
      FAKE_AZ_LOG: azLog,
    });
    const after = Date.now();
    const token = JSON.parse(result.stdout) as { token: string; expiresOnTimestamp: number };
    assert.equal(token.token, 'harness-access-token', result.stderr);
    // An hour from when az ran, which is somewhere between before and after (a loaded machine
    // can take seconds to start a process): no bound on how long that took.
    const expires = token.expiresOnTimestamp;
    assert.ok(
      expires > before + 3500_000 && expires <= after + 3601_000,
      `expires ${expires - before} ms after the call started, ${after - before} ms call`,
    );
    const calls = readFileSync(azLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(calls, [
      [
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'https://management.azure.com',
      ],
    ]);
  });

  it('fetches the token from a token endpoint with client credentials', async () => {
    const requests: { url: string; body: URLSearchParams }[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        requests.push({ url: request.url ?? '', body: new URLSearchParams(body) });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ access_token: 'endpoint-token', expires_in: 600 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const result = await credentialInChild({
        FAKE_AZ_TOKEN_URL: `http://127.0.0.1:${port}/{tenant}/oauth2/v2.0/token`,
        FAKE_AZ_TENANT_ID: 'tenant-under-test',
        FAKE_AZ_CLIENT_ID: 'client-under-test',
        FAKE_AZ_CLIENT_SECRET: 'client-secret-under-test',
      });
      assert.equal(JSON.parse(result.stdout).token, 'endpoint-token', result.stderr);
      assert.equal(requests[0]?.url, '/tenant-under-test/oauth2/v2.0/token');
      assert.equal(requests[0]?.body.get('grant_type'), 'client_credentials');
      assert.equal(requests[0]?.body.get('scope'), 'https://management.azure.com/.default');
    } finally {
      server.close();
    }
  });

  it("with FAKE_AZ_FAIL=1 makes the credential ask for 'az login'", async () => {
    const result = await credentialInChild({ FAKE_AZ_FAIL: '1' });
    const outcome = JSON.parse(result.stdout) as { error: string; message: string };
    assert.equal(outcome.error, 'CredentialUnavailableError');
    assert.match(outcome.message, /az login/);
  });

  it('with FAKE_AZ_MISSING=1 looks like no Azure CLI at all', async () => {
    const result = await credentialInChild({ FAKE_AZ_MISSING: '1' });
    const outcome = JSON.parse(result.stdout) as { error: string; message: string };
    assert.equal(outcome.error, 'CredentialUnavailableError');
    assert.match(outcome.message, /Azure CLI could not be found/);
  });
});

describe('workflow command parsing', () => {
  it('reads GITHUB_OUTPUT heredocs exactly as @actions/core writes them', () => {
    const outputFile = join(scratch, 'github-output');
    writeFileSync(outputFile, '');
    const saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = outputFile;
    try {
      core.setOutput('rotated', true);
      core.setOutput('regenerated-keys', 'key1\nkey2');
      core.setOutput('report-path', '/tmp/report with spaces.json');
      core.setOutput('datastores-failed', '');
    } finally {
      if (saved === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = saved;
    }
    assert.match(readFileSync(outputFile, 'utf8'), /^rotated<<ghadelimiter_/);
    assert.deepEqual(parseFileCommandOutputs(readFileSync(outputFile, 'utf8')), {
      rotated: 'true',
      'regenerated-keys': 'key1\nkey2',
      'report-path': '/tmp/report with spaces.json',
      'datastores-failed': '',
    });
  });

  it('reads name=value lines, later values win, and an unclosed heredoc fails', () => {
    assert.deepEqual(parseFileCommandOutputs('a=1\nb=x=y\r\na=2\n'), { a: '2', b: 'x=y' });
    assert.throws(() => parseFileCommandOutputs('a<<EOF\nvalue\n'), /never closed/);
  });

  it('reads annotations with their properties and masks', () => {
    const log = [
      '::group::Discover',
      '::error file=src/a.ts,line=3,title=Key%3A not found::first%0Asecond 100%25',
      '::warning::careful',
      '::notice title=Dry run::nothing changed',
      '::add-mask::hidden%25value',
      '::endgroup::',
    ].join('\n');
    assert.deepEqual(parseAnnotations(log), [
      {
        level: 'error',
        message: 'first\nsecond 100%',
        properties: { file: 'src/a.ts', line: '3', title: 'Key: not found' },
      },
      { level: 'warning', message: 'careful', properties: {} },
      { level: 'notice', message: 'nothing changed', properties: { title: 'Dry run' } },
    ]);
    assert.deepEqual(parseMaskedValues(log), ['hidden%value']);
  });
});

describe('assertNoSecrets', () => {
  // Made up per run, never stored: shaped like a key, with characters URL encoding changes.
  const secret = `Hx+${randomBytes(60).toString('base64')}/Qz==`;
  const clean: LeakSurfaces = {
    stdout: 'nothing to see',
    stderr: '',
    summary: '# Rotation',
    outputs: { rotated: 'true' },
    files: { 'report.json': '{}' },
  };

  it('passes when no secret appears, and ignores ::add-mask:: lines', () => {
    assertNoSecrets({ ...clean, stdout: `::add-mask::${secret}\nok` }, [secret]);
  });

  it('catches the whole secret and names the stream, not the value', () => {
    const run = { ...clean, summary: `key: ${secret}` };
    assert.throws(
      () => assertNoSecrets(run, ['unrelated-secret-value-here', secret]),
      (error: Error) => {
        assert.match(error.message, /secret #1 found in job summary \(whole value\)/);
        assert.ok(!error.message.includes(secret.slice(0, 20)));
        return true;
      },
    );
  });

  it('catches the URL-encoded form', () => {
    const run = { ...clean, files: { 'logs/request.txt': `?key=${encodeURIComponent(secret)}` } };
    assert.deepEqual(findLeaks(run, [secret]), [
      { secretIndex: 0, stream: 'file logs/request.txt', form: 'url-encoded' },
    ]);
    assert.throws(() => assertNoSecrets(run, [secret]), /URL-encoded/);
  });

  it('catches a 20-character fragment of a truncated key', () => {
    const run = { ...clean, outputs: { 'active-key': `${secret.slice(7, 27)}…` } };
    assert.deepEqual(findLeaks(run, [secret]), [
      { secretIndex: 0, stream: "output 'active-key'", form: 'fragment' },
    ]);
    const nineteen = { ...clean, stderr: secret.slice(7, 26) };
    assert.deepEqual(findLeaks(nineteen, [secret]), []);
  });
});

describe('action.yml inputs', () => {
  it('reads names and scalar defaults the way the runner applies them', () => {
    const yml = join(scratch, 'action.yml');
    writeFileSync(
      yml,
      [
        'name: x',
        'inputs:',
        '  workspace:',
        '    description: >-',
        '      default: is not a key here',
        '    required: true',
        "  'dry-run':",
        "    default: 'false' # a comment",
        '  audience:',
        '    default: "api://AzureADTokenExchange"',
        '  concurrency:',
        '    default: 8',
        'outputs:',
        '  rotated:',
        '    description: y',
      ].join('\n'),
    );
    assert.deepEqual(readDeclaredInputs(yml), [
      { name: 'workspace' },
      { name: 'dry-run', default: 'false' },
      { name: 'audience', default: 'api://AzureADTokenExchange' },
      { name: 'concurrency', default: '8' },
    ]);
  });

  it("the repository's action.yml declares every input the harness knows", () => {
    const names = readDeclaredInputs(ACTION_METADATA)?.map((input) => input.name);
    assert.deepEqual(names?.sort(), [...ACTION_INPUTS].sort());
  });
});

describe('runner environment', () => {
  const endpoint: AzureEndpoint = {
    url: 'https://127.0.0.1:1',
    caFile: join(REPO_ROOT, 'package.json'),
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    tenantId: '00000000-0000-4000-8000-000000000002',
  };

  it('builds the env from scratch, like a runner', () => {
    const leaked = ['AZURE_CLIENT_SECRET', 'IDENTITY_ENDPOINT', 'ACTIONS_RUNTIME_TOKEN'];
    for (const name of leaked) process.env[name] = 'from-the-parent';
    try {
      const workspace = createRunnerWorkspace({
        emulator: endpoint,
        inputs: { 'resource-group': 'rg-ml', workspace: 'ws-prod' },
      });
      try {
        const { env } = workspace;
        for (const name of leaked) assert.equal(env[name], undefined, name);
        assert.equal(env['INPUT_RESOURCE-GROUP'], 'rg-ml');
        assert.equal(env['INPUT_DRY-RUN'], 'false', 'the default from action.yml');
        assert.equal(env['INPUT_ARM-ENDPOINT'], endpoint.url);
        assert.equal(env.AZURE_SUBSCRIPTION_ID, endpoint.subscriptionId);
        assert.ok(env.PATH?.startsWith(`${FAKE_AZ_DIR}${delimiter}`));
        assert.ok(env.GITHUB_OUTPUT?.startsWith(workspace.runnerTemp));
        assert.ok(env.GITHUB_STEP_SUMMARY?.startsWith(workspace.runnerTemp));
        assert.equal(env.NODE_EXTRA_CA_CERTS, endpoint.caFile);
        assert.match(env.NODE_OPTIONS ?? '', /^--import=file:\/\/.*loopback-only\.mjs$/);
      } finally {
        workspace.dispose();
      }
    } finally {
      for (const name of leaked) delete process.env[name];
    }
  });

  it('sets up each login mode', () => {
    const env = (login: 'service-principal' | 'oidc' | 'none') => {
      const workspace = createRunnerWorkspace({ emulator: endpoint, inputs: {}, login });
      workspace.dispose();
      return workspace.env;
    };
    const servicePrincipal = env('service-principal');
    assert.equal(servicePrincipal.AZURE_AUTHORITY_HOST, endpoint.url);
    assert.equal(servicePrincipal.AZURE_TENANT_ID, endpoint.tenantId);
    assert.ok(servicePrincipal.AZURE_CLIENT_SECRET);
    assert.equal(servicePrincipal.FAKE_AZ_MISSING, '1');
    const oidc = env('oidc');
    assert.equal(oidc['INPUT_TENANT-ID'], endpoint.tenantId);
    assert.ok(oidc['INPUT_CLIENT-ID']);
    assert.equal(
      oidc.ACTIONS_ID_TOKEN_REQUEST_URL,
      `${endpoint.url}/_github/idtoken?api-version=2.0`,
    );
    assert.equal(oidc.AZURE_CLIENT_SECRET, undefined);
    assert.equal(env('none').FAKE_AZ_MISSING, '1');
  });

  it('runs a script as the step and reads back outputs, summary, files and refusals', async () => {
    const stub = join(scratch, 'stub-action.mjs');
    writeFileSync(
      stub,
      [
        "import { appendFileSync, writeFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        'const env = process.env;',
        "const report = join(env.RUNNER_TEMP, 'report.json');",
        'writeFileSync(report, JSON.stringify({ workspace: env["INPUT_WORKSPACE"] }));',
        'appendFileSync(env.GITHUB_OUTPUT, `report-path<<EOF\\n${report}\\nEOF\\nrotated=false\\n`);',
        "appendFileSync(env.GITHUB_STEP_SUMMARY, '# Dry run\\n');",
        "await fetch('https://169.254.169.254/metadata').catch(() => undefined);",
        "console.log('::warning title=Inherited::' + (env.AZURE_CLIENT_SECRET ?? 'none'));",
        'process.exitCode = 3;',
      ].join('\n'),
    );
    const run = await runAction({
      emulator: endpoint,
      inputs: { workspace: 'ws-prod' },
      entry: stub,
    });
    assert.equal(run.exitCode, 3, run.stderr);
    assert.deepEqual(run.report, { workspace: 'ws-prod' });
    assert.equal(run.outputs.rotated, 'false');
    assert.equal(run.summary, '# Dry run\n');
    assert.ok(Object.keys(run.files).includes('report.json'));
    assert.deepEqual(run.annotations, [
      { level: 'warning', message: 'none', properties: { title: 'Inherited' } },
    ]);
    assert.deepEqual(
      run.refusedConnections.map((attempt) => `${attempt.host}:${attempt.port}`),
      ['169.254.169.254:443'],
    );
    assert.match(run.allText(), /# Dry run/);
  });

  it('kills a step that runs past its timeout', async () => {
    const stub = join(scratch, 'hanging-action.mjs');
    writeFileSync(stub, 'setInterval(() => {}, 1000);\n');
    await assert.rejects(
      runAction({ emulator: endpoint, inputs: {}, entry: stub, timeoutMs: 300 }),
      /did not exit within 300 ms/,
    );
  });

  it('lets a hook kill the step mid-run', async () => {
    const stub = join(scratch, 'slow-action.mjs');
    const marker = join(scratch, 'slow-action.started');
    writeFileSync(
      stub,
      [
        "import { writeFileSync } from 'node:fs';",
        `writeFileSync(${JSON.stringify(marker)}, '');`,
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const run = await runAction({
      emulator: endpoint,
      inputs: {},
      entry: stub,
      killAfter: async (child, exited) => {
        await waitFor('the step to start', () => existsSync(marker), { signal: exited });
        child.kill('SIGKILL');
      },
    });
    assert.equal(run.signal, 'SIGKILL');
  });
});

describe('login plumbing against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ scenario: 'sample' });
  });
  after(() => emulator.stop());

  /** Runs a module in the env a step would get: its last stdout line, and refused connections. */
  async function inStepEnv(login: LoginMode, code: string) {
    const workspace = createRunnerWorkspace({ emulator, inputs: {}, login });
    try {
      const result = await runNode(['--input-type=module', '-e', code], workspace.env);
      assert.equal(result.code, 0, result.stderr);
      const refused = existsSync(workspace.networkGuardLog)
        ? readFileSync(workspace.networkGuardLog, 'utf8')
        : '';
      return { lastLine: result.stdout.trim().split('\n').at(-1) ?? '', refused };
    } finally {
      workspace.dispose();
    }
  }

  const issuedTokens = () => emulator.tokenRequests().map((request) => request.accessToken);

  it('cli: the fake az session hands out tokens the emulator issued', async () => {
    const { lastLine: token, refused } = await inStepEnv(
      'cli',
      [
        "import { AzureCliCredential } from '@azure/identity';",
        "const token = await new AzureCliCredential().getToken('https://management.azure.com/.default');",
        'console.log(token.token);',
      ].join('\n'),
    );
    assert.ok(issuedTokens().includes(token));
    assert.equal(refused, '');
  });

  it('service-principal: EnvironmentCredential signs in at the emulator', async () => {
    const { lastLine: token, refused } = await inStepEnv(
      'service-principal',
      [
        "import { EnvironmentCredential } from '@azure/identity';",
        'const credential = new EnvironmentCredential({',
        '  authorityHost: process.env.AZURE_AUTHORITY_HOST,',
        '  disableInstanceDiscovery: true,',
        '});',
        "const token = await credential.getToken('https://management.azure.com/.default');",
        'console.log(token.token);',
      ].join('\n'),
    );
    assert.ok(issuedTokens().includes(token));
    assert.equal(refused, '');
  });

  it("refuses MSAL's instance discovery at login.microsoftonline.com", async () => {
    const { lastLine, refused } = await inStepEnv(
      'service-principal',
      [
        "import { EnvironmentCredential } from '@azure/identity';",
        "await new EnvironmentCredential().getToken('https://management.azure.com/.default').then(",
        "  () => console.log('signed in'),",
        "  () => console.log('refused'),",
        ');',
      ].join('\n'),
    );
    assert.equal(lastLine, 'refused');
    assert.match(refused, /"host":"login\.microsoftonline\.com","port":"443"/);
  });

  it('oidc: @actions/core gets a GitHub ID token from the stand-in', async () => {
    const { lastLine: idToken, refused } = await inStepEnv(
      'oidc',
      [
        "import * as core from '@actions/core';",
        "console.log(await core.getIDToken('api://AzureADTokenExchange'));",
      ].join('\n'),
    );
    const request = emulator.idTokenRequests().at(-1);
    assert.equal(request?.token, idToken);
    assert.equal(request?.audience, 'api://AzureADTokenExchange');
    assert.equal(refused, '');
  });
});
