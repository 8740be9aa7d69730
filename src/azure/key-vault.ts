import type { TokenCredential } from '@azure/core-auth';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type Pipeline,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { keyVaultAuthenticationPolicy } from '@azure/keyvault-common';
import {
  SecretClient,
  type SecretProperties as SdkSecretProperties,
} from '@azure/keyvault-secrets';
import type { Cloud } from './cloud.js';
import { resourceId, type ResourceRef } from '../util/resource-id.js';
import { maskSecret } from '../util/secrets.js';
import type { AzurePort, SecretProperties, Vault } from './port.js';
import type { ArmRest } from './rest.js';

/** Microsoft.KeyVault/vaults: a stable version with enableRbacAuthorization and access policies. */
const VAULTS_API_VERSION = '2023-07-01';
/** The Key Vault data plane's version; what @azure/keyvault-secrets 4.10 speaks. */
const SECRETS_API_VERSION = '7.6';
export const VAULTS = ['Microsoft.KeyVault', 'vaults'] as const;

export type KeyVaultOperations = Pick<
  AzurePort,
  'listVaults' | 'getVault' | 'listSecretProperties' | 'getSecret' | 'setSecret'
>;

/**
 * Key Vaults through Resource Manager (on the pipeline of the other ARM calls), their secrets
 * through the data plane with the same credential. The token's scope comes from the vault's own
 * 401 challenge, as the SDK does it.
 */
export function createKeyVaultOperations(
  tokens: TokenCredential,
  cloud: Cloud,
  rest: (subscriptionId: string) => ArmRest,
): KeyVaultOperations {
  const clients = new Map<string, SecretClient>();
  const pipelines = new Map<string, Pipeline>();
  const httpClient = createDefaultHttpClient();
  // The SDK checks that the challenge's resource is a parent domain of the vault's host; a vault
  // outside the cloud's suffix (an emulator on 127.0.0.1) cannot pass that check.
  const challengeOptions = (vaultUri: string) => ({
    disableChallengeResourceVerification: !onCloudHost(vaultUri, cloud),
  });
  const secrets = (vaultUri: string) =>
    memo(clients, vaultUri, () => new SecretClient(vaultUri, tokens, challengeOptions(vaultUri)));
  // SecretClient.setSecret drops contentType from the request (Azure/azure-sdk-for-js#38300, in
  // 4.10 and later), and so does updateSecretProperties: a new version is written with the same
  // authentication policy, retries and throttling handling, as a plain PUT.
  const writer = (vaultUri: string) =>
    memo(pipelines, vaultUri, () => {
      const pipeline = createPipelineFromOptions({});
      pipeline.addPolicy(keyVaultAuthenticationPolicy(tokens, challengeOptions(vaultUri)));
      return pipeline;
    });
  // The SDK's Key Vault challenge policy sends a pipeline's first request without its body, keeping
  // that one body aside until the challenge is answered: two first writes at once lose a body (the
  // service answers 400). The first write to a vault goes alone; the others wait for it.
  const firstWrites = new Map<string, Promise<unknown>>();
  const sendWrite = async (vaultUri: string, request: PipelineRequest) => {
    const first = firstWrites.get(vaultUri);
    if (!first) {
      const sent = writer(vaultUri).sendRequest(httpClient, request);
      firstWrites.set(vaultUri, sent);
      return sent;
    }
    await first.catch(() => undefined);
    return writer(vaultUri).sendRequest(httpClient, request);
  };

  return {
    async listVaults(subscriptionId) {
      const vaults = await rest(subscriptionId).list<WireVault>(
        `/subscriptions/${subscriptionId}/providers/${VAULTS.join('/')}`,
        VAULTS_API_VERSION,
      );
      return vaults.map((v) => toVault(v, subscriptionId));
    },

    async getVault(ref) {
      const vault = await rest(ref.subscriptionId).send<WireVault>(
        'GET',
        resourceId(ref, ...VAULTS),
        VAULTS_API_VERSION,
      );
      return toVault(vault, ref.subscriptionId, ref);
    },

    async listSecretProperties(vaultUri) {
      const found: SecretProperties[] = [];
      for await (const p of secrets(vaultUri).listPropertiesOfSecrets())
        found.push(toProperties(p));
      return found;
    },

    async getSecret(vaultUri, name, version) {
      const secret = await secrets(vaultUri).getSecret(name, version ? { version } : {});
      maskSecret(secret.value);
      return { value: secret.value ?? '', properties: toProperties(secret.properties) };
    },

    async setSecret(vaultUri, name, version) {
      maskSecret(version.value);
      const request = createPipelineRequest({
        url: `${vaultUri.replace(/\/+$/, '')}/secrets/${encodeURIComponent(name)}?api-version=${SECRETS_API_VERSION}`,
        method: 'PUT',
      });
      request.headers = createHttpHeaders({ 'Content-Type': 'application/json' });
      request.body = JSON.stringify({
        value: version.value,
        ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
        ...(version.tags ? { tags: version.tags } : {}),
        attributes: {
          enabled: true,
          ...(version.expiresOn ? { exp: Math.floor(version.expiresOn.getTime() / 1000) } : {}),
        },
      });
      const response = await sendWrite(vaultUri, request);
      const text = response.bodyAsText ?? '';
      if (response.status !== 200) throw dataPlaneError(response.status, text);
      return fromBundle(JSON.parse(text) as WireSecretBundle);
    },
  };
}

