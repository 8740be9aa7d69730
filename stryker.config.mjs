// `npm run mutation`: mutation testing of the core with Stryker. Each mutant runs only the unit-test
// files that cover it (the TAP runner runs one `node --import tsx` per test file). No test here
// spawns the action or the emulator, so the whole run takes minutes.
// While iterating: `npm run mutation -- --mutate src/secrets.ts` (add `--incremental` to reuse
// the results of earlier runs for unchanged code and tests).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: [
      '__tests__/plan.test.ts',
      '__tests__/execute.test.ts',
      '__tests__/secrets.test.ts',
      '__tests__/inputs.test.ts',
      '__tests__/permissions.test.ts',
      '__tests__/*.unit.test.ts',
    ],
    nodeArgs: ['--import', 'tsx'],
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
  ignorePatterns: ['dist', 'reports', 'coverage', 'emulator'],
  // The machine is shared: two test processes at a time at most.
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/incremental.json',
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
