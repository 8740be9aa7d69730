// What an inventory of a subscription learns from Key Vaults: which account's key each secret holds,
// with as little read as tells it. Tagged secrets by their properties only (ProviderAddress names the
// account); a named secret by its value (masked at once): a connection string's AccountName names
// the account, a raw key names none, so its tag decides or nothing does.
import type { AzurePort, SecretProperties, Vault } from '../../azure/port.js';
import type { Uninspected } from '../../discover/inventory.js';
import type { Limiter } from '../../util/concurrency.js';
import { parseResourceId, resourceId, STORAGE, type ResourceRef } from '../../util/resource-id.js';
import { describeError, maskSecret } from '../../util/secrets.js';
import { vaultFinder, type VaultName } from './discover.js';
import { tutorialTagsOf } from './tags.js';
import { readSecretValue } from './value.js';

/** A vault the inventory looks in, as key-vaults names it. */
export interface VaultSurveyRequest {
  vault: VaultName;
  /** Look for the secrets tagged the tutorial's way (the vault was named on its own). */
  tagged: boolean;
  /** Secrets named as `vault/secret`. */
  secrets: string[];
}

/** A secret that holds a storage account's key (or, by its tags, says it does). Never its value. */
export interface SurveyedSecret {
  vault: string;
  vaultId: string;
  name: string;
  /** tagged: found by its ProviderAddress tag, value not read; named: in key-vaults, value read. */
  found: 'tagged' | 'named';
  /** How its value holds the key, when the value was read. */
  form?: 'raw key' | 'connection string';
  /** The CredentialId tag as tagged: the inventory reads no account key to check it. */
  credentialId?: string;
}

/** A secret and the account whose key it holds. */
export interface SecretOfAccount extends SurveyedSecret {
  /** The account's name, lower case. */
  account: string;
  /** The account as a ProviderAddress tag names it. */
  accountRef?: ResourceRef;
}

/** Something of a vault the inventory could not read, and what follows for the rotation jobs. */
export interface VaultGap extends Uninspected {
  effect: string;
}

export interface VaultSurvey {
  secrets: SecretOfAccount[];
  /** Named secrets whose account the inventory cannot tell, each with why. */
  unassigned: { secret: SurveyedSecret; reason: string }[];
  gaps: VaultGap[];
  /**
   * key-vaults lines every rotation job gets: vaults whose tagged secrets the inventory could not
   * list, so each job looks there for its own account's.
   */
  everyJob: string[];
}

const VAULT_RESOURCE = ['Microsoft.KeyVault', 'vaults'] as const;
const EVERY_JOB =
  'every rotation job gets it in key-vaults and looks there for the secrets tagged for its own account';
const NO_JOB =
  "it goes to no rotation job, since which account's key it holds is unknown: let the inventory's login read it (Key Vault Secrets User, or the access policy's get), or name it in its account's job";

/** Reads the vaults key-vaults names, and tells which account's key each secret in them holds. */
export async function surveyVaults(
  azure: AzurePort,
  requests: readonly VaultSurveyRequest[],
  subscriptionId: string,
  limit: Limiter,
): Promise<VaultSurvey> {
  const survey: VaultSurvey = { secrets: [], unassigned: [], gaps: [], everyJob: [] };
  const find = vaultFinder(azure, subscriptionId, limit);
  const resolve = async (name: VaultName): Promise<Vault> => {
    const found = await find(name);
    if (!found) throw new Error(`not found in subscription ${subscriptionId}`);
    return found;
  };
  await Promise.all(
    requests.map(async (request) => {
      const label = 'ref' in request.vault ? request.vault.ref.name : request.vault.name;
      let vault: Vault;
      try {
        vault = await resolve(request.vault);
      } catch (error) {
        const named =
          request.secrets.length > 0
            ? `the secrets named in it (${request.secrets.join(', ')}) go to no rotation job`
            : '';
        survey.gaps.push({
          name: `key vault '${label}'`,
          reason: describeError(error),
          effect: [request.tagged ? EVERY_JOB : '', named].filter(Boolean).join('; '),
        });
        if (request.tagged) survey.everyJob.push(asInput(request.vault));
        return;
      }
      await surveyVault(azure, vault, request, limit, survey);
    }),
  );
  const byName = (a: SurveyedSecret, b: SurveyedSecret) =>
    a.vault.localeCompare(b.vault) || a.name.localeCompare(b.name);
  survey.secrets.sort(byName);
  survey.unassigned.sort((a, b) => byName(a.secret, b.secret));
  survey.gaps.sort((a, b) => a.name.localeCompare(b.name));
  survey.everyJob = [...new Set(survey.everyJob)].sort();
  return survey;
}

