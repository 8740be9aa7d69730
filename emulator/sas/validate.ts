import type { KeyName } from '../scenario-types.js';
import type { DelegationKeyFields } from './sign.js';
import { hmac } from './sign.js';
import type { SasResource } from './resource.js';
import { layoutOf, stringToSign } from './string-to-sign.js';
import { parseSasTime, parseSasToken } from './token.js';
import type { SasPolicyRule } from './policy.js';

/** What signed a token: one of the account's current keys, or a user delegation key. */
export type SasSigner = KeyName | 'user delegation';

export interface SasVerdict {
  valid: boolean;
  /** Whose signature recomputes; undefined: none (a dead key, another resource, a forged token). */
  signedWith?: SasSigner;
  /** Why it is invalid. */
  reason?: string;
  /** When the verdict changes by the clock alone: a valid token's expiry, or a future st. */
  changesAt?: number;
}

/** What the service knows when a request with this token arrives. */
export interface SasCheckContext {
  account: string;
  keys: Record<KeyName, string>;
  /** allowSharedKeyAccess: false refuses every SAS signed with an account key. */
  sharedKeyAllowed: boolean;
  /** The consumer's resource: the container, share, blob or file its requests go to. */
  resource: SasResource;
  /** The user delegation key the service would hand out for these fields. */
  delegationKey(fields: DelegationKeyFields): string;
  policy?: SasPolicyRule;
  now: number;
}

/** Whether a request from this consumer with this token would be let in, like the service decides. */
export function checkSas(token: string, context: SasCheckContext): SasVerdict {
  const parsed = parseSasToken(token);
  if (!parsed) return { valid: false, reason: 'malformed token' };
  const { fields, signature } = parsed;
  const signing = stringToSign(fields, context.account, context.resource);
  if (!signing.ok) return { valid: false, reason: signing.reason };

  const signedWith = signerOf(fields, signature, signing.text, context);
  if (!signedWith) {
    const reason =
      layoutOf(fields) === 'user delegation'
        ? 'the signature matches no user delegation key the service issued'
        : 'the signature matches no current key';
    return { valid: false, reason };
  }
  const refused = (reason: string): SasVerdict => ({ valid: false, signedWith, reason });
  if (signedWith !== 'user delegation' && !context.sharedKeyAllowed)
    return refused('the account does not allow Shared Key authorization');

  const expiry = parseSasTime(fields.get('se') ?? '');
  if (expiry === undefined) return refused('se is missing or not a time');
  if (expiry <= context.now) return refused('expired');
  const startText = fields.get('st');
  const start = startText === undefined ? undefined : parseSasTime(startText);
  if (startText !== undefined && start === undefined) return refused('st is not a time');
  if (start !== undefined && start > context.now)
    return { ...refused('not yet valid (st)'), changesAt: start };
  let validUntil = expiry;
  if (signedWith === 'user delegation') {
    const keyExpiry = parseSasTime(fields.get('ske') ?? '');
    if (keyExpiry === undefined || keyExpiry <= context.now)
      return refused('the user delegation key expired');
    validUntil = Math.min(expiry, keyExpiry);
  }
  const outOfPolicy = context.policy?.outOfPolicy(start, expiry);
  if (outOfPolicy && context.policy?.blocks) return refused(`SAS policy (Block): ${outOfPolicy}`);
  return { valid: true, signedWith, changesAt: validUntil };
}

function signerOf(
  fields: ReadonlyMap<string, string>,
  signature: string,
  text: string,
  context: SasCheckContext,
): SasSigner | undefined {
  if (layoutOf(fields) === 'user delegation') {
    const field = (name: string) => fields.get(name) ?? '';
    const key = context.delegationKey({
      skoid: field('skoid'),
      sktid: field('sktid'),
      skt: field('skt'),
      ske: field('ske'),
      sks: field('sks'),
      skv: field('skv'),
    });
    return hmac(key, text) === signature ? 'user delegation' : undefined;
  }
  for (const keyName of ['key1', 'key2'] as const)
    if (hmac(context.keys[keyName], text) === signature) return keyName;
  return undefined;
}
