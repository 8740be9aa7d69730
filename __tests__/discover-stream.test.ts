// Discovery streams: secret reads start as each page arrives, workspaces are inspected in parallel,
// and one limit bounds every call in flight.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { ResourceRef } from '../src/util/resource-id.js';
import { cloudByName } from '../src/azure/cloud.js';
import { Limiter } from '../src/util/concurrency.js';
import { discover } from '../src/discover/discover.js';
import type { Inputs } from '../src/inputs/inputs.js';
import { MemoryAzure } from './fakes/memory-azure.js';

/** MemoryAzure where every call takes `ms` and is logged as it starts and ends. */
class SlowAzure extends MemoryAzure {
  events: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly ms: number) {
    super();
  }
  private async slow<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.events.push(`start ${what}`);
    try {
      await sleep(this.ms);
      return await fn();
    } finally {
      this.inFlight--;
      this.events.push(`end ${what}`);
    }
  }
  override async *datastorePages(ref: ResourceRef) {
    const pages = super.datastorePages(ref)[Symbol.asyncIterator]();
    for (let n = 1; ; n++) {
      const page = await this.slow(`page ${ref.name} ${n}`, () => pages.next());
      if (page.done) return;
      yield page.value;
    }
  }
  override datastoreSecret(ref: ResourceRef, name: string) {
    return this.slow(`secret ${ref.name}/${name}`, () => super.datastoreSecret(ref, name));
  }
  override workspaceStorageKey(ref: ResourceRef) {
    return this.slow(`ownkey ${ref.name}`, () => super.workspaceStorageKey(ref));
  }
}

function inputsFor(azure: MemoryAzure, concurrency: number): Inputs {
  return {
    workspaces: {
      kind: 'list',
      workspaces: [...azure.workspaceKey.keys()].map((name) => ({
        subscriptionId: 'sub',
        resourceGroup: 'rg',
        name,
      })),
    },
    storageAccount: azure.account,
    dryRun: true,
    keyName: 'auto',
    allowOutsideBreakage: false,
    allowWorkspaceOutage: true,
    sas: 'warn',
    keyUsageDays: 7,
    concurrency,
    cloud: cloudByName('AzureCloud'),
    login: { kind: 'ambient' },
    notify: 'none',
    githubToken: '',
  };
}

describe('discovery streams', () => {
  it('reads secrets of a page before the last page arrives, within the limit', async () => {
    const azure = new SlowAzure(5);
    azure.pageSize = 10;
    azure.addWorkspace('ws', 'key1');
    for (let i = 0; i < 40; i++) azure.addDatastore('ws', `d${String(i).padStart(2, '0')}`, 'key1');
    const inventory = await discover(azure, inputsFor(azure, 4));
    assert.equal(inventory.workspaces[0]!.consumers.length, 40);
    assert.ok(inventory.workspaces[0]!.consumers.every((c) => c.holds === 'key1'));
    const firstSecret = azure.events.indexOf('start secret ws/d00');
    const lastPage = azure.events.indexOf('end page ws 4');
    assert.ok(firstSecret >= 0 && firstSecret < lastPage, azure.events.join('\n'));
    assert.ok(azure.maxInFlight <= 4, `at most 4 calls at once, saw ${azure.maxInFlight}`);
  });

  it('inspects every workspace at once, the own key alongside the listing', async () => {
    const azure = new SlowAzure(20);
    for (const ws of ['a', 'b', 'c']) {
      azure.addWorkspace(ws, 'key1');
      azure.addDatastore(ws, 'data', 'key1');
    }
    await discover(azure, inputsFor(azure, 16));
    const firstEnd = azure.events.findIndex((e) => e.startsWith('end'));
    const startedBefore = azure.events.slice(0, firstEnd);
    for (const ws of ['a', 'b', 'c']) {
      assert.ok(startedBefore.includes(`start page ${ws} 1`), azure.events.join('\n'));
      assert.ok(startedBefore.includes(`start ownkey ${ws}`), azure.events.join('\n'));
    }
  });
});

describe('Limiter', () => {
  it('never runs more than its limit, and lets urgent tasks go first', async () => {
    const limit = new Limiter(2);
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await sleep(5);
      running--;
    };
    await Promise.all([
      limit.run(task('n1')),
      limit.run(task('n2')),
      limit.run(task('n3')),
      limit.run(task('u1'), 'urgent'),
    ]);
    assert.equal(most, 2);
    assert.deepEqual(order, ['n1', 'n2', 'u1', 'n3']);
  });

  it('while a listing is open, leaves its pages a slot', async () => {
    const limit = new Limiter(3);
    const close = limit.openChain();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await sleep(5);
      running--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limit.run(task)));
    assert.equal(most, 2, 'normal tasks use all but one slot');
    close();
    running = most = 0;
    await Promise.all(Array.from({ length: 6 }, () => limit.run(task)));
    assert.equal(most, 3, 'all of them once the listing is done');
  });
});
