import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readDeclaredInputs } from './action-metadata.js';
import { ACTION_METADATA, ACTION_NODE, FAKE_AZ_DIR, NETWORK_GUARD_MODULE } from './paths.js';

/** What the harness needs to know about the Azure it points the action at (the emulator). */
export interface AzureEndpoint {
  url: string;
  caFile: string;
  subscriptionId: string;
  tenantId: string;
  /** GitHub's ID-token endpoint stand-in; default `<url>/_github/idtoken?api-version=2.0`. */
  idTokenRequestUrl?: string;
  /** GitHub's REST API stand-in (GITHUB_API_URL); default `<url>/_github/api`. */
  githubApiUrl?: string;
}

/**
 * How the job logged in before the action's step:
 * - `cli`: azure/login left an Azure CLI session (the fake `az` is on PATH);
 * - `service-principal`: AZURE_CLIENT_ID / AZURE_CLIENT_SECRET / AZURE_TENANT_ID in the env;
 * - `oidc`: the action's own client-id / tenant-id inputs and GitHub's ID-token endpoint;
 * - `none`: nothing.
 * Only `cli` has a working `az`; every other mode shadows any real one with a missing `az`.
 */
export type LoginMode = 'cli' | 'service-principal' | 'oidc' | 'none';

export interface ServicePrincipal {
  clientId: string;
  clientSecret: string;
}

export interface RunnerOptions {
  emulator: AzureEndpoint;
  /** Action inputs by their action.yml names; action.yml defaults fill in the rest. */
  inputs: Record<string, string>;
  /** Extra environment for the step; `undefined` removes a variable the harness would set. */
  env?: Record<string, string | undefined>;
  login?: LoginMode;
  /** The app registration used by `service-principal`, `oidc` and the fake az session. */
  servicePrincipal?: ServicePrincipal;
  /** The job's `github.token`; default a fresh made-up one per run. */
  githubToken?: string;
}

/** The directories and files a runner prepares for one step, and the step's environment. */
export interface RunnerWorkspace {
  /** Holds everything below; removed by dispose(). */
  root: string;
  runnerTemp: string;
  workspaceDir: string;
  outputFile: string;
  summaryFile: string;
  eventFile: string;
  /** Lines of refused connections, written by the network guard in every process of the step. */
  networkGuardLog: string;
  /** One JSON array of arguments per `az` call. */
  azCallLog: string;
  /** The job's `github.token`, as `${{ github.token }}` in action.yml evaluates. */
  githubToken: string;
  env: Record<string, string>;
  dispose(): void;
}

/** Parent variables a step may see; everything else (AZURE_*, ACTIONS_*, GITHUB_*, …) is dropped. */
const INHERITED_VARIABLES = ['PATH', 'HOME', 'TMPDIR'] as const;

const DEFAULT_SERVICE_PRINCIPAL: ServicePrincipal = {
  clientId: '00000000-0000-4000-8000-00000000c11e',
  clientSecret: 'emulated-client-secret-not-a-real-one',
};

/** The variable @actions/core reads an input from: `INPUT_` + name uppercased, spaces → `_`. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Lays out RUNNER_TEMP, the file-command files and the step's environment, like a runner does. */
export function createRunnerWorkspace(options: RunnerOptions): RunnerWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'aml-action-'));
  const runnerTemp = join(root, 'runner-temp');
  const fileCommands = join(runnerTemp, '_runner_file_commands');
  const workspaceDir = join(root, 'workspace');
  const workflowDir = join(root, 'workflow');
  for (const dir of [fileCommands, workspaceDir, workflowDir]) mkdirSync(dir, { recursive: true });

  const fileCommand = (kind: string) => {
    const file = join(fileCommands, `${kind}_${randomUUID()}`);
    writeFileSync(file, '');
    return file;
  };
  const outputFile = fileCommand('set_output');
  const summaryFile = fileCommand('step_summary');
  const eventFile = join(workflowDir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(workflowDispatchEvent(options.inputs), null, 2));
  const workspace = {
    root,
    runnerTemp,
    workspaceDir,
    outputFile,
    summaryFile,
    eventFile,
    networkGuardLog: join(root, 'network-guard.log'),
    azCallLog: join(root, 'az-calls.log'),
    githubToken: options.githubToken ?? `ghs_emulated${randomUUID().replace(/-/g, '')}`,
  };

  const env: Record<string, string> = {
    ...inheritedVariables(),
    ...runnerVariables(workspace, fileCommand),
    ...githubVariables(options.emulator),
    ...toolingVariables(options.emulator, workspace),
    ...loginVariables(options, workspace),
    AZURE_SUBSCRIPTION_ID: options.emulator.subscriptionId,
    ...inputVariables(options, { 'github.token': workspace.githubToken }),
  };
  applyOverrides(env, options.env ?? {});

  return {
    ...workspace,
    env,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

function inheritedVariables(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function runnerVariables(
  workspace: Pick<
    RunnerWorkspace,
    'runnerTemp' | 'workspaceDir' | 'outputFile' | 'summaryFile' | 'eventFile'
  >,
  fileCommand: (kind: string) => string,
): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKFLOW: 'Rotate ML storage keys',
    GITHUB_RUN_ID: '9000000001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'rotate',
    GITHUB_ACTION: 'rotate',
    GITHUB_ACTOR: 'platform-bot',
    GITHUB_REPOSITORY: 'contoso/ml-platform',
    GITHUB_REPOSITORY_OWNER: 'contoso',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: workspace.eventFile,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKSPACE: workspace.workspaceDir,
    GITHUB_OUTPUT: workspace.outputFile,
    GITHUB_STEP_SUMMARY: workspace.summaryFile,
    GITHUB_ENV: fileCommand('set_env'),
    GITHUB_PATH: fileCommand('add_path'),
    GITHUB_STATE: fileCommand('save_state'),
    RUNNER_TEMP: workspace.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'emulated-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
}

/** GitHub itself is the emulator's stand-in, so nothing reaches the real one (loopback only). */
function githubVariables(emulator: AzureEndpoint): Record<string, string> {
  const api = emulator.githubApiUrl ?? `${emulator.url}/_github/api`;
  return {
    GITHUB_SERVER_URL: `${emulator.url}/_github`,
    GITHUB_API_URL: api,
    GITHUB_GRAPHQL_URL: `${api}/graphql`,
  };
}

function toolingVariables(
  emulator: AzureEndpoint,
  workspace: Pick<RunnerWorkspace, 'networkGuardLog'>,
): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: emulator.caFile,
    // A file URL, so a path with spaces survives NODE_OPTIONS' word splitting.
    NODE_OPTIONS: `--import=${pathToFileURL(NETWORK_GUARD_MODULE).href}`,
    NETWORK_GUARD_LOG: workspace.networkGuardLog,
  };
}

