import type { KeyName } from '../../azure/port.js';
import type { Holding } from '../../discover/inventory.js';
import { sameResource } from '../../util/resource-id.js';
import { DAY_MS } from '../../util/time.js';

/**
 * The tags Microsoft's dual-credential rotation tutorial puts on a secret that holds a storage key
 * ("Automate the rotation of a secret for resources with two sets of authentication credentials").
 */
export const TUTORIAL_TAGS = {
  /** key1 or key2: the key the value is. */
  credentialId: 'CredentialId',
  /** The storage account's resource ID. */
  providerAddress: 'ProviderAddress',
  /** How many days a new version is valid: its expiry is set that far from its creation. */
  validityPeriodDays: 'ValidityPeriodDays',
} as const;

export type Tags = Record<string, string>;

/** A tag by name, case-insensitively, with the name as the secret spells it. */
function findTag(
  tags: Tags | undefined,
  name: string,
): { name: string; value: string } | undefined {
  const found = Object.entries(tags ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase());
  return found && { name: found[0], value: found[1] };
}

/** The resource ID a ProviderAddress tag names, and the key a CredentialId tag names, as tagged. */
export function tutorialTagsOf(tags: Tags | undefined): {
  providerAddress?: string;
  credentialId?: string;
} {
  const provider = findTag(tags, TUTORIAL_TAGS.providerAddress)?.value.trim();
  const credential = findTag(tags, TUTORIAL_TAGS.credentialId)?.value.trim();
  return {
    ...(provider ? { providerAddress: provider } : {}),
    ...(credential ? { credentialId: credential } : {}),
  };
}

/** Tagged the tutorial's way for this account: ProviderAddress is its resource ID. */
export function taggedFor(tags: Tags | undefined, accountId: string): boolean {
  return sameResource(findTag(tags, TUTORIAL_TAGS.providerAddress)?.value.trim(), accountId);
}

/**
 * What the tutorial's tags say that the value contradicts: a CredentialId that is not the key the
 * value holds, a ProviderAddress that names another resource. Each is a sentence for the report.
 */
export function tagDisagreements(
  tags: Tags | undefined,
  accountId: string,
  holds: Holding,
): string[] {
  const found: string[] = [];
  const credential = findTag(tags, TUTORIAL_TAGS.credentialId);
  if (credential) {
    const says = credential.value.trim().toLowerCase();
    if (says !== 'key1' && says !== 'key2') {
      found.push(`its ${credential.name} tag '${credential.value}' names neither key1 nor key2`);
    } else if (says !== holds) {
      const value = holds === 'stale' ? 'neither of the account’s keys' : holds;
      found.push(`its ${credential.name} tag says ${says}, but the value holds ${value}`);
    }
  }
  const provider = findTag(tags, TUTORIAL_TAGS.providerAddress);
  if (provider && !sameResource(provider.value.trim(), accountId)) {
    found.push(`its ${provider.name} tag names another resource than the storage account`);
  }
  return found;
}

/** What a secret version carries besides its value. */
export interface VersionProperties {
  contentType?: string;
  tags?: Tags;
  expiresOn?: Date;
}

/**
 * The properties of the version a re-key writes: the same content type and tags, CredentialId (when
 * the secret has one) naming the new key, and the expiry renewed from ValidityPeriodDays when that
 * tag is a whole number of days; otherwise the old version's expiry, as it was.
 */
export function nextVersion(
  current: VersionProperties,
  key: KeyName,
  now: Date,
): VersionProperties {
  const tags = { ...(current.tags ?? {}) };
  const credential = findTag(tags, TUTORIAL_TAGS.credentialId);
  if (credential) tags[credential.name] = key;
  const days = validityDays(tags);
  const expiresOn =
    days === undefined ? current.expiresOn : new Date(now.getTime() + days * DAY_MS);
  return {
    ...(current.contentType !== undefined ? { contentType: current.contentType } : {}),
    ...(current.tags ? { tags } : {}),
    ...(expiresOn ? { expiresOn } : {}),
  };
}

function validityDays(tags: Tags): number | undefined {
  const text = findTag(tags, TUTORIAL_TAGS.validityPeriodDays)?.value.trim() ?? '';
  return /^\d{1,5}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}
