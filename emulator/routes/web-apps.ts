import { ArmError } from '../arm-errors.js';
import { json } from '../http.js';
import type { AppReferenceState, WebAppState } from '../web/state.js';
import { RG, route, type ArmContext, type ArmRoute } from './arm-route.js';

const SITE = `${RG}/providers/Microsoft.Web/sites/:site`;
const REFERENCES = `${SITE}/config/configreferences/appsettings`;

/**
 * Microsoft.Web/sites Key Vault references: WebApps_GetAppSettingsKeyVaultReferences (the
 * ApiKVReference collection) and the refresh App Service's docs name ("Use Key Vault references",
 * rotation), which re-resolves every reference and answers 200 with no body. The refresh is not in
 * the REST spec: its RBAC action is taken to be Microsoft.Web/sites/config/write.
 */
export const webAppRoutes: ArmRoute[] = [
  route('GET', REFERENCES, 'WebApps.getAppSettingsKeyVaultReferences', {
    type: 'Microsoft.Web/sites',
    since: '2020-12-01',
    action: 'Microsoft.Web/sites/config/read',
    scopeDrop: 3,
    handle: (context) => {
      const app = siteOf(context);
      return json(200, { value: app.references.map((r) => referenceResource(app, r)) });
    },
  }),
  route('POST', `${REFERENCES}/refresh`, 'WebApps.refreshAppSettingsKeyVaultReferences', {
    type: 'Microsoft.Web/sites',
    since: '2020-12-01',
    write: true,
    action: 'Microsoft.Web/sites/config/write',
    scopeDrop: 4,
    handle: (context) => {
      context.world.webApps.refresh(siteOf(context));
      return { status: 200 };
    },
  }),
];

function siteOf({ world, params }: ArmContext): WebAppState {
  world.requireResourceGroup(params.rg as string, params.sub as string);
  const app = world.webApps.get(params.sub as string, params.rg as string, params.site as string);
  if (!app) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Web/sites/${params.site}' under resource group '${params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  return app;
}

function referenceResource(app: WebAppState, r: AppReferenceState) {
  const reference = `@Microsoft.KeyVault(VaultName=${r.vaultName};SecretName=${r.secretName}${r.secretVersion ? `;SecretVersion=${r.secretVersion}` : ''})`;
  return {
    id: `${app.id}/config/configreferences/appsettings/${r.setting}`,
    name: r.setting,
    type: 'Microsoft.Web/sites/config/configreferences',
    properties: {
      reference,
      status: r.status,
      vaultName: r.vaultName,
      secretName: r.secretName,
      ...(r.secretVersion ? { secretVersion: r.secretVersion } : {}),
      ...(r.activeVersion ? { activeVersion: r.activeVersion } : {}),
      identityType: { type: 'SystemAssigned' },
      source: 'KeyVault',
    },
  };
}
