import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyVaultProblems } from './keyvault/scenario.js';
import { connectionSasProblems, datastoreSasProblems, sasPolicyProblems } from './sas/scenario.js';
import {
  connectionAuthTypes,
  type PutFailure,
  type Scenario,
  type WorkspaceScenario,
} from './scenario-types.js';
import type { BucketSettings } from './throttling.js';

export * from './scenario-types.js';

const scenariosDirectory = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

/** A bare name ("sample") means emulator/scenarios/<name>.json; anything else is a file path. */
export function scenarioPath(nameOrPath: string): string {
  const looksLikePath = nameOrPath.endsWith('.json') || /[\\/]/.test(nameOrPath);
  if (!looksLikePath) return join(scenariosDirectory, `${nameOrPath}.json`);
  return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
}

export function loadScenario(nameOrPath: string): Scenario {
  const path = scenarioPath(nameOrPath);
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
  validateScenario(scenario, path);
  return scenario;
}

export function validateScenario(scenario: Scenario, source = 'scenario'): void {
  const problems: string[] = [];
  if (!scenario.subscriptionId) problems.push('subscriptionId is required');
  if (!scenario.tenantId) problems.push('tenantId is required');
  const accounts = new Set<string>();
  for (const account of scenario.storageAccounts ?? []) {
    const name = account.name?.toLowerCase();
    if (!name || !account.resourceGroup)
      problems.push('a storage account needs name and resourceGroup');
    else if (accounts.has(name)) problems.push(`storage account ${account.name} appears twice`);
    accounts.add(name);
    const days = account.keyPolicy?.keyExpirationPeriodInDays;
    if (account.keyPolicy !== undefined && !(Number.isInteger(days) && (days as number) > 0))
      problems.push(
        `storage account ${account.name}: keyPolicy.keyExpirationPeriodInDays must be a positive integer`,
      );
    problems.push(...sasPolicyProblems(`storage account ${account.name}`, account.sasPolicy));
  }
  const workspaces = new Set<string>();
  for (const workspace of scenario.workspaces ?? []) {
    const name = workspace.name?.toLowerCase();
    if (!name || !workspace.resourceGroup)
      problems.push('a workspace needs name and resourceGroup');
    else if (workspaces.has(name)) problems.push(`workspace ${workspace.name} appears twice`);
    workspaces.add(name);
    if (!accounts.has(workspace.storageAccount?.toLowerCase()))
      problems.push(
        `workspace ${workspace.name}: unknown storageAccount ${workspace.storageAccount}`,
      );
    checkHolds(problems, `workspace ${workspace.name}`, workspace.holds);
    const datastores = new Set<string>();
    for (const datastore of workspace.datastores ?? []) {
      const where = `datastore ${workspace.name}/${datastore.name}`;
      if (!datastore.name || !datastore.datastoreType || !datastore.credentials)
        problems.push(`${where}: name, datastoreType and credentials are required`);
      if (datastores.has(datastore.name?.toLowerCase())) problems.push(`${where} appears twice`);
      datastores.add(datastore.name?.toLowerCase());
      checkHolds(problems, where, datastore.holds);
      checkHolds(problems, where, datastore.signedWith);
      problems.push(...datastoreSasProblems(where, datastore));
      checkWriteFaults(problems, where, datastore.failPut, datastore.loseUpdate);
    }
    checkConnections(problems, workspace);
  }
  problems.push(...keyVaultProblems(scenario.keyVaults, accounts));
  const takes = scenario.resync?.takes;
  if (takes !== undefined && !['key1', 'key2', 'newest', 'oldest', 'unchanged'].includes(takes))
    problems.push(
      `resync.takes must be key1, key2, newest, oldest or unchanged, not ${String(takes)}`,
    );
  for (const field of ['durationMs', 'retryAfterSeconds'] as const) {
    const value = scenario.resync?.[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      problems.push(`resync.${field} must be a whole number ≥ 0, not ${String(value)}`);
  }
  const { global, ...own } = scenario.throttling ?? {};
  checkBuckets(problems, 'throttling', own);
  checkBuckets(problems, 'throttling.global', global ?? {});
  if (problems.length > 0) throw new Error(`Invalid ${source}:\n- ${problems.join('\n- ')}`);
}

function checkBuckets(problems: string[], path: string, buckets: Record<string, BucketSettings>) {
  for (const [kind, bucket] of Object.entries(buckets)) {
    if (!['reads', 'writes', 'deletes'].includes(kind))
      problems.push(`${path}.${kind}: only reads, writes and deletes are metered`);
    else if (!(bucket?.capacity >= 1) || !(bucket?.refillPerSecond > 0))
      problems.push(`${path}.${kind}: capacity must be ≥ 1 and refillPerSecond > 0`);
  }
}

function checkConnections(problems: string[], workspace: WorkspaceScenario): void {
  const names = new Set<string>();
  for (const connection of workspace.connections ?? []) {
    const where = `connection ${workspace.name}/${connection.name}`;
    if (!connection.name || !connection.category || !connection.authType)
      problems.push(`${where}: name, category and authType are required`);
    else if (!connectionAuthTypes.some((known) => sameText(known, connection.authType)))
      problems.push(`${where}: unknown authType ${connection.authType}`);
    if (names.has(connection.name?.toLowerCase())) problems.push(`${where} appears twice`);
    names.add(connection.name?.toLowerCase());
    checkHolds(problems, where, connection.holds);
    checkHolds(problems, where, connection.signedWith);
    problems.push(...connectionSasProblems(where, connection));
    checkWriteFaults(problems, where, connection.failUpdate, connection.loseUpdate);
  }
}

function checkWriteFaults(
  problems: string[],
  where: string,
  failure: PutFailure | undefined,
  loseUpdate: unknown,
): void {
  if (failure !== undefined && (typeof failure.status !== 'number' || !failure.code))
    problems.push(`${where}: a write failure needs a numeric status and a code`);
  if (loseUpdate !== undefined && typeof loseUpdate !== 'boolean')
    problems.push(`${where}: loseUpdate must be true or false`);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function checkHolds(problems: string[], where: string, holds: unknown): void {
  if (holds !== undefined && !['key1', 'key2', 'stale'].includes(holds as string))
    problems.push(`${where}: holds/signedWith must be key1, key2 or stale, not ${String(holds)}`);
}
