// The bench's cases: sizes, latencies, throttling and logins, and the scenario each runs against.
import type { ResyncScenario, Scenario } from '../../emulator/scenario-types.js';
import { serviceResyncTiming } from '../../emulator/scenario-types.js';
import type { LoginMode } from '../../__tests__/support/action.js';
import { ARM_BUCKETS, type ThrottlingSettings } from '../../emulator/throttling.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000b1';
export const ACCOUNT = 'benchstore';
export const RESYNC: ResyncScenario = { takes: 'key1', durationMs: 300, retryAfterSeconds: 0 };
/** ARM's buckets on a clock 20 times faster: reads 250 at 500/s, writes 200 at 200/s. */
const FAST_ARM: ThrottlingSettings = {
  reads: { capacity: ARM_BUCKETS.reads.capacity, refillPerSecond: 500 },
  writes: { capacity: ARM_BUCKETS.writes.capacity, refillPerSecond: 200 },
};

export interface Case {
  name: string;
  datastores: number;
  workspaces: number;
  latencyMs: number;
  dryRun?: boolean;
  throttling?: ThrottlingSettings;
  resync?: ResyncScenario;
  keyName?: string;
  /**
   * How the job logged in (default `oidc`: GitHub's ID token exchanged at Entra ID, in the action's
   * own process, as the README recommends for a runner); `cli` spawns the Azure CLI stand-in.
   */
  login?: LoginMode;
  /** Measure the same case at concurrency 1 too. */
  sequential: boolean;
}

export const FULL: Case[] = [
  { name: '50', datastores: 50, workspaces: 1, latencyMs: 30, sequential: true },
  { name: '200', datastores: 200, workspaces: 1, latencyMs: 30, sequential: true },
  {
    name: '200-az',
    datastores: 200,
    workspaces: 1,
    latencyMs: 30,
    login: 'cli',
    sequential: false,
  },
  { name: '1000', datastores: 1000, workspaces: 1, latencyMs: 30, sequential: true },
  { name: '5x200', datastores: 200, workspaces: 5, latencyMs: 30, sequential: true },
  { name: '5000@5ms', datastores: 5000, workspaces: 1, latencyMs: 5, sequential: true },
  {
    name: 'dry-1000',
    datastores: 1000,
    workspaces: 1,
    latencyMs: 30,
    dryRun: true,
    sequential: true,
  },
  {
    name: 'throttled-1000',
    datastores: 1000,
    workspaces: 1,
    latencyMs: 30,
    throttling: FAST_ARM,
    sequential: false,
  },
];

export const SMOKE: Case[] = [
  { name: 'smoke-50', datastores: 50, workspaces: 1, latencyMs: 30, sequential: true },
  {
    name: 'smoke-throttled-150',
    datastores: 150,
    workspaces: 1,
    latencyMs: 10,
    throttling: { writes: { capacity: 40, refillPerSecond: 100 } },
    sequential: false,
  },
];

export const SERVICE_TIMING: Case[] = [
  {
    name: 'key1-fast-resync',
    datastores: 100,
    workspaces: 1,
    latencyMs: 30,
    keyName: 'key1',
    resync: { takes: 'key1', durationMs: 1000, retryAfterSeconds: 1 },
    sequential: false,
  },
  {
    name: 'key1-service-resync',
    datastores: 100,
    workspaces: 1,
    latencyMs: 30,
    keyName: 'key1',
    resync: { takes: 'key1', durationMs: 1000, ...serviceResyncTiming },
    sequential: false,
  },
];

export function scenario(c: Case): Scenario {
  const workspaces = Array.from({ length: c.workspaces }, (_, i) => ({
    resourceGroup: 'rg-bench',
    name: c.workspaces === 1 ? 'ws-bench' : `ws-bench-${i + 1}`,
    storageAccount: ACCOUNT,
    holds: 'key1' as const,
    datastores: [
      {
        name: 'blob',
        datastoreType: 'AzureBlob',
        account: ACCOUNT,
        containerName: 'data',
        credentials: 'AccountKey' as const,
        holds: 'key1' as const,
        copies: c.datastores,
      },
    ],
  }));
  return {
    subscriptionId: SUBSCRIPTION,
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    pageSize: 30,
    resync: c.resync ?? RESYNC,
    storageAccounts: [
      {
        resourceGroup: 'rg-bench',
        name: ACCOUNT,
        keys: { key1: { ageDays: 90 }, key2: { ageDays: 200 } },
      },
    ],
    workspaces,
    permissions: { actions: ['*'] },
  };
}
