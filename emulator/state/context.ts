// What the resource modules in state/ share with the world they live in, so that none of them
// needs the World itself (which is made of them).

/** Something that holds a copy of a storage key (or a token signed by one) and may go stale. */
export interface Consumer {
  id: string;
  account: string;
  valid: boolean;
  /** When its validity changes by the clock alone (a SAS token's expiry); undefined: never. */
  changesAt?: number;
}

/**
 * What an event may have changed, so the timeline re-checks only those consumers: the given ones,
 * every consumer of one workspace, or (when absent) every consumer of the world.
 */
export type Touched = { consumers: Consumer[] } | { removed: string[] } | { workspace: string };

/** What a resource module may use of the world it lives in. */
export interface WorldContext {
  readonly subscriptionId: string;
  readonly tenantId: string;
  now(): number;
  /** Appends an event to the timeline, with the consumers invalid right after it. */
  record(event: string, touched?: Touched): void;
  /** Remembers a value as a secret (for leak scans) and returns it. */
  secret(value: string): string;
  /** The resource group's name as created, in the subscription (default: the scenario's). */
  requireResourceGroup(resourceGroup: string, subscriptionId?: string): string;
}