function loginVariables(
  options: RunnerOptions,
  workspace: Pick<RunnerWorkspace, 'azCallLog'>,
): Record<string, string> {
  const { emulator } = options;
  const login = options.login ?? 'cli';
  const app = options.servicePrincipal ?? DEFAULT_SERVICE_PRINCIPAL;
  const fakeAz = {
    // The fake az is a node script: make sure `env node` finds the node that runs the action.
    PATH: [FAKE_AZ_DIR, dirname(ACTION_NODE), process.env.PATH].filter(Boolean).join(delimiter),
    FAKE_AZ_LOG: workspace.azCallLog,
    FAKE_AZ_SUBSCRIPTION_ID: emulator.subscriptionId,
    FAKE_AZ_TENANT_ID: emulator.tenantId,
  };
  switch (login) {
    case 'cli':
      return {
        ...fakeAz,
        FAKE_AZ_TOKEN_URL: `${emulator.url}/{tenant}/oauth2/v2.0/token`,
        FAKE_AZ_CLIENT_ID: app.clientId,
        FAKE_AZ_CLIENT_SECRET: app.clientSecret,
      };
    case 'service-principal':
      return {
        ...fakeAz,
        FAKE_AZ_MISSING: '1',
        AZURE_CLIENT_ID: app.clientId,
        AZURE_CLIENT_SECRET: app.clientSecret,
        AZURE_TENANT_ID: emulator.tenantId,
        AZURE_AUTHORITY_HOST: emulator.url,
      };
    case 'oidc':
      return {
        ...fakeAz,
        FAKE_AZ_MISSING: '1',
        // GitHub's URL always carries a query; @actions/core appends `&audience=…` to it.
        ACTIONS_ID_TOKEN_REQUEST_URL:
          emulator.idTokenRequestUrl ?? `${emulator.url}/_github/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: `emulated-request-token-${randomUUID()}`,
        AZURE_AUTHORITY_HOST: emulator.url,
        [inputVariableName('client-id')]: app.clientId,
        [inputVariableName('tenant-id')]: emulator.tenantId,
      };
    case 'none':
      return { ...fakeAz, FAKE_AZ_MISSING: '1' };
  }
}

/**
 * INPUT_* for the test's inputs over action.yml's defaults; `arm-endpoint` and `logs-endpoint` are the emulator's.
 * A default that is an expression (`${{ github.token }}`) gets its value from `context`.
 */
function inputVariables(
  options: RunnerOptions,
  context: Record<string, string>,
): Record<string, string> {
  const declared = readDeclaredInputs(ACTION_METADATA);
  const given: Record<string, string> = {
    'arm-endpoint': options.emulator.url,
    'logs-endpoint': options.emulator.url,
    ...options.inputs,
  };
  if (declared) {
    const names = new Set(declared.map((input) => input.name));
    const unknown = Object.keys(given).filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw new Error(`runAction: action.yml declares no input named ${unknown.join(', ')}`);
    }
  }
  const variables: Record<string, string> = {};
  for (const input of declared ?? []) {
    if (input.default !== undefined)
      variables[inputVariableName(input.name)] = evaluate(input.default, input.name, context);
  }
  for (const [name, value] of Object.entries(given)) variables[inputVariableName(name)] = value;
  return variables;
}

function evaluate(value: string, inputName: string, context: Record<string, string>): string {
  const expression = /^\$\{\{\s*([\w.]+)\s*\}\}$/.exec(value)?.[1];
  if (expression === undefined) return value;
  const known = context[expression];
  if (known === undefined) {
    throw new Error(
      `action.yml: the harness cannot evaluate the default of '${inputName}': ${value}`,
    );
  }
  return known;
}

function applyOverrides(
  env: Record<string, string>,
  overrides: Record<string, string | undefined>,
) {
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
}

function workflowDispatchEvent(inputs: Record<string, string>) {
  return {
    inputs,
    ref: 'refs/heads/main',
    repository: {
      name: 'ml-platform',
      full_name: 'contoso/ml-platform',
      owner: { login: 'contoso' },
    },
    sender: { login: 'platform-bot' },
    workflow: '.github/workflows/rotate-ml-storage-keys.yml',
  };
}
