// A SAS token re-signed by another key: the same literal fields (permissions, resource, resource
// types, services, start, expiry, IP range, protocol, stored access policy, signed version,
// response headers), a new signature. Pure; never returns the key, and the caller masks the token.
import { createHmac } from 'node:crypto';
import type { SasResource } from './string-to-sign.js';
import { stringToSign } from './string-to-sign.js';
import { readToken } from './token.js';

export type Reissued = { readonly ok: true; readonly token: string } | Refused;
type Refused = { readonly ok: false; readonly reason: string };

/**
 * Recomputes the HMAC-SHA256 over the token's own string-to-sign with `key` (base64, as listKeys
 * gives it) and puts it in place of the `sig` parameter: every other byte of the query string is
 * kept, so the token says exactly what it said, signed by another key. A user delegation token or
 * one whose string-to-sign cannot be rebuilt cannot be re-issued: the reason says why.
 */
export function reissue(
  token: string,
  account: string,
  key: string,
  resource?: SasResource,
): Reissued {
  const { parsed } = readToken(token);
  const text = stringToSign(parsed, account, resource);
  if (!text.ok) return refuse(text.reason);
  if (text.newerThanKnown) {
    return refuse(
      `signed version ${parsed.version} is newer than the newest whose layout is known: a signature over it might not validate`,
    );
  }
  const secret = Buffer.from(key, 'base64');
  if (secret.length === 0) return refuse('the signing key is empty or not base64');
  const signature = createHmac('sha256', secret).update(text.value, 'utf8').digest('base64');
  return withSignature(token, encodeURIComponent(signature));
}

/** The token with its one `sig` parameter's value replaced; the rest of the text untouched. */
function withSignature(token: string, encoded: string): Reissued {
  const text = token.trim();
  const start = text.indexOf('?');
  const head = start === -1 ? '' : text.slice(0, start + 1);
  const pieces = (start === -1 ? text : text.slice(start + 1)).split('&');
  const at = pieces.flatMap((piece, index) => (nameOf(piece) === 'sig' ? [index] : []));
  if (at.length !== 1) {
    return refuse(at.length === 0 ? 'there is no signature (sig)' : 'the signature appears twice');
  }
  pieces[at[0]!] = `${pieces[at[0]!]!.split('=')[0]}=${encoded}`;
  return { ok: true, token: `${head}${pieces.join('&')}` };
}

function nameOf(piece: string): string | undefined {
  const raw = piece.split('=')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function refuse(reason: string): Refused {
  return { ok: false, reason };
}
