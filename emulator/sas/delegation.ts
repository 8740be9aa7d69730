import { randomUUID } from 'node:crypto';
import type { DelegationKeyFields } from './sign.js';
import { hmac } from './sign.js';
import { formatSasTime } from './token.js';

/**
 * User delegation keys. The service hands one out (Get User Delegation Key) to an Entra principal
 * and can recompute it from its own fields; it has nothing to do with the account keys, so
 * regenerating key1 or key2 leaves every user delegation SAS valid until it (or its key) expires.
 * The emulator derives the key value from a per-account secret and the key's fields.
 */

/** The longest a user delegation key (and so its SAS) lives: 7 days ("Get User Delegation Key"). */
export const maxDelegationKeyMs = 7 * 86_400_000;

export function delegationKeyValue(accountSecret: string, fields: DelegationKeyFields): string {
  const { skoid, sktid, skt, ske, sks, skv } = fields;
  return hmac(accountSecret, [skoid, sktid, skt, ske, sks, skv].join('\n'));
}

/** A key for a principal of the tenant, valid from an hour ago until the SAS expires (≤ 7 days). */
export function newDelegationKeyFields(
  tenantId: string,
  service: 'blob' | 'file',
  version: string,
  now: number,
  sasExpiry: number,
): DelegationKeyFields {
  const start = now - 3_600_000;
  return {
    skoid: randomUUID(),
    sktid: tenantId,
    skt: formatSasTime(start),
    ske: formatSasTime(Math.min(sasExpiry, start + maxDelegationKeyMs)),
    sks: service === 'file' ? 'f' : 'b',
    skv: version,
  };
}
