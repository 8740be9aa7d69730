// What the adapters share for SAS consumers: reading the verdict of a token at discovery, and
// re-issuing and checking it at re-key time. The token itself never leaves this module's wrapper.
import type { ConsumerSecret, KeyName } from '../azure/port.js';
import type { Holding, KeyInfo, SasFacts, SasPolicy } from '../discover/inventory.js';
import { isLiveToken, outOfSasPolicy } from '../plan/sas.js';
import {
  parseSasToken,
  reissue,
  signedBy,
  type AccountKeys,
  type SasResource,
} from '../sas/index.js';
import { maskSecret } from '../util/secrets.js';

/**
 * A consumer's SAS token and the resource it is used on, as its adapter read them. It prints,
 * inspects and serialises as a placeholder, so a log line or report that meets it by mistake
 * shows no token.
 */
export class HeldSas {
  readonly #token: string;
  constructor(
    token: string,
    readonly resource: SasResource | undefined,
  ) {
    this.#token = token;
  }
  get token(): string {
    return this.#token;
  }
  toJSON(): string {
    return '[SAS token]';
  }
  toString(): string {
    return '[SAS token]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[SAS token]';
  }
}

export const heldSas = (value: unknown): HeldSas | undefined =>
  value instanceof HeldSas ? value : undefined;

/** The account's keys by name, as signedBy takes them. */
export function accountKeys(keys: readonly Pick<KeyInfo, 'name' | 'value'>[]): AccountKeys {
  const value = (name: KeyName) => keys.find((k) => k.name === name)?.value ?? '';
  return { key1: value('key1'), key2: value('key2') };
}

/** What discovery keeps of a SAS consumer's secret: the facts, the key it depends on, the token. */
export interface SasReading {
  sas: SasFacts;
  holds?: Holding;
  sasToken?: HeldSas;
}

/** Which key signed the consumer's token, and whether it is still alive; the token kept aside. */
export function readSas(
  secret: ConsumerSecret,
  account: string,
  keys: readonly KeyInfo[],
  resource: SasResource | undefined,
  now: Date,
  policy?: SasPolicy,
): SasReading {
  if (secret.kind !== 'Sas' || secret.sasToken === '') {
    return {
      sas: {
        signedBy: 'unknown',
        kind: 'other',
        expired: false,
        reason: 'the service returned no SAS token for it',
      },
    };
  }
  maskSecret(secret.sasToken);
  const verdict = signedBy(secret.sasToken, account, accountKeys(keys), resource, now);
  const startsOn = parseSasToken(secret.sasToken).startsOn;
  const refusedByPolicy = outOfSasPolicy({ startsOn, expiresOn: verdict.expiresOn }, policy);
  const sas: SasFacts = { ...verdict, startsOn, ...(refusedByPolicy ? { refusedByPolicy } : {}) };
  return { sas, holds: holdingOfSas(sas), sasToken: new HeldSas(secret.sasToken, resource) };
}

/**
 * A live token depends on the key that signed it; an expired one, one signed by neither or one the
 * account's SAS policy refuses is broken.
 */
export function holdingOfSas(sas: SasFacts): Holding | undefined {
  if (sas.signedBy === 'neither') return 'stale';
  if (sas.signedBy !== 'key1' && sas.signedBy !== 'key2') return undefined;
  return isLiveToken(sas) ? sas.signedBy : 'stale';
}

/** The key re-keying signs with, and the account's keys to check the stored token against. */
export interface Signing {
  account: string;
  key: KeyName;
  keys: AccountKeys;
}

/** The consumer's token re-signed by the key (masked at once), or why it cannot be. */
export function renewedToken(held: HeldSas, signing: Signing): { token: string } | string {
  const renewed = reissue(held.token, signing.account, signing.keys[signing.key], held.resource);
  if (!renewed.ok) return `its SAS token cannot be re-issued: ${renewed.reason}`;
  maskSecret(renewed.token);
  return { token: renewed.token };
}

/** Confirms the service stored a token the target key signed, by reading the secret back. */
export function verifyStoredSas(
  secret: ConsumerSecret,
  held: HeldSas,
  signing: Signing,
): string | undefined {
  if (secret.kind !== 'Sas') {
    return 'the service accepted the update but reading the secret back returns no SAS token';
  }
  maskSecret(secret.sasToken);
  const verdict = signedBy(secret.sasToken, signing.account, signing.keys, held.resource);
  return verdict.signedBy === signing.key
    ? undefined
    : `the service accepted the new SAS token but the token read back is ${verdict.signedBy === 'neither' ? 'signed by neither key' : `signed by ${verdict.signedBy}`}, not ${signing.key}`;
}
