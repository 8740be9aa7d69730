import { createHmac } from 'node:crypto';
import type { KeyName } from './scenario.js';

/** Issuing and checking account SAS tokens, as the storage service signs them. */

export interface AccountSasRequest {
  services?: string;
  resourceTypes?: string;
  permissions?: string;
  start?: string;
  expiry?: string;
  protocols?: string;
  ip?: string;
}

const sasVersion = '2022-11-02';

/**
 * An account SAS whose `sig` is an HMAC over its fields with the account key, as the real service
 * computes it, so whether a token is still valid is decided by recomputing it with the current keys.
 */
export function signAccountSas(
  account: string,
  key: string,
  request: AccountSasRequest = {},
): string {
  const fields = {
    sv: sasVersion,
    ss: request.services ?? 'bf',
    srt: request.resourceTypes ?? 'sco',
    sp: request.permissions ?? 'rl',
    st: request.start ?? new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    se:
      request.expiry ??
      new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    spr: request.protocols ?? 'https',
    ...(request.ip ? { sip: request.ip } : {}),
  };
  const signature = sasSignature(account, key, fields);
  return new URLSearchParams({ ...fields, sig: signature }).toString();
}

/** Which of the given keys signed this SAS token, if any. */
export function sasSignedWith(
  account: string,
  token: string,
  keys: Record<KeyName, string>,
): KeyName | undefined {
  const params = new URLSearchParams(token.startsWith('?') ? token.slice(1) : token);
  const signature = params.get('sig');
  if (!signature) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of params) if (name !== 'sig') fields[name] = value;
  for (const keyName of ['key1', 'key2'] as const) {
    if (sasSignature(account, keys[keyName], fields) === signature) return keyName;
  }
  return undefined;
}

function sasSignature(account: string, key: string, fields: Record<string, string>): string {
  const stringToSign = [
    account,
    fields.sp,
    fields.ss,
    fields.srt,
    fields.st,
    fields.se,
    fields.sip,
    fields.spr,
    fields.sv,
    '',
  ]
    .map((field) => field ?? '')
    .join('\n');
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign).digest('base64');
}
