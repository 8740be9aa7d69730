import type { KeyName, StorageTransactions } from '../azure/port.js';

/** One caller of one key value: an IP (without port), a user agent and the way it authorised. */
export interface CallerUsage {
  ip: string;
  userAgent: string;
  /** AccountKey (Shared Key) or SAS. */
  authType: string;
  requests: number;
  /** Answered 2xx or 3xx. */
  succeeded: number;
  /** Answered 401 or 403. */
  refused: number;
  services: string[];
  operations: string[];
  firstSeen: string;
  lastSeen: string;
  /**
   * Only for callers of an older value: not seen on a current key value since, so the key it
   * holds no longer works for it (already broken, whatever this run does).
   */
  broken?: boolean;
}

/** The requests a key's current value (or its older values together) signed in the window. */
export interface KeyValueUsage {
  requests: number;
  /** Distinct callers (IP, user agent, authorisation type); `top` lists the busiest of them. */
  callers: number;
  firstSeen?: string;
  lastSeen?: string;
  top: CallerUsage[];
}

export interface KeyEvidence {
  key: KeyName;
  current: KeyValueUsage;
  /** Requests signed by a value the key had before its last regeneration; absent: none. */
  older?: KeyValueUsage;
}

/** What the logs tell of who uses the account's keys; never a key value or a hash of one. */
export type KeyUsage =
  | {
      status: 'found';
      lookbackDays: number;
      keys: KeyEvidence[];
      /** Shared Key or SAS requests refused without naming a key: signed by a key no longer valid. */
      refusedUnattributed?: KeyValueUsage;
      /** The services (blob, file, queue, table) whose reads and writes reach the logs. */
      services: string[];
      /** The services whose logs lack some of StorageRead, StorageWrite and StorageDelete. */
      partial: string[];
      /**
       * A hash the action could not recognise was taken for a key's current value, because that
       * value signed requests that succeeded after the key was last regenerated.
       */
      hashUnrecognised?: boolean;
      /** The query answered with a partial error: the evidence may be incomplete. */
      partialError?: string;
      /** Log tables the login may not read (table-level RBAC): the answer silently lacks them. */
      unreadableTables?: string[];
    }
  | {
      status: 'no-logs';
      lookbackDays: number;
      reason: string;
      /** The platform metrics instead: requests per way of authorising, not per key. */
      metrics?: TransactionTotals;
    }
  | { status: 'failed'; lookbackDays: number; reason: string };

/** The account's Transactions metric in the window by Authentication, or why it is missing. */
export type TransactionTotals =
  ({ status: 'read' } & StorageTransactions) | { status: 'failed'; reason: string };
