import { randomUUID } from 'node:crypto';
import { json, type Reply } from '../http.js';

/**
 * What Microsoft Entra ID answers around a token request: instance discovery, a tenant's OpenID
 * configuration, and its error replies (AADSTS codes). The token endpoint is identity.ts.
 */

const knownAliases = new Set(['common', 'organizations', 'consumers']);

export function instanceDiscovery(baseUrl: string, query: URLSearchParams): Reply {
  const host = new URL(baseUrl).host;
  const authorizationEndpoint = query.get('authorization_endpoint') ?? '';
  const tenant = /\/\/[^/]+\/([^/]+)\//.exec(authorizationEndpoint)?.[1] ?? 'common';
  return json(200, {
    tenant_discovery_endpoint: `${baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

export function openidConfiguration(baseUrl: string, tenant: string, tenantId: string): Reply {
  const unknown = unknownTenant(tenant, tenantId);
  if (unknown) return unknown;
  const authority = `${baseUrl}/${tenant}`;
  const issuerTenant = knownAliases.has(tenant.toLowerCase()) ? '{tenantid}' : tenantId;
  return json(200, {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${baseUrl}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  });
}

/** The 400 for a tenant other than the scenario's (and Entra's aliases); undefined if known. */
export function unknownTenant(tenant: string, tenantId: string): Reply | undefined {
  const lower = tenant.toLowerCase();
  if (lower === tenantId.toLowerCase() || knownAliases.has(lower)) return undefined;
  return entraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

export function entraError(
  status: number,
  error: string,
  code: number,
  description: string,
): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: correlationId,
  });
}
