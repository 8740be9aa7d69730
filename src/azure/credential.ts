import * as core from '@actions/core';
import type { TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  ChainedTokenCredential,
  ClientAssertionCredential,
  EnvironmentCredential,
} from '@azure/identity';
import type { Cloud } from '../cloud.js';
import type { Login } from '../inputs.js';

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
  if (login.kind === 'oidc') {
    // A GitHub ID token lives minutes: ask for a fresh one every time a token is needed.
    return new ClientAssertionCredential(
      login.tenantId,
      login.clientId,
      () => core.getIDToken(login.audience),
      authority,
    );
  }
  return new ChainedTokenCredential(new EnvironmentCredential(authority), new AzureCliCredential());
}

export function describeLogin(login: Login): string {
  return login.kind === 'oidc'
    ? `GitHub OIDC (client ${login.clientId}, tenant ${login.tenantId})`
    : 'the service principal in AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or else the Azure CLI session from azure/login';
}

export function loginHint(login: Login): string {
  return login.kind === 'oidc'
    ? "Make sure the job has 'permissions: id-token: write' and the app registration has a federated credential for this repository and branch or environment."
    : 'Add an azure/login step before this action (or give client-id and tenant-id to log in with OIDC).';
}
