export const CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  /** Azure Resource Manager base URL, without a trailing slash. */
  armEndpoint: string;
  /** Token scope for Resource Manager. */
  armScope: string;
  /** Microsoft Entra authority host. */
  authorityHost: string;
  /** Storage DNS suffix a datastore's `endpoint` names (blob: <account>.blob.<suffix>). */
  storageSuffix: string;
  /** The Azure portal, for links to a resource. */
  portalUrl: string;
  /** Azure Machine Learning studio, for links to a datastore. */
  studioUrl: string;
  /** The Log Analytics query API, without a trailing slash or the /v1 of its version. */
  logsEndpoint: string;
  /** Token scope for the Log Analytics query API. */
  logsScope: string;
  /** DNS suffix of Key Vault data-plane hosts (<vault>.<suffix>), the resource its challenge names. */
  keyVaultSuffix: string;
}

const CLOUDS: Record<CloudName, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    storageSuffix: 'core.windows.net',
    portalUrl: 'https://portal.azure.com',
    studioUrl: 'https://ml.azure.com',
    logsEndpoint: 'https://api.loganalytics.io',
    logsScope: 'https://api.loganalytics.io/.default',
    keyVaultSuffix: 'vault.azure.net',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
    authorityHost: 'https://login.microsoftonline.us',
    storageSuffix: 'core.usgovcloudapi.net',
    portalUrl: 'https://portal.azure.us',
    studioUrl: 'https://ml.azure.us',
    logsEndpoint: 'https://api.loganalytics.us',
    logsScope: 'https://api.loganalytics.us/.default',
    keyVaultSuffix: 'vault.usgovcloudapi.net',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    authorityHost: 'https://login.chinacloudapi.cn',
    storageSuffix: 'core.chinacloudapi.cn',
    portalUrl: 'https://portal.azure.cn',
    studioUrl: 'https://studio.ml.azure.cn',
    logsEndpoint: 'https://api.loganalytics.azure.cn',
    logsScope: 'https://api.loganalytics.azure.cn/.default',
    keyVaultSuffix: 'vault.azure.cn',
  },
};

export function cloudByName(name: CloudName, armEndpoint?: string, logsEndpoint?: string): Cloud {
  const cloud = CLOUDS[name];
  return {
    ...cloud,
    ...(armEndpoint ? { armEndpoint: armEndpoint.replace(/\/+$/, '') } : {}),
    ...(logsEndpoint ? { logsEndpoint: logsEndpoint.replace(/\/+$/, '') } : {}),
  };
}

/** The Azure portal's page of a resource, by its ARM ID. */
export function portalLink(cloud: Cloud, resourceId: string): string {
  return `${cloud.portalUrl}/#@/resource${resourceId}`;
}

/** Azure ML studio's page of a datastore, in the workspace with this ARM ID. */
export function studioDatastoreLink(cloud: Cloud, workspaceId: string, name: string): string {
  return `${cloud.studioUrl}/data/datastore/${encodeURIComponent(name)}?wsid=${encodeURIComponent(workspaceId)}`;
}
