// The failed tests of a node test runner TAP stream, for scripts/soak.ts.

/** A test that failed, as `file › suite › test`. */
export interface Failure {
  file: string;
  name: string;
}

/**
 * The failed tests of a node test runner TAP stream: each `not ok` that is not a suite (a suite
 * fails when one of its tests does), named by the `# Subtest:` lines it is nested in, with the
 * file from its `location`. A file that fails to load shows as a test named after the file.
 */
export function failedTests(tap: string, root: string): Failure[] {
  const lines = tap.split('\n');
  const path: string[] = [];
  const failures: Failure[] = [];
  lines.forEach((line, i) => {
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      path.length = subtest[1]!.length / 4;
      path.push(subtest[2]!);
      return;
    }
    const result = /^( *)not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!result) return;
    const depth = result[1]!.length / 4;
    let file = '';
    let suite = false;
    for (
      let j = i + 1;
      j < lines.length && !/^ *(?:# Subtest:|(?:not )?ok \d)/.test(lines[j]!);
      j++
    ) {
      const location = /^ *location: '(.*?)(?::\d+:\d+)?'$/.exec(lines[j]!);
      if (location && !file) file = location[1]!;
      if (/^ *type: 'suite'$/.test(lines[j]!)) suite = true;
    }
    if (suite) return;
    const name = [...path.slice(0, depth), result[2]!].join(' › ');
    failures.push({ file: file ? file.replace(`${root}/`, '') : '?', name });
  });
  return failures;
}
