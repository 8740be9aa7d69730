// `npm run mutation`: mutation testing of the core with Stryker. Each mutant runs only the unit-test
// files that cover it: the TAP runner starts one `node` per test file. No test here spawns the
// action or the emulator. The sandbox's instrumented TypeScript is compiled to JavaScript once
// (esbuild, no bundling), so a test process does not pay for tsx's loader: half the time per mutant.
// While iterating: `npm run mutation -- --mutate src/secrets.ts`. (Stryker warns that the compiled
// test files are "not found in input files": it cannot map them back to __tests__/*.ts for the
// report's test view; the results are not affected. For the same reason, do not use --incremental:
// it would not see a changed test.)
const BUILD = '.mutation-build';
const ENTRIES = [
  'src/**/*.ts',
  '__tests__/*.test.ts',
  '__tests__/fakes/*.ts',
  '__tests__/support/*.ts',
];
const ESBUILD_OPTIONS = '--format=esm --platform=node --target=node20 --log-level=warning';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  buildCommand: `esbuild ${ENTRIES.join(' ')} --outdir=${BUILD} --outbase=. ${ESBUILD_OPTIONS}`,
  tap: {
    testFiles: [
      'plan.test',
      'execute.test',
      'secrets.test',
      'inputs.test',
      'permissions.test',
      '*.unit.test',
    ].map((name) => `${BUILD}/__tests__/${name}.js`),
    nodeArgs: [],
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/plan.ts',
    'src/plan-notes.ts',
    'src/key-age.ts',
    'src/execute.ts',
    'src/secrets.ts',
    'src/report.ts',
    'src/summary.ts',
    'src/discover.ts',
    'src/inputs.ts',
    'src/permissions.ts',
    'src/inventory.ts',
    'src/consumers/*.ts',
  ],
  ignorePatterns: ['dist', 'reports', 'coverage', 'emulator', BUILD],
  // The machine is shared: two test processes at a time at most.
  concurrency: 2,
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
