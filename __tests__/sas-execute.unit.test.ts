// SAS consumers through discovery, plan and executor on the in-memory port, with real tokens signed
// by the port's keys. The oracle is the port's state at each regeneration and at the end: which key
// signed the token each consumer holds, recomputed here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AccountSASPermissions,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import type { KeyName } from '../src/azure/port.js';
import { discover } from '../src/discover/discover.js';
import { execute } from '../src/execute/execute.js';
import type { KeyNameChoice } from '../src/inputs/inputs.js';
import { plan } from '../src/plan/plan.js';
import { buildReport } from '../src/report/report.js';
import { signedBy, type SasResource } from '../src/sas/index.js';
import type { SasChoice } from '../src/plan/sas.js';
import { renderSummary } from '../src/report/summary.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { inputsFor } from './fakes/rotation.js';

const DAY = 86_400_000;
const credential = (azure: MemoryAzure, key: KeyName) =>
  new StorageSharedKeyCredential('store', azure.keys[key].value);

function containerSas(azure: MemoryAzure, container: string, key: KeyName, expiresInDays = 30) {
  return generateBlobSASQueryParameters(
    {
      containerName: container,
      permissions: ContainerSASPermissions.parse('rl'),
      startsOn: new Date(Date.now() - DAY),
      expiresOn: new Date(Date.now() + expiresInDays * DAY),
      version: '2022-11-02',
    },
    credential(azure, key),
  ).toString();
}

function accountSas(azure: MemoryAzure, key: KeyName) {
  return generateAccountSASQueryParameters(
    {
      services: 'b',
      resourceTypes: 'co',
      permissions: AccountSASPermissions.parse('rl'),
      expiresOn: new Date(Date.now() + 30 * DAY),
      version: '2020-12-06',
    },
    credential(azure, key),
  ).toString();
}

/** Which of the port's current keys signed the token a consumer (`ws/name`) holds now. */
function signerNow(azure: MemoryAzure, id: string): string {
  const ds = azure.datastores.get(id);
  const token = ds?.sasToken ?? azure.connections.get(id)?.sasToken ?? '';
  const resource: SasResource | undefined = ds
    ? { service: 'blob', container: id.split('/')[1]! }
    : undefined;
  const keys = { key1: azure.keys.key1.value, key2: azure.keys.key2.value };
  return signedBy(token, 'store', keys, resource).signedBy;
}

/** A workspace on key1 with an AccountKey datastore and SAS consumers signed by each key. */
function sasWorld() {
  const azure = new MemoryAzure();
  azure.addWorkspace('ws', 'key1');
  azure.addDatastore('ws', 'keyed', 'key1');
  azure.addSasDatastore('ws', 'by1', containerSas(azure, 'by1', 'key1'));
  azure.addSasDatastore('ws', 'by2', containerSas(azure, 'by2', 'key2'));
  azure.addSasDatastore('ws', 'expired', containerSas(azure, 'expired', 'key2', -1));
  azure.addSasConnection('ws', 'conn2', accountSas(azure, 'key2'));
  return azure;
}
const SAS_IDS = ['ws/by1', 'ws/by2', 'ws/conn2'];

/** Records, at each regeneration, every consumer whose live token the regenerated key signs. */
function watchRegenerations(azure: MemoryAzure) {
  const brokenAt: string[] = [];
  const regenerate = azure.regenerateKey.bind(azure);
  azure.regenerateKey = async (account, key) => {
    for (const id of SAS_IDS) if (signerNow(azure, id) === key) brokenAt.push(`${id} by ${key}`);
    return regenerate(account, key);
  };
  return brokenAt;
}

async function rotate(azure: MemoryAzure, keyName: KeyNameChoice, sas: SasChoice, dryRun = false) {
  const inputs = { ...inputsFor(azure, keyName), sas, dryRun };
  const inventory = await discover(azure, inputs);
  const p = plan(inventory, { keyName, sas, now: new Date() });
  const execution = dryRun ? undefined : await execute(azure, inventory, p, { concurrency: 2 });
  const report = buildReport(
    { inputs, accountInput: 'store', inventory, plan: p, execution, timings: [] },
    new Date(),
  );
  return { inventory, plan: p, execution, report };
}

