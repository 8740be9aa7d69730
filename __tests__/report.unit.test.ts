// The report (pure: built from the inventory, plan and outcomes) and the files and outputs it
// becomes. The rerun advice is checked against the in-memory world: follow it, and every consumer
// must end on the key it names, without another regeneration.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KeyName } from '../src/azure/port.js';
import { setOutputs, writeReportFile } from '../src/report/publish.js';
import {
  buildReport,
  countOf,
  describeStep,
  type Report,
  type RunRecord,
} from '../src/report/report.js';
import { MemoryAzure } from './fakes/memory-azure.js';
import { holdsNow, rotate, world } from './fakes/rotation.js';
import { setEnv } from './support/process-io.js';
import { parseFileCommandOutputs } from './support/workflow-commands.js';

const CONSUMERS = ['ws/a', 'ws/b'];

/** Clears every fault, follows the advice, and returns the key it named (if any). */
async function followAdvice(azure: MemoryAzure, report: Report, keyName: 'auto' | 'key1' | 'both') {
  const advice = report.result.rerun;
  assert.ok(advice, 'a failed run gives rerun advice');
  const named = /key-name: none\b.*\bonto (key[12])\b/.exec(advice)?.[1] as KeyName | undefined;
  azure.failPut.clear();
  azure.loseWrites.clear();
  Object.assign(azure, {
    regenerateKey: MemoryAzure.prototype.regenerateKey,
    resyncKeys: MemoryAzure.prototype.resyncKeys,
    listKeys: MemoryAzure.prototype.listKeys,
  });
  azure.log = [];
  const rerun = await rotate(azure, named ? 'none' : keyName);
  assert.equal(rerun.execution!.failed, false, 'the advised rerun succeeds');
  return { named, rerun };
}

/** The keys the consumers hold in the world now, by consumer. */
const holdings = (azure: MemoryAzure) => CONSUMERS.map((id) => holdsNow(azure, id));

describe('rerun advice names the key the consumers hold, for each way a run fails', () => {
  it('a move before the first regeneration fails: nothing regenerated, rerun the same inputs', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    for (const name of ['a', 'b']) azure.addDatastore('ws', name, 'key1');
    azure.failPut.add('ws/b');
    const first = await rotate(azure, 'key1');
    assert.deepEqual(first.report.result.regeneratedKeys, []);
    assert.deepEqual(holdings(azure), ['key2', 'key1']);
    const { named } = await followAdvice(azure, first.report, 'key1');
    assert.equal(named, undefined);
    assert.deepEqual(
      azure.log.filter((l) => l.startsWith('regenerate')),
      ['regenerate key1'],
    );
    assert.deepEqual(holdings(azure), ['key1', 'key1']);
  });

  it('the regeneration fails: nothing regenerated, rerun the same inputs', async () => {
    const azure = world();
    azure.regenerateKey = async () => {
      throw Object.assign(new Error('conflict'), { statusCode: 409 });
    };
    const first = await rotate(azure, 'auto');
    assert.deepEqual(first.report.result.regeneratedKeys, []);
    assert.equal(first.report.result.rotated, false);
    const { named } = await followAdvice(azure, first.report, 'auto');
    assert.equal(named, undefined);
    assert.deepEqual(holdings(azure), ['key2', 'key2']);
  });

  for (const [shape, fault] of [
    ['a move after the regeneration fails', (azure: MemoryAzure) => azure.failPut.add('ws/b')],
    [
      'the service accepts a write but does not keep it',
      (azure: MemoryAzure) => azure.loseWrites.add('ws/b'),
    ],
    [
      'the resync after the regeneration fails',
      (azure: MemoryAzure) => {
        azure.resyncKeys = async () => {
          throw Object.assign(new Error('resync failed'), { statusCode: 500 });
        };
      },
    ],
    [
      'the key changes outside the run before the move',
      (azure: MemoryAzure) => {
        const resync = azure.resyncKeys.bind(azure);
        azure.resyncKeys = async (ref) => {
          await resync(ref);
          await MemoryAzure.prototype.regenerateKey.call(azure, azure.account, 'key2');
        };
      },
    ],
  ] as const) {
    it(`${shape}: the regenerated key`, async () => {
      const azure = world();
      fault(azure);
      const first = await rotate(azure, 'auto');
      assert.equal(first.report.result.failed, true);
      assert.deepEqual(first.report.result.regeneratedKeys, ['key2']);
      assert.equal(holdsNow(azure, 'ws/a'), 'key2', 'a consumer that moved holds the new key2');
      const { named, rerun } = await followAdvice(azure, first.report, 'auto');
      assert.equal(named, 'key2');
      assert.deepEqual(holdings(azure), ['key2', 'key2']);
      assert.deepEqual(rerun.execution!.regenerated, []);
    });
  }

  // After a partial run of a two-key plan the consumers hold the last key actually regenerated,
  // not the last one the plan meant to regenerate.
  it('both: a move after the first of two regenerations fails', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      azure.failPut.add('ws/b');
      return regenerate(account, key);
    };
    const first = await rotate(azure, 'both');
    assert.deepEqual(first.report.result.regeneratedKeys, ['key2']);
    assert.equal(holdsNow(azure, 'ws/a'), 'key2');
    const { named } = await followAdvice(azure, first.report, 'both');
    assert.equal(named, 'key2');
    assert.deepEqual(holdings(azure), ['key2', 'key2']);
  });

  it('both: the second regeneration fails', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      if (key === 'key1') throw Object.assign(new Error('conflict'), { statusCode: 409 });
      return regenerate(account, key);
    };
    const first = await rotate(azure, 'both');
    assert.deepEqual(first.report.result.regeneratedKeys, ['key2']);
    assert.deepEqual(holdings(azure), ['key2', 'key2']);
    const { named } = await followAdvice(azure, first.report, 'both');
    assert.equal(named, 'key2');
  });

  it('a run that does not fail gives no advice', async () => {
    const { report } = await rotate(world(), 'auto');
    assert.equal(report.result.failed, false);
    assert.equal(report.result.rerun, undefined);
  });
});

