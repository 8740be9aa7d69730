import { ArmError } from '../arm-errors.js';
import { json } from '../http.js';
import type { StorageService } from '../scenario-types.js';
import { ACCOUNT, route, type ArmRoute } from './arm-route.js';

const SERVICES: Record<string, StorageService> = {
  blobservices: 'blob',
  fileservices: 'file',
  queueservices: 'queue',
  tableservices: 'table',
};

/** Microsoft.Insights/diagnosticSettings of a storage account's services (2021-05-01-preview shapes). */
export const diagnosticSettingsRoutes: ArmRoute[] = [
  route(
    'GET',
    `${ACCOUNT}/:service/default/providers/Microsoft.Insights/diagnosticSettings`,
    'DiagnosticSettings.list',
    {
      type: 'Microsoft.Insights/diagnosticSettings',
      action: 'Microsoft.Insights/diagnosticSettings/read',
      scopeDrop: 3,
      handle: ({ world, params }) => {
        const account = world.storage.require(params.rg as string, params.account as string);
        const service = SERVICES[(params.service as string).toLowerCase()];
        if (!service) {
          throw new ArmError(
            404,
            'ResourceNotFound',
            `The resource '${params.service}/default' of storage account '${account.name}' was not found.`,
          );
        }
        const scope = `${account.id}/${params.service}/default`;
        return json(200, {
          value: world.storageLogs.diagnosticSettings(account.name, service).map((setting) => ({
            id: `${scope}/providers/microsoft.insights/diagnosticSettings/${setting.name}`,
            type: 'Microsoft.Insights/diagnosticSettings',
            name: setting.name,
            location: null,
            kind: null,
            tags: null,
            properties: {
              storageAccountId: null,
              serviceBusRuleId: null,
              workspaceId: setting.workspaceId ?? null,
              eventHubAuthorizationRuleId: null,
              eventHubName: null,
              metrics: [
                {
                  category: 'Transaction',
                  enabled: false,
                  retentionPolicy: { enabled: false, days: 0 },
                },
              ],
              logs: setting.logs.map((log) => ({
                category: log.category ?? null,
                categoryGroup: log.categoryGroup ?? null,
                enabled: log.enabled,
                retentionPolicy: { enabled: false, days: 0 },
              })),
              logAnalyticsDestinationType: null,
            },
          })),
        });
      },
    },
  ),
];