async function surveyVault(
  azure: AzurePort,
  vault: Vault,
  request: VaultSurveyRequest,
  limit: Limiter,
  survey: VaultSurvey,
): Promise<void> {
  const where = { vault: vault.ref.name, vaultId: vault.id };
  let listed: SecretProperties[] = [];
  if (request.tagged) {
    try {
      listed = await limit.run(() => azure.listSecretProperties(vault.uri));
    } catch (error) {
      survey.gaps.push({
        name: `the secrets of key vault '${vault.ref.name}'`,
        reason: describeError(error),
        effect: EVERY_JOB,
      });
      survey.everyJob.push(vault.id);
    }
  }
  const named = new Set(request.secrets.map((s) => s.toLowerCase()));
  for (const p of listed.filter((p) => !p.managed && !named.has(p.name.toLowerCase()))) {
    const tags = tutorialTagsOf(p.tags);
    const account = storageAccountOf(tags.providerAddress);
    if (!account) continue;
    survey.secrets.push({
      ...where,
      name: p.name,
      found: 'tagged',
      ...(tags.credentialId ? { credentialId: tags.credentialId } : {}),
      account: account.name.toLowerCase(),
      accountRef: account,
    });
  }
  await Promise.all(
    request.secrets.map(async (name) => {
      const tagged = listed.find((p) => p.name.toLowerCase() === name.toLowerCase());
      try {
        const secret = await limit.run(() => azure.getSecret(vault.uri, name));
        judgeNamed(where, name, secret.value, secret.properties.tags, survey);
      } catch (error) {
        // Its value could not be read; a ProviderAddress tag in the listing still names its account.
        const account = storageAccountOf(tutorialTagsOf(tagged?.tags).providerAddress);
        if (account) {
          survey.secrets.push({
            ...where,
            name,
            found: 'named',
            account: account.name.toLowerCase(),
            accountRef: account,
          });
          return;
        }
        survey.gaps.push({
          name: `secret '${name}' of key vault '${vault.ref.name}'`,
          reason: describeError(error),
          effect: NO_JOB,
        });
      }
    }),
  );
}

/** A named secret's account: its connection string's AccountName, or for a raw key its tag. */
function judgeNamed(
  where: { vault: string; vaultId: string },
  name: string,
  value: string,
  tags: Record<string, string> | undefined,
  survey: VaultSurvey,
): void {
  const content = readSecretValue(value);
  const tutorial = tutorialTagsOf(tags);
  const seen: SurveyedSecret = {
    ...where,
    name,
    found: 'named',
    ...(content ? { form: content.form === 'key' ? 'raw key' : 'connection string' } : {}),
    ...(tutorial.credentialId ? { credentialId: tutorial.credentialId } : {}),
  };
  if (!content) {
    survey.unassigned.push({ secret: seen, reason: 'it holds no storage account key' });
    return;
  }
  maskSecret(content.key);
  const tagged = storageAccountOf(tutorial.providerAddress);
  const account = content.accountName ?? tagged?.name.toLowerCase();
  if (!account) {
    survey.unassigned.push({
      secret: seen,
      reason:
        "a raw key names no account and it has no ProviderAddress tag, so whose key it is cannot be told: name it in its account's job",
    });
    return;
  }
  const sameAccount = tagged && tagged.name.toLowerCase() === account;
  survey.secrets.push({ ...seen, account, ...(sameAccount ? { accountRef: tagged } : {}) });
}

function storageAccountOf(providerAddress: string | undefined): ResourceRef | undefined {
  return providerAddress ? parseResourceId(providerAddress, ...STORAGE) : undefined;
}

/** The key-vaults line of a vault as the input named it: its resource ID, or its name. */
function asInput(vault: VaultName): string {
  return 'ref' in vault ? resourceId(vault.ref, ...VAULT_RESOURCE) : vault.name;
}
