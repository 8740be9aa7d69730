// `npm run docs:summaries` (builds dist/ first): the pictures of the job summary in the README and
// docs/job-summary.md. Runs the bundled action against the emulator for (a) a dry run of the sample
// scenario and (b) a rotation that fails part-way (a lock on one datastore), writes each job summary
// as a standalone HTML page under .tmp/summaries/, screenshots it with headless Chromium to
// docs/summary-*.png, and writes the version and commit they show into docs/job-summary.md.
import '../__tests__/support/loopback-only.mjs';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runAction } from '../__tests__/support/action.js';
import { REPO_ROOT } from '../__tests__/support/paths.js';
import { CHROMIUM_HELP, findChromium, onPath, screenshot, type Shot } from './lib/chromium.js';
import { datastoreLock, SAMPLE_TARGET } from './lib/scenes.js';
import { summaryPage } from './lib/summary-page.js';

/** CSS pixels: about the width of a job summary on a laptop screen. */
const WIDTH = 1000;
const PAGES_DIR = join(REPO_ROOT, '.tmp', 'summaries');
const IMAGES_DIR = join(REPO_ROOT, 'docs');
/** The page that shows the pictures; the text between these markers says what they were made from. */
const DOCS_PAGE = join(REPO_ROOT, 'docs', 'job-summary.md');
const STAMP = /<!-- rendered-from -->.*?<!-- \/rendered-from -->/s;

interface Scene {
  name: string;
  title: string;
  inputs: Record<string, string>;
  /** Set up the emulator before the run. */
  prepare?: (emulator: Emulator) => void;
  expectFailure: boolean;
}

const SCENES: Scene[] = [
  {
    name: 'dry-run',
    title: 'Job summary of a dry run',
    inputs: { ...SAMPLE_TARGET, 'dry-run': 'true' },
    expectFailure: false,
  },
  {
    name: 'failed-run',
    title: 'Job summary of a rotation that failed part-way',
    inputs: { ...SAMPLE_TARGET },
    prepare: (emulator) => emulator.addFault(datastoreLock),
    expectFailure: true,
  },
];

async function main(): Promise<number> {
  const browser = findChromium();
  if (!browser) {
    console.error(CHROMIUM_HELP);
    return 2;
  }
  mkdirSync(PAGES_DIR, { recursive: true });
  mkdirSync(IMAGES_DIR, { recursive: true });

  const shots: Shot[] = [];
  for (const scene of SCENES) {
    const emulator = await startEmulator({ scenario: 'sample' });
    try {
      scene.prepare?.(emulator);
      const run = await runAction({ emulator, inputs: scene.inputs });
      const failed = run.exitCode !== 0;
      if (failed !== scene.expectFailure || !run.summary.trim()) {
        console.error(
          `${scene.name}: the action exited ${run.exitCode ?? run.signal}` +
            `${run.summary.trim() ? '' : ' and wrote no job summary'}; expected it to ` +
            `${scene.expectFailure ? 'fail' : 'succeed'}. No image was changed.\n${run.stderr}`,
        );
        return 1;
      }
      const page = join(PAGES_DIR, `${scene.name}.html`);
      writeFileSync(page, summaryPage(scene.title, [{ summary: run.summary, job: 'rotate' }]));
      shots.push({ page, png: join(IMAGES_DIR, `summary-${scene.name}.png`) });
      console.log(`${scene.name}: exit code ${run.exitCode}, page ${relative(REPO_ROOT, page)}`);
    } finally {
      await emulator.stop();
    }
  }

  await screenshot(browser, shots, WIDTH);
  const optimise = onPath('optipng');
  for (const { png, width } of shots) {
    if (optimise) spawnSync('optipng', ['-quiet', '-o2', png], { stdio: 'inherit' });
    const kib = Math.round(statSync(png).size / 1024);
    const widened = width !== WIDTH ? ` (widened to ${width} px so that every table fits)` : '';
    console.log(`${relative(REPO_ROOT, png)}: ${kib} KiB${widened}`);
  }
  if (!optimise) console.log('optipng is not installed: the PNGs are not optimised.');

  const page = readFileSync(DOCS_PAGE, 'utf8');
  if (!STAMP.test(page)) {
    console.error(`${relative(REPO_ROOT, DOCS_PAGE)} has no <!-- rendered-from --> marker.`);
    return 1;
  }
  const from = renderedFrom();
  writeFileSync(
    DOCS_PAGE,
    page.replace(STAMP, `<!-- rendered-from -->${from}<!-- /rendered-from -->`),
  );
  console.log(`${relative(REPO_ROOT, DOCS_PAGE)}: ${from}`);
  return 0;
}

/** "version 0.1.0, commit 87a8dd1", and whether src/ had uncommitted changes the build included. */
function renderedFrom(): string {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const changed = git('status', '--porcelain', '--', 'src', 'action.yml') !== '';
  return `version ${version}, commit \`${commit}\`${changed ? ' with uncommitted changes to src/' : ''}`;
}

process.exitCode = await main();
