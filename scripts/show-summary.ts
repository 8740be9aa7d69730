// `npm run summary -- <file> [--html <page.html>]`: a job summary file (GITHUB_STEP_SUMMARY) as
// text in the terminal, and with --html as a standalone page that looks like GitHub's.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { summaryToText } from './lib/html-to-text.js';
import { summaryPage } from './lib/summary-page.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { html: { type: 'string' }, unfold: { type: 'boolean', default: false } },
});
const [file] = positionals;
if (!file || positionals.length > 1) {
  console.error('npm run summary -- <summary file> [--html <page.html>] [--unfold]');
  process.exit(2);
}
const summary = readFileSync(file, 'utf8');
const width = Math.min(process.stdout.isTTY ? process.stdout.columns || 100 : 100, 160);
console.log(
  summaryToText(summary, {
    width,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    unfold: values.unfold,
  }),
);
if (values.html) {
  writeFileSync(values.html, summaryPage('Job summary', [{ summary, job: 'rotate' }]));
  console.log(`\nfile://${resolve(values.html)}`);
}
