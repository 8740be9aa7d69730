// Reading a SAS token. Pure: no I/O, no logging. The signature is kept out of everything this
// file exports; only signedBy (through readToken) ever sees it.

/** Where a SAS token's authority comes from, told by its own parameters. */
export type SasKind =
  /** `sr`: a container, blob, directory, share or file, signed with an account key. */
  | 'service'
  /** `ss` and `srt`: signed with an account key. */
  | 'account'
  /** `skoid`, `sktid`, …: signed with a user delegation key (Entra ID), not an account key. */
  | 'user delegation'
  /** A queue or table SAS, or nothing recognisable. */
  | 'other';

export interface ParsedSas {
  readonly kind: SasKind;
  /**
   * Every parameter except the signature, percent-decoded and otherwise exactly as written:
   * permissions keep their order, times their format. The service signs these literal values.
   */
  readonly params: ReadonlyMap<string, string>;
  /** `sv`, the signed version: which fields the string-to-sign has. */
  readonly version?: string;
  /** `sp`, literal. */
  readonly permissions?: string;
  /** `sr` (service SAS): c container, b blob, bs snapshot, bv version, d directory, s share, f file. */
  readonly resource?: string;
  /** `ss` (account SAS): b, f, q, t. */
  readonly services?: string;
  /** `srt` (account SAS): s, c, o. */
  readonly resourceTypes?: string;
  /** `si`: a stored access policy on the container or share, which may hold the expiry. */
  readonly identifier?: string;
  /** `ses`, from 2020-12-06. */
  readonly encryptionScope?: string;
  /** `st` read as a time; undefined when absent or unreadable. */
  readonly startsOn?: Date;
  /** `se` read as a time; undefined when absent (a stored policy's expiry) or unreadable. */
  readonly expiresOn?: Date;
  readonly hasSignature: boolean;
  /**
   * Why the token's fields cannot be signed over; empty when they parsed cleanly. Never quotes a
   * value. (A missing or malformed signature is not one: see hasSignature, and signedBy's reason.)
   */
  readonly problems: readonly string[];
}

const USER_DELEGATION_PARAMS = ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv'];

/**
 * Parses a SAS query string, with or without its leading `?` (anything up to the first `?` is
 * dropped, so a whole URL works too). `+` stays `+`, as in the signature's base64.
 */
export function parseSasToken(token: string): ParsedSas {
  return readToken(token).parsed;
}

/** For signedBy only: the parsed token, and its signature bytes or why there are none. */
export function readToken(
  token: string,
): { parsed: ParsedSas; signature: Buffer } | { parsed: ParsedSas; signatureProblem: string } {
  const problems: string[] = [];
  const params = new Map<string, string>();
  let signature: string | undefined;
  let signatureProblem: string | undefined;

  const query = token.trim();
  const start = query.indexOf('?');
  const pieces = (start === -1 ? query : query.slice(start + 1)).split('&');
  pieces.forEach((piece, index) => {
    if (piece === '') return;
    const equals = piece.indexOf('=');
    const rawName = equals === -1 ? piece : piece.slice(0, equals);
    const rawValue = equals === -1 ? '' : piece.slice(equals + 1);
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === undefined || value === undefined) {
      problems.push(`parameter ${index + 1} is not valid percent-encoding`);
      return;
    }
    if (name === 'sig') {
      if (signature !== undefined) signatureProblem = 'the signature (sig) appears twice';
      // A form decoder turns '+' into ' '; base64 has no spaces, so put them back.
      signature = value.replaceAll(' ', '+');
      return;
    }
    if (params.has(name)) {
      problems.push(`${nameForMessage(name)} appears twice`);
      return;
    }
    params.set(name, value);
  });

  if (signature === undefined || signature === '') {
    signatureProblem ??= 'there is no signature (sig)';
  } else if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
    signatureProblem ??= 'the signature (sig) is not base64';
  }

  const st = params.get('st');
  const se = params.get('se');
  const startsOn = st === undefined ? undefined : parseSasTime(st);
  const expiresOn = se === undefined ? undefined : parseSasTime(se);
  if (st !== undefined && startsOn === undefined) {
    problems.push('the start time (st) is unreadable');
  }
  if (se !== undefined && expiresOn === undefined) {
    problems.push('the expiry (se) is unreadable');
  }

  const parsed: ParsedSas = {
    kind: kindOf(params),
    params,
    version: params.get('sv'),
    permissions: params.get('sp'),
    resource: params.get('sr'),
    services: params.get('ss'),
    resourceTypes: params.get('srt'),
    identifier: params.get('si'),
    encryptionScope: params.get('ses'),
    startsOn,
    expiresOn,
    hasSignature: signature !== undefined && signature !== '',
    problems,
  };
  if (signatureProblem === undefined && signature !== undefined) {
    return { parsed, signature: Buffer.from(signature, 'base64') };
  }
  return { parsed, signatureProblem: signatureProblem ?? 'there is no signature (sig)' };
}

function kindOf(params: ReadonlyMap<string, string>): SasKind {
  if (USER_DELEGATION_PARAMS.some((name) => params.has(name))) return 'user delegation';
  if (params.has('sr')) return 'service';
  if (params.has('ss') || params.has('srt')) return 'account';
  return 'other';
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Parameter names are quoted in messages only when they look like one. */
function nameForMessage(name: string): string {
  return /^[a-z]{1,8}$/i.test(name) ? `the parameter ${name}` : 'a parameter';
}

const SAS_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a SAS time the way the service accepts it: ISO 8601 as a date (`2030-01-31`), to the
 * minute (`2030-01-31T12:00Z`), to the second, or with a fraction (`…:00.1234567Z`). No zone
 * means UTC.
 */
export function parseSasTime(text: string): Date | undefined {
  const match = SAS_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match as unknown as [
    string,
    string,
    string,
    string,
    string?,
    string?,
    string?,
    string?,
    string?,
  ];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const millis = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(utc + millis - offsetMinutes * 60_000);
}
