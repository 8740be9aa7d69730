/**
 * A SAS token as the storage service reads it: `name=value` pairs joined by `&`, each value
 * percent-decoded once (a `+` is a space, as in any query string). The service signs the decoded
 * values exactly as written, so they are kept as text, never re-formatted.
 */
export interface SasToken {
  /** Every parameter but `sig`, decoded. */
  readonly fields: ReadonlyMap<string, string>;
  /** `sig`, decoded: the base64 HMAC. */
  readonly signature: string;
}

/** The token's parameters, or undefined when the text is no well-formed SAS query string. */
export function parseSasToken(text: string): SasToken | undefined {
  const query = text.startsWith('?') ? text.slice(1) : text;
  if (query === '') return undefined;
  const fields = new Map<string, string>();
  let signature: string | undefined;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) return undefined;
    const name = decode(pair.slice(0, equals));
    const value = decode(pair.slice(equals + 1));
    if (name === undefined || value === undefined) return undefined;
    if (name === 'sig') {
      if (signature !== undefined) return undefined;
      signature = value;
    } else {
      if (fields.has(name)) return undefined;
      fields.set(name, value);
    }
  }
  if (!signature || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return undefined;
  return { fields, signature };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** A query string from fields in the given order, each value percent-encoded, `sig` last. */
export function formatSasToken(fields: ReadonlyArray<[string, string]>, signature: string): string {
  return [...fields, ['sig', signature] as const]
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/**
 * The times a SAS may carry: ISO 8601 in UTC, to the day, minute, second or fraction of a second
 * ("Create a service SAS", Specify the signature validity interval).
 */
const sasTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?Z)?$/;

/** Milliseconds since the epoch, or undefined when the text is not a time a SAS may carry. */
export function parseSasTime(text: string): number | undefined {
  if (!sasTime.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** How the SDKs write a SAS time: to the second, `2026-11-30T07:49:09Z`. */
export function formatSasTime(time: number): string {
  return new Date(time).toISOString().replace(/\.\d+Z$/, 'Z');
}
