/**
 * The account's SAS expiration policy (`properties.sasPolicy`).
 *
 * How Azure measures a token against it, from "Configure an expiration policy for shared access
 * signatures" (https://learn.microsoft.com/azure/storage/common/sas-expiration-policy, revised
 * 2025-07-30): the validity interval is the signed expiry minus the signed start (se − st); a SAS
 * complies when that is at most the policy's period. "Out-of-policy SAS are those which do not
 * have a signed start or have a validity interval larger than the upper limit" — so a token
 * without `st` is out of policy (it is not measured from the time of the request). With the
 * Block action requests with an out-of-policy SAS are denied; with Log (the default) they are
 * allowed and logged. The policy covers user delegation, service and account SAS alike.
 */

export interface SasPolicySetting {
  /** `d.hh:mm:ss`, e.g. "1.00:00:00" for one day. */
  sasExpirationPeriod: string;
  expirationAction?: 'Log' | 'Block';
}

export interface SasPolicyRule {
  blocks: boolean;
  /** Why a token with this start and expiry is out of policy; undefined when it complies. */
  outOfPolicy(start: number | undefined, expiry: number): string | undefined;
}

/** A .NET TimeSpan as ARM writes it: `d.hh:mm:ss` (days may be left out). */
const period = /^(?:(\d+)\.)?(\d{2}):(\d{2}):(\d{2})$/;

/** The period in milliseconds, or undefined when the text is not `d.hh:mm:ss`. */
export function parseExpirationPeriod(text: string): number | undefined {
  const match = period.exec(text);
  if (!match) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

export function sasPolicyRule(setting: SasPolicySetting): SasPolicyRule {
  const limit = parseExpirationPeriod(setting.sasExpirationPeriod);
  if (limit === undefined)
    throw new Error(`sasExpirationPeriod ${setting.sasExpirationPeriod} is not d.hh:mm:ss`);
  return {
    blocks: setting.expirationAction === 'Block',
    outOfPolicy: (start, expiry) => {
      if (start === undefined) return 'no signed start (st)';
      if (expiry - start > limit)
        return `valid for longer (se − st) than ${setting.sasExpirationPeriod}`;
      return undefined;
    },
  };
}