/** The vault's host is under the cloud's Key Vault suffix (or is a vault of a cloud at all). */
function onCloudHost(vaultUri: string, cloud: Cloud): boolean {
  try {
    return new URL(vaultUri).hostname.toLowerCase().endsWith(`.${cloud.keyVaultSuffix}`);
  } catch {
    return true;
  }
}

function toProperties(p: SdkSecretProperties): SecretProperties {
  return {
    name: p.name,
    ...(p.version ? { version: p.version } : {}),
    enabled: p.enabled !== false,
    ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
    ...(p.tags ? { tags: { ...p.tags } } : {}),
    ...dates(p),
    managed: p.managed === true,
  };
}

function dates(p: Pick<SecretProperties, 'createdOn' | 'updatedOn' | 'expiresOn' | 'notBefore'>) {
  const out: Partial<SecretProperties> = {};
  for (const field of ['createdOn', 'updatedOn', 'expiresOn', 'notBefore'] as const) {
    if (p[field]) out[field] = p[field];
  }
  return out;
}

/** A SecretBundle as the data plane sends it (times in seconds since the epoch). */
interface WireSecretBundle {
  id?: string;
  contentType?: string;
  tags?: Record<string, string>;
  managed?: boolean;
  attributes?: {
    enabled?: boolean;
    created?: number;
    updated?: number;
    exp?: number;
    nbf?: number;
  };
}

function fromBundle(bundle: WireSecretBundle): SecretProperties {
  const [, name = '', version] = /\/secrets\/([^/]+)(?:\/([^/?]+))?/.exec(bundle.id ?? '') ?? [];
  const at = (seconds: number | undefined) =>
    seconds === undefined ? undefined : new Date(seconds * 1000);
  const a = bundle.attributes ?? {};
  return {
    name,
    ...(version ? { version } : {}),
    enabled: a.enabled !== false,
    ...(bundle.contentType !== undefined ? { contentType: bundle.contentType } : {}),
    ...(bundle.tags ? { tags: bundle.tags } : {}),
    ...dates({
      createdOn: at(a.created),
      updatedOn: at(a.updated),
      expiresOn: at(a.exp),
      notBefore: at(a.nbf),
    }),
    managed: bundle.managed === true,
  };
}

/** An error shaped like the SDK's (statusCode, code, message), so describeError reads it alike. */
function dataPlaneError(status: number, body: string): Error {
  let code: string | undefined;
  let message = `the request failed with status ${status}`;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    code = parsed.error?.code;
    message = parsed.error?.message ?? message;
  } catch {
    // not JSON: keep the generic message
  }
  return Object.assign(new Error(message), { statusCode: status, code });
}

interface WireVault {
  id?: string;
  name?: string;
  properties?: {
    vaultUri?: string;
    enableRbacAuthorization?: boolean | null;
    accessPolicies?: {
      tenantId?: string;
      objectId?: string;
      applicationId?: string | null;
      permissions?: { secrets?: string[] };
    }[];
  };
}

function toVault(v: WireVault, subscriptionId: string, known?: ResourceRef): Vault {
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(v.id ?? '')?.[1] ?? '';
  const ref = known ?? { subscriptionId, resourceGroup, name: v.name ?? '' };
  const p = v.properties ?? {};
  return {
    id: v.id ?? resourceId(ref, ...VAULTS),
    ref,
    uri: p.vaultUri ?? '',
    rbacAuthorization: p.enableRbacAuthorization === true,
    accessPolicies: (p.accessPolicies ?? []).map((a) => ({
      tenantId: a.tenantId ?? '',
      objectId: a.objectId ?? '',
      ...(a.applicationId ? { applicationId: a.applicationId } : {}),
      secrets: (a.permissions?.secrets ?? []).map((s) => s.toLowerCase()),
    })),
  };
}

function memo<T>(cache: Map<string, T>, key: string, create: () => T): T {
  let value = cache.get(key);
  if (!value) cache.set(key, (value = create()));
  return value;
}
