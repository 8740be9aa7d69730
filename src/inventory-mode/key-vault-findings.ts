// What an inventory tells of the Key Vault secrets it found: which account in use each belongs to,
// what no account in use owns, and each rotation job's key-vaults input.
import type {
  SecretOfAccount,
  SurveyedSecret,
  VaultSurvey,
} from '../consumers/key-vault/survey.js';
import type { ResourceRef } from '../util/resource-id.js';

/** What the vaults key-vaults names hold beyond the accounts in use (set only with key-vaults). */
export interface KeyVaultFindings {
  /**
   * Accounts whose keys only secrets hold, no workspace: listed, never in the matrix. This action
   * rotates the keys Azure ML uses, a rotation job needs a workspace, and a tutorial-tagged secret
   * of such an account is likely rotated by the tutorial's own Function already.
   */
  otherAccounts: { account: string; ref?: ResourceRef; secrets: SurveyedSecret[] }[];
  /** Named secrets whose account cannot be told, with why: in no job's key-vaults. */
  unassigned: VaultSurvey['unassigned'];
  /** key-vaults lines every matrix entry gets: vaults whose secrets could not be listed. */
  everyJob: string[];
}

/** Gives each account in use the secrets that hold its key; the rest are other accounts'. */
export function withSecrets(
  accounts: { name: string; secrets: SurveyedSecret[] }[],
  survey: VaultSurvey,
): KeyVaultFindings {
  const byAccount = new Map<string, SecretOfAccount[]>();
  for (const s of survey.secrets)
    byAccount.set(s.account, [...(byAccount.get(s.account) ?? []), s]);
  const strip = ({ account: _a, accountRef: _r, ...secret }: SecretOfAccount): SurveyedSecret =>
    secret;
  for (const account of accounts) {
    account.secrets = (byAccount.get(account.name.toLowerCase()) ?? []).map(strip);
    byAccount.delete(account.name.toLowerCase());
  }
  return {
    otherAccounts: [...byAccount]
      .map(([account, secrets]) => {
        const ref = secrets.find((s) => s.accountRef)?.accountRef;
        return { account, ...(ref ? { ref } : {}), secrets: secrets.map(strip) };
      })
      .sort((a, b) => a.account.localeCompare(b.account)),
    unassigned: survey.unassigned,
    everyJob: survey.everyJob,
  };
}

/** One line per vault of tagged secrets and per named secret, by resource ID: the rotation's input. */
export function keyVaultsInput(secrets: SurveyedSecret[], everyJob: readonly string[]): string {
  const lines = secrets.map((s) =>
    s.found === 'tagged' ? s.vaultId : `${s.vaultId}/secrets/${s.name}`,
  );
  return [...new Set([...lines, ...everyJob])].join('\n');
}
