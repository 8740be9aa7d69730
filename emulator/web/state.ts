import type { KeyVaults } from '../keyvault/state.js';
import type { WebAppScenario } from '../scenario-types.js';

/** One app setting that is a Key Vault reference, and the version the app has resolved. */
export interface AppReferenceState {
  setting: string;
  vaultName: string;
  secretName: string;
  /** The version the reference names; absent: the secret's current version. */
  secretVersion?: string;
  /** The version the app holds in memory (its last resolution); absent: not resolved. */
  activeVersion?: string;
  status: string;
}

export interface WebAppState {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  references: AppReferenceState[];
}

/**
 * App Service / Functions apps (Microsoft.Web/sites) whose app settings are Key Vault references.
 * Each reference is resolved when the scenario starts and again on a refresh, never by itself:
 * the platform's own 24-hour refetch is not modelled.
 */
export class WebApps {
  private readonly apps = new Map<string, WebAppState>();

  constructor(private readonly vaults: KeyVaults) {}

  add(scenario: WebAppScenario, where: { subscriptionId: string; resourceGroup: string }): void {
    const app: WebAppState = {
      ...where,
      id: `/subscriptions/${where.subscriptionId}/resourceGroups/${where.resourceGroup}/providers/Microsoft.Web/sites/${scenario.name}`,
      name: scenario.name,
      references: scenario.keyVaultReferences.map((r) => ({
        setting: r.setting,
        vaultName: r.vault,
        secretName: r.secret,
        ...(r.version ? { secretVersion: r.version } : {}),
        status: 'Initialized',
      })),
    };
    this.refresh(app);
    this.apps.set(key(where.subscriptionId, where.resourceGroup, scenario.name), app);
  }

  get(subscriptionId: string, resourceGroup: string, name: string): WebAppState | undefined {
    return this.apps.get(key(subscriptionId, resourceGroup, name));
  }

  byName(name: string): WebAppState | undefined {
    return [...this.apps.values()].find((a) => a.name.toLowerCase() === name.toLowerCase());
  }

  /** Resolves every reference again: the named version, or the secret's current one. */
  refresh(app: WebAppState): void {
    for (const reference of app.references) {
      const vault = this.vaults.get(reference.vaultName);
      const secret = vault && this.vaults.secret(vault, reference.secretName);
      if (!vault) Object.assign(reference, { status: 'VaultNotFound', activeVersion: undefined });
      else if (!secret) {
        Object.assign(reference, { status: 'SecretNotFound', activeVersion: undefined });
      } else {
        const wanted = reference.secretVersion
          ? secret.versions.find((v) => v.version === reference.secretVersion)
          : secret.versions.at(-1);
        Object.assign(
          reference,
          wanted
            ? { status: 'Resolved', activeVersion: wanted.version }
            : { status: 'SecretVersionNotFound', activeVersion: undefined },
        );
      }
    }
  }
}

const key = (subscriptionId: string, resourceGroup: string, name: string) =>
  `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
