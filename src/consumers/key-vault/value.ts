import { holdingOf, type Holding, type KeyInfo } from '../../discover/inventory.js';

/**
 * How a Key Vault secret carries a storage key: the raw key (what Microsoft's dual-credential
 * rotation tutorial writes), or a storage connection string with the key in `AccountKey=`.
 */
export type SecretForm = 'key' | 'connection-string';

/** What a secret's value holds, read from the value alone. */
export interface SecretContent {
  form: SecretForm;
  /** The storage key in the value. Masked: it is the value, or a part of it. */
  key: string;
  /** A connection string's AccountName, lower case. */
  accountName?: string;
}

/** Key Vault secrets are strings; a storage key is 64 bytes in base64 (88 characters). */
const RAW_KEY = /^[A-Za-z0-9+/]{40,}={0,2}$/;
/** `name=value` fields split by `;`; a value may itself contain `=` (base64 padding). */
const FIELD = /^\s*([A-Za-z]+)\s*=(.*)$/s;

/**
 * What a secret value holds: a raw key, a connection string with an AccountKey, or (undefined)
 * neither — a password, a SAS connection string, something else.
 */
export function readSecretValue(value: string): SecretContent | undefined {
  const trimmed = value.trim();
  if (RAW_KEY.test(trimmed)) return { form: 'key', key: trimmed };
  const fields = connectionStringFields(value);
  const key = fields?.get('accountkey')?.trim();
  if (!key) return undefined;
  const accountName = fields?.get('accountname')?.trim().toLowerCase();
  return { form: 'connection-string', key, ...(accountName ? { accountName } : {}) };
}

/** A connection string's fields by lower-case name; undefined when the value is not one. */
function connectionStringFields(value: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const match = FIELD.exec(part);
    if (!match) return undefined;
    fields.set(match[1]!.toLowerCase(), match[2]!);
  }
  return fields.size > 0 ? fields : undefined;
}

/**
 * The secret holds a key of this account: a raw key (it names no account, so any raw key is taken
 * as the account's: key1, key2, or stale) or a connection string naming the account.
 */
export function isForAccount(content: SecretContent, accountName: string): boolean {
  return content.form === 'key' || content.accountName === accountName.toLowerCase();
}

/** key1, key2, or stale: which of the account's keys the value holds. */
export function holdingOfValue(content: SecretContent, keys: readonly KeyInfo[]): Holding {
  return holdingOf(content.key, keys);
}

/**
 * The value of the new version: in the same form as the old one, the raw key, or the same
 * connection string with only its AccountKey replaced (every other field, order and separator kept).
 */
export function rekeyedValue(value: string, content: SecretContent, key: string): string {
  if (content.form === 'key') return key;
  return value
    .split(';')
    .map((part) => {
      const match = FIELD.exec(part);
      if (!match || match[1]!.toLowerCase() !== 'accountkey') return part;
      const [name] = part.split('=', 1);
      return `${name}=${key}`;
    })
    .join(';');
}
