import * as core from '@actions/core';
import type { Cloud } from '../azure/cloud.js';
import {
  looksLikeResourceId,
  parseResourceId,
  STORAGE,
  subscriptionOf,
  WORKSPACES,
  type ResourceRef,
} from '../util/resource-id.js';
import { SAS_CHOICES, type SasChoice } from '../plan/sas.js';
import { withoutSecretValues } from './input-secrets.js';
import { parseGracePeriod, parseKeyVaults, type KeyVaultInput } from './key-vaults.js';
import { parseRefreshApps } from './refresh-apps.js';
import {
  DEFAULT_RESYNC_TIMEOUT_MINUTES,
  GUID,
  RESOURCE_GROUP,
  parseBoolean,
  parseChoice,
  parseCloud,
  parseConcurrency,
  parseKeyUsageDays,
  parseRequireUnusedDays,
  parseLogin,
  parseOptionalNumber,
  parsePositive,
} from './input-values.js';
import type { Login } from '../azure/credential.js';
import { maskSecret } from '../util/secrets.js';

const SAS_MEANINGS =
  'warn: rotate and name the SAS consumers it breaks; skip-keys: never regenerate a key that signs a live SAS token; renew: re-issue those tokens with the key the other consumers end on';

export const KEY_NAME_CHOICES = ['auto', 'key1', 'key2', 'both', 'none'] as const;
export type KeyNameChoice = (typeof KEY_NAME_CHOICES)[number];

/** `rotate`: rotate one account's key; `inventory`: only list a subscription's accounts (read-only). */
export const MODE_CHOICES = ['rotate', 'inventory'] as const;
export type Mode = (typeof MODE_CHOICES)[number];

/** `issue`: open, comment on and close a GitHub issue per storage account (see notify.ts). */
export const NOTIFY_CHOICES = ['none', 'issue'] as const;
export type NotifyChoice = (typeof NOTIFY_CHOICES)[number];

/** `all`: every workspace the login can see in the subscription (or in resource-group, if given). */
export type WorkspaceScope =
  | { kind: 'all'; subscriptionId: string; resourceGroup?: string }
  | { kind: 'list'; workspaces: ResourceRef[] };

export interface Inputs {
  workspaces: WorkspaceScope;
  storageAccount: ResourceRef;
  dryRun: boolean;
  keyName: KeyNameChoice;
  maxKeyAgeDays?: number;
  /** Regenerate a key although consumers outside the named workspaces hold it (they break). */
  allowOutsideBreakage: boolean;
  /** Accept that a workspace's own copy may hold a dead key until the resync after a regeneration. */
  allowWorkspaceOutage: boolean;
  /** SAS tokens a regenerated key signed: warn, skip-keys (never break one) or renew (re-issue). */
  sas: SasChoice;
  /** The look-back window of the key-usage evidence from the storage logs, in days. */
  keyUsageDays: number;
  /** Regenerate a key only after this many days without a managed holder or a logged request. */
  requireUnusedDays?: number;
  concurrency: number;
  /** How long one resync (a long-running operation) may take before the run stops waiting. */
  resyncTimeoutMinutes?: number;
  cloud: Cloud;
  login: Login;
  notify: NotifyChoice;
  /** For notify: issue; masked on arrival. */
  githubToken: string;
  /** Key Vaults (and secrets in them) whose secrets holding the account's key are re-keyed too. */
  keyVaults?: KeyVaultInput[];
  /** Hours a key a Key Vault secret moved off is kept, from the secret's new version (default 24). */
  gracePeriodHours?: number;
  /** App Service / Functions apps whose Key Vault references are refreshed after secrets moved. */
  refreshApps?: ResourceRef[];
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
  }
}

const WORKSPACE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const STORAGE_NAME = /^[a-z0-9]{3,24}$/;

export type InputReader = (name: string) => string;

/** Reads every input through @actions/core; nothing else in the action calls core.getInput. */
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const inputs = parseInputs((name) => core.getInput(name), env);
  maskSecret(inputs.githubToken);
  return inputs;
}

