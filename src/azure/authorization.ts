import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from './cloud.js';
import type { AzurePort, Permission, SignedInPrincipal } from './port.js';
import type { ArmRest } from './rest.js';
import { subscriptionOf } from '../util/resource-id.js';

const PERMISSIONS_API_VERSION = '2022-04-01';

type AuthorizationOperations = Pick<AzurePort, 'permissions' | 'signedInPrincipal'>;

interface WirePermission {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

/** What the login may do at a scope, and who it is (for the access policies of Key Vaults). */
export function createAuthorizationOperations(
  tokens: TokenCredential,
  cloud: Cloud,
  rest: (subscriptionId: string) => ArmRest,
): AuthorizationOperations {
  return {
    async permissions(scopeId) {
      const subscriptionId = subscriptionOf(scopeId);
      const pages = await rest(subscriptionId).list<WirePermission>(
        `${scopeId}/providers/Microsoft.Authorization/permissions`,
        PERMISSIONS_API_VERSION,
      );
      return pages.map((p): Permission => ({
        actions: p.actions ?? [],
        notActions: p.notActions ?? [],
        dataActions: p.dataActions ?? [],
        notDataActions: p.notDataActions ?? [],
      }));
    },

    async signedInPrincipal() {
      const token = await tokens.getToken(cloud.armScope);
      return token ? principalOfToken(token.token) : undefined;
    },
  };
}

/**
 * The principal an access token names. The payload is read without checking the signature: it is
 * the run's own token, just handed out by the login, and only tells which access policies apply.
 */
export function principalOfToken(token: string): SignedInPrincipal | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  const text = (name: string) => {
    const value = claims?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const objectId = text('oid');
  if (!objectId) return undefined;
  const tenantId = text('tid');
  // v1 tokens name the application in appid, v2 tokens in azp.
  const applicationId = text('appid') ?? text('azp');
  return {
    objectId,
    ...(tenantId ? { tenantId } : {}),
    ...(applicationId ? { applicationId } : {}),
  };
}
