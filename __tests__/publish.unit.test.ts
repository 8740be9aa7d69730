// What the runner reads back from a run: the annotations on stdout, the outputs and the summary
// files, the JSON report; and a report that cannot be written is a warning, not the run's failure.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { annotate, publish } from '../src/report/publish.js';
import type { Report } from '../src/report/report.js';
import { renderSummary } from '../src/report/summary.js';
import { rotate, world } from './fakes/rotation.js';
import { captureStdout, setEnv } from './support/process-io.js';
import { parseAnnotations, parseFileCommandOutputs } from './support/workflow-commands.js';

/** The annotations a report makes, and whether it fails the step; the exit code is put back. */
async function annotations(report: Report) {
  const stdout = await captureStdout(() => annotate(report));
  const failed = process.exitCode === 1;
  process.exitCode = undefined;
  return { failed, annotations: parseAnnotations(stdout).map((a) => `${a.level}: ${a.message}`) };
}

describe('annotate', () => {
  it('a failed run: the conclusion with the rerun first, then one error for every failed consumer', async () => {
    const azure = world(['a', 'b', 'c']);
    azure.failPut.add('ws/b');
    azure.failPut.add('ws/c');
    const { report } = await rotate(azure, 'auto');
    const { failed, annotations: told } = await annotations(report);
    assert.equal(failed, true);
    assert.equal(told[0], `error: 2 consumer(s) were not updated; 1 were. ${report.result.rerun}`);
    assert.match(
      told[1]!,
      /^error: 2 consumer\(s\) were not updated: datastore 'b' \(workspace 'ws'\): 400 UserError: .*; datastore 'c' \(workspace 'ws'\): 400 UserError: .*\.$/,
    );
    assert.ok(
      told.slice(2).every((line) => !line.startsWith('error')),
      told.join('\n'),
    );
  });

  it('a stopped run: why it stopped, as a sentence; failed steps other than re-keys', async () => {
    const azure = world();
    azure.regenerateKey = async () => {
      throw Object.assign(new Error('locked'), { statusCode: 409 });
    };
    const { report } = await rotate(azure, 'auto');
    const { annotations: told } = await annotations(report);
    assert.deepEqual(told.slice(0, 2), [
      `error: Regenerating key2 failed: 409: locked. ${report.result.rerun}`.replace(
        'Regenerating',
        'regenerating',
      ),
      'error: Regenerate key2: 409: locked',
    ]);
  });

  it('an early failure: its message is the conclusion', async () => {
    const { report } = await rotate(world(), 'auto');
    const { failed, annotations: told } = await annotations({
      ...report,
      outcome: 'blocked',
      failure: 'Refused: it would break x.',
    });
    assert.equal(failed, true);
    assert.equal(told[0], 'error: Refused: it would break x.');
  });

  it('a dry run warns of what would stop a rotation; notes are warnings or notices', async () => {
    const { report } = await rotate(world(), 'auto', { dryRun: true });
    const { failed, annotations: told } = await annotations({
      ...report,
      refused: 'It would break x.',
      missingPermissions: 'Missing y.',
      notes: [
        { level: 'warning', kind: 'sas', text: 'SAS breaks.', subjects: ['a'] },
        { level: 'notice', kind: 'outside', text: 'Left alone.', subjects: ['w'] },
      ],
    });
    assert.equal(failed, false);
    assert.deepEqual(told, [
      'warning: A rotation would stop before its first write: It would break x.',
      'warning: A rotation would fail: Missing y.',
      'warning: SAS breaks: a.',
      'notice: Left alone: w.',
    ]);
    const rotation = await annotations({
      ...report,
      mode: 'rotation',
      refused: 'x',
      missingPermissions: 'y',
      notes: [],
    });
    assert.deepEqual(rotation.annotations, []);
  });
});

describe('publish', () => {
  // One directory for the whole suite: @actions/core keeps the summary file's path once it read it.
  let dir: string;
  let restoreEnv: () => void;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'publish-unit-'));
    restoreEnv = setEnv({
      RUNNER_TEMP: join(dir, 'temp'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    });
  });
  beforeEach(async () => {
    await rm(join(dir, 'temp'), { recursive: true, force: true });
    await writeFile(join(dir, 'output'), '');
    await writeFile(join(dir, 'summary'), '');
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the report, the outputs and the summary', async () => {
    const { report } = await rotate(world(), 'auto');
    const stdout = await captureStdout(() => publish(report));
    const outputs = parseFileCommandOutputs(await readFile(join(dir, 'output'), 'utf8'));
    assert.equal(outputs.result, 'rotated');
    assert.equal(outputs['active-key'], 'key2');
    assert.equal(
      await readFile(outputs['report-path']!, 'utf8'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    assert.equal(await readFile(join(dir, 'summary'), 'utf8'), `${renderSummary(report)}\n`);
    assert.deepEqual(
      parseAnnotations(stdout).filter((a) => a.level !== 'notice'),
      [],
    );
  });

  it('a report that cannot be written is a warning; the outputs and summary still are', async () => {
    await writeFile(join(dir, 'temp'), 'a file where the directory should be');
    const { report } = await rotate(world(), 'auto');
    const stdout = await captureStdout(() => publish(report));
    const outputs = parseFileCommandOutputs(await readFile(join(dir, 'output'), 'utf8'));
    assert.equal(outputs['report-path'], '');
    assert.equal(outputs.result, 'rotated');
    const warnings = parseAnnotations(stdout).filter((a) => a.level === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!.message,
      /^Could not write the JSON report: .+\. The run's result does not depend on it\.$/,
    );
    assert.equal(process.exitCode, undefined, 'not a failure of the run');
    assert.notEqual(await readFile(join(dir, 'summary'), 'utf8'), '');
  });
  it('a summary that cannot be written is a warning; the report and outputs still are', async () => {
    await rm(join(dir, 'summary'), { force: true });
    await mkdir(join(dir, 'summary'));
    try {
      const { report } = await rotate(world(), 'auto');
      const stdout = await captureStdout(() => publish(report));
      const outputs = parseFileCommandOutputs(await readFile(join(dir, 'output'), 'utf8'));
      assert.equal(outputs.result, 'rotated');
      assert.notEqual(outputs['report-path'], '');
      const warnings = parseAnnotations(stdout).filter((a) => a.level === 'warning');
      assert.deepEqual(
        warnings.map((w) => w.message.replace(/: .*\. The run/, ': …. The run')),
        ["Could not write the job summary: …. The run's result does not depend on it."],
      );
      assert.equal(process.exitCode, undefined, 'not a failure of the run');
    } finally {
      await rm(join(dir, 'summary'), { recursive: true, force: true });
    }
  });
});

describe('annotate: the conclusion counts datastores and connections together', () => {
  it('failed datastores and connections, then those updated, and no trailing space', async () => {
    const azure = world(['a', 'b', 'c']);
    azure.addConnection('ws', 'd', 'key1');
    azure.addConnection('ws', 'e', 'key1');
    azure.failPut.add('ws/b');
    azure.failPut.add('ws/d');
    const { report } = await rotate(azure, 'auto');
    const { annotations: told } = await annotations(report);
    assert.equal(told[0], `error: 2 consumer(s) were not updated; 3 were. ${report.result.rerun}`);
    const { annotations: without } = await annotations({
      ...report,
      result: { ...report.result, rerun: undefined },
    });
    assert.equal(without[0], 'error: 2 consumer(s) were not updated; 3 were.');
  });
});
