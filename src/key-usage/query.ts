/**
 * The one Log Analytics query a run makes per storage account: who used each account key, read
 * from the storage resource logs. It is printed in the README so it can be run in the portal.
 *
 * Meaning (the emulator answers it from its own model of storage traffic with this meaning):
 * - Requests: those in the four storage log tables in the last `lookback`, authorised with Shared
 *   Key or a SAS (AuthenticationType AccountKey or SAS), that either name the key that signed them
 *   (AuthenticationHash `key1(<hash>)` or `key2(<hash>)`, a SAS also `,SasSignature(<hash>)`) or
 *   were refused (401/403, whose hash may name no key).
 * - One row per key (Key: key1, key2, or empty for a refusal that names none), key value
 *   (KeyHash: the hash in upper case), AuthenticationType, caller IP (CallerIpAddress without its
 *   port) and user agent (UserAgentHeader without quotes): Requests, Succeeded (status 2xx/3xx),
 *   Refused (401/403), Services (ServiceType, at most 8), Operations (OperationName, at most 20),
 *   FirstSeen and LastSeen (TimeGenerated).
 * - With each row, the totals of its key value over every caller: KeyRequests, KeyCallers.
 * - Per key value, only the MAX_CALLERS callers with the most requests (ties: latest first).
 */
export const KEY_USAGE_TABLES = [
  'StorageBlobLogs',
  'StorageFileLogs',
  'StorageQueueLogs',
  'StorageTableLogs',
] as const;

/** Callers kept per key value; the totals still count every caller. */
export const MAX_CALLERS = 50;

/** The columns of the answer, in order. */
export const KEY_USAGE_COLUMNS = [
  ['Key', 'string'],
  ['KeyHash', 'string'],
  ['AuthenticationType', 'string'],
  ['CallerIp', 'string'],
  ['UserAgent', 'string'],
  ['Requests', 'long'],
  ['Succeeded', 'long'],
  ['Refused', 'long'],
  ['Services', 'dynamic'],
  ['Operations', 'dynamic'],
  ['FirstSeen', 'datetime'],
  ['LastSeen', 'datetime'],
  ['KeyRequests', 'long'],
  ['KeyCallers', 'long'],
] as const;

export type KeyUsageColumn = (typeof KEY_USAGE_COLUMNS)[number][0];

export const DEFAULT_LOOKBACK_DAYS = 7;

/** The query over the last `lookbackDays` days (a whole number of days). */
export function keyUsageQuery(lookbackDays: number = DEFAULT_LOOKBACK_DAYS): string {
  if (!Number.isInteger(lookbackDays) || lookbackDays < 1) {
    throw new RangeError(`lookbackDays must be a whole number of days, not ${lookbackDays}`);
  }
  const columns = KEY_USAGE_COLUMNS.map(([name]) => name).join(', ');
  return `// Who used each account key of this storage account (aml-storage-key-rotation).
let lookback = ${lookbackDays}d;
let maxCallers = ${MAX_CALLERS};
let requests = union isfuzzy=true ${KEY_USAGE_TABLES.join(', ')}
    | where TimeGenerated > ago(lookback)
    | where AuthenticationType in ("AccountKey", "SAS")
    | extend Key = extract(@"^(key[12])\\(", 1, AuthenticationHash),
        KeyHash = toupper(extract(@"^key[12]\\(([0-9A-Fa-f]+)\\)", 1, AuthenticationHash)),
        IsRefused = StatusCode in ("401", "403")
    | where isnotempty(Key) or IsRefused
    | extend CallerIp = coalesce(
            extract(@"^([0-9]{1,3}(\\.[0-9]{1,3}){3}):[0-9]+$", 1, CallerIpAddress),
            extract(@"^\\[([0-9A-Fa-f:.]+)\\]:[0-9]+$", 1, CallerIpAddress),
            CallerIpAddress),
        UserAgent = trim(@'"', UserAgentHeader);
let usage = requests
    | summarize Requests = count(),
        Succeeded = countif(StatusCode startswith "2" or StatusCode startswith "3"),
        Refused = countif(IsRefused),
        Services = make_set(ServiceType, 8),
        Operations = make_set(OperationName, 20),
        FirstSeen = min(TimeGenerated),
        LastSeen = max(TimeGenerated)
        by Key, KeyHash, AuthenticationType, CallerIp, UserAgent;
usage
| join kind=inner (
    usage | summarize KeyRequests = sum(Requests), KeyCallers = count() by Key, KeyHash
    ) on Key, KeyHash
| order by Key asc, KeyHash asc, Requests desc, LastSeen desc, CallerIp asc, UserAgent asc
| extend Rank = row_number(1, prev(Key) != Key or prev(KeyHash) != KeyHash)
| where Rank <= maxCallers
| project ${columns}
`;
}