/** Validates every input into one typed object, or throws one InputError naming each problem. */
export function parseInputs(readInput: InputReader, env: NodeJS.ProcessEnv = process.env): Inputs {
  const problems: string[] = [];
  const guard = withoutSecretValues(readInput);
  const read = guard.read;
  const get = (name: string) => read(name).trim();

  const resourceGroup = get('resource-group');
  if (resourceGroup && !RESOURCE_GROUP.test(resourceGroup)) {
    problems.push(`resource-group '${resourceGroup}' is not a valid resource group name.`);
  }

  const accountInput = get('storage-account');
  const accountGroup = get('storage-account-resource-group') || resourceGroup;
  const workspaceLines = read('workspace')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

  const explicitSubscription = get('subscription-id') || env.AZURE_SUBSCRIPTION_ID?.trim() || '';
  const idSubscription = [accountInput, ...workspaceLines]
    .filter(looksLikeResourceId)
    .map(subscriptionOf)
    .find((s) => s !== '');
  const subscriptionId = explicitSubscription || idSubscription || '';
  if (!subscriptionId) {
    problems.push(
      'subscription-id is required: set the input or AZURE_SUBSCRIPTION_ID, or give a resource ID.',
    );
  } else if (!GUID.test(subscriptionId)) {
    problems.push(`subscription-id '${subscriptionId}' is not a subscription ID (a GUID).`);
  }

  const storageAccount = parseStorageAccount(accountInput, accountGroup, subscriptionId, problems);
  const workspaces = parseWorkspaces(workspaceLines, resourceGroup, subscriptionId, problems);

  const dryRun = parseBoolean('dry-run', get('dry-run'), false, problems);
  const keyName = parseChoice('key-name', get('key-name'), KEY_NAME_CHOICES, 'auto', problems);
  const maxKeyAgeDays = parseOptionalNumber('max-key-age-days', get('max-key-age-days'), problems);
  const allowOutsideBreakage = parseBoolean(
    'allow-outside-breakage',
    get('allow-outside-breakage'),
    false,
    problems,
  );
  const allowWorkspaceOutage = parseBoolean(
    'allow-workspace-outage',
    get('allow-workspace-outage'),
    true,
    problems,
  );
  const sas = parseChoice('sas', get('sas'), SAS_CHOICES, 'warn', problems, SAS_MEANINGS);
  const keyUsageDays = parseKeyUsageDays(get('key-usage-days'), problems);
  const requireUnusedDays = parseRequireUnusedDays(get('require-unused-days'), problems);
  const concurrency = parseConcurrency(get('concurrency'), problems);
  const resyncTimeoutMinutes =
    parsePositive('resync-timeout-minutes', get('resync-timeout-minutes'), 'minutes', problems) ??
    DEFAULT_RESYNC_TIMEOUT_MINUTES;
  const cloud = parseCloud(get('environment'), get('arm-endpoint'), problems, get('logs-endpoint'));
  const login = parseLogin(get('client-id'), get('tenant-id'), get('audience'), problems);
  const notify = parseChoice('notify', get('notify'), NOTIFY_CHOICES, 'none', problems);
  const keyVaults = parseKeyVaults(read('key-vaults').split(/\r?\n/));
  problems.push(...keyVaults.problems);
  const gracePeriodHours = parseGracePeriod(get('grace-period-hours'), problems);
  const refreshApps = parseRefreshApps(
    read('refresh-apps').split(/\r?\n/),
    keyVaults.vaults.length > 0,
  );
  problems.push(...refreshApps.problems);
  const mode = get('mode').toLowerCase();
  if (mode && !MODE_CHOICES.some((m) => m === mode)) {
    problems.push(`mode '${get('mode')}' is not one of: ${MODE_CHOICES.join(', ')}.`);
  }
  const githubToken = get('github-token');
  if (notify === 'issue' && !githubToken) {
    problems.push(
      "github-token is required when notify is 'issue': leave it unset for the workflow's github.token, or give a token that may write issues.",
    );
  }

  const all = guard.problems(problems);
  if (all.length > 0) throw new InputError(all);
  return {
    workspaces: workspaces!,
    storageAccount: storageAccount!,
    dryRun,
    keyName,
    maxKeyAgeDays,
    allowOutsideBreakage,
    allowWorkspaceOutage,
    sas,
    keyUsageDays,
    requireUnusedDays,
    concurrency,
    resyncTimeoutMinutes,
    cloud: cloud!,
    login,
    notify,
    githubToken,
    keyVaults: keyVaults.vaults,
    gracePeriodHours,
    refreshApps: refreshApps.apps,
  };
}

