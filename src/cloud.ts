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
}

const CLOUDS: Record<CloudName, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    storageSuffix: 'core.windows.net',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
    authorityHost: 'https://login.microsoftonline.us',
    storageSuffix: 'core.usgovcloudapi.net',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    authorityHost: 'https://login.chinacloudapi.cn',
    storageSuffix: 'core.chinacloudapi.cn',
  },
};

export function cloudByName(name: CloudName, armEndpoint?: string): Cloud {
  const cloud = CLOUDS[name];
  return armEndpoint ? { ...cloud, armEndpoint: armEndpoint.replace(/\/+$/, '') } : cloud;
}
