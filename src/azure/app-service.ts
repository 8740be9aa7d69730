import { resourceId, type ResourceRef } from '../util/resource-id.js';
import type { AzurePort, AppKeyVaultReference } from './port.js';
import type { ArmRest } from './rest.js';

/** The api-version App Service's docs give for the refresh ("Use Key Vault references"). */
const WEB_API_VERSION = '2022-03-01';

export const SITES = ['Microsoft.Web', 'sites'] as const;

type AppServiceOperations = Pick<
  AzurePort,
  'refreshAppKeyVaultReferences' | 'appKeyVaultReferences'
>;

/** An app's Key Vault references (WebApps_GetAppSettingsKeyVaultReferences) and their refresh. */
export function createAppServiceOperations(
  rest: (subscriptionId: string) => ArmRest,
): AppServiceOperations {
  const path = (app: ResourceRef) =>
    `${resourceId(app, ...SITES)}/config/configreferences/appsettings`;
  return {
    async refreshAppKeyVaultReferences(app) {
      await rest(app.subscriptionId).send('POST', `${path(app)}/refresh`, WEB_API_VERSION);
    },
    async appKeyVaultReferences(app) {
      const references = await rest(app.subscriptionId).list<WireReference>(
        path(app),
        WEB_API_VERSION,
      );
      return references.map(toReference);
    },
  };
}

/** ApiKVReference as the REST API sends it. */
interface WireReference {
  name?: string;
  properties?: {
    vaultName?: string;
    secretName?: string;
    secretVersion?: string;
    activeVersion?: string;
    status?: string;
    details?: string;
  };
}

function toReference(wire: WireReference): AppKeyVaultReference {
  const p = wire.properties ?? {};
  const reference: AppKeyVaultReference = { setting: wire.name ?? '' };
  for (const field of [
    'vaultName',
    'secretName',
    'secretVersion',
    'activeVersion',
    'status',
    'details',
  ] as const) {
    if (p[field]) reference[field] = p[field];
  }
  return reference;
}
