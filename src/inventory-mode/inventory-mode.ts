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
import type { SurveyedSecret } from '../consumers/key-vault/survey.js';
import { capitalise } from '../util/text.js';
import { sentence } from '../report/failure.js';
import type { KeyVaultFindings } from './key-vault-findings.js';
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
    const everyJob = inventory.keyVaults?.everyJob;
    const all = matrixOf(inventory.accounts, everyJob);
    const due = matrixOf(
      inventory.accounts.filter((a) => a.due),
      everyJob,
    );
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
      const effect = place.effect ? `${capitalise(place.effect)}.` : 'Its accounts may be missing.';
      core.warning(`Could not inspect ${place.name}: ${sentence(place.reason)} ${effect}`);
    }
    for (const { secret, reason } of inventory.keyVaults?.unassigned ?? []) {
      core.warning(
        `Secret '${secret.name}' of key vault '${secret.vault}' goes to no rotation job: ${reason}.`,
      );
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
    const secrets = account.secrets.length
      ? `; Key Vault secrets ${account.secrets.map(describeSecret).join(', ')}`
      : '';
    core.info(
      `${account.name} (${where}): ${ages || 'keys unknown'}; ${due}; ${usersText(account)}${secrets}`,
    );
  }
  for (const other of inventory.keyVaults?.otherAccounts ?? []) {
    core.info(
      `${other.account}: no workspace uses it, not in the matrix; Key Vault secrets ${other.secrets.map(describeSecret).join(', ')}`,
    );
  }
}

/** "kv-apps/app-key (tagged key2)", "kv-apps/app-conn (named, connection string)". */
function describeSecret(s: SurveyedSecret): string {
  const how =
    s.found === 'tagged'
      ? ['tagged', s.credentialId].filter(Boolean).join(' ')
      : ['named', s.form].filter(Boolean).join(', ');
  return `${s.vault}/${s.name} (${how})`;
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
  const vaults = inventory.keyVaults;
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
    ...(vaults ? [escape(a.secrets.map(describeSecret).join(', ') || '—')] : []),
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
        ...(vaults ? [{ data: 'Key Vault secrets', header: true }] : []),
      ],
      ...rows,
    ]);
  if (inventory.uninspected.length > 0) {
    core.summary.addRaw(
      `<p>Could not be inspected: ${inventory.uninspected.map((u) => `${escape(u.name)} (${escape(u.reason)}${u.effect ? `: ${escape(u.effect)}` : ''})`).join('; ')}</p>`,
      true,
    );
  }
  if (vaults) core.summary.addRaw(vaultParagraphs(vaults), true);
  await core.summary.write();
}

/** The secrets of accounts no workspace uses, and the named secrets of no account it can tell. */
function vaultParagraphs(vaults: KeyVaultFindings): string {
  const paragraphs: string[] = [];
  if (vaults.otherAccounts.length > 0) {
    const accounts = vaults.otherAccounts.map(
      (o) => `${escape(o.account)}: ${escape(o.secrets.map(describeSecret).join(', '))}`,
    );
    paragraphs.push(
      `<p>Key Vault secrets of accounts no Azure ML workspace uses (not in the matrix): ${accounts.join('; ')}.</p>`,
    );
  }
  if (vaults.unassigned.length > 0) {
    const secrets = vaults.unassigned.map(
      (u) => `${escape(`${u.secret.vault}/${u.secret.name}`)} (${escape(u.reason)})`,
    );
    paragraphs.push(`<p>Named secrets in no job's key-vaults: ${secrets.join('; ')}.</p>`);
  }
  if (vaults.everyJob.length > 0) {
    paragraphs.push(
      `<p>Every job's key-vaults also names ${escape(vaults.everyJob.join(', '))}: the inventory could not list its secrets, so each rotation looks there itself.</p>`,
    );
  }
  return paragraphs.join('\n');
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
