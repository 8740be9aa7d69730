import { ArmError } from './arm-errors.js';

/**
 * The api-versions each resource type offers, as the Azure REST API specs publish them
 * (github.com/Azure/azure-rest-api-specs, specification/<service>/resource-manager/…/stable and
 * …/preview, one folder per version; checked against the Bicep type index generated from them).
 * They include what the clients here send: @azure/arm-storage 20.0.0 2025-08-01,
 * @azure/arm-machinelearning 2.1.1 2022-10-01, the action's datastore calls 2026-07-01 and its
 * permissions call 2022-04-01.
 */
const storageAccounts = [
  '2015-05-01-preview',
  '2015-06-15',
  '2016-01-01',
  '2016-05-01',
  '2016-12-01',
  '2017-06-01',
  '2017-10-01',
  '2018-02-01',
  '2018-03-01-preview',
  '2018-07-01',
  '2018-11-01',
  '2019-04-01',
  '2019-06-01',
  '2020-08-01-preview',
  '2021-01-01',
  '2021-02-01',
  '2021-04-01',
  '2021-06-01',
  '2021-08-01',
  '2021-09-01',
  '2022-05-01',
  '2022-09-01',
  '2023-01-01',
  '2023-04-01',
  '2023-05-01',
  '2024-01-01',
  '2025-01-01',
  '2025-06-01',
  '2025-08-01',
  '2026-04-01',
  '2026-06-01',
  '2026-09-01',
];

/** Every Microsoft.MachineLearningServices version; all of them have workspaces. */
const machineLearning = [
  '2018-03-01-preview',
  '2018-11-19',
  '2019-05-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2020-02-18-preview',
  '2020-03-01',
  '2020-04-01',
  '2020-04-01-preview',
  '2020-05-01-preview',
  '2020-05-15-preview',
  '2020-06-01',
  '2020-08-01',
  '2020-09-01-preview',
  '2021-01-01',
  '2021-03-01-preview',
  '2021-04-01',
  '2021-07-01',
  '2022-01-01-preview',
  '2022-02-01-preview',
  '2022-05-01',
  '2022-06-01-preview',
  '2022-10-01',
  '2022-10-01-preview',
  '2022-12-01-preview',
  '2023-02-01-preview',
  '2023-04-01',
  '2023-04-01-preview',
  '2023-06-01-preview',
  '2023-08-01-preview',
  '2023-10-01',
  '2024-01-01-preview',
  '2024-04-01',
  '2024-04-01-preview',
  '2024-07-01-preview',
  '2024-10-01',
  '2024-10-01-preview',
  '2025-01-01-preview',
  '2025-04-01',
  '2025-04-01-preview',
  '2025-06-01',
  '2025-07-01-preview',
  '2025-09-01',
  '2025-10-01-preview',
  '2025-12-01',
  '2026-01-15-preview',
  '2026-03-01',
  '2026-03-15-preview',
  '2026-05-01',
  '2026-05-15-preview',
  '2026-07-01',
  '2026-07-15-preview',
];

/** Versions without mfe.json, the spec file that holds (v2) datastores. */
const withoutDatastores = new Set(['2021-04-01', '2021-07-01', '2022-01-01-preview']);

