// What a test or a script sees of a running emulator: how it is started, the handle it gets back,
// and the record of each request the emulator answered. startEmulator (server.ts) implements it.
import type { FaultRule } from './faults.js';
import type { GitHubIssue, GitHubOptions } from './github.js';
import type { IdTokenRequestRecord, TokenRequestRecord } from './routes/identity.js';
import type { SasResource } from './sas/resource.js';
import type { DelegationKeyFields } from './sas/sign.js';
import type { SasVerdict } from './sas/validate.js';
import type { Holds, Scenario } from './scenario-types.js';
import type { VaultSecretView } from './keyvault/state.js';
import type { Consumer } from './state/context.js';
import type { ThrottlingSettings } from './throttling.js';
import type { TimelineEntry } from './world.js';
import type { AppReferenceState } from './web/state.js';

export interface RequestRecord {
  seq: number;
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 while in flight, and for requests answered by a connection reset. */
  status: number;
  apiVersion?: string;
  body?: unknown;
  fault?: string;
  /** SDK-style name of the operation, e.g. "Datastores.createOrUpdate". */
  operation?: string;
  /** Answered 429 by ARM's throttling (not by an injected fault). */
  throttled?: boolean;
  /** When the answer was handed to the socket (ms since the epoch); absent for a reset. */
  answeredAt?: number;
  /** For a Key Vault data-plane request: the vault's name. */
  vault?: string;
}

export interface StartEmulatorOptions {
  scenario: Scenario | string;
  latencyMs?: number;
  faults?: FaultRule[];
  port?: number;
  tokenLifetimeSeconds?: number;
  idTokenLifetimeSeconds?: number;
  /** The GitHub REST API stand-in under /_github/api (issues). */
  github?: GitHubOptions;
  /** ARM's throttling (token buckets); overrides the scenario's. Off unless one of them sets it. */
  throttling?: ThrottlingSettings;
}

export interface Emulator {
  url: string;
  caFile: string;
  /** PEM of the CA, for an in-process https.Agent({ ca }). */
  caPem: string;
  subscriptionId: string;
  tenantId: string;
  /** Value for ACTIONS_ID_TOKEN_REQUEST_URL (the GitHub OIDC stand-in). */
  idTokenRequestUrl: string;
  requests(): RequestRecord[];
  writes(): RequestRecord[];
  keys(account: string): { key1: string; key2: string };
  secrets(): string[];
  datastore(workspace: string, name: string): { properties: any; secret?: string } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A workspace connection as stored (properties without credentials) and the secret it holds. */
  connection(workspace: string, name: string): { properties: any; secret?: string } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * What the storage service makes of a SAS consumer's token right now (valid, who signed it, why
   * not), by consumer id as in the timeline: `datastore:<workspace>/<name>`, `connection:…`.
   * Undefined for a consumer that holds no SAS token.
   */
  sas(consumerId: string): SasVerdict | undefined;
  /** The storage service's verdict on a SAS token used for a resource of the account (no request is made). */
  checkSas(account: string, token: string, resource: SasResource): SasVerdict;
  /** The value of the user delegation key the account's service hands out for these fields (Get User Delegation Key). */
  userDelegationKey(account: string, fields: DelegationKeyFields): string;
  workspaceKey(workspace: string): string | undefined;
  /** A Key Vault secret's versions (oldest first) and the account and key its current one holds. */
  vaultSecret(vault: string, name: string): VaultSecretView | undefined;
  /** An app's Key Vault references as the app has resolved them (by the app's name). */
  appReferences(app: string): AppReferenceState[] | undefined;
  holds(account: string, value: string | undefined): Holds;
  timeline(): TimelineEntry[];
  invalidConsumers(): string[];
  consumers(): Consumer[];
  addFault(rule: FaultRule): void;
  /** Removes every fault rule, those given at start included. */
  clearFaults(): void;
  /**
   * The cause of a datastore's or connection's write faults is fixed (between two runs): its
   * failPut/failUpdate and loseUpdate from the scenario no longer apply.
   */
  fixWrites(kind: 'datastore' | 'connection', workspace: string, name: string): void;
  tokenRequests(): TokenRequestRecord[];
  idTokenRequests(): IdTokenRequestRecord[];
  /** The issues opened through the GitHub REST API stand-in, with their comments. */
  githubIssues(): GitHubIssue[];
  /**
   * Moves the world's clock on (between two runs): key creation times, writes and storage traffic
   * are read against it from then on. A run of the action must see the same time: start it with
   * the offset (`clockOffsetMs`) through __tests__/support/shifted-clock.mjs.
   */
  advanceClock(ms: number): void;
  /** How far advanceClock has moved the world's clock ahead of real time. */
  clockOffsetMs(): number;
  stop(): Promise<void>;
}
