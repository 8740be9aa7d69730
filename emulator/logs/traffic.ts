import { createHash } from 'node:crypto';
import type { KeyName, StorageService } from '../scenario-types.js';
import type { AccountState } from '../state/storage-accounts.js';
import { DAY_MS } from '../state/common.js';
import type { World } from '../world.js';

/** One request as the account's resource logs record it (the columns the key-usage query reads). */
export interface LoggedRequest {
  time: number;
  service: StorageService;
  operationName: string;
  authenticationType: 'AccountKey' | 'SAS';
  /** `key1(<SHA-256>)`, `key2(…),SasSignature(…)`, or empty when the signature matched no key. */
  authenticationHash: string;
  /** With the port, as the logs give it. */
  callerIpAddress: string;
  userAgentHeader: string;
  statusCode: string;
}

/** Something that signs requests to an account: a consumer of the world or an outside caller. */
interface Holder {
  ip: string;
  userAgent: string;
  service: StorageService;
  requestsPerDay: number;
  authenticationType: 'AccountKey' | 'SAS';
  /** The key value its requests are signed with at a time; undefined: none valid then (refused). */
  signerAt(time: number): { name: KeyName; value: string } | undefined;
  /** A SAS token's signature, named in the hash next to the key's. */
  sasSignature?: string;
  /** Requests before this time are not modelled (the holder held something else then). */
  since?: number;
}

const REQUESTS_PER_DAY = 24;

/**
 * The emulator's model of storage traffic, from which it answers the key-usage query:
 * - every consumer of the world (a workspace's own key copy, AccountKey and SAS datastores and
 *   connections) makes REQUESTS_PER_DAY requests a day from its workspace's compute (one IP and
 *   user agent per workspace), signed with what it holds now, since that value became a key
 *   (a consumer held something else before);
 * - every outside caller of the scenario makes its requests signed with the value it holds, a
 *   current key or a former value of one (valid until the key's current value was made);
 * - requests are evenly spread, the last one half an interval before now; a request succeeds (200)
 *   when its value was a key of the account at its time, and is refused (403, no key in its hash)
 *   otherwise.
 */
export function requestsOf(world: World, account: AccountState, from: number, to: number) {
  const requests: LoggedRequest[] = [];
  for (const holder of holders(world, account)) {
    const interval = DAY_MS / holder.requestsPerDay;
    const start = Math.max(from, holder.since ?? from);
    for (let time = to - interval / 2; time >= start; time -= interval) {
      const signer = holder.signerAt(time);
      const hash = signer
        ? `${signer.name}(${sha256(Buffer.from(signer.value, 'base64'))})` +
          (holder.sasSignature ? `,SasSignature(${sha256(Buffer.from(holder.sasSignature))})` : '')
        : '';
      requests.push({
        time,
        service: holder.service,
        operationName: holder.service === 'blob' ? 'GetBlob' : 'GetFile',
        authenticationType: holder.authenticationType,
        authenticationHash: hash,
        callerIpAddress: `${holder.ip}:${49152 + (Math.floor(time / 1000) % 16384)}`,
        userAgentHeader: holder.userAgent,
        statusCode: signer ? '200' : '403',
      });
    }
  }
  return requests;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex').toUpperCase();

/** Which key `value` was at `time`: a current key since its creation, or a former value until it ended. */
function keyAt(account: AccountState, value: string | undefined, time: number) {
  for (const name of ['key1', 'key2'] as const) {
    const key = account.keys[name];
    if (key.value === value && (!key.creationTime || key.creationTime.getTime() <= time))
      return { name, value };
  }
  const former = account.formerKeys.find((k) => k.value === value && time < k.until.getTime());
  return former && { name: former.name, value: former.value };
}

function holders(world: World, account: AccountState): Holder[] {
  const found: Holder[] = [];
  const workspaces = world.workspaces.list();
  for (const [index, workspace] of workspaces.entries()) {
    const compute = {
      ip: `10.20.${index % 256}.4`,
      userAgent: `azureml-compute/${workspace.name}`,
    };
    for (const consumer of world.consumers()) {
      if (consumer.account.toLowerCase() !== account.name.toLowerCase()) continue;
      const [kind, rest] = consumer.id.split(':') as [string, string];
      const [wsName, name] = rest.includes('/') ? rest.split('/') : [rest, ''];
      if (wsName!.toLowerCase() !== workspace.name.toLowerCase()) continue;
      const held = heldBy(world, kind, workspace.name, name ?? '', consumer.id);
      if (!held) continue;
      if (held.sas) {
        const verdict = world.sasVerdict(consumer.id);
        const signedWith = verdict?.valid ? verdict.signedWith : undefined;
        const key =
          signedWith === 'key1' || signedWith === 'key2' ? account.keys[signedWith] : undefined;
        found.push({
          ...compute,
          service: held.service,
          requestsPerDay: REQUESTS_PER_DAY,
          authenticationType: 'SAS',
          sasSignature: held.value,
          since: key?.creationTime?.getTime(),
          signerAt: () => (key ? { name: signedWith as KeyName, value: key.value } : undefined),
        });
        continue;
      }
      const current = (['key1', 'key2'] as const).find((k) => account.keys[k].value === held.value);
      found.push({
        ...compute,
        service: held.service,
        requestsPerDay: REQUESTS_PER_DAY,
        authenticationType: 'AccountKey',
        since: current ? account.keys[current].creationTime?.getTime() : undefined,
        signerAt: (time) => keyAt(account, held.value, time),
      });
    }
  }
  for (const caller of outsideCallers(world, account)) found.push(caller);
  return found;
}

function heldBy(world: World, kind: string, workspace: string, name: string, id: string) {
  if (kind === 'workspace') {
    const value = world.workspaces.get(workspace)?.userStorageKey;
    return value ? { value, sas: false, service: 'blob' as const } : undefined;
  }
  if (kind === 'datastore') {
    const datastore = world.datastores.get(workspace, name);
    if (!datastore?.secret) return undefined;
    const service = datastore.properties.datastoreType === 'AzureFile' ? 'file' : 'blob';
    return { value: datastore.secret, sas: world.datastores.isSas(datastore), service } as const;
  }
  const connection = world.connections.get(workspace, name);
  const value = connection && world.connections.secretOf(connection);
  if (!connection || !value) return undefined;
  return { value, sas: world.sasVerdict(id) !== undefined, service: 'blob' as const };
}

function outsideCallers(world: World, account: AccountState): Holder[] {
  return world.storageLogs.outsideCallers(account.name).map((caller) => ({
    ip: caller.ip,
    userAgent: caller.userAgent,
    service: caller.service,
    requestsPerDay: caller.requestsPerDay ?? REQUESTS_PER_DAY,
    authenticationType: 'AccountKey' as const,
    signerAt: (time: number) => keyAt(account, caller.value, time),
  }));
}
