import type { AzurePort, ConsumerSecret, KeyName } from '../azure/port.js';
import { started, type Limiter } from '../util/concurrency.js';
import {
  holdingOf,
  type Auth,
  type Consumer,
  type ConsumerKind,
  type ConsumerRef,
  type KeyInfo,
  type SasPolicy,
} from '../discover/inventory.js';
import type { ResourceRef } from '../util/resource-id.js';
import type { SasResource } from '../sas/index.js';
import { heldSas, readSas, renewedToken, verifyStoredSas, type Signing } from './sas.js';

/** The account whose consumers are looked for, as datastores and connections name it. */
export interface AccountTarget {
  name: string;
  /** The cloud's storage endpoint suffix, e.g. core.windows.net. */
  storageSuffix: string;
}

/** What every adapter's discovery shares within one run. */
export interface DiscoveryContext {
  account: AccountTarget;
  /** The account's keys, once read: each secret is compared with them when both are in. */
  keys: Promise<readonly KeyInfo[]>;
  /** Bounds every call discovery makes, across workspaces and kinds. */
  limit: Limiter;
  /** When a SAS token's expiry is judged (default: when it is read). */
  now?: Date;
  /** The account's SAS expiration policy, once read: a token it blocks is already broken. */
  sasPolicy?: Promise<SasPolicy | undefined>;
  /**
   * Set for a workspace the run only observes: a secret that cannot be read makes its consumer's
   * holding unknown (this gives the reason) instead of failing the listing.
   */
  unreadSecret?: (error: unknown) => string;
}

/** What an inventory of a subscription's accounts shares: no keys, no secrets. */
export interface SurveyContext {
  /** The cloud's storage endpoint suffix, e.g. core.windows.net. */
  storageSuffix: string;
  limit: Limiter;
}

/** A consumer that reaches a storage account, as its listing names the account. */
export interface AccountReference {
  kind: ConsumerKind;
  name: string;
  auth: Auth;
  /** The account's name, lower case (storage account names are unique in a cloud). */
  account: string;
  /** When the consumer names them too (a datastore's subscriptionId and resourceGroup). */
  subscriptionId?: string;
  resourceGroup?: string;
}

/** A consumer as its adapter reads it; discovery adds whether its workspace is in scope. */
export type ListedConsumer = Omit<Consumer, 'inScope'>;

export interface WorkspaceConsumers {
  /** Those that reach the account, AccountKey ones with the key each holds. */
  consumers: ListedConsumer[];
  /** How many reach other accounts or services. */
  others: number;
}

/** The consumer a move re-keys, as discovery saw it, and what the run did since. */
export interface RekeyTarget {
  consumer: ConsumerRef & Partial<Pick<Consumer, 'listed' | 'isDefault' | 'sasToken'>>;
  /** The key it is moved to (a Key Vault secret's CredentialId tag names it). */
  to?: KeyName;
  /** This run resynced the consumer's workspace after discovery listed it. */
  resyncedSinceListing: boolean;
  /**
   * For a SAS consumer: the account, the key to re-sign its token with and the account's keys to
   * check the stored token against. An AccountKey consumer gets the key's value itself.
   */
  signing?: Signing;
}

/** Re-keys one kind of consumer. A new kind of consumer is one more adapter. */
export interface ConsumerAdapter {
  kind: ConsumerKind;
  /** RBAC actions (a Key Vault's: data actions), by what the run does with this kind. */
  actions: { list: string; readSecret: string; write: string };
  /**
   * Writes the key into the consumer (a SAS consumer: its token re-signed by the key) and reads it
   * back. Returns why that failed (a string), or on success what it wrote, if the kind keeps versions.
   */
  rekey(azure: AzurePort, target: RekeyTarget, key: string): Promise<string | Rekeyed | undefined>;
}

/** A re-key that wrote a new version (a Key Vault secret's): which, and when Azure created it. */
export interface Rekeyed {
  version?: string;
  createdOn?: Date;
}

/** An adapter of a kind registered in workspaces: discovery lists it in every workspace. */
export interface WorkspaceAdapter extends ConsumerAdapter {
  /** A datastore or connection keeps no versions: a re-key returns only why it failed. */
  rekey(azure: AzurePort, target: RekeyTarget, key: string): Promise<string | undefined>;
  discover(
    azure: AzurePort,
    workspace: ResourceRef,
    context: DiscoveryContext,
  ): Promise<WorkspaceConsumers>;
  /** Every storage account this kind of consumer in the workspace reaches; reads listings only. */
  survey(
    azure: AzurePort,
    workspace: ResourceRef,
    context: SurveyContext,
  ): Promise<AccountReference[]>;
}

