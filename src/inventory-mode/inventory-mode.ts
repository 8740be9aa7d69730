import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArmPort } from '../azure/arm.js';
import {
  createCredential,
  describeLogin,
  loginFailureReasons,
  loginHint,
} from '../azure/credential.js';
import { getInventoryInputs, type InventoryInputs } from '../inputs/inventory-inputs.js';
import { describeLimit } from '../plan/key-age.js';
import { describeError, redact } from '../util/secrets.js';
import {
  matrixOf,
  surveySubscription,
  type SubscriptionInventory,
  type SurveyedAccount,
} from './subscription-inventory.js';

/**
 * `mode: inventory`: lists every storage account the subscription's Azure ML workspaces use, with
 * key ages and whether each is due, and sets `accounts` / `due-accounts` for a rotation job's
 * `strategy.matrix` (one job per account). Reads only; needs only read permissions.
 */
export async function runInventory(): Promise<void> {
  let inputs: InventoryInputs | undefined;
  try {
    inputs = getInventoryInputs();
    const azure = createArmPort(createCredential(inputs.login, inputs.cloud), inputs.cloud);
    const settings = inputs;
    const inventory = await core.group(
      `Inventory of subscription ${inputs.subscriptionId}${inputs.resourceGroup ? `, resource group '${inputs.resourceGroup}'` : ''}`,
      async () => {
        const found = await surveySubscription(azure, settings, new Date());
        logInventory(found);
        return found;
      },
    );
    const all = matrixOf(inventory.accounts);
    const due = matrixOf(inventory.accounts.filter((a) => a.due));
    core.setOutput('accounts', JSON.stringify(all));
    core.setOutput('due-accounts', JSON.stringify(due));
    core.setOutput('account-count', String(all.include.length));
    core.setOutput('due-count', String(due.include.length));
    core.setOutput('report-path', await writeInventoryReport(inventory, all));
    await writeInventorySummary(inventory).catch((error: unknown) =>
      core.warning(`Could not write the job summary: ${describeError(error)}`),
    );
    for (const account of inventory.accounts.filter((a) => a.unresolved)) {
      core.warning(
        `Storage account '${account.name}' is used by ${usersText(account)} but is left out of the matrix: ${account.unresolved}.`,
      );
    }
    for (const place of inventory.uninspected) {
      core.warning(`Could not inspect ${place.name}: ${place.reason} Its accounts may be missing.`);
    }
  } catch (error) {
    core.setFailed(failureMessage(error, inputs));
  }
}

function logInventory(inventory: SubscriptionInventory): void {
  core.info(
    `${inventory.workspaces} workspace(s), ${inventory.accounts.length} storage account(s) in use.`,
  );
  for (const account of inventory.accounts) {
    const where = account.ref ? `resource group '${account.ref.resourceGroup}'` : 'not found';
    const ages = account.keys
      .map((k) => `${k.name} ${k.ageDays === undefined ? 'of unknown age' : `${k.ageDays} days`}`)
      .join(', ');
    const due = !account.ref
      ? 'left out'
      : account.due
        ? `due${account.dueKeys.length ? ` (${account.dueKeys.join(', ')})` : ''}`
        : 'not due';
    core.info(
      `${account.name} (${where}): ${ages || 'keys unknown'}; ${due}; ${usersText(account)}`,
    );
  }
}

function usersText(account: SurveyedAccount): string {
  return account.users
    .map((u) => {
      const uses = [
        u.defaultStorage ? 'default storage' : '',
        u.datastores ? `${u.datastores} datastore(s)` : '',
        u.connections ? `${u.connections} connection(s)` : '',
      ].filter(Boolean);
      return `workspace '${u.workspace.name}' (${uses.join(', ')})`;
    })
    .join(', ');
}

async function writeInventoryReport(
  inventory: SubscriptionInventory,
  matrix: ReturnType<typeof matrixOf>,
): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'aml-storage-key-rotation');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = inventory.observedAt.replace(/[:.]/g, '-');
  const path = join(dir, `inventory-${inventory.subscriptionId}-${stamp}.json`);
  const report = { version: 1, mode: 'inventory', ...inventory, matrix };
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return path;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\|/g, '&#124;');

async function writeInventorySummary(inventory: SubscriptionInventory): Promise<void> {
  const limit = inventory.maxKeyAgeDays;
  const rows = inventory.accounts.map((a) => [
    escape(a.name),
    escape(a.ref?.resourceGroup ?? '—'),
    ...['key1', 'key2'].map((name) => {
      const age = a.keys.find((k) => k.name === name)?.ageDays;
      return age === undefined ? (a.ref ? 'unknown' : '—') : `${age} d`;
    }),
    a.ageLimit ? escape(describeLimit(a.ageLimit)) : 'none',
    a.ref
      ? a.due
        ? `<b>due</b>${a.dueKeys.length ? ` (${a.dueKeys.join(', ')})` : ''}`
        : 'not due'
      : 'left out',
    escape(usersText(a)),
  ]);
  core.summary
    .addHeading('Storage accounts used by Azure ML', 2)
    .addRaw(
      `<p>Subscription ${escape(inventory.subscriptionId)}${inventory.resourceGroup ? `, resource group ${escape(inventory.resourceGroup)}` : ''}: ${inventory.workspaces} workspace(s), ${inventory.accounts.length} account(s), ${inventory.accounts.filter((a) => a.due && a.ref).length} due${limit === undefined ? ' (no max-key-age-days: a rotation would regenerate a key on every account)' : ` under max-key-age-days ${limit}`}. Read-only: no key was read or changed.</p>`,
      true,
    )
    .addTable([
      [
        { data: 'Account', header: true },
        { data: 'Resource group', header: true },
        { data: 'key1 age', header: true },
        { data: 'key2 age', header: true },
        { data: 'Age limit', header: true },
        { data: 'Due', header: true },
        { data: 'Used by', header: true },
      ],
      ...rows,
    ]);
  if (inventory.uninspected.length > 0) {
    core.summary.addRaw(
      `<p>Could not be inspected: ${inventory.uninspected.map((u) => `${escape(u.name)} (${escape(u.reason)})`).join('; ')}</p>`,
      true,
    );
  }
  await core.summary.write();
}

function failureMessage(error: unknown, inputs: InventoryInputs | undefined): string {
  if (error instanceof Error && error.name === 'InputError') return error.message;
  if (
    inputs &&
    error instanceof Error &&
    /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name)
  ) {
    const reasons = loginFailureReasons(error)
      .map((reason) => redact(reason))
      .join(' ');
    return `Login failed using ${describeLogin(inputs.login)}: ${reasons} ${loginHint(inputs.login)}`;
  }
  const forbidden = (error as { statusCode?: number })?.statusCode === 403;
  const hint = forbidden
    ? ' The inventory needs read permission on the subscription (the Reader role).'
    : '';
  return `The inventory failed: ${describeError(error)}${hint}`;
}
