import * as core from '@actions/core';

const knownSecrets = new Set<string>();

/** Masks a secret in the job log the moment it is read, and remembers it for sanitising. */
export function maskSecret(value: string | undefined): void {
  if (!value || knownSecrets.has(value)) return;
  knownSecrets.add(value);
  core.setSecret(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) {
    knownSecrets.add(encoded);
    core.setSecret(encoded);
  }
}

const REDACTIONS: [RegExp, string][] = [
  [
    /\b(AccountKey|SharedAccessSignature|sig|key|sasToken|clientSecret)(["']?\s*[=:]\s*["']?)[^"'&;,\s}]+/gi,
    '$1$2[redacted]',
  ],
];

// A storage key is 64 random bytes in base64. A long base64-shaped run is treated as a key unless
// it has no base64 padding and its slashes come as often as in a URL path (random base64 has about
// one '/' in 64 characters).
const KEY_SHAPED = /[A-Za-z0-9+/]{40,}={0,2}/g;
const looksRandom = (run: string) =>
  run.endsWith('=') || (/\d/.test(run) && (run.match(/\//g)?.length ?? 0) <= run.length / 16);

/** Removes every known secret and anything key-shaped from a text bound for a log, summary or report. */
export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) result = result.split(secret).join('[redacted]');
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement);
  return result.replace(KEY_SHAPED, (run) => (looksRandom(run) ? '[redacted]' : run));
}

interface ServiceErrorShape {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { error?: { code?: string; message?: string } };
  /** Azure's id of the request, for a support case: on SDK errors, a header of the response. */
  correlationId?: string;
  response?: { headers?: { get?: (name: string) => string | undefined } };
}

/**
 * Reduces any error to "status code: message (correlation ID …)", sanitised. SDK errors carry the
 * request and response (bodies included); only these fields ever leave this function.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redact(String(error));
  const e = error as Error & ServiceErrorShape;
  const code = e.details?.error?.code ?? e.code;
  const message = e.details?.error?.message ?? e.message;
  const parts = [e.statusCode ? String(e.statusCode) : undefined, code].filter(Boolean).join(' ');
  const correlation = e.correlationId ?? e.response?.headers?.get?.('x-ms-correlation-request-id');
  // Redacted before it is cut: a key across the cut would leave a fragment nothing recognises.
  const line = truncate(redact(firstLine(message)));
  const text = parts ? `${parts}: ${line}` : line;
  return redact(correlation ? `${text} (correlation ID ${correlation})` : text);
}

function firstLine(message: string | undefined): string {
  const text = (message ?? 'unknown error').trim();
  return text.split(/\r?\n/)[0] ?? text;
}

const truncate = (line: string) => (line.length > 500 ? `${line.slice(0, 500)}…` : line);

// A connection string, a SAS token (its signature or version field), or a storage key alone.
const SECRET_MARKERS = /\b(AccountKey|SharedAccessSignature)\s*=|[?&]sig=|(^|[?&])sv=\d{4}-/i;
const KEY_TOKEN = /^[A-Za-z0-9+/]{40,}={0,2}$/;

/**
 * Whether an input's value looks like a secret (a key, a SAS token, a connection string): such a
 * value is masked and never echoed, not even in the error that says the input is wrong.
 */
export function looksLikeSecret(value: string): boolean {
  if (SECRET_MARKERS.test(value)) return true;
  return value.split(/\s+/).some((token) => KEY_TOKEN.test(token) && looksRandom(token));
}
