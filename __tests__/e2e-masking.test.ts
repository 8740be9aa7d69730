// Every key value the action reads or creates is registered with `::add-mask::` before anything
// else is printed, asserted on the runner's output (stdout of dist/index.js). The values come from
// the emulator's state, not from the action: the account's keys before and after, the workspace's
// own copy, and the secrets of the datastores and connections (a stale one included).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { act, withEmulator } from './e2e/world.js';
import { maskedValues } from './support/process-io.js';
import { ACCOUNT, inputs, keyedDatastore, workspace, world } from './e2e/scenarios.js';

// key2 (400 days) is the older key and the workspace's own copy holds it: auto regenerates it.
const scenario = () =>
  world({ key1: 120, key2: 400 }, [
    workspace(
      'ws-main',
      'key2',
      [keyedDatastore('a', 'key1'), keyedDatastore('b', 'key2'), keyedDatastore('c', 'stale')],
      {
        connections: [
          {
            name: 'conn',
            category: 'AzureBlob',
            authType: 'AccountKey',
            account: ACCOUNT,
            holds: 'key1',
            metadata: { ContainerName: 'prompts', AccountName: ACCOUNT },
          },
        ],
      },
    ),
  ]);

const masks = (value: string) => [...new Set([value, encodeURIComponent(value)])];

describe('masking, on the runner output', () => {
  it('every key read or created is masked (raw and URL-encoded) before anything that follows it', () =>
    withEmulator({ scenario: scenario() }, async (emu) => {
      const keysBefore = emu.keys(ACCOUNT);
      const stale = emu.datastore('ws-main', 'c')!.secret!;
      const read = [
        keysBefore.key1,
        keysBefore.key2,
        emu.workspaceKey('ws-main')!,
        emu.connection('ws-main', 'conn')!.secret!,
        stale,
      ];
      assert.equal(emu.holds(ACCOUNT, stale), 'stale');
      assert.ok(
        read.some((v) => encodeURIComponent(v) !== v),
        'a key with URL-escaped characters',
      );

      const run = await act(emu, { inputs: inputs() });
      assert.equal(run.exitCode, 0, run.stdout);
      const created = emu.keys(ACCOUNT).key2;
      assert.notEqual(created, keysBefore.key2, 'key2 was regenerated');

      const lines = run.stdout.split('\n');
      const isMask = (line: string) => line.startsWith('::add-mask::');
      // The value a mask line registers, unescaped as the runner reads it.
      const maskAt = (value: string) => lines.findIndex((l) => maskedValues(l)[0] === value);
      for (const value of [...read, created]) {
        for (const form of masks(value)) {
          assert.ok(run.maskedValues.includes(form), `key #${read.indexOf(value)} is masked`);
        }
      }

      // What discovery read is masked before discovery prints anything about it.
      const discovery = lines.indexOf('::group::Discovery');
      assert.ok(discovery >= 0, 'a Discovery group');
      const firstFinding = lines.findIndex((line, i) => i > discovery && !isMask(line));
      for (const value of read) {
        for (const form of masks(value)) {
          const at = maskAt(form);
          assert.ok(
            at > discovery && at < firstFinding,
            `key #${read.indexOf(value)} masked first`,
          );
        }
      }

      // The key the regeneration created is masked before the line telling that step's result.
      const rotation = lines.indexOf('::group::Rotation');
      const regenerated = lines.findIndex(
        (line, i) => i > rotation && /^Regenerate key2\b/.test(line),
      );
      assert.ok(rotation >= 0 && regenerated > rotation, 'the regeneration is told');
      for (const form of masks(created)) {
        const at = maskAt(form);
        assert.ok(at > rotation && at < regenerated, 'the new key2 is masked first');
      }
      // …and nothing but masks comes between the step before it and the regeneration's line.
      let previous = regenerated - 1;
      while (previous > rotation && isMask(lines[previous]!)) previous--;
      assert.ok(
        previous < maskAt(created),
        'only masks between the step before and the regeneration',
      );
    }));
});
