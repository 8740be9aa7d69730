import { looksLikeResourceId, type ResourceRef } from '../util/resource-id.js';

/** A vault the `key-vaults` input names: by name (found in the account's subscription) or by ID. */
export interface KeyVaultInput {
  vault: { name: string } | { ref: ResourceRef };
  /** Named on its own: the secrets tagged for the account (the tutorial's tags) are found in it. */
  tagged: boolean;
  /** Secrets named as `vault/secret` (or by the secret's resource ID). */
  secrets: string[];
}

const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VAULT_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)(?:\/secrets\/([^/]+))?\/?$/i;

/**
 * Parses the `key-vaults` input: one vault or secret a line — `vault`, `vault/secret`, or a vault's
 * or secret's resource ID. Lines naming the same vault are merged. Returns the problems, if any.
 */
export function parseKeyVaults(lines: string[]): { vaults: KeyVaultInput[]; problems: string[] } {
  const byVault = new Map<string, KeyVaultInput>();
  const problems: string[] = [];
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    const key = 'ref' in parsed.vault ? parsed.vault.ref.name : parsed.vault.name;
    const known = byVault.get(key.toLowerCase());
    if (!known) {
      byVault.set(key.toLowerCase(), parsed);
      continue;
    }
    if ('ref' in parsed.vault) known.vault = parsed.vault;
    known.tagged ||= parsed.tagged;
    for (const s of parsed.secrets) {
      if (!known.secrets.some((k) => k.toLowerCase() === s.toLowerCase())) known.secrets.push(s);
    }
  }
  return { vaults: [...byVault.values()], problems };
}

function parseLine(line: string): KeyVaultInput | string {
  if (looksLikeResourceId(line)) {
    const match = VAULT_ID.exec(line);
    if (!match) {
      return `key-vaults: '${line}' is not the resource ID of a Key Vault (/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/<name>) or of one of its secrets (…/secrets/<name>)`;
    }
    const [, subscriptionId, resourceGroup, name, secret] = match as unknown as string[];
    return {
      vault: {
        ref: { subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, name: name! },
      },
      tagged: !secret,
      secrets: secret ? [secret] : [],
    };
  }
  const [vault = '', secret, ...rest] = line.split('/');
  if (
    !VAULT_NAME.test(vault) ||
    rest.length > 0 ||
    (secret !== undefined && !SECRET_NAME.test(secret))
  ) {
    return `key-vaults: '${line}' is neither a vault name (3-24 letters, digits and dashes), 'vault/secret', nor a resource ID`;
  }
  return { vault: { name: vault }, tagged: secret === undefined, secrets: secret ? [secret] : [] };
}

/** 24: App Service and Functions refetch a Key Vault reference within 24 hours. */
export const DEFAULT_GRACE_PERIOD_HOURS = 24;

/** grace-period-hours: a number of hours, 0 or more (0: a key is regenerated in the same run). */
export function parseGracePeriod(value: string, problems: string[]): number {
  if (value === '') return DEFAULT_GRACE_PERIOD_HOURS;
  const hours = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(hours)) {
    problems.push(`grace-period-hours '${value}' is not a number of hours (0 or more).`);
    return DEFAULT_GRACE_PERIOD_HOURS;
  }
  return hours;
}