/** The key an AccountKey secret matches; anything else holds no account key. */
export function holdingOfSecret(secret: ConsumerSecret, keys: readonly KeyInfo[]) {
  return holdingOf(secret.kind === 'AccountKey' ? secret.key : undefined, keys);
}

/** Confirms the service stored the key, by reading the secret back. */
export function verifyStored(secret: ConsumerSecret, key: string): string | undefined {
  return secret.kind === 'AccountKey' && secret.key === key
    ? undefined
    : 'the service accepted the update but reading the secret back does not return the new key';
}

/** The secret a re-key writes: the key itself, or the consumer's SAS token re-signed by it. */
export type NewSecret = { kind: 'AccountKey'; key: string } | { kind: 'Sas'; sasToken: string };

/** What a re-key writes, and how to tell from the secret read back that it was stored. */
export interface Rekeying {
  secret: NewSecret;
  verify: (stored: ConsumerSecret) => string | undefined;
}

/**
 * What to write into the consumer: a SAS consumer gets its own token re-signed by the key (the
 * same fields, a new signature), checked by which key signed what is read back; any other gets
 * the key. A string: why the consumer cannot be re-keyed.
 */
export function rekeying(target: RekeyTarget, key: string): Rekeying | string {
  const held = heldSas(target.consumer.sasToken);
  if (!held) {
    return { secret: { kind: 'AccountKey', key }, verify: (stored) => verifyStored(stored, key) };
  }
  if (!target.signing) return 'no signing key was given to re-issue its SAS token';
  const signing = target.signing;
  const renewed = renewedToken(held, signing);
  if (typeof renewed === 'string') return renewed;
  return {
    secret: { kind: 'Sas', sasToken: renewed.token },
    verify: (stored) => verifyStoredSas(stored, held, signing),
  };
}

/**
 * Reads a paged listing and, as each page arrives, asks for the next one and starts reading the
 * secret of every AccountKey and SAS consumer on it: the secret reads of one page overlap the fetch
 * of the next. Page fetches go before waiting secret reads (each later page waits on the one before
 * it). A SAS token is judged at once (which key signed it) and kept aside, masked.
 */
export async function streamConsumers<T>(
  pages: AsyncIterable<T[]>,
  context: DiscoveryContext,
  /** The consumer an item is, when it reaches the account; undefined otherwise. */
  consumerOf: (item: T) => ListedConsumer | undefined,
  secretOf: (item: T) => Promise<ConsumerSecret>,
  /** What a SAS consumer uses its token on (a service SAS signs that path). */
  sasResourceOf: (item: T) => SasResource | undefined = () => undefined,
): Promise<WorkspaceConsumers> {
  const { limit, keys } = context;
  const iterator = pages[Symbol.asyncIterator]();
  const consumers: Array<Promise<ListedConsumer>> = [];
  let others = 0;
  const close = limit.openChain();
  const fetchPage = () => started(limit.run(() => iterator.next(), 'urgent'));
  let next = fetchPage();
  for (;;) {
    let page: IteratorResult<T[]>;
    try {
      page = await next;
    } catch (error) {
      close();
      throw error;
    }
    if (page.done) break;
    // The next page is on its way before this page's secret reads are even sent.
    next = fetchPage();
    for (const item of page.value) {
      const consumer = consumerOf(item);
      if (!consumer) others++;
      else if (consumer.auth === 'Other') consumers.push(Promise.resolve(consumer));
      else {
        const read = limit.run(() => secretOf(item));
        const judge = async (secret: ConsumerSecret): Promise<ListedConsumer> =>
          consumer.auth === 'AccountKey'
            ? { ...consumer, holds: holdingOfSecret(secret, await keys) }
            : {
                ...consumer,
                ...readSas(
                  secret,
                  context.account.name.toLowerCase(),
                  await keys,
                  sasResourceOf(item),
                  context.now ?? new Date(),
                  await context.sasPolicy,
                ),
              };
        const unread = (error: unknown): ListedConsumer => {
          if (!context.unreadSecret) throw error;
          return { ...consumer, holds: 'unknown', unread: context.unreadSecret(error) };
        };
        consumers.push(started(read.then(judge, unread)));
      }
    }
  }
  close();
  return { consumers: await Promise.all(consumers), others };
}

/** Every item of a paged listing, each page fetched under the limit. */
export async function listAll<T>(pages: AsyncIterable<T[]>, limit: Limiter): Promise<T[]> {
  const iterator = pages[Symbol.asyncIterator]();
  const items: T[] = [];
  for (;;) {
    const page = await limit.run(() => iterator.next());
    if (page.done) return items;
    items.push(...page.value);
  }
}
