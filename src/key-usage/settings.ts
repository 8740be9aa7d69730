import type { DiagnosticSetting } from '../azure/port.js';

/** The storage services whose resource logs carry each request, as ARM names their sub-resources. */
export const LOGGED_SERVICES = [
  ['blob', 'blobServices'],
  ['file', 'fileServices'],
  ['queue', 'queueServices'],
  ['table', 'tableServices'],
] as const;

export type LoggedService = (typeof LOGGED_SERVICES)[number][0];

/** The log categories that record requests, and the category groups that hold all three. */
const CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'];
const GROUPS = ['allLogs', 'audit'];

export interface LogCoverage {
  /** Services whose diagnostic settings send at least one request category to Log Analytics. */
  services: LoggedService[];
  /** Of those, the ones that miss some of StorageRead, StorageWrite and StorageDelete. */
  partial: LoggedService[];
}

/**
 * Which services' requests reach a Log Analytics workspace, from each service's diagnostic
 * settings. A setting that sends only to storage or an event hub leaves nothing to query.
 */
export function logCoverage(settings: Record<LoggedService, DiagnosticSetting[]>): LogCoverage {
  const services: LoggedService[] = [];
  const partial: LoggedService[] = [];
  for (const [service] of LOGGED_SERVICES) {
    const covered = new Set<string>();
    for (const setting of settings[service]) {
      if (!setting.workspaceId) continue;
      for (const log of setting.logs.filter((l) => l.enabled)) {
        if (log.categoryGroup && GROUPS.some((g) => sameName(g, log.categoryGroup))) {
          CATEGORIES.forEach((c) => covered.add(c));
        }
        const category = CATEGORIES.find((c) => sameName(c, log.category));
        if (category) covered.add(category);
      }
    }
    if (covered.size > 0) services.push(service);
    if (covered.size > 0 && covered.size < CATEGORIES.length) partial.push(service);
  }
  return { services, partial };
}

const sameName = (a: string, b: string | undefined) => a.toLowerCase() === b?.toLowerCase();

/** How to turn the logs on, for the notice: the Azure CLI, one service (repeat for the others). */
export function enableLogsHint(accountId: string): string {
  return (
    `A diagnostic setting on ${accountId}/blobServices/default (and fileServices, queueServices, ` +
    'tableServices) that sends the categories StorageRead, StorageWrite and StorageDelete (or the ' +
    'group allLogs) to a Log Analytics workspace would, e.g. `az monitor diagnostic-settings ' +
    'create --name key-usage --resource <account id>/blobServices/default --workspace ' +
    '<workspace id> --logs \'[{"categoryGroup":"allLogs","enabled":true}]\'`.'
  );
}