/** The mode the inputs ask for, as written (validated by getInputs or getInventoryInputs). */
export function requestedMode(): string {
  return core.getInput('mode').trim().toLowerCase() || 'rotate';
}

function parseStorageAccount(
  value: string,
  resourceGroup: string,
  subscriptionId: string,
  problems: string[],
): ResourceRef | undefined {
  if (!value) {
    problems.push('storage-account is required: a storage account name or its ARM resource ID.');
    return undefined;
  }
  if (looksLikeResourceId(value)) {
    const ref = parseResourceId(value, ...STORAGE);
    if (!ref || !validRef(ref, /^[a-z0-9]{3,24}$/i)) {
      problems.push(
        `storage-account '${value}' is not a storage account resource ID. Expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{name}.`,
      );
    }
    return ref && { ...ref, name: ref.name.toLowerCase() };
  }
  if (!STORAGE_NAME.test(value)) {
    problems.push(
      `storage-account '${value}' is not a valid storage account name (3-24 lowercase letters and digits).`,
    );
    return undefined;
  }
  if (!resourceGroup) {
    problems.push(
      'storage-account-resource-group (or resource-group) is required when storage-account is a name, not a resource ID.',
    );
    return undefined;
  }
  return { subscriptionId, resourceGroup, name: value };
}

function parseWorkspaces(
  lines: string[],
  resourceGroup: string,
  subscriptionId: string,
  problems: string[],
): WorkspaceScope | undefined {
  if (lines.length === 0) {
    problems.push(
      "workspace is required: one or more workspace names (one per line), ARM resource IDs, or '*'.",
    );
    return undefined;
  }
  if (lines.includes('*')) {
    if (lines.length > 1) {
      problems.push("workspace: '*' means every workspace and cannot be combined with names.");
      return undefined;
    }
    return { kind: 'all', subscriptionId, resourceGroup: resourceGroup || undefined };
  }
  const workspaces: ResourceRef[] = [];
  for (const line of lines) {
    if (looksLikeResourceId(line)) {
      const ref = parseResourceId(line, ...WORKSPACES);
      if (ref && validRef(ref, WORKSPACE_NAME)) workspaces.push(ref);
      else {
        problems.push(
          `workspace '${line}' is not a workspace resource ID. Expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}.`,
        );
      }
    } else if (!WORKSPACE_NAME.test(line)) {
      problems.push(
        `workspace '${line}' is not a valid workspace name (3-33 letters, digits, '-' or '_', starting with a letter or digit).`,
      );
    } else if (!resourceGroup) {
      problems.push(
        `resource-group is required for workspace '${line}' (or give the workspace as a resource ID).`,
      );
    } else {
      workspaces.push({ subscriptionId, resourceGroup, name: line });
    }
  }
  const seen = new Set<string>();
  const unique = workspaces.filter((ws) => {
    const key = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.name}`.toLowerCase();
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { kind: 'list', workspaces: unique };
}

/** Every part of a resource ID follows the same rules as the plain inputs. */
function validRef(ref: ResourceRef, name: RegExp): boolean {
  return (
    GUID.test(ref.subscriptionId) && RESOURCE_GROUP.test(ref.resourceGroup) && name.test(ref.name)
  );
}