/** ws (in scope, own copy on key1): AccountKey datastores a and b, a SAS and an identity-based
 * datastore, an AccountKey connection c, a datastore on another account; other (outside): x. */
function mixedWorld() {
  const azure = world();
  azure.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
  azure.addDatastore('ws', 'identity', 'key1', { credentials: { credentialsType: 'None' } });
  azure.addDatastore('ws', 'elsewhere', 'key1', { accountName: 'otherstore' });
  azure.addConnection('ws', 'c', 'key1');
  azure.addWorkspace('other', 'key1');
  azure.addDatastore('other', 'x', 'key1');
  return azure;
}

/** A run record as main.ts keeps it, from what the test has. */
const record = (parts: Omit<RunRecord, 'accountInput' | 'timings'>): RunRecord => ({
  accountInput: 'store',
  permissions: [],
  timings: [],
  ...parts,
});

const NOW = new Date('2026-12-01T00:00:00Z');

const row = (report: Report, name: string) => report.consumers.find((c) => c.name === name)!;
const workspaceRow = (report: Report, name: string) =>
  report.workspaces.find((w) => w.workspace === name)!;

describe('buildReport', () => {
  it('a rotation: each consumer, workspace and key as the run left it', async () => {
    const azure = mixedWorld();
    azure.addConnection('ws', 'd', 'key1');
    azure.failPut.add('ws/b');
    azure.failPut.add('ws/d');
    const { inputs, inventory, plan, execution } = await rotate(azure, 'auto', { named: ['ws'] });
    const regeneratedOn = azure.keys.key2.createdOn!.toISOString();
    const now = new Date(azure.keys.key2.createdOn!.getTime() + 3_600_000);
    const report = buildReport(record({ inputs, inventory, plan, execution }), now);
    const daysTo = (date: string) => Math.floor((now.getTime() - Date.parse(date)) / 86_400_000);

    assert.equal(report.version, 2);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.mode, 'rotation');
    assert.equal(report.generatedAt, now.toISOString());
    assert.deepEqual(report.account, {
      subscriptionId: 'sub',
      resourceGroup: 'rg',
      name: 'store',
      id: azure.accountId,
      link: `https://portal.azure.com/#@/resource${azure.accountId}`,
    });
    assert.equal(report.keyName, 'auto');
    assert.equal(report.maxKeyAgeDays, undefined);
    assert.equal(report.ageLimit, undefined);
    assert.deepEqual(report.regenerate, ['key2']);
    assert.equal(report.activeKey, 'key2');
    assert.equal(report.decision, plan.decision);
    assert.equal(report.refused, undefined);
    assert.deepEqual(report.keys, [
      // In scope: a, b, c, d and the workspace's own copy hold key1; outside ones do not count.
      {
        name: 'key1',
        before: { createdOn: '2026-06-01T00:00:00.000Z', ageDays: daysTo('2026-06-01') },
        after: { createdOn: '2026-06-01T00:00:00.000Z', ageDays: daysTo('2026-06-01') },
        heldBy: 5,
        due: false,
      },
      {
        name: 'key2',
        before: { createdOn: '2026-01-01T00:00:00.000Z', ageDays: daysTo('2026-01-01') },
        after: { createdOn: regeneratedOn, ageDays: 0 },
        heldBy: 0,
        due: false,
      },
    ]);
    assert.deepEqual(
      report.steps.map((s) => [s.text, s.status, s.reason === '' ? 'no reason' : 'reason']),
      plan.steps.map((step, i) => [describeStep(step), execution!.steps[i]!.status, 'reason']),
    );
    const failedStep = report.steps.find((s) => s.status !== 'done')!;
    assert.match(failedStep.error!, /^2 of 4 consumers failed$/);

    assert.deepEqual(
      ['a', 'b', 'c', 'sas', 'identity', 'x'].map((name) => {
        const r = row(report, name);
        return [name, r.kind, r.inScope, r.keyHeld, r.result, r.keyAfter];
      }),
      [
        ['a', 'datastore', true, 'key1', 'updated: holds new key2, verified', 'key2'],
        ['b', 'datastore', true, 'key1', 'FAILED: still holds key1', 'key1'],
        ['c', 'connection', true, 'key1', 'updated: holds new key2, verified', 'key2'],
        ['sas', 'datastore', true, '', 'left as it is', undefined],
        ['identity', 'datastore', true, '', 'no change', undefined],
        [
          'x',
          'datastore',
          false,
          'key1',
          'left as it is (outside the managed workspaces)',
          undefined,
        ],
      ],
    );
    assert.match(row(report, 'b').error!, /^400 UserError: /);
    assert.ok(!row(report, 'b').error!.includes(azure.keys.key1.value));
    assert.equal(row(report, 'a').error, undefined);
    assert.equal(row(report, 'a').plannedAction, plan.actions.get('datastore:sub/rg/ws/a'));
    assert.deepEqual(
      [row(report, 'a').type, row(report, 'a').target, row(report, 'a').credentials],
      ['AzureBlob', 'a', 'AccountKey'],
    );
    assert.equal(row(report, 'sas').credentials, 'Sas');
    assert.equal(row(report, 'a').workspace, 'ws');
    assert.deepEqual(row(report, 'a').where, {
      kind: 'workspace',
      name: 'ws',
      resourceGroup: 'rg',
      id: inventory.workspaces[0]!.id,
    });
    assert.equal(row(report, 'a').secret, undefined);
    assert.equal(row(report, 'a').isDefault, false);

    assert.deepEqual(workspaceRow(report, 'ws'), {
      workspace: 'ws',
      resourceGroup: 'rg',
      inScope: true,
      defaultStorage: true,
      keyHeld: 'key1',
      keyAfter: 'key1',
      resync: 'resynced',
      invalidForMs: undefined,
      consumersOnAccount: 6,
      error: undefined,
      link: `https://portal.azure.com/#@/resource${inventory.workspaces[0]!.id}`,
    });
    assert.equal(workspaceRow(report, 'other').resync, 'outside the managed workspaces');
    assert.equal(workspaceRow(report, 'other').inScope, false);
    assert.equal(workspaceRow(report, 'other').keyAfter, undefined);
    assert.equal(report.otherConsumers, 1);
    assert.equal(report.otherSecrets, undefined, 'no key vault was looked in');

    assert.deepEqual(
      { ...report.result, rerun: typeof report.result.rerun },
      {
        rotated: true,
        regeneratedKeys: ['key2'],
        datastoresUpdated: 1,
        datastoresFailed: 1,
        connectionsUpdated: 1,
        connectionsFailed: 1,
        secretsUpdated: 0,
        secretsFailed: 0,
        failed: true,
        stopped: undefined,
        rerun: 'string',
      },
    );
  });

  it('a dry run: planned steps, nothing applied, nothing counted', async () => {
    const azure = mixedWorld();
    const { report, plan } = await rotate(azure, 'auto', { named: ['ws'], dryRun: true });
    assert.equal(report.mode, 'dry-run');
    assert.ok(report.steps.length > 0);
    assert.ok(report.steps.every((s) => s.status === 'planned' && s.error === undefined));
    assert.equal(report.steps.length, plan.steps.length);
    assert.equal(row(report, 'a').result, 'not applied');
    assert.equal(row(report, 'a').keyAfter, undefined);
    assert.equal(row(report, 'x').result, 'left as it is (outside the managed workspaces)');
    assert.equal(workspaceRow(report, 'ws').resync, 'planned (not run)');
    assert.deepEqual(report.result, {
      rotated: false,
      regeneratedKeys: [],
      datastoresUpdated: 0,
      datastoresFailed: 0,
      connectionsUpdated: 0,
      connectionsFailed: 0,
      secretsUpdated: 0,
      secretsFailed: 0,
      failed: false,
      stopped: undefined,
      rerun: undefined,
    });
    assert.deepEqual(azure.log, [], 'a dry run writes nothing');
  });

  it('a stopped run: what was not reached is NOT UPDATED and counted as failed', async () => {
    const azure = new MemoryAzure();
    azure.addWorkspace('ws', 'key2');
    azure.addDatastore('ws', 'a', 'key1');
    azure.addDatastore('ws', 'b', 'key1');
    azure.addDatastore('ws', 'c', 'key2');
    azure.addConnection('ws', 'conn', 'key2');
    azure.failPut.add('ws/b');
    const { report } = await rotate(azure, 'key1');
    assert.equal(row(report, 'a').result, 'updated: holds key2, verified');
    assert.equal(row(report, 'b').result, 'FAILED: still holds key1');
    assert.equal(row(report, 'c').result, 'NOT UPDATED: still holds key2');
    assert.equal(row(report, 'conn').result, 'NOT UPDATED: still holds key2');
    assert.equal(workspaceRow(report, 'ws').resync, 'not run');
    assert.match(report.result.stopped!, /key1/);
    assert.deepEqual(
      [
        report.result.datastoresUpdated,
        report.result.datastoresFailed,
        report.result.connectionsUpdated,
        report.result.connectionsFailed,
      ],
      [1, 2, 0, 1],
    );
    assert.deepEqual(
      report.steps.map((s) => [s.text, s.status]),
      [
        ['Re-key 2 datastores with key2 (ws/a, ws/b)', 'partly failed'],
        ['Regenerate key1', 'not run'],
        ['Resync the keys of workspace ws', 'not run'],
        ['Re-key 3 datastores and 1 connection with key1 (ws/conn, ws/a, ws/b, ws/c)', 'not run'],
      ],
    );
  });

  it('consumers the plan does not write to: no change, holding their key', async () => {
    const azure = world();
    const { report } = await rotate(azure, 'none');
    assert.deepEqual(report.steps, []);
    assert.equal(row(report, 'a').result, 'no change: holds key1');
    assert.equal(row(report, 'a').keyAfter, 'key1');
    assert.equal(workspaceRow(report, 'ws').resync, 'not needed');
  });

  it('a failed resync: the workspace row carries the error', async () => {
    const azure = world();
    azure.resyncKeys = async () => {
      throw Object.assign(new Error('busy'), { statusCode: 409, code: 'Conflict' });
    };
    const { report } = await rotate(azure, 'auto');
    assert.equal(workspaceRow(report, 'ws').resync, 'failed');
    assert.equal(workspaceRow(report, 'ws').error, '409 Conflict: busy');
  });

  it('an age limit: each key is due or not, and the limit is described', async () => {
    const azure = world();
    const { inputs, inventory, plan } = await rotate(azure, 'auto', {
      dryRun: true,
      policy: { maxKeyAgeDays: 200 },
    });
    const report = buildReport(
      record({ inputs: { ...inputs, maxKeyAgeDays: 200 }, inventory, plan }),
      new Date('2026-12-01T00:00:00Z'),
    );
    assert.equal(report.maxKeyAgeDays, 200);
    assert.deepEqual(report.ageLimit, {
      days: 200,
      source: 'max-key-age-days',
      text: 'max-key-age-days: 200',
    });
    assert.deepEqual(
      report.keys.map((k) => [k.name, k.due]),
      [
        ['key1', false],
        ['key2', true],
      ],
    );
  });

  it('a key without a creation time has no age', async () => {
    const azure = world();
    delete azure.keys.key1.createdOn;
    const { report } = await rotate(azure, 'none', { dryRun: true });
    assert.deepEqual(report.keys[0]!.before, { createdOn: undefined, ageDays: undefined });
    assert.equal(report.keys[0]!.after, undefined, 'a dry run has no after');
  });
});

