import { createHmac } from 'node:crypto';
import type { SasResource } from './resource.js';
import { stringToSign } from './string-to-sign.js';
import { formatSasTime, formatSasToken } from './token.js';

/** Which token to issue; the kinds a scenario names. */
export type SasKindName = 'container' | 'blob' | 'share' | 'file' | 'account' | 'user delegation';

export interface SasRequest {
  /** The account name as the service signs it (lower case). */
  account: string;
  kind: SasKindName;
  /** What the token is for; account SAS: only the service matters. */
  resource: SasResource;
  version: string;
  permissions: string;
  /** Milliseconds since the epoch; undefined: no `st`. */
  start?: number;
  expiry: number;
  ip?: string;
  protocol?: string;
  /** Account SAS: `ss` and `srt`. */
  services?: string;
  resourceTypes?: string;
}

/** The fields of a user delegation key, as Get User Delegation Key returns them. */
export interface DelegationKeyFields {
  skoid: string;
  sktid: string;
  skt: string;
  ske: string;
  sks: string;
  skv: string;
}

export type SigningKey = { accountKey: string } | { delegation: DelegationKeyFields; key: string };

/** A token whose `sig` is the HMAC-SHA256 of its string-to-sign, as the service computes it. */
export function signSas(request: SasRequest, signer: SigningKey): string {
  const fields = tokenFields(request, signer);
  const signing = stringToSign(new Map(fields), request.account, request.resource);
  if (!signing.ok) throw new Error(`Cannot sign this SAS: ${signing.reason}`);
  const key = 'accountKey' in signer ? signer.accountKey : signer.key;
  return formatSasToken(fields, hmac(key, signing.text));
}

export function hmac(base64Key: string, text: string): string {
  return createHmac('sha256', Buffer.from(base64Key, 'base64'))
    .update(text, 'utf8')
    .digest('base64');
}

function tokenFields(request: SasRequest, signer: SigningKey): Array<[string, string]> {
  const fields: Array<[string, string]> = [['sv', request.version]];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') fields.push([name, value]);
  };
  if (request.kind === 'account') {
    add('ss', request.services ?? 'bf');
    add('srt', request.resourceTypes ?? 'sco');
  } else {
    add('sr', signedResource(request));
  }
  add('sp', request.permissions);
  add('st', request.start === undefined ? undefined : formatSasTime(request.start));
  add('se', formatSasTime(request.expiry));
  add('sip', request.ip);
  add('spr', request.protocol);
  if ('delegation' in signer)
    for (const [name, value] of Object.entries(signer.delegation)) add(name, value);
  return fields;
}

function signedResource(request: SasRequest): string {
  const onePath = request.resource.path !== undefined;
  switch (request.kind) {
    case 'blob':
      return 'b';
    case 'file':
      return 'f';
    case 'share':
      return 's';
    case 'user delegation':
      if (request.resource.service === 'file') return onePath ? 'f' : 's';
      return onePath ? 'b' : 'c';
    default:
      return 'c'; // container
  }
}
