import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RefusedAttempt } from './loopback-only.mjs';
import { ACTION_ENTRY, ACTION_NODE } from './paths.js';
import { createRunnerWorkspace, type RunnerOptions, type RunnerWorkspace } from './runner-env.js';
import {
  parseAnnotations,
  parseFileCommandOutputs,
  parseMaskedValues,
  withoutMaskCommands,
  type Annotation,
} from './workflow-commands.js';

export { createRunnerWorkspace, inputVariableName } from './runner-env.js';
export type { AzureEndpoint, LoginMode, RunnerOptions, RunnerWorkspace } from './runner-env.js';
export type { Annotation } from './workflow-commands.js';
export type { RefusedAttempt } from './loopback-only.mjs';

export interface RunActionOptions extends RunnerOptions {
  /** Kill the action and fail if it has not exited by then. Default 60 s. */
  timeoutMs?: number;
  /**
   * Called once the action has started, e.g. to kill it after the emulator saw a regenerateKey.
   * `exited` aborts when the action exits on its own, so a hook waiting for a condition can stop.
   */
  killAfter?: (child: ChildProcess, exited: AbortSignal) => unknown;
  /** Sees the action's output as it arrives (the demo prints it live). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** The script to run instead of dist/index.js (the harness's own tests use a stub). */
  entry?: string;
}

/** Everything a runner would see of one run of the action. */
export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The job summary markdown (GITHUB_STEP_SUMMARY). */
  summary: string;
  /** The step outputs (GITHUB_OUTPUT). */
  outputs: Record<string, string>;
  reportPath?: string;
  /** The JSON report, parsed, if `report-path` names a file that exists. */
  report?: unknown;
  /** Every file under RUNNER_TEMP, by path relative to it. */
  files: Record<string, string>;
  /** `::error::`, `::warning::` and `::notice::` lines of stdout. */
  annotations: Annotation[];
  /** Values the action registered with `::add-mask::`. */
  maskedValues: string[];
  /** Arguments of each call the action made to `az`. */
  azCalls: string[][];
  /** Connections the network guard refused in the action's processes. */
  refusedConnections: RefusedAttempt[];
  runnerTemp: string;
  durationMs: number;
  /** Everything the action wrote that a person could read: log, summary, outputs, files. */
  allText(): string;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs `node dist/index.js` as a GitHub runner does (on ACTION_NODE), against the emulator. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const workspace = createRunnerWorkspace(options);
  try {
    const result = await runActionProcess(workspace, options);
    return collectActionRun(workspace, result);
  } finally {
    if (!process.env.KEEP_ACTION_TMP) workspace.dispose();
  }
}

/** Spawns the bundle in a prepared workspace and waits for it to exit. */
export function runActionProcess(
  workspace: RunnerWorkspace,
  options: Pick<RunActionOptions, 'timeoutMs' | 'killAfter' | 'onOutput' | 'entry'> = {},
): Promise<ProcessResult> {
  const entry = options.entry ?? ACTION_ENTRY;
  if (!existsSync(entry)) {
    return Promise.reject(new Error(`${entry} does not exist: run \`npm run build\` first`));
  }
  const started = Date.now();
  const child = spawn(ACTION_NODE, [entry], {
    cwd: workspace.workspaceDir,
    env: workspace.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new AbortController();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    options.onOutput?.(text, 'stdout');
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    options.onOutput?.(text, 'stderr');
  });

  return new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the action did not exit within ${timeoutMs} ms\n${tail(stdout, stderr)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      exited.abort();
      resolve({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started });
    });
    if (options.killAfter) {
      Promise.resolve()
        .then(() => options.killAfter?.(child, exited.signal))
        .catch((error: unknown) => {
          if (exited.signal.aborted) return;
          child.kill('SIGKILL');
          reject(error);
        });
    }
  });
}

/** Reads back what the step left behind, before the workspace is removed. */
export function collectActionRun(workspace: RunnerWorkspace, result: ProcessResult): ActionRun {
  const files = readFilesUnder(workspace.runnerTemp);
  const summary = readFileSync(workspace.summaryFile, 'utf8');
  const outputs = parseFileCommandOutputs(readFileSync(workspace.outputFile, 'utf8'));
  const reportPath = outputs['report-path'] || undefined;
  const report = reportPath && existsSync(reportPath) ? readJson(reportPath) : undefined;
  const run: ActionRun = {
    ...result,
    summary,
    outputs,
    reportPath,
    report,
    files,
    annotations: parseAnnotations(result.stdout),
    maskedValues: parseMaskedValues(result.stdout),
    azCalls: readJsonLines<string[]>(workspace.azCallLog),
    refusedConnections: readJsonLines<RefusedAttempt>(workspace.networkGuardLog),
    runnerTemp: workspace.runnerTemp,
    allText: () =>
      [
        withoutMaskCommands(run.stdout),
        run.stderr,
        run.summary,
        ...Object.values(run.outputs),
        ...Object.values(run.files),
      ].join('\n'),
  };
  return run;
}

function readFilesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the report at ${path} is not JSON: ${(error as Error).message}`);
  }
}

function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function tail(stdout: string, stderr: string): string {
  const last = (text: string) => text.slice(-4000);
  return `--- stdout (end) ---\n${last(stdout)}\n--- stderr (end) ---\n${last(stderr)}`;
}