describe('buildReport: what a run that ended early knows', () => {
  it('invalid inputs: the account as given, nothing else', () => {
    const report = buildReport(
      {
        accountInput: 'My_Account',
        failure: { message: 'Invalid input: storage-account.', beforeAnyWrite: true },
        timings: [],
      },
      NOW,
    );
    assert.deepEqual(
      {
        outcome: report.outcome,
        account: report.account,
        keys: report.keys,
        steps: report.steps,
        consumers: report.consumers,
        workspaces: report.workspaces,
        regenerate: report.regenerate,
        activeKey: report.activeKey,
        allOnActiveKey: report.allOnActiveKey,
        notes: report.notes,
        permissions: report.permissions,
        missingPermissions: report.missingPermissions,
        failure: report.failure,
        failed: report.result.failed,
        rerun: report.result.rerun,
      },
      {
        outcome: 'failed',
        account: {
          name: 'My_Account',
          resourceGroup: undefined,
          subscriptionId: undefined,
          id: undefined,
          link: undefined,
        },
        keys: [],
        steps: [],
        consumers: [],
        workspaces: [],
        regenerate: [],
        activeKey: undefined,
        allOnActiveKey: false,
        notes: [],
        permissions: [],
        missingPermissions: undefined,
        failure: 'Invalid input: storage-account.',
        failed: true,
        rerun: undefined,
      },
    );
    const nameless = buildReport({ accountInput: '', timings: [] }, NOW);
    assert.equal(nameless.account.name, 'unknown');
  });

  it('a failed discovery: the account from the inputs, without a link (no ID known)', async () => {
    const azure = world();
    const { inputs } = await rotate(azure, 'auto', { dryRun: true });
    const report = buildReport(
      {
        inputs,
        accountInput: 'store',
        failure: { message: 'Listing the keys failed.', beforeAnyWrite: true },
        timings: [],
      },
      NOW,
    );
    assert.deepEqual(report.account, {
      name: 'store',
      resourceGroup: 'rg',
      subscriptionId: 'sub',
      id: undefined,
      link: undefined,
    });
  });

  it('stopped after planning (a missing permission): the steps are not run, keys unchanged', async () => {
    const azure = world();
    const { inputs, inventory, plan } = await rotate(azure, 'auto', { dryRun: true });
    const permissions = [{ scope: 's', name: 'store', action: 'regenerate', allowed: false }];
    const report = buildReport(
      {
        ...{ inputs: { ...inputs, dryRun: false }, inventory, plan, permissions, timings: [] },
        accountInput: 'store',
        failure: { message: 'The login lacks permissions.', beforeAnyWrite: true },
      },
      NOW,
    );
    assert.ok(report.steps.length > 0);
    assert.ok(report.steps.every((s) => s.status === 'not run'));
    assert.ok(report.keys.every((k) => k.after === undefined));
    assert.equal(report.allOnActiveKey, false);
    assert.match(report.missingPermissions!, /store: regenerate/);
    assert.equal(report.outcome, 'failed');
  });

  it('observed but not planned: keys are not due', async () => {
    const azure = world();
    const { inputs, inventory } = await rotate(azure, 'auto', { dryRun: true });
    const report = buildReport(
      {
        inputs,
        accountInput: 'store',
        inventory,
        failure: { message: 'x', beforeAnyWrite: true },
        timings: [],
      },
      NOW,
    );
    assert.deepEqual(
      report.keys.map((k) => k.due),
      [false, false],
    );
    assert.deepEqual(report.consumers, [], 'no plan: no planned actions to tell');
    assert.equal(report.workspaces[0]!.resync, 'not needed');
  });
});

