// The planner's rules for SAS consumers, pure: which token a regeneration breaks, which one the
// run can re-issue, and why one cannot be. The planner and the notes share them.
import { KEY_NAMES, type KeyName } from '../azure/port.js';
import {
  allConsumers,
  type Consumer,
  type Inventory,
  type SasFacts,
  type SasPolicy,
} from '../discover/inventory.js';
import { DAY_MS } from '../util/time.js';

/** The `sas` input: what a rotation does about SAS consumers whose token a regenerated key signed. */
export const SAS_CHOICES = ['warn', 'skip-keys', 'renew'] as const;
export type SasChoice = (typeof SAS_CHOICES)[number];

export const isSas = (c: Consumer) => c.auth === 'Sas';

/** A token that still works on its own terms: not expired, not refused by the account's policy. */
export const isLiveToken = (sas: SasFacts) => !sas.expired && !sas.refusedByPolicy;

/** The key a SAS consumer's live token was signed with; undefined for any other consumer. */
export function liveSigner(c: Consumer): KeyName | undefined {
  if (!isSas(c) || !c.sas || !isLiveToken(c.sas)) return undefined;
  return c.sas.signedBy === 'key1' || c.sas.signedBy === 'key2' ? c.sas.signedBy : undefined;
}

/**
 * A live token whose signer could not be told but which an account key signed (not a user
 * delegation token): only a regeneration of both keys is sure to break it.
 */
export function unknownKeySigned(c: Consumer): boolean {
  if (!isSas(c)) return false;
  const sas = c.sas;
  if (!sas) return true;
  return isLiveToken(sas) && sas.signedBy === 'unknown' && sas.kind !== 'user delegation';
}

/** Regenerating these keys breaks a token whose signer is unknown: both keys are regenerated. */
export function breaksUnknown(c: Consumer, keys: readonly KeyName[]): boolean {
  return unknownKeySigned(c) && KEY_NAMES.every((k) => keys.includes(k));
}

/**
 * SAS consumers (in scope and outside) a regeneration of these keys breaks: a live token one of them
 * signed, or one whose signer is unknown when both are regenerated.
 */
export function brokenSasOf(inventory: Inventory, keys: readonly KeyName[]): Consumer[] {
  return allConsumers(inventory).filter(
    (c) => keys.some((k) => k === liveSigner(c)) || breaksUnknown(c, keys),
  );
}

/** SAS consumers (in scope and outside) whose live token one of these keys signed. */
export function liveSasOf(inventory: Inventory, keys: readonly KeyName[]): Consumer[] {
  return allConsumers(inventory).filter((c) => keys.some((k) => k === liveSigner(c)));
}

/** Why a SAS consumer's token cannot be re-issued by this run, if it cannot. */
export function renewBlocker(c: Consumer): string | undefined {
  if (!c.inScope) return 'it is outside the managed workspaces';
  const sas = c.sas;
  if (!sas || sas.signedBy === 'unknown') {
    return `which key signed its token is unknown${sas?.reason ? ` (${sas.reason})` : ''}`;
  }
  if (sas.signedBy === 'user delegation') return 'it is a user delegation SAS';
  if (sas.expired) return 'its token has expired';
  return sas.refusedByPolicy;
}

/**
 * Why the account's SAS expiration policy refuses a token, when its action is Block. Azure measures
 * a token's validity from st to se, and counts a token without st as out of policy; with action Log
 * it only logs (learn.microsoft.com/azure/storage/common/sas-expiration-policy).
 */
export function outOfSasPolicy(
  token: { startsOn?: Date; expiresOn?: Date },
  policy: SasPolicy | undefined,
): string | undefined {
  if (!policy || policy.expirationAction !== 'Block') return undefined;
  const period = periodMs(policy.sasExpirationPeriod);
  if (period === undefined) return undefined;
  const refused = `the account's SAS expiration policy (${policy.sasExpirationPeriod}, action Block) refuses it`;
  if (!token.startsOn) return `${refused}: it has no start time (st)`;
  if (!token.expiresOn) return undefined;
  const validity = token.expiresOn.getTime() - token.startsOn.getTime();
  if (validity <= period) return undefined;
  return `${refused}: its validity is ${days(validity)} days`;
}

/** "7.00:00:00" (days.hours:minutes:seconds, days optional) in milliseconds. */
export function periodMs(text: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [, d = '0', h, m, s] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}

const days = (ms: number) => (ms / DAY_MS).toFixed(ms < DAY_MS ? 2 : 0);

/** The SAS consumers the run re-issues: in scope, live, signed by a key it regenerates, renewable. */
export function toRenew(
  inventory: Inventory,
  regenerate: readonly KeyName[],
  choice: SasChoice,
): Consumer[] {
  if (choice !== 'renew') return [];
  return liveSasOf(inventory, regenerate).filter((c) => renewBlocker(c) === undefined);
}

/** The in-scope SAS consumers a regeneration of these keys breaks and the run does not renew. */
export function sasBrokenInScope(
  inventory: Inventory,
  regenerate: readonly KeyName[],
  choice: SasChoice,
): Consumer[] {
  const renewed = new Set(toRenew(inventory, regenerate, choice));
  return brokenSasOf(inventory, regenerate).filter((c) => c.inScope && !renewed.has(c));
}

/** A key whose regeneration would break a live SAS token the run does not re-issue. */
export function signsUnrenewedSas(inventory: Inventory, key: KeyName, choice: SasChoice): boolean {
  const renewed = new Set(toRenew(inventory, [key], choice));
  return liveSasOf(inventory, [key]).some((c) => !renewed.has(c));
}

/** How a SAS consumer's token stands, in the report's words. */
export function describeSas(c: Consumer): string {
  const sas = c.sas;
  if (!sas) return 'unknown: the token was not read';
  const expiry = sas.expiresOn
    ? `${sas.expired ? 'expired' : 'expires'} ${sas.expiresOn.toISOString()}`
    : sas.policy
      ? `expiry in stored access policy '${sas.policy}'`
      : 'no expiry';
  if (sas.refusedByPolicy) return `already broken: ${sas.refusedByPolicy}; ${expiry}`;
  switch (sas.signedBy) {
    case 'key1':
    case 'key2':
      return `signed by ${sas.signedBy}; ${expiry}`;
    case 'user delegation':
      return `user delegation (unaffected); ${expiry}`;
    case 'neither':
      return `neither key (already broken); ${expiry}`;
    default:
      return `unknown: ${sas.reason ?? 'no reason given'}; ${expiry}`;
  }
}
