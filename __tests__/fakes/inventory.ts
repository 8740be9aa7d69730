import type { KeyName } from '../../src/azure/port.js';
import { holdingOfSas } from '../../src/consumers/sas.js';
import { outOfSasPolicy } from '../../src/plan/sas.js';
import type {
  SasFacts,
  SasPolicy,
  Auth,
  Consumer,
  ConsumerKind,
  Holding,
  Inventory,
  WorkspaceInventory,
} from '../../src/discover/inventory.js';

export const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

export interface ConsumerSpec {
  name?: string;
  /** AccountKey, Sas, SAS, None, ServicePrincipal… as the service names it. Default AccountKey. */
  credentials?: string;
  holds?: Holding;
  isDefault?: boolean;
  /**
   * A SAS consumer's token: who signed it, and optionally its expiry in days from NOW (negative:
   * expired), its start, a reason. Without it the signer is unknown (the token was not read).
   */
  sas?: Partial<Omit<SasFacts, 'expiresOn' | 'startsOn'>> & {
    signedBy: SasFacts['signedBy'];
    expiresInDays?: number;
    startedDaysAgo?: number;
  };
}

/** The facts discovery would keep of a SAS token, from a compact description. */
/** A token's facts as discovery reads them, the account's SAS policy applied as discovery does. */
export function sasFacts(spec: NonNullable<ConsumerSpec['sas']>, policy?: SasPolicy): SasFacts {
  const { expiresInDays = 30, startedDaysAgo, ...rest } = spec;
  const times = {
    expiresOn: daysAgo(-expiresInDays),
    startsOn: startedDaysAgo === undefined ? undefined : daysAgo(startedDaysAgo),
  };
  const refusedByPolicy = outOfSasPolicy(times, policy);
  return {
    kind: spec.signedBy === 'user delegation' ? 'user delegation' : 'service',
    version: '2022-11-02',
    expired: expiresInDays <= 0,
    ...times,
    ...(refusedByPolicy ? { refusedByPolicy } : {}),
    ...rest,
  };
}

export interface WorkspaceSpec {
  name: string;
  /** The key the workspace's own copy holds; undefined when the account is not its default storage. */
  holds?: Holding;
  /** Default true: one of the workspaces the run manages. */
  inScope?: boolean;
  datastores?: ConsumerSpec[];
  connections?: ConsumerSpec[];
  other?: number;
}

/** Builds an Inventory from a compact description: plain data for planner tests. */
export function inventory(spec: {
  /** null: the service gave no creation time. */
  ages?: { key1?: number | null; key2?: number | null };
  keyExpirationDays?: number;
  allowSharedKeyAccess?: boolean;
  sasPolicy?: Inventory['account']['sasPolicy'];
  workspaces: WorkspaceSpec[];
}): Inventory {
  const ages = { key1: 100, key2: 200, ...spec.ages };
  const keys = (['key1', 'key2'] as KeyName[]).map((name) => ({
    name,
    value: `value-of-${name}`,
    createdOn: ages[name] === null ? undefined : daysAgo(ages[name]),
  }));
  const workspaces: WorkspaceInventory[] = spec.workspaces.map((ws) => {
    const ref = { subscriptionId: 'sub', resourceGroup: 'rg', name: ws.name };
    const inScope = ws.inScope ?? true;
    const consumer =
      (kind: ConsumerKind) =>
      (c: ConsumerSpec, i: number): Consumer => {
        const credentials = c.credentials ?? 'AccountKey';
        const auth: Auth =
          credentials === 'AccountKey'
            ? 'AccountKey'
            : /^sas$/i.test(credentials)
              ? 'Sas'
              : 'Other';
        const sas = auth === 'Sas' && c.sas ? sasFacts(c.sas, spec.sasPolicy) : undefined;
        return {
          kind,
          workspace: ref,
          name: c.name ?? `${kind === 'datastore' ? 'ds' : 'conn'}${i}`,
          inScope,
          auth,
          type: 'AzureBlob',
          target: `container${i}`,
          credentials,
          isDefault: c.isDefault ?? false,
          holds: c.holds ?? (auth === 'AccountKey' ? 'key1' : sas && holdingOfSas(sas)),
          ...(sas ? { sas } : {}),
        };
      };
    return {
      ref,
      id: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`,
      inScope,
      usesAccountAsDefault: ws.holds !== undefined,
      holds: ws.holds,
      otherConsumers: ws.other ?? 0,
      consumers: [
        ...(ws.datastores ?? []).map(consumer('datastore')),
        ...(ws.connections ?? []).map(consumer('connection')),
      ],
    };
  });
  return {
    account: {
      ref: { subscriptionId: 'sub', resourceGroup: 'rg', name: 'store' },
      id: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/store',
      keyExpirationDays: spec.keyExpirationDays,
      allowSharedKeyAccess: spec.allowSharedKeyAccess ?? true,
      sasPolicy: spec.sasPolicy,
    },
    keys,
    workspaces,
    uninspected: [],
    observedAt: NOW,
  };
}

export const keyed = (...holds: Holding[]): ConsumerSpec[] =>
  holds.map((h, i) => ({ name: `ds${i}`, holds: h }));
