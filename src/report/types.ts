// The report's shape: what a run tells, as plain data without any secret.
import type { KeyName } from '../azure/port.js';
import type { AppRefreshOutcome } from '../execute/app-refresh.js';
import type { Execution } from '../execute/execute.js';
import type { PermissionCheck } from '../execute/permissions.js';
import type { ConsumerKind, Holding, Inventory, Seen, Uninspected } from '../discover/inventory.js';
import type { Inputs } from '../inputs/inputs.js';
import type { KeyUsage } from '../key-usage/usage.js';
import type { AgeLimit } from '../plan/key-age.js';
import type { Note, Plan } from '../plan/plan.js';

/** The run in one word: the `result` output. */
export type Outcome =
  | 'rotated'
  | 'not-due'
  | 'drained'
  | 'dry-run'
  | 'blocked'
  | 'blocked-by-sas'
  | 'failed'
  | 'cancelled';

export interface Timing {
  phase: string;
  ms: number;
}

/** What a run learned and did, as far as it got: everything a report is built from. */
export interface RunRecord {
  inputs?: Inputs;
  /** The storage-account input as given, to name the account when the inputs were invalid. */
  accountInput: string;
  inventory?: Inventory;
  /** The plan that ran (or would run, in a dry run). */
  plan?: Plan;
  permissions?: PermissionCheck[];
  execution?: Execution;
  /** The apps of refresh-apps: refreshed after the secrets moved (or would be, in a dry run). */
  appRefresh?: AppRefreshOutcome[];
  /** Why the run ended early, already sanitised; refused: the plan was refused before any write. */
  failure?: { message: string; beforeAnyWrite: boolean; refused?: boolean };
  /** The run was cancelled (SIGINT or SIGTERM) before it ended; what it did is told as it stood. */
  cancelled?: { signal: string };
  timings: Timing[];
}

/** Everything the run tells, as plain data without any secret: the JSON report and the summary's source. */
export interface Report {
  version: 2;
  outcome: Outcome;
  /** One line: what happened, with the numbers. */
  headline: string;
  /** What needs a person, one line each; empty when nothing does. */
  attention: string[];
  mode: 'dry-run' | 'rotation';
  generatedAt: string;
  account: {
    name: string;
    resourceGroup?: string;
    subscriptionId?: string;
    id?: string;
    link?: string;
  };
  keyName?: string;
  maxKeyAgeDays?: number;
  ageLimit?: AgeLimit & { text: string };
  decision?: string;
  regenerate: KeyName[];
  /** The key every AccountKey consumer ends on (planned, in a dry run). */
  activeKey?: KeyName;
  /** Every managed AccountKey consumer holds activeKey now (after the run, or already in a dry run). */
  allOnActiveKey: boolean;
  keys: KeyRow[];
  /** Who signed requests with each key, from the storage logs; absent before discovery. */
  keyUsage?: KeyUsage;
  steps: { text: string; reason: string; status: string; error?: string }[];
  consumers: ConsumerRow[];
  workspaces: WorkspaceRow[];
  /** The apps of refresh-apps and their references to the moved secrets; absent without them. */
  appRefresh?: AppRefreshRow[];
  /** Datastores and connections of the workspaces that reach other accounts or services. */
  otherConsumers: number;
  /** Secrets tagged for the account or named in key-vaults that hold none of its keys. */
  otherSecrets?: number;
  /** Listings of workspaces that could not be read; `denied`: outside what the run could check. */
  uninspected: Uninspected[];
  /** What could not be read and so may hold either key (listings not denied included). */
  unchecked: Uninspected[];
  /** Why the rotation was (or would be) refused before its first write. */
  refused?: string;
  /** sas: skip-keys left every key it would regenerate alone (result blocked-by-sas): why. */
  blockedBySas?: string;
  /**
   * Keys held back (require-unused-days): every managed consumer moved off each, a later run
   * regenerates it from `until` (absent: the run cannot tell when), for these reasons.
   */
  heldBack: { key: KeyName; until?: string; because: string[] }[];
  notes: Note[];
  permissions: PermissionCheck[];
  missingPermissions?: string;
  timings: Timing[];
  /** The error that ended the run early (input, login, discovery, permissions, refusal). */
  failure?: string;
  /** The signal that cancelled the run, when one did (result cancelled). */
  cancelled?: { signal: string };
  result: {
    rotated: boolean;
    regeneratedKeys: KeyName[];
    datastoresUpdated: number;
    datastoresFailed: number;
    connectionsUpdated: number;
    connectionsFailed: number;
    /** Key Vault secrets given a new version; failed or not reached. */
    secretsUpdated: number;
    secretsFailed: number;
    failed: boolean;
    stopped?: string;
    rerun?: string;
  };
}

