import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadScenario } from '../emulator/scenario.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import {
  act,
  everInvalidSince,
  report,
  snapshot,
  withEmulator,
  withoutCredentials,
  writesSince,
} from './e2e/world.js';

const ACCOUNT = 'mlprodstore';
const KEYED = ['workspaceblobstore', 'workspacefilestore', 'training_data'];
const ALL = [...KEYED, 'sas_exports', 'identity_blob', 'lake', 'other_account'];
const inputs = (extra: Record<string, string> = {}) => ({
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': ACCOUNT,
  ...extra,
});

async function rotation(emu: Emulator, extra: Record<string, string>) {
  const before = snapshot(
    emu,
    ALL.map((n) => ['ws-prod', n]),
    [ACCOUNT, 'otherstore'],
  );
  const run = await act(emu, { inputs: inputs(extra) });
  return { before, run, report: report(run) };
}

describe('rotation end to end (sample scenario)', () => {
  for (const keyName of ['auto', 'key1', 'key2', 'both', 'none']) {
    describe(`key-name: ${keyName}`, () => {
      let emu: Emulator;
      let result: Awaited<ReturnType<typeof rotation>>;
      before(async () => {
        emu = await startEmulator({ scenario: 'sample' });
        result = await rotation(emu, { 'key-name': keyName });
      });
      after(() => emu.stop());

      it('succeeds and fills the outputs', () => {
        const { run, report: r } = result;
        assert.equal(run.exitCode, 0, run.stdout);
        assert.equal(run.outputs['rotated'], String(keyName !== 'none'));
        assert.equal(run.outputs['active-key'], r.activeKey);
        assert.equal(run.outputs['datastores-failed'], '0');
        assert.equal(run.outputs['regenerated-keys'], r.regenerate.join(','));
        assert.equal(Number(run.outputs['datastores-updated']), r.result.datastoresUpdated);
        if (keyName === 'both') assert.deepEqual([...r.regenerate].sort(), ['key1', 'key2']);
        if (keyName === 'auto') assert.deepEqual(r.regenerate, ['key2'], 'auto: the older key');
        if (keyName === 'key1' || keyName === 'key2') assert.deepEqual(r.regenerate, [keyName]);
      });

      it('leaves every AccountKey datastore on the account on the newest key', () => {
        const { report: r, before: b } = result;
        const keys = emu.keys(ACCOUNT);
        for (const name of KEYED) {
          assert.equal(
            emu.holds(ACCOUNT, emu.datastore('ws-prod', name)!.secret),
            r.activeKey,
            name,
          );
        }
        for (const key of r.regenerate as ('key1' | 'key2')[]) {
          assert.notEqual(keys[key], b.keys[ACCOUNT]![key], `${key} was regenerated`);
        }
        if (keyName === 'both') {
          const old = Object.values(b.keys[ACCOUNT]!);
          assert.ok(
            !Object.values(keys).some((k) => old.includes(k)),
            'no key from before the run is valid',
          );
        }
      });

      it('never lets a consumer that was valid hold an invalid key', () => {
        const { report: r, before: b } = result;
        const broken = everInvalidSince(emu, b).filter((id) => !id.includes('sas_exports'));
        // The workspace's own copy follows resyncKeys, which here always takes key1: regenerating
        // key1 (named, or in both) leaves it invalid until the resync right after. auto takes the
        // older key2. That is reported, not hidden.
        const windowExpected = keyName === 'key1' || keyName === 'both';
        assert.deepEqual(broken, windowExpected ? ['workspace:ws-prod'] : []);
        const ws = r.workspaces.find((w) => w.workspace === 'ws-prod')!;
        assert.equal(ws.invalidForMs !== undefined, windowExpected);
        assert.equal(ws.keyAfter, emu.holds(ACCOUNT, emu.workspaceKey('ws-prod')));
      });

      it('writes nothing to SAS, identity, service-principal or other-account datastores', () => {
        const written = writesSince(emu, result.before)
          .filter((w) => w.method === 'PUT')
          .map((w) => w.path.split('/').at(-1));
        for (const name of written) assert.ok(KEYED.includes(name!), `unexpected write to ${name}`);
        assert.ok(!writesSince(emu, result.before).some((w) => w.method === 'DELETE'));
        for (const name of ['sas_exports', 'identity_blob', 'lake', 'other_account']) {
          assert.deepEqual(
            emu.datastore('ws-prod', name),
            result.before.datastores.get(`ws-prod/${name}`),
          );
        }
        assert.deepEqual(emu.keys('otherstore'), result.before.keys['otherstore']);
      });

      it('keeps every other property of an updated datastore', () => {
        for (const name of KEYED) {
          const was = result.before.datastores.get(`ws-prod/${name}`)!;
          const now = emu.datastore('ws-prod', name)!;
          assert.deepEqual(
            withoutCredentials(now.properties),
            withoutCredentials(was.properties),
            name,
          );
          assert.equal(now.properties.credentials.credentialsType, 'AccountKey');
        }
      });

      it('shows the result of each row in the summary', () => {
        const { run } = result;
        assert.match(run.summary, /<th>Result<\/th>/);
        assert.match(run.summary, /training&#95;data/);
        assert.doesNotMatch(run.summary, /dry run: not applied/);
      });
    });
  }
});

describe('max-key-age-days', () => {
  it('reports "not due" and regenerates nothing when every key is younger', async () => {
    const emu = await startEmulator({ scenario: 'sample' });
    try {
      const { run, report: r, before: b } = await rotation(emu, { 'max-key-age-days': '500' });
      assert.equal(run.exitCode, 0);
      assert.match(r.decision, /^not due/);
      assert.equal(run.outputs['rotated'], 'false');
      assert.deepEqual(emu.keys(ACCOUNT), b.keys[ACCOUNT]);
      // training_data held the older key2: the straggler is still moved onto key1.
      assert.equal(emu.holds(ACCOUNT, emu.datastore('ws-prod', 'training_data')!.secret), 'key1');
    } finally {
      await emu.stop();
    }
  });

  it('rotates every key older than the limit, even one no consumer holds', async () => {
    const emu = await startEmulator({ scenario: 'sample' });
    try {
      const { run, before: b } = await rotation(emu, { 'max-key-age-days': '200' });
      assert.equal(run.exitCode, 0);
      assert.equal(run.outputs['rotated'], 'true');
      // key2 (400 days) is due; key1 (120 days) is not.
      assert.notEqual(emu.keys(ACCOUNT).key2, b.keys[ACCOUNT]!.key2);
      assert.equal(emu.keys(ACCOUNT).key1, b.keys[ACCOUNT]!.key1);
    } finally {
      await emu.stop();
    }
  });
});

describe('a resync that also rewrites the default datastores', () => {
  for (const keyName of ['auto', 'key1', 'both', 'none']) {
    it(`key-name ${keyName}: datastores never hold a dead key and end on the newest`, async () => {
      const base = loadScenario('sample');
      const scenario = {
        ...base,
        resync: { ...base.resync, durationMs: 300, updatesDefaultDatastores: true },
      };
      await withEmulator(scenario, async (emu) => {
        const { run, report: r, before: b } = await rotation(emu, { 'key-name': keyName });
        assert.equal(run.exitCode, 0, run.stdout);
        const broken = everInvalidSince(emu, b).filter(
          (id) => id.startsWith('datastore:') && !id.includes('sas_exports'),
        );
        assert.deepEqual(broken, []);
        for (const name of KEYED) {
          assert.equal(
            emu.holds(ACCOUNT, emu.datastore('ws-prod', name)!.secret),
            r.activeKey,
            name,
          );
        }
      });
    });
  }
});
