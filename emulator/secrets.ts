import { randomBytes, randomUUID } from 'node:crypto';

/** A storage account key: 64 random bytes, base64, like the real ones. Never stored in files. */
export function newStorageKey(): string {
  return randomBytes(64).toString('base64');
}

/** Looks like an Entra application secret ("xxx8Q~…"). */
export function newClientSecret(): string {
  return `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url')}`;
}

export function newCertificateSecret(): string {
  return randomBytes(96).toString('base64');
}

/** A JWT-shaped token with a random signature: parseable by clients, verifiable by nobody. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', kid: 'aml-emulator' };
  return `${encode(header)}.${encode({ jti: randomUUID(), ...claims })}.${randomBytes(32).toString('base64url')}`;
}

export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Looks like a service API key or personal access token: 32 random bytes, hex. */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}