export interface KeyState {
  createdOn?: string;
  ageDays?: number;
}

export interface KeyRow {
  name: KeyName;
  before: KeyState;
  /** After the run; absent in a dry run or when the run stopped before it. */
  after?: KeyState;
  /**
   * Managed workspaces and consumers that depend on it before the run: holding it, or holding a
   * live SAS token it signed.
   */
  heldBy: number;
  /** Older than the age limit (or of unknown age under one). */
  due: boolean;
}

export interface ConsumerRow {
  kind: ConsumerKind;
  /** The workspace that registers it; absent for a Key Vault secret (see `where`). */
  workspace?: string;
  /** Where it lives: its workspace, or a secret's Key Vault. */
  where: ConsumerPlace;
  /** Inside the workspaces the run manages (a Key Vault the run was given counts as managed). */
  inScope: boolean;
  name: string;
  /** Datastore type, connection category, or how a secret holds the key (raw key, connection string). */
  type: string;
  /** Container, share or filesystem; a connection's target URL; a secret's URL (no version). */
  target: string;
  credentials: string;
  isDefault: boolean;
  keyHeld: Seen | '';
  /** What else to know of it: a Key Vault secret's tag that disagrees with its value. */
  remarks?: string[];
  /** For a SAS consumer: which key signed its token and when it expires. Never the token. */
  sas?: SasRow;
  plannedAction: string;
  result: string;
  keyAfter?: Holding;
  error?: string;
  /** Azure ML studio's page of a datastore. */
  link?: string;
  /** For a Key Vault secret: its versions, and when the key it leaves may go. */
  secret?: SecretRow;
}

/** A workspace, or the Key Vault of a secret: where a consumer lives. */
export interface ConsumerPlace {
  kind: 'workspace' | 'key-vault';
  name: string;
  resourceGroup: string;
  /** Its resource ID, when discovery read it. */
  id?: string;
}

export interface SecretRow {
  /** When the version it held before the run was created. */
  versionCreatedOn?: string;
  /** The last version this run wrote and read back. */
  newVersion?: { version?: string; createdOn?: string };
  /**
   * The key it moves off (or moved off in an earlier run) that the grace period holds back: a run
   * may regenerate it from `until` (absent: the run cannot tell when).
   */
  leaves?: { key: KeyName; until?: string };
}

export interface SasRow {
  /** key1, key2, user delegation, neither or unknown. */
  signedBy: string;
  /** service, account, user delegation or other. */
  kind: string;
  version?: string;
  expiresOn?: string;
  expired: boolean;
  /** The stored access policy the token refers to. */
  policy?: string;
  reason?: string;
  /** "signed by key1; expires …", as the summary shows it. */
  text: string;
}

export interface WorkspaceRow {
  workspace: string;
  resourceGroup: string;
  inScope: boolean;
  defaultStorage: boolean;
  keyHeld?: Seen;
  keyAfter?: Holding;
  resync: string;
  invalidForMs?: number;
  consumersOnAccount: number;
  error?: string;
  /** The Azure portal's page of the workspace. */
  link?: string;
}

export interface AppRefreshRow {
  app: string;
  resourceGroup: string;
  id: string;
  /** refreshed, failed, would refresh (dry run), not run (no secret got a new version). */
  result: string;
  error?: string;
  /** Its references to the secrets the run moved. */
  references: {
    setting: string;
    secret: string;
    onNewVersion: boolean;
    status?: string;
    activeVersion?: string;
    newVersion: string;
  }[];
}