describe('buildReport: the key every consumer ends on', () => {
  it('after a partial two-key run: the last key regenerated, not the last one planned', async () => {
    const azure = world();
    const regenerate = azure.regenerateKey.bind(azure);
    azure.regenerateKey = async (account, key) => {
      azure.failPut.add('ws/b');
      return regenerate(account, key);
    };
    const { report, plan } = await rotate(azure, 'both');
    assert.equal(plan.activeKey, 'key1');
    assert.equal(report.activeKey, 'key2');
    assert.equal(report.allOnActiveKey, false);
  });

  it('all on it: after a complete rotation, or already in a dry run (SAS consumers aside)', async () => {
    const done = world();
    done.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
    assert.equal((await rotate(done, 'auto')).report.allOnActiveKey, true);
    const settled = world();
    settled.addDatastore('ws', 'sas', 'key1', { credentials: { credentialsType: 'Sas' } });
    assert.equal((await rotate(settled, 'none', { dryRun: true })).report.allOnActiveKey, true);
    const due = world();
    due.addDatastore('ws', 'c', 'key2');
    assert.equal((await rotate(due, 'none', { dryRun: true })).report.allOnActiveKey, false);
    assert.equal((await rotate(world(), 'auto', { dryRun: true })).report.allOnActiveKey, false);
    const failed = world();
    failed.failPut.add('ws/b');
    assert.equal((await rotate(failed, 'auto')).report.allOnActiveKey, false);
  });

  it('a run that changes nothing, with every consumer on the key: all on it', async () => {
    const { report } = await rotate(world(), 'none');
    assert.equal(report.activeKey, 'key1');
    assert.equal(report.allOnActiveKey, true);
    assert.equal(report.outcome, 'not-due');
  });

  it('links: the portal for the account and workspaces, studio for datastores only', async () => {
    const azure = world();
    azure.addConnection('ws', 'conn', 'key1');
    const { report, inventory } = await rotate(azure, 'auto', { dryRun: true });
    const wsId = inventory.workspaces[0]!.id;
    assert.equal(
      report.consumers.find((c) => c.name === 'a')!.link,
      `https://ml.azure.com/data/datastore/a?wsid=${encodeURIComponent(wsId)}`,
    );
    assert.equal(report.consumers.find((c) => c.name === 'conn')!.link, undefined);
    const withoutInputs = buildReport(
      {
        accountInput: 'store',
        inventory,
        plan: (await rotate(azure, 'auto', { dryRun: true })).plan,
        timings: [],
      },
      NOW,
    );
    assert.equal(withoutInputs.account.link, undefined);
    assert.ok(withoutInputs.consumers.every((c) => c.link === undefined));
    assert.ok(withoutInputs.workspaces.every((w) => w.link === undefined));
  });
});

