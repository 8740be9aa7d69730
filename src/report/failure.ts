import { describeLogin, loginFailureReasons, loginHint } from '../azure/credential.js';
import { DiscoveryError } from '../discover/discover.js';
import type { Inputs } from '../inputs/inputs.js';
import { describeError, redact } from '../util/secrets.js';

/** A rotation the plan refuses (it would break what it must not): stopped before the first write. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** Input, login, discovery, permission and refusal errors all come before the first write. */
export function beforeAnyWrite(error: unknown): boolean {
  return (
    error instanceof DiscoveryError ||
    (error instanceof Error &&
      ['InputError', 'PreflightError', 'RefusedError'].includes(error.name))
  );
}

/** The one message an error that ended the run is told with: whole sentences, sanitised. */
export function failureMessage(error: unknown, inputs: Inputs | undefined): string {
  if (
    error instanceof Error &&
    ['InputError', 'PreflightError', 'RefusedError'].includes(error.name)
  ) {
    return error.message;
  }
  const cause = error instanceof DiscoveryError ? error.cause : error;
  if (inputs && isLoginError(cause)) {
    const reasons = loginFailureReasons(cause)
      .map((reason) => sentence(redact(reason)))
      .join(' ');
    return `Login failed using ${describeLogin(inputs.login)}: ${reasons} ${loginHint(inputs.login)} Nothing was changed.`;
  }
  const where = error instanceof DiscoveryError ? `${error.what} failed` : 'The action failed';
  const forbidden = (cause as { statusCode?: number })?.statusCode === 403;
  const hint = forbidden
    ? ' The login lacks a permission: see the README for the role this action needs.'
    : '';
  const unchanged = error instanceof DiscoveryError ? ' Nothing was changed.' : '';
  return `${sentence(`${where}: ${describeError(cause)}`)}${hint}${unchanged}`;
}

function isLoginError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name)
  );
}

export const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
