import * as core from '@actions/core';
import type { GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  ChainedTokenCredential,
  ClientAssertionCredential,
  CredentialUnavailableError,
  EnvironmentCredential,
  type ClientAssertionCredentialOptions,
} from '@azure/identity';
import type { Cloud } from './cloud.js';

/** How the action logs in: GitHub OIDC with an app registration, or what the runner already has. */
export type Login =
  { kind: 'oidc'; clientId: string; tenantId: string; audience: string } | { kind: 'ambient' };

/**
 * The login chain. OIDC when client-id and tenant-id are given; otherwise the environment's
 * service principal, then the Azure CLI session azure/login leaves. The managed-identity endpoint
 * is never probed: a runner with a managed identity logs in through azure/login's identity mode.
 */
export function createCredential(login: Login, cloud: Cloud): TokenCredential {
  const authorityHost = process.env.AZURE_AUTHORITY_HOST || cloud.authorityHost;
  const authority = {
    authorityHost,
    // Instance discovery asks the public cloud about the authority: only meaningful for the
    // cloud's own authority (sovereign clouds and test stand-ins are not in its list).
    disableInstanceDiscovery: authorityHost.replace(/\/+$/, '') !== cloud.authorityHost,
  };
  if (login.kind === 'oidc') return new GitHubOidcCredential(login, authority);
  return new ChainedTokenCredential(new EnvironmentCredential(authority), new AzureCliCredential());
}

/** Every message of an OIDC login failure names the GitHub ID token; MSAL keeps the message. */
const ID_TOKEN = 'GitHub ID token';

/**
 * A GitHub ID token exchanged at Microsoft Entra for an access token. Every failure, getting the ID
 * token or exchanging it, is reported as a login failure (CredentialUnavailableError): MSAL turns
 * any error from the assertion callback or from Entra into an AuthenticationRequiredError, which
 * would otherwise read as a failed Azure call rather than a failed login.
 */
class GitHubOidcCredential extends ClientAssertionCredential {
  /** The ID token of the token request under way. */
  private readonly assertion: { pending?: Promise<string> };

  constructor(login: Extract<Login, { kind: 'oidc' }>, options: ClientAssertionCredentialOptions) {
    // A GitHub ID token lives minutes: ask for a fresh one every time a token is needed, and once
    // per token request. MSAL calls the callback twice per request (for its client configuration,
    // then for the request itself): without this, a second round trip to GitHub, in series.
    const assertion: { pending?: Promise<string> } = {};
    super(
      login.tenantId,
      login.clientId,
      () => (assertion.pending ??= githubIdToken(login.audience)),
      options,
    );
    this.assertion = assertion;
  }

  override async getToken(scopes: string | string[], options?: GetTokenOptions) {
    this.assertion.pending = undefined;
    try {
      return await super.getToken(scopes, options);
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CredentialUnavailableError(
        message.includes(ID_TOKEN)
          ? message
          : `exchanging the ${ID_TOKEN} at Microsoft Entra failed: ${message}`,
      );
    }
  }
}

async function githubIdToken(audience: string): Promise<string> {
  // GitHub sets both only in a job with 'permissions: id-token: write'.
  const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter(
    (name) => !process.env[name],
  );
  if (missing.length > 0) {
    const verb = missing.length > 1 ? 'are' : 'is';
    throw new CredentialUnavailableError(
      `the job cannot request a ${ID_TOKEN}: ${missing.join(' and ')} ${verb} not set, as in a job without 'permissions: id-token: write'.`,
    );
  }
  try {
    return await core.getIDToken(audience);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CredentialUnavailableError(
      `the ${ID_TOKEN} request failed: ${idTokenFailure(message)}`,
    );
  }
}

/**
 * @actions/core reports a failed ID-token request over several lines ("Error message: Failed to get
 * ID Token. \n Error Code : 501\n Error Message: Not implemented"): one sentence, status and reason.
 */
function idTokenFailure(message: string): string {
  const code = /Error Code\s*:\s*(\S+)/.exec(message)?.[1];
  const reason = /Error Message:\s*([\s\S]*)$/.exec(message)?.[1];
  const text = code && reason ? `${code} ${reason}` : message.replace(/^Error message:\s*/, '');
  const line = text.replace(/\s+/g, ' ').trim();
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

export function describeLogin(login: Login): string {
  return login.kind === 'oidc'
    ? `GitHub OIDC (client ${login.clientId}, tenant ${login.tenantId})`
    : 'the service principal in AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or else the Azure CLI session from azure/login';
}

export function loginHint(login: Login, env: NodeJS.ProcessEnv = process.env): string {
  if (login.kind === 'oidc') {
    return "Make sure the job has 'permissions: id-token: write' and the app registration has a federated credential for this repository and branch or environment.";
  }
  return env.AZURE_CLIENT_ID
    ? 'Check AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or remove them to use the azure/login session.'
    : 'Add an azure/login step before this action (or give client-id and tenant-id to log in with OIDC).';
}

/**
 * The reasons of a failed login. A chain fails with one error per credential it tried
 * ("ChainedTokenCredential authentication failed." alone says nothing): keep the first line of each,
 * ended as a sentence so the reasons and the hint after them read apart.
 */
export function loginFailureReasons(error: unknown): string[] {
  const inner = (error as { errors?: unknown[] })?.errors;
  const all = Array.isArray(inner) && inner.length > 0 ? inner : [error];
  return all.map((e) => {
    const line = (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0]!.trim();
    return /[.!?]$/.test(line) ? line : `${line}.`;
  });
}
