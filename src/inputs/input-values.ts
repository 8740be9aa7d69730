import type { Login } from '../azure/credential.js';
import { CLOUD_NAMES, cloudByName, type Cloud, type CloudName } from '../azure/cloud.js';

/** Inputs that are one value each: parsed, or a problem pushed that names the input. */

// Letters, digits, '-', '_', '.', '(' and ')', not ending in a period (so never '.' or '..').
export const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';

export function parseBoolean(name: string, value: string, fallback: boolean, problems: string[]) {
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  problems.push(`${name} '${value}' is not a boolean. Use true or false.`);
  return fallback;
}

export const parseOptionalNumber = (name: string, value: string, problems: string[]) =>
  parsePositive(name, value, 'days', problems);

export function parsePositive(name: string, value: string, unit: string, problems: string[]) {
  if (value === '') return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || n <= 0) {
    problems.push(`${name} '${value}' is not a positive number of ${unit}.`);
    return undefined;
  }
  return n;
}

/** 30: see resync-timeout-minutes in action.yml. */
export const DEFAULT_RESYNC_TIMEOUT_MINUTES = 30;

/** 16: see Performance in the README (the measurements that chose it). */
const DEFAULT_CONCURRENCY = 16;

export const parseConcurrency = (value: string, problems: string[]) =>
  parseWholeNumber('concurrency', value, { least: 1, most: 64 }, DEFAULT_CONCURRENCY, problems);

/** The look-back window of the key-usage evidence: 7 days unless set. */
export const parseKeyUsageDays = (value: string, problems: string[]) =>
  parseWholeNumber('key-usage-days', value, { least: 1, most: 730, unit: 'days' }, 7, problems);

/** require-unused-days: off unless set; a whole number of days the key-usage query can cover. */
export const parseRequireUnusedDays = (value: string, problems: string[]) =>
  parseWholeNumber(
    'require-unused-days',
    value,
    { least: 1, most: 730, unit: 'days' },
    undefined,
    problems,
  );

/** A whole number within a range; `fallback` when the input is empty or wrong (a problem says which). */
function parseWholeNumber<F extends number | undefined>(
  name: string,
  value: string,
  range: { least: number; most: number; unit?: string },
  fallback: F,
  problems: string[],
): number | F {
  if (value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < range.least || n > range.most) {
    const unit = range.unit ? ` of ${range.unit}` : '';
    problems.push(
      `${name} '${value}' is not a whole number${unit} from ${range.least} to ${range.most}.`,
    );
    return fallback;
  }
  return n;
}

/** One of a fixed set of words, case-insensitive; '' gives the default. */
export function parseChoice<C extends string>(
  name: string,
  value: string,
  choices: readonly C[],
  fallback: C,
  problems: string[],
  meanings?: string,
): C {
  if (value === '') return fallback;
  const choice = choices.find((c) => c === value.toLowerCase());
  if (choice) return choice;
  const explained = meanings ? ` (${meanings})` : '';
  problems.push(`${name} '${value}' is not one of: ${choices.join(', ')}${explained}.`);
  return fallback;
}

export function parseCloud(
  name: string,
  armEndpoint: string,
  problems: string[],
  logsEndpoint = '',
): Cloud | undefined {
  const cloudName =
    name === '' ? 'AzureCloud' : CLOUD_NAMES.find((c) => c.toLowerCase() === name.toLowerCase());
  if (!cloudName) {
    problems.push(`environment '${name}' is not one of: ${CLOUD_NAMES.join(', ')}.`);
    return undefined;
  }
  if (armEndpoint && !isHttpsUrl(armEndpoint)) {
    problems.push(`arm-endpoint '${armEndpoint}' is not an https:// URL.`);
    return undefined;
  }
  if (logsEndpoint && !isHttpsUrl(logsEndpoint)) {
    problems.push(`logs-endpoint '${logsEndpoint}' is not an https:// URL.`);
    return undefined;
  }
  return cloudByName(cloudName as CloudName, armEndpoint || undefined, logsEndpoint || undefined);
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export function parseLogin(
  clientId: string,
  tenantId: string,
  audience: string,
  problems: string[],
): Login {
  if (!clientId && !tenantId) return { kind: 'ambient' };
  if (!clientId || !tenantId) {
    problems.push(
      'client-id and tenant-id go together: give both to log in with GitHub OIDC, or neither to use the azure/login session.',
    );
    return { kind: 'ambient' };
  }
  if (!GUID.test(clientId)) problems.push(`client-id '${clientId}' is not a GUID.`);
  if (!GUID.test(tenantId) && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(tenantId)) {
    problems.push(`tenant-id '${tenantId}' is not a tenant GUID or domain.`);
  }
  return { kind: 'oidc', clientId, tenantId, audience: audience || DEFAULT_AUDIENCE };
}
