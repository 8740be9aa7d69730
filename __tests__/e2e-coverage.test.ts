// Every consumer of the key, inside and outside the named workspaces, and a key-age policy that
// covers every valid key. Checked on the emulator's state and timeline, not on the action's report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../emulator/server.js';
import { act, everInvalidSince, snapshot, withEmulator } from './e2e/world.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

const DAY_MS = 86_400_000;
const before = (emu: Emulator) => snapshot(emu, [], [ACCOUNT]);
const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warnings = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

/** Key ages in days, as the service reports them now. */
async function keyAges(emu: Emulator): Promise<Record<string, number | undefined>> {
  const state = (await (await fetchState(emu)).json()) as {
    storageAccounts: { id: string; keys: Record<string, { creationTime?: string }> }[];
  };
  const account = state.storageAccounts.find((a) => a.id.endsWith(`/${ACCOUNT}`))!;
  const age = (k: string) => {
    const created = account.keys[k]?.creationTime;
    return created ? (Date.now() - Date.parse(created)) / DAY_MS : undefined;
  };
  return { key1: age('key1'), key2: age('key2') };
}

function fetchState(emu: Emulator) {
  return import('node:https').then(
    ({ request }) =>
      new Promise<{ json(): Promise<unknown> }>((resolve, reject) => {
        const req = request(`${emu.url}/_emulator/state`, { ca: emu.caPem }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ json: async () => JSON.parse(body) as unknown }));
        });
        req.on('error', reject).end();
      }),
  );
}

