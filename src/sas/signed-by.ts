// Which account key signed a SAS token: recompute the HMAC-SHA256 under key1 and key2 and compare
// with the token's signature. Pure; never returns or logs the token or the signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyName } from '../azure/port.js';
import { LATEST_KNOWN_VERSION, stringToSign, type SasResource } from './string-to-sign.js';
import { readToken, type SasKind } from './token.js';

export type SignedBy = KeyName | 'user delegation' | 'neither' | 'unknown';

/** The account's two keys, base64 as listKeys returns them. */
export type AccountKeys = Readonly<Record<KeyName, string>>;

export interface SasVerdict {
  /**
   * key1 or key2: that key's regeneration breaks the token. user delegation: no account key
   * signed it. neither: no current key signed it, so it no longer works on this resource.
   * unknown: it could not be recomputed (see reason).
   */
  readonly signedBy: SignedBy;
  readonly kind: SasKind;
  /** `sv`. */
  readonly version?: string;
  /** `se`; undefined when the expiry lives in a stored access policy or is unreadable. */
  readonly expiresOn?: Date;
  /** `se` is at or before `now`. */
  readonly expired: boolean;
  /** `si`: the stored access policy the token refers to (its expiry may be there). */
  readonly policy?: string;
  /** Why signedBy is unknown or neither. Never quotes the token or the signature. */
  readonly reason?: string;
}

/**
 * Tells which of the account's keys signed a SAS token. `resource` is what the consumer uses the
 * token on (a datastore's container or share, a connection's target path); an account SAS needs
 * none.
 */
export function signedBy(
  token: string,
  account: string,
  keys: AccountKeys,
  resource?: SasResource,
  now: Date = new Date(),
): SasVerdict {
  const read = readToken(token);
  const { parsed } = read;
  const base = {
    kind: parsed.kind,
    version: parsed.version,
    expiresOn: parsed.expiresOn,
    expired: parsed.expiresOn !== undefined && parsed.expiresOn.getTime() <= now.getTime(),
    policy: parsed.identifier,
  };
  if (parsed.kind === 'user delegation') return { ...base, signedBy: 'user delegation' };

  const text = stringToSign(parsed, account, resource);
  if (!text.ok) return { ...base, signedBy: 'unknown', reason: text.reason };
  if ('signatureProblem' in read) {
    return { ...base, signedBy: 'unknown', reason: read.signatureProblem };
  }
  const { signature } = read;

  const matches: KeyName[] = [];
  for (const name of ['key1', 'key2'] as const) {
    const key = Buffer.from(keys[name] ?? '', 'base64');
    if (key.length === 0) {
      return { ...base, signedBy: 'unknown', reason: `${name} is empty or not base64` };
    }
    const expected = createHmac('sha256', key).update(text.value, 'utf8').digest();
    if (expected.length === signature.length && timingSafeEqual(expected, signature)) {
      matches.push(name);
    }
  }
  const [match] = matches;
  if (match !== undefined) return { ...base, signedBy: match };

  if (text.newerThanKnown) {
    return {
      ...base,
      signedBy: 'unknown',
      reason: `signed version ${parsed.version} is newer than ${LATEST_KNOWN_VERSION}, the newest whose layout is known, and that layout matches neither key`,
    };
  }
  return {
    ...base,
    signedBy: 'neither',
    reason:
      parsed.kind === 'service'
        ? 'it matches neither key for this resource: signed with an older key, or for another resource'
        : 'it matches neither key: signed with an older key, or for another account',
  };
}