describe('describeStep', () => {
  const ref = (kind: 'datastore' | 'connection', name: string) => ({
    kind,
    name,
    workspace: { subscriptionId: 'sub', resourceGroup: 'rg', name: 'ws' },
  });

  it('names the step, and up to five consumers of a move', () => {
    assert.equal(describeStep({ kind: 'regenerate', key: 'key2', reason: '' }), 'Regenerate key2');
    assert.equal(countOf([]), 'no consumer');
    assert.equal(
      describeStep({ kind: 'resync', workspace: ref('datastore', 'x').workspace, reason: '' }),
      'Resync the keys of workspace ws',
    );
    assert.equal(
      describeStep({ kind: 'move', consumers: [ref('datastore', 'a')], to: 'key1', reason: '' }),
      'Re-key 1 datastore with key1 (ws/a)',
    );
    const five = ['a', 'b', 'c', 'd'].map((n) => ref('datastore', n));
    assert.equal(
      describeStep({
        kind: 'move',
        consumers: [...five, ref('connection', 'e')],
        to: 'key2',
        reason: '',
      }),
      'Re-key 4 datastores and 1 connection with key2 (ws/a, ws/b, ws/c, ws/d, ws/e)',
    );
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => ref('connection', n));
    assert.equal(
      describeStep({ kind: 'move', consumers: seven, to: 'key2', reason: '' }),
      'Re-key 7 connections with key2 (ws/a, ws/b, ws/c, ws/d, ws/e, 2 more)',
    );
  });
});

