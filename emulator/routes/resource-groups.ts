import { json } from '../http.js';
import { RG, route, type ArmRoute } from './arm-route.js';

export const resourceGroupRoutes: ArmRoute[] = [
  route('GET', RG, 'ResourceGroups.get', {
    type: 'Microsoft.Resources/resourceGroups',
    action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handle: ({ world, params }) => {
      const name = world.requireResourceGroup(params.rg as string, params.sub as string);
      return json(200, {
        id: `/subscriptions/${params.sub}/resourceGroups/${name}`,
        name,
        type: 'Microsoft.Resources/resourceGroups',
        location: 'westeurope',
        properties: { provisioningState: 'Succeeded' },
      });
    },
  }),
];
