import { ArmError } from '../arm-errors.js';
import { json } from '../http.js';
import type { VaultState } from '../keyvault/state.js';
import { RG, SUB, route, type ArmRoute } from './arm-route.js';

const VAULTS = 'providers/Microsoft.KeyVault/vaults';

/** Microsoft.KeyVault/vaults: get and list by subscription (2023-07-01 shapes). */
export const keyVaultRoutes: ArmRoute[] = [
  route('GET', `${RG}/${VAULTS}/:vault`, 'Vaults.get', {
    type: 'Microsoft.KeyVault/vaults',
    action: 'Microsoft.KeyVault/vaults/read',
    handle: ({ world, params }) => {
      world.requireResourceGroup(params.rg as string, params.sub as string);
      const vault = world.keyVaults.get(params.vault as string);
      if (
        !vault ||
        vault.resourceGroup.toLowerCase() !== (params.rg as string).toLowerCase() ||
        vault.subscriptionId.toLowerCase() !== (params.sub as string).toLowerCase()
      ) {
        throw new ArmError(
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.KeyVault/vaults/${params.vault}' under resource group '${params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
        );
      }
      return json(200, vaultResource(vault, world.tenantId));
    },
  }),
  route('GET', `${SUB}/${VAULTS}`, 'Vaults.listBySubscription', {
    type: 'Microsoft.KeyVault/vaults',
    action: 'Microsoft.KeyVault/vaults/read',
    handle: ({ world, params }) =>
      json(200, {
        value: world.keyVaults
          .list(params.sub as string)
          .map((vault) => vaultResource(vault, world.tenantId)),
      }),
  }),
];

function vaultResource(vault: VaultState, tenantId: string) {
  return {
    id: vault.id,
    name: vault.name,
    type: 'Microsoft.KeyVault/vaults',
    location: vault.location,
    tags: {},
    properties: {
      sku: { family: 'A', name: 'standard' },
      tenantId,
      accessPolicies: vault.accessPolicies.map((p) => ({
        tenantId: p.tenantId ?? tenantId,
        objectId: p.objectId ?? '00000000-0000-0000-0000-000000000000',
        permissions: { keys: [], secrets: p.permissions.secrets, certificates: [] },
      })),
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: vault.rbacAuthorization,
      vaultUri: vault.uri,
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
    },
  };
}
