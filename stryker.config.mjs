// `npm run mutation`: mutation testing of the core with Stryker. Each mutant runs only the unit-test
// files that cover it: the TAP runner starts one `node` per test file. No test here spawns the
// action or the emulator.
// Speed: each unit-test file is bundled once in the sandbox, with the instrumented sources and its
// packages (esbuild), so a test process loads one file instead of tsx's loader and a module graph:
// about a third of the CPU time per test process of `node --import tsx`.
// While iterating: `npm run mutation -- --mutate src/util/secrets.ts`. (Stryker warns that the bundled
// test files are "not found in input files": it cannot map them back to __tests__/*.ts for the
// report's test view; the results are not affected. For the same reason, do not use --incremental:
// it would not see a changed test.)
const BUILD = '.mutation-build';
const UNIT_TESTS = [
  'plan.test',
  'execute.test',
  'secrets.test',
  'inputs.test',
  'permissions.test',
  'rekey.test',
  'discover-stream.test',
  'inventory-inputs.test',
  'sas.test',
  'sas-hand-built.test',
  '*.unit.test',
];
// Bundled CommonJS packages call require(): give the ESM bundle one (no spaces: the command is
// split on them).
const REQUIRE =
  'globalThis.require=process.getBuiltinModule("module").createRequire(import.meta.url);';
const ESBUILD = [
  '--bundle',
  '--format=esm',
  '--platform=node',
  '--target=node20',
  `--banner:js=${REQUIRE}`,
  `--outdir=${BUILD}`,
  '--log-level=warning',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  buildCommand: ['esbuild', ...UNIT_TESTS.map((t) => `__tests__/${t}.ts`), ...ESBUILD].join(' '),
  tap: {
    testFiles: UNIT_TESTS.map((t) => `${BUILD}/${t}.js`),
    nodeArgs: [],
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/plan/*.ts',
    'src/execute/execute.ts',
    'src/execute/regeneration.ts',
    'src/execute/permissions.ts',
    'src/util/secrets.ts',
    'src/report/report.ts',
    'src/report/rows.ts',
    'src/report/outcome.ts',
    'src/report/publish.ts',
    'src/report/summary.ts',
    'src/discover/discover.ts',
    'src/discover/inventory.ts',
    'src/inputs/inputs.ts',
    'src/inputs/input-values.ts',
    'src/inputs/inventory-inputs.ts',
    'src/inputs/key-vaults.ts',
    'src/consumers/*.ts',
    'src/consumers/key-vault/*.ts',
    'src/key-usage/*.ts',
    'src/sas/*.ts',
  ],
  ignorePatterns: ['dist', 'reports', 'coverage', 'emulator', BUILD],
  // The machine is shared: two test processes at a time at most.
  concurrency: 2,
  // Generous: a busy shared machine must not turn a slow test run into a "timeout" (counted as killed).
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