export const apiVersions = {
  /** resources.json in Microsoft.Resources (ARM's own resource groups). */
  'Microsoft.Resources/resourceGroups': [
    '2015-11-01',
    '2016-02-01',
    '2016-07-01',
    '2016-09-01',
    '2017-05-10',
    '2018-02-01',
    '2018-05-01',
    '2019-03-01',
    '2019-05-01',
    '2019-05-10',
    '2019-07-01',
    '2019-08-01',
    '2019-10-01',
    '2020-06-01',
    '2020-08-01',
    '2020-10-01',
    '2021-01-01',
    '2021-04-01',
    '2022-09-01',
    '2023-07-01',
    '2024-03-01',
    '2024-07-01',
    '2024-11-01',
    '2025-03-01',
    '2025-04-01',
  ],
  /** Permissions_ListForResource in authorization-RoleDefinitionsCalls.json. */
  'Microsoft.Authorization/permissions': [
    '2015-07-01',
    '2018-01-01-preview',
    '2022-03-01',
    '2022-04-01',
    '2022-05-01-preview',
  ],
  'Microsoft.Storage/storageAccounts': storageAccounts,
  /** diagnosticsSettings_API.json in Microsoft.Insights (monitor). */
  'Microsoft.Insights/diagnosticSettings': ['2017-05-01-preview', '2021-05-01-preview'],
  /** metrics_API.json in Microsoft.Insights (monitor), stable versions. */
  'Microsoft.Insights/metrics': ['2018-01-01', '2019-07-01', '2021-05-01', '2023-10-01'],
  'Microsoft.MachineLearningServices/workspaces': machineLearning,
  /** The Location a resyncKeys 202 hands out carries the request's own api-version. */
  'Microsoft.MachineLearningServices/locations/workspaceOperationsStatus': machineLearning,
  /** v2 datastores (ARM resources) since 2021-03-01-preview. */
  'Microsoft.MachineLearningServices/workspaces/datastores': machineLearning.filter(
    (version) => version >= '2021-03-01-preview' && !withoutDatastores.has(version),
  ),
  /** Since 2020-06-01; the AccountKey auth type since 2024-04-01, with {key} credentials since 2024-10-01. */
  'Microsoft.MachineLearningServices/workspaces/connections': machineLearning.filter(
    (version) => version >= '2020-06-01',
  ),
  /** Stable versions of Microsoft.KeyVault (specification/keyvault/resource-manager/…/stable). */
  'Microsoft.KeyVault/vaults': [
    '2015-06-01',
    '2016-10-01',
    '2018-02-14',
    '2019-09-01',
    '2021-10-01',
    '2022-07-01',
    '2022-11-01',
    '2023-02-01',
    '2023-07-01',
    '2024-11-01',
  ],
  /** Stable versions of Microsoft.Web (specification/web/resource-manager/Microsoft.Web/stable). */
  'Microsoft.Web/sites': [
    '2016-08-01',
    '2018-02-01',
    '2018-11-01',
    '2019-08-01',
    '2020-06-01',
    '2020-09-01',
    '2020-10-01',
    '2020-12-01',
    '2021-01-01',
    '2021-01-15',
    '2021-02-01',
    '2021-03-01',
    '2022-03-01',
    '2022-09-01',
    '2023-01-01',
    '2023-12-01',
    '2024-04-01',
    '2024-11-01',
  ],
} satisfies Record<string, readonly string[]>;

export type VersionedType = keyof typeof apiVersions;

/** ARM's own resource types: unknown versions are InvalidApiVersionParameter, not a provider lookup. */
const armOwnTypes = new Set<VersionedType>(['Microsoft.Resources/resourceGroups']);

const wellFormed = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

export interface ApiVersionCheck {
  type: VersionedType;
  apiVersion: string;
  /** Only versions from this one on (an operation added later than its resource type). */
  since?: string;
  /** For the message: where the request is routed and where the type is offered. */
  location: string;
  locations: string[];
}

/**
 * Refuses an api-version the resource type does not offer, as ARM does. What ARM answers, from
 * its error bodies seen in the wild: a provider's type (Microsoft.Storage, …MachineLearningServices,
 * Microsoft.Authorization) with a version it lacks is 400 NoRegisteredProviderFound, listing the
 * supported api-versions and locations; ARM's own types (resource groups) answer 400
 * InvalidApiVersionParameter. A malformed version is InvalidApiVersionParameter for every type.
 * An operation newer than its type (PATCH on connections) answers InvalidApiVersionParameter
 * with the versions that have it: what the ML service itself answers there is not documented.
 */
export function requireApiVersion(check: ApiVersionCheck): void {
  const { type, apiVersion, since } = check;
  const offered = apiVersions[type];
  const known = offered.find((version) => version.toLowerCase() === apiVersion.toLowerCase());
  if (!wellFormed.test(apiVersion) || (!known && armOwnTypes.has(type)))
    throw invalidApiVersion(apiVersion, offered);
  if (!known) {
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${check.location}' and API version ` +
        `'${apiVersion}' for type '${type.split('/').slice(1).join('/')}'. The supported ` +
        `api-versions are '${newestFirst(offered)}'. The supported locations are ` +
        `'${check.locations.join(', ')}'.`,
    );
  }
  if (since && known < since)
    throw invalidApiVersion(
      apiVersion,
      offered.filter((version) => version >= since),
    );
}

function invalidApiVersion(apiVersion: string, supported: readonly string[]): ArmError {
  return new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${apiVersion}' is invalid. The supported versions are '${newestFirst(supported)}'.`,
  );
}

function newestFirst(versions: readonly string[]): string {
  return [...versions].reverse().join(', ');
}