describe('report file and outputs', () => {
  let dir: string;
  let restoreEnv: () => void;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-unit-'));
    restoreEnv = setEnv({
      RUNNER_TEMP: join(dir, 'runner', 'temp'),
      GITHUB_OUTPUT: join(dir, 'output'),
    });
    await writeFile(join(dir, 'output'), '');
  });
  afterEach(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the JSON report under RUNNER_TEMP, readable by the runner user only', async () => {
    const { report } = await rotate(world(), 'auto');
    const path = await writeReportFile(report);
    const stamp = report.generatedAt.replace(/[:.]/g, '-');
    assert.equal(
      path,
      join(dir, 'runner', 'temp', 'aml-storage-key-rotation', `report-store-${stamp}.json`),
    );
    assert.ok(!stamp.includes(':') && !stamp.includes('.'));
    assert.equal(await readFile(path, 'utf8'), `${JSON.stringify(report, null, 2)}\n`);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(
      (await stat(join(dir, 'runner', 'temp', 'aml-storage-key-rotation'))).mode & 0o077,
      0,
    );
    assert.equal(await writeReportFile(report), path, 'a second report in the same directory');
  });

  it('sets every output from the report', async () => {
    const azure = mixedWorld();
    azure.failPut.add('ws/b');
    const { report } = await rotate(azure, 'auto', { named: ['ws'] });
    setOutputs(report, '/tmp/report.json');
    assert.deepEqual(parseFileCommandOutputs(await readFile(join(dir, 'output'), 'utf8')), {
      result: 'failed',
      rotated: 'true',
      'regenerated-keys': 'key2',
      'active-key': '',
      'datastores-updated': '1',
      'datastores-failed': '1',
      'connections-updated': '1',
      'connections-failed': '0',
      'secrets-updated': '0',
      'secrets-failed': '0',
      'report-path': '/tmp/report.json',
    });
  });

  it('lists every regenerated key, in order', async () => {
    const { report } = await rotate(world(), 'both');
    setOutputs(report, '/tmp/report.json');
    const outputs = parseFileCommandOutputs(await readFile(join(dir, 'output'), 'utf8'));
    assert.equal(outputs['regenerated-keys'], 'key2,key1');
    assert.equal(outputs['active-key'], 'key1');
    assert.equal(outputs.result, 'rotated');
  });
});

