import type {
  NewSecretVersion,
  SecretProperties,
  Vault,
  VaultSecret,
} from '../../src/azure/port.js';
import type { ResourceRef } from '../../src/util/resource-id.js';

interface StoredVersion {
  properties: SecretProperties;
  value: string;
}

/** Key Vaults in memory, for the port: vaults by ID, each secret's versions, reads that fail. */
export class MemoryVaults {
  readonly vaults: Vault[] = [];
  /** Versions by `<vault uri>|<secret name>`, oldest first. */
  readonly versions = new Map<string, StoredVersion[]>();
  /** Reads of these (`<vault name>/<secret>`) fail with 403; a vault name alone: every secret. */
  readonly forbidden = new Set<string>();
  calls: string[] = [];
  private counter = 0;

  addVault(name: string, options: Partial<Vault> = {}): Vault {
    const ref: ResourceRef = { subscriptionId: 'sub', resourceGroup: 'rg', name };
    const vault: Vault = {
      id: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
      ref,
      uri: `https://${name}.vault.azure.net/`,
      rbacAuthorization: true,
      accessPolicies: [],
      ...options,
    };
    this.vaults.push(vault);
    return vault;
  }

  addSecret(vault: Vault, name: string, value: string, props: Partial<SecretProperties> = {}) {
    this.write(vault.uri, name, { value, ...props });
  }

  /** The values of a secret's versions, oldest first. */
  valuesOf(vault: Vault, name: string): string[] {
    return (this.versions.get(`${vault.uri}|${name}`) ?? []).map((v) => v.value);
  }

  async listVaults(subscriptionId: string) {
    this.calls.push('listVaults');
    return this.vaults.filter((v) => v.ref.subscriptionId === subscriptionId);
  }

  async getVault(ref: ResourceRef) {
    this.calls.push(`getVault ${ref.name}`);
    const vault = this.vaults.find((v) => v.ref.name.toLowerCase() === ref.name.toLowerCase());
    if (!vault) throw Object.assign(new Error('Vault not found'), { statusCode: 404 });
    return vault;
  }

  async listSecretProperties(vaultUri: string) {
    this.calls.push(`listSecretProperties ${vaultUri}`);
    if (this.forbidden.has(this.vaultName(vaultUri))) throw forbidden();
    return [...this.versions]
      .filter(([key]) => key.startsWith(`${vaultUri}|`))
      .map(([, versions]) => {
        const { version: _version, ...latest } = versions.at(-1)!.properties;
        return latest;
      });
  }

  async getSecret(vaultUri: string, name: string, version?: string): Promise<VaultSecret> {
    this.calls.push(`getSecret ${name}`);
    const vaultName = this.vaultName(vaultUri);
    if (this.forbidden.has(vaultName) || this.forbidden.has(`${vaultName}/${name}`)) {
      throw forbidden();
    }
    const versions = this.versions.get(`${vaultUri}|${name}`);
    const found = version
      ? versions?.find((v) => v.properties.version === version)
      : versions?.at(-1);
    if (!found) throw Object.assign(new Error('SecretNotFound'), { statusCode: 404 });
    return structuredClone(found);
  }

  async setSecret(vaultUri: string, name: string, version: NewSecretVersion) {
    this.calls.push(`setSecret ${name}`);
    return this.write(vaultUri, name, version);
  }

  private write(
    vaultUri: string,
    name: string,
    version: NewSecretVersion & Partial<SecretProperties>,
  ) {
    const { value, ...props } = version;
    const properties: SecretProperties = {
      enabled: true,
      managed: false,
      createdOn: new Date(),
      ...props,
      name,
      version: `v${++this.counter}`,
    };
    const key = `${vaultUri}|${name}`;
    this.versions.set(key, [...(this.versions.get(key) ?? []), { properties, value }]);
    return structuredClone(properties);
  }

  private vaultName(vaultUri: string): string {
    return this.vaults.find((v) => v.uri === vaultUri)?.ref.name ?? '';
  }
}

function forbidden(): Error {
  return Object.assign(new Error('The user does not have secrets get permission'), {
    statusCode: 403,
    code: 'Forbidden',
  });
}
