// The inputs of `mode: inventory`: a subscription to list, and how to log in and judge key ages.
import * as core from '@actions/core';
import type { Cloud } from '../azure/cloud.js';
import type { Login } from '../azure/credential.js';
import {
  GUID,
  parseCloud,
  parseConcurrency,
  parseLogin,
  parseOptionalNumber,
  RESOURCE_GROUP,
} from './input-values.js';
import { InputError, type InputReader } from './inputs.js';
import { parseKeyVaults, type KeyVaultInput } from './key-vaults.js';

/** What `mode: inventory` needs: the subscription, and how to log in and judge key ages. */
export interface InventoryInputs {
  subscriptionId: string;
  /** Only the workspaces of this resource group; every workspace of the subscription otherwise. */
  resourceGroup?: string;
  maxKeyAgeDays?: number;
  concurrency: number;
  cloud: Cloud;
  login: Login;
  /** Key Vaults (and secrets in them) to look in for the accounts' keys: the rotation's syntax. */
  keyVaults: KeyVaultInput[];
}

export function getInventoryInputs(env: NodeJS.ProcessEnv = process.env): InventoryInputs {
  return parseInventoryInputs((name) => core.getInput(name), env);
}

/**
 * The inputs of `mode: inventory`. Rotation inputs (storage-account, workspace, dry-run, key-name,
 * …) are not read: an inventory changes nothing and covers every account of the subscription.
 */
export function parseInventoryInputs(
  read: InputReader,
  env: NodeJS.ProcessEnv = process.env,
): InventoryInputs {
  const problems: string[] = [];
  const get = (name: string) => read(name).trim();
  const subscriptionId = get('subscription-id') || env.AZURE_SUBSCRIPTION_ID?.trim() || '';
  if (!subscriptionId) {
    problems.push('subscription-id is required: set the input or AZURE_SUBSCRIPTION_ID.');
  } else if (!GUID.test(subscriptionId)) {
    problems.push(`subscription-id '${subscriptionId}' is not a subscription ID (a GUID).`);
  }
  const resourceGroup = get('resource-group');
  if (resourceGroup && !RESOURCE_GROUP.test(resourceGroup)) {
    problems.push(`resource-group '${resourceGroup}' is not a valid resource group name.`);
  }
  const maxKeyAgeDays = parseOptionalNumber('max-key-age-days', get('max-key-age-days'), problems);
  const concurrency = parseConcurrency(get('concurrency'), problems);
  const cloud = parseCloud(get('environment'), get('arm-endpoint'), problems);
  const login = parseLogin(get('client-id'), get('tenant-id'), get('audience'), problems);
  const keyVaults = parseKeyVaults(read('key-vaults').split(/\r?\n/));
  problems.push(...keyVaults.problems);
  if (problems.length > 0) throw new InputError(problems);
  return {
    subscriptionId,
    resourceGroup: resourceGroup || undefined,
    maxKeyAgeDays,
    concurrency,
    cloud: cloud!,
    login,
    keyVaults: keyVaults.vaults,
  };
}