describe('consumers outside the named workspaces', () => {
  // key2 (400 days) is due under max-key-age-days 200; ws-other's datastore holds it.
  const shared = () =>
    world({ key1: 120, key2: 400 }, [
      workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
      workspace('ws-other', 'key1', [keyedDatastore('shared_data', 'key2')], {
        storageAccount: 'otherstore',
      }),
    ]);

  it('a rotation that would break an outside datastore stops with zero writes and names it', () =>
    withEmulator({ scenario: shared() }, async (emu) => {
      const run = await act(emu, { inputs: inputs({ 'max-key-age-days': '200' }) });
      assert.equal(run.exitCode, 1, run.stdout);
      assert.deepEqual(emu.writes(), []);
      const [message] = errors(run);
      assert.match(message!, /datastore 'shared_data' \(workspace 'ws-other'\) holds key2/);
      assert.match(message!, /allow-outside-breakage: true/);
      assert.match(message!, /workspace: '\*'/);
    }));

  it('names an outside workspace whose default storage is the account and whose copy holds the key', () =>
    withEmulator(
      {
        scenario: world({ key1: 120, key2: 400 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
          workspace('ws-third', 'key2', [
            { ...keyedDatastore('workspaceblobstore', 'key2'), isDefault: true },
          ]),
        ]),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'key-name': 'key2' }) });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.deepEqual(emu.writes(), []);
        const [message] = errors(run);
        assert.match(
          message!,
          /workspace 'ws-third' \(resource group 'rg-ml'\), whose own copy holds key2/,
        );
        assert.match(
          message!,
          /datastore 'workspaceblobstore' \(workspace 'ws-third'\) holds key2/,
        );
      },
    ));

  it('accepted knowingly: rotates, never writes outside, and the outside datastore breaks as announced', () =>
    withEmulator({ scenario: shared() }, async (emu) => {
      const b = before(emu);
      const run = await act(emu, {
        inputs: inputs({ 'max-key-age-days': '200', 'allow-outside-breakage': 'true' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.notEqual(emu.keys(ACCOUNT).key2, b.keys[ACCOUNT]!.key2);
      assert.ok(!emu.writes().some((w) => /ws-other/i.test(w.path)));
      assert.deepEqual(everInvalidSince(emu, b), ['datastore:ws-other/shared_data']);
      assert.ok(
        warnings(run).some((w) => w.includes("datastore 'shared_data' (workspace 'ws-other')")),
      );
      assert.match(run.summary, /shared&#95;data/);
    }));

  it('an outside consumer on the key that stays is reported as a notice, and left alone', () =>
    withEmulator(
      {
        scenario: world({ key1: 120, key2: 400 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
          workspace('ws-other', 'key1', [keyedDatastore('shared_data', 'key1')], {
            storageAccount: 'otherstore',
          }),
        ]),
      },
      async (emu) => {
        const b = before(emu);
        const run = await act(emu, { inputs: inputs({ 'max-key-age-days': '200' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.notEqual(emu.keys(ACCOUNT).key2, b.keys[ACCOUNT]!.key2);
        assert.equal(emu.keys(ACCOUNT).key1, b.keys[ACCOUNT]!.key1);
        assert.deepEqual(everInvalidSince(emu, b), []);
        assert.ok(!emu.writes().some((w) => /ws-other/i.test(w.path)));
        const notices = run.annotations.filter((a) => a.level === 'notice').map((a) => a.message);
        assert.ok(notices.some((n) => n.includes("'ws-other'") && n.includes('shared_data')));
      },
    ));

  it("workspace: '*' manages every workspace, so nothing is outside and both move", () =>
    withEmulator({ scenario: shared() }, async (emu) => {
      const b = before(emu);
      const run = await act(emu, {
        inputs: inputs({ workspace: '*', 'max-key-age-days': '200' }),
      });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.deepEqual(everInvalidSince(emu, b), []);
      const keys = emu.keys(ACCOUNT);
      assert.equal(emu.datastore('ws-other', 'shared_data')!.secret, keys.key2);
      assert.equal(emu.datastore('ws-main', 'training_data')!.secret, keys.key2);
    }));
});

describe('a key-age policy that covers every valid key', () => {
  // key1, 400 days old, is held by the workspace's own copy; key2, 3 days old, by the datastores.
  const aging = () =>
    world({ key1: 400, key2: 3 }, [
      workspace('ws-main', 'key1', [
        keyedDatastore('training_data', 'key2'),
        keyedDatastore('features', 'key2'),
      ]),
    ]);

  it('rotates the 400-day key the workspace holds; no datastore ever holds a dead key; a rerun is not due', () =>
    withEmulator({ scenario: aging() }, async (emu) => {
      const b = before(emu);
      const run = await act(emu, { inputs: inputs({ 'max-key-age-days': '30' }) });
      assert.equal(run.exitCode, 0, run.stdout);
      assert.notEqual(emu.keys(ACCOUNT).key1, b.keys[ACCOUNT]!.key1);
      const ages = await keyAges(emu);
      assert.ok(ages.key1! < 1 && ages.key2! < 30, JSON.stringify(ages));
      const broken = everInvalidSince(emu, b);
      assert.deepEqual(
        broken.filter((id) => !id.startsWith('workspace:')),
        [],
      );
      assert.deepEqual(emu.invalidConsumers(), []);

      const mark = before(emu);
      const rerun = await act(emu, { inputs: inputs({ 'max-key-age-days': '30' }) });
      assert.equal(rerun.exitCode, 0, rerun.stdout);
      assert.deepEqual(
        emu.writes().filter((w) => w.seq > mark.seq),
        [],
      );
      assert.equal(rerun.outputs['rotated'], 'false');
      assert.match(rerun.stdout, /not due: key1 is 0 days old, key2 is 3 days old/);
    }));

  it('allow-workspace-outage: false stops before writing and says which key is due and why', () =>
    withEmulator({ scenario: aging() }, async (emu) => {
      const run = await act(emu, {
        inputs: inputs({ 'max-key-age-days': '30', 'allow-workspace-outage': 'false' }),
      });
      assert.equal(run.exitCode, 1, run.stdout);
      assert.deepEqual(emu.writes(), []);
      assert.match(errors(run)[0]!, /key1 must be regenerated, but workspace 'ws-main' holds key1/);
    }));

  it('auto without an age limit alternates: two runs regenerate the two keys', () =>
    withEmulator(
      {
        scenario: world({ key1: 100, key2: 200 }, [
          workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')]),
        ]),
      },
      async (emu) => {
        const start = emu.keys(ACCOUNT);
        const b = before(emu);
        assert.equal((await act(emu, { inputs: inputs() })).exitCode, 0);
        const middle = emu.keys(ACCOUNT);
        assert.equal(middle.key1, start.key1);
        assert.notEqual(middle.key2, start.key2);
        assert.equal((await act(emu, { inputs: inputs() })).exitCode, 0);
        const end = emu.keys(ACCOUNT);
        assert.notEqual(end.key1, middle.key1);
        assert.equal(end.key2, middle.key2);
        assert.deepEqual(
          everInvalidSince(emu, b).filter((id) => !id.startsWith('workspace:')),
          [],
        );
        assert.deepEqual(emu.invalidConsumers(), []);
      },
    ));

  it("the account's 90-day key policy applies without any input: the dry run names key1, the rotation leaves no key older", () =>
    withEmulator(
      {
        scenario: world(
          { key1: 120, key2: 10 },
          [workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key1')])],
          { properties: { keyPolicy: { keyExpirationPeriodInDays: 90 } } },
        ),
      },
      async (emu) => {
        const dry = await act(emu, { inputs: inputs({ 'dry-run': 'true' }) });
        assert.equal(dry.exitCode, 0, dry.stdout);
        assert.deepEqual(emu.writes(), []);
        assert.match(
          dry.stdout,
          /due under the account's 90-day key expiration policy: key1 is 120 days old/,
        );
        assert.match(dry.summary, /due under the account&#39;s 90-day key expiration policy/);

        const b = before(emu);
        const run = await act(emu, { inputs: inputs() });
        assert.equal(run.exitCode, 0, run.stdout);
        const ages = await keyAges(emu);
        assert.ok(ages.key1! < 90 && ages.key2! < 90, JSON.stringify(ages));
        assert.deepEqual(everInvalidSince(emu, b), []);
      },
    ));

  it('a key without a creation time is due under an age limit, and has a known age after', () =>
    withEmulator(
      {
        scenario: world({ key1: null, key2: 5 }, [
          workspace('ws-main', 'key2', [keyedDatastore('training_data', 'key1')]),
        ]),
      },
      async (emu) => {
        const b = before(emu);
        const run = await act(emu, { inputs: inputs({ 'max-key-age-days': '30' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        assert.notEqual(emu.keys(ACCOUNT).key1, b.keys[ACCOUNT]!.key1);
        assert.equal(emu.keys(ACCOUNT).key2, b.keys[ACCOUNT]!.key2);
        assert.ok((await keyAges(emu)).key1! < 1);
        assert.match(run.stdout, /key1's age is unknown/);
        assert.deepEqual(everInvalidSince(emu, b), []);
      },
    ));
});

describe('account settings', () => {
  it('shared key access off: one warning with the count of key-based consumers; the run proceeds', () =>
    withEmulator(
      {
        scenario: world(
          { key1: 10, key2: 10 },
          [workspace('ws-main', 'key1', [keyedDatastore('training_data', 'key1')])],
          { allowSharedKeyAccess: false },
        ),
      },
      async (emu) => {
        const run = await act(emu, { inputs: inputs({ 'key-name': 'none' }) });
        assert.equal(run.exitCode, 0, run.stdout);
        const shared = warnings(run).filter((w) => /Shared key access is off/.test(w));
        assert.equal(shared.length, 1);
        assert.match(shared[0]!, /its 1 AccountKey and SAS consumer/);
      },
    ));
});