describe('buildReport: all on the active key, and permissions not checked', () => {
  it('all on the active key only when the run succeeded and every consumer holds it', async () => {
    const done = await rotate(world(), 'auto');
    const report = (execution = done.execution) =>
      buildReport(
        record({ inputs: done.inputs, inventory: done.inventory, plan: done.plan, execution }),
        NOW,
      );
    assert.equal(report().allOnActiveKey, true);
    const [first, ...rest] = [...done.execution!.consumers];
    const behind = new Map([[first![0], { ...first![1], holds: 'key1' as const }], ...rest]);
    assert.equal(report({ ...done.execution!, consumers: behind }).allOnActiveKey, false);
  });

  it('not all on the active key when the run failed, even if every consumer moved', async () => {
    const azure = world();
    const resync = azure.resyncKeys.bind(azure);
    azure.resyncKeys = async (ref) => {
      if (azure.log.some((l) => l.startsWith('regenerate'))) {
        throw Object.assign(new Error('resync failed'), { statusCode: 500 });
      }
      return resync(ref);
    };
    const run = await rotate(azure, 'auto');
    assert.equal(run.execution!.failed, true);
    assert.ok([...run.execution!.consumers.values()].every((o) => o.holds === 'key2'));
    assert.equal(run.report.allOnActiveKey, false);
  });

  it('a run that failed before checking permissions reports none missing', async () => {
    const { inputs } = await rotate(world(), 'auto', { dryRun: true });
    const report = buildReport(
      {
        accountInput: 'store',
        inputs,
        timings: [],
        failure: { message: 'login failed', beforeAnyWrite: true },
      },
      NOW,
    );
    assert.deepEqual(report.permissions, []);
    assert.equal(report.missingPermissions, undefined);
  });
});

describe('buildReport: a run that failed before its rotation', () => {
  it('is not all on the active key, even when every consumer already holds it', async () => {
    const { inputs, inventory, plan } = await rotate(world(), 'none', { dryRun: true });
    const report = (failure?: RunRecord['failure']) =>
      buildReport(record({ inputs, inventory, plan, failure }), NOW);
    assert.equal(plan.activeKey, 'key1');
    assert.equal(report().allOnActiveKey, true, 'every consumer holds key1');
    const failed = report({ message: 'Missing a permission.', beforeAnyWrite: true });
    assert.equal(failed.allOnActiveKey, false);
  });
});
