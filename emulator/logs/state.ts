import type {
  DiagnosticSettingScenario,
  KeyName,
  StorageAccountScenario,
  StorageService,
} from '../scenario-types.js';
import type { StorageAccounts } from '../state/storage-accounts.js';

/** An outside caller, with the key value it holds (taken when the world was made, kept since). */
export interface OutsideCaller {
  ip: string;
  userAgent: string;
  service: StorageService;
  requestsPerDay?: number;
  value: string | undefined;
}

/** Per account: the services' diagnostic settings and the callers no workspace knows of. */
export class StorageLogs {
  private readonly settings = new Map<
    string,
    Partial<Record<StorageService, DiagnosticSettingScenario[]>>
  >();
  private readonly callers = new Map<string, OutsideCaller[]>();

  constructor(private readonly storage: StorageAccounts) {}

  add(scenario: StorageAccountScenario): void {
    const account = this.storage.get(scenario.name);
    if (!account) return;
    const key = scenario.name.toLowerCase();
    this.settings.set(key, structuredClone(scenario.diagnosticSettings ?? {}));
    this.callers.set(
      key,
      (scenario.outsideCallers ?? []).map((caller) => {
        const name = caller.holds.replace('former-', '') as KeyName;
        const value = caller.holds.startsWith('former-')
          ? account.formerKeys.filter((k) => k.name === name).at(-1)?.value
          : account.keys[name].value;
        return {
          ip: caller.ip,
          userAgent: caller.userAgent,
          service: caller.service ?? 'blob',
          requestsPerDay: caller.requestsPerDay,
          value,
        };
      }),
    );
  }

  diagnosticSettings(account: string, service: StorageService): DiagnosticSettingScenario[] {
    return this.settings.get(account.toLowerCase())?.[service] ?? [];
  }

  outsideCallers(account: string): OutsideCaller[] {
    return this.callers.get(account.toLowerCase()) ?? [];
  }

  /** Whether a request of this service and category (StorageRead, …) reaches a workspace. */
  logged(account: string, service: StorageService, category: string): boolean {
    return this.diagnosticSettings(account, service).some(
      (setting) =>
        !!setting.workspaceId &&
        setting.logs.some(
          (log) =>
            log.enabled &&
            (log.category?.toLowerCase() === category.toLowerCase() ||
              ['alllogs', 'audit'].includes(log.categoryGroup?.toLowerCase() ?? '')),
        ),
    );
  }
}