describe('SAS consumers: discovery on the port', () => {
  it('tells which key signed each token, and keeps no token in the inventory it reports', async () => {
    const azure = sasWorld();
    const { inventory, report } = await rotate(azure, 'key2', 'warn', true);
    const facts = Object.fromEntries(
      inventory.workspaces[0]!.consumers.map((c) => [c.name, [c.sas?.signedBy, c.holds]]),
    );
    assert.deepEqual(facts, {
      by1: ['key1', 'key1'],
      by2: ['key2', 'key2'],
      expired: ['key2', 'stale'],
      keyed: [undefined, 'key1'],
      conn2: ['key2', 'key2'],
    });
    const summary = renderSummary(report);
    assert.match(summary, /<td>signed by key1; expires [^<]+<\/td>/);
    assert.match(summary, /<td>signed by key2; expired [^<]+<\/td>/);
    const text = JSON.stringify({ inventory, report }) + summary;
    for (const id of SAS_IDS) {
      const token = azure.datastores.get(id)?.sasToken ?? azure.connections.get(id)!.sasToken!;
      assert.ok(!text.includes(token));
      assert.ok(!text.includes(/sig=([^&]*)/.exec(token)![1]!));
    }
    assert.deepEqual(azure.log, [], 'a dry run writes nothing');
    // key1: the workspace's copy, 'keyed' and by1's token; key2: by2's and conn2's live tokens.
    assert.deepEqual(
      report.keys.map((k) => [k.name, k.heldBy]),
      [
        ['key1', 3],
        ['key2', 2],
      ],
    );
    assert.deepEqual(
      report.consumers.filter((c) => c.sas).map((c) => [c.name, c.sas!.signedBy, c.sas!.expired]),
      [
        ['conn2', 'key2', false],
        ['by1', 'key1', false],
        ['by2', 'key2', false],
        ['expired', 'key2', true],
      ],
    );
  });
});

describe('SAS consumers: the executor', () => {
  it('renew: each token the regenerated key signed is re-issued before its regeneration, and ends on the new key', async () => {
    const azure = sasWorld();
    const brokenAt = watchRegenerations(azure);
    const { execution, report } = await rotate(azure, 'key2', 'renew');
    assert.equal(execution!.failed, false);
    assert.deepEqual(brokenAt, []);
    assert.equal(signerNow(azure, 'ws/by2'), 'key2');
    assert.equal(signerNow(azure, 'ws/conn2'), 'key2');
    // Not signed by the regenerated key: never written.
    assert.equal(signerNow(azure, 'ws/by1'), 'key1');
    assert.ok(!azure.log.some((l) => /by1|expired/.test(l)));
    const before = azure.log.indexOf('regenerate key2');
    assert.ok(azure.log.indexOf('put ws/by2') < before);
    assert.ok(azure.log.indexOf('patch ws/conn2') < before);
    const row = report.consumers.find((c) => c.name === 'by2')!;
    assert.equal(row.result, 'renewed: token signed by new key2, verified');
    assert.equal(report.result.connectionsUpdated, 1);
  });

  it('renew with both keys: no live token is ever signed by a key being regenerated', async () => {
    const azure = sasWorld();
    const brokenAt = watchRegenerations(azure);
    const { execution, plan: p } = await rotate(azure, 'both', 'renew');
    assert.equal(execution!.failed, false);
    assert.deepEqual(brokenAt, []);
    for (const id of SAS_IDS) assert.equal(signerNow(azure, id), p.regenerate.at(-1));
  });

  it('warn: the token breaks, and the report says so', async () => {
    const azure = sasWorld();
    const brokenAt = watchRegenerations(azure);
    const { report } = await rotate(azure, 'key2', 'warn');
    assert.deepEqual(brokenAt, ['ws/by2 by key2', 'ws/conn2 by key2']);
    assert.equal(signerNow(azure, 'ws/by2'), 'neither');
    assert.equal(
      report.consumers.find((c) => c.name === 'by2')!.result,
      'BROKEN: its token was signed by key2, which was regenerated',
    );
  });

  it('skip-keys: nothing that signs a live token is regenerated; blocked-by-sas when nothing is left', async () => {
    const azure = sasWorld();
    const { report } = await rotate(azure, 'both', 'skip-keys');
    assert.ok(!azure.log.some((l) => l.startsWith('regenerate')));
    assert.equal(report.outcome, 'blocked-by-sas');
    assert.ok(report.attention.some((a) => a.startsWith('key1 was not regenerated')));
    for (const id of SAS_IDS) assert.notEqual(signerNow(azure, id), 'neither');
  });

  it('a lost write: verification fails, and the key that signed the old token is not regenerated', async () => {
    const azure = sasWorld();
    azure.loseWrites.add('ws/by2');
    const { execution, report } = await rotate(azure, 'key2', 'renew');
    assert.equal(execution!.failed, true);
    assert.ok(!azure.log.includes('regenerate key2'));
    assert.equal(signerNow(azure, 'ws/by2'), 'key2');
    const row = report.consumers.find((c) => c.name === 'by2')!;
    assert.match(row.error!, /token read back is signed by key2, not key1/);
    assert.match(row.result, /^FAILED/);
  });
});
