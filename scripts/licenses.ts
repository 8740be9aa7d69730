// `tsx scripts/licenses.ts <ncc stats.json> <out>`: the licenses of every package bundled into dist/.
// The stats file is consumed: it is removed once read, so it never lands in dist/.
//
// ncc's own `--license` finds a package by walking up from each module's webpack identifier. In this
// ESM build those identifiers are loader chains (`…/shebang-loader.js!/…/node_modules/x/index.js`),
// ES modules carry a `javascript/esm|` prefix, and the main chunk is one concatenated module
// (`./src/main.ts + 410 modules`): none of them is a path, so it found only the one package in a
// lazily loaded chunk. The stats list each bundled module by its path relative to the project;
// this maps those to their packages instead. Sorted, so the output is the same on every build.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface StatsModule {
  name?: string;
  modules?: StatsModule[];
}

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  directory: string;
}

const [statsPath, outPath] = process.argv.slice(2);
if (!statsPath || !outPath) {
  console.error('usage: tsx scripts/licenses.ts <ncc stats.json> <licenses.txt>');
  process.exit(2);
}

const root = process.cwd();
const stats = JSON.parse(readFileSync(statsPath, 'utf8')) as { modules?: StatsModule[] };
rmSync(statsPath);
const packages = new Map<string, BundledPackage>();
for (const file of bundledFiles(stats.modules ?? [])) {
  const found = packageOf(resolve(root, file));
  if (found) packages.set(`${found.name}@${found.version}`, found);
}
if (packages.size === 0) throw new Error(`${statsPath} names no bundled package`);

const sorted = [...packages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const text = sorted.map(([id, pkg]) => `${id}\n${pkg.license}\n${licenseText(pkg)}`).join('\n\n');
writeFileSync(outPath, `${text}\n`);
console.log(`${outPath}: ${packages.size} bundled packages`);

/** Files under node_modules that the bundle holds, from the stats' (nested) module list. */
function bundledFiles(modules: StatsModule[]): string[] {
  const files: string[] = [];
  for (const module of modules) {
    const name = module.name?.replace(/\?.*$/, '');
    if (name?.startsWith('./') && name.includes('/node_modules/') && !name.includes(' + ')) {
      files.push(name);
    }
    files.push(...bundledFiles(module.modules ?? []));
  }
  return files;
}

/** The nearest package.json above a file that names a package (not a `{"type":"module"}` stub). */
function packageOf(file: string): BundledPackage | undefined {
  for (let dir = dirname(file); dir.includes('node_modules'); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      version?: string;
      license?: string | { type?: string };
    };
    if (!json.name || !json.version) continue;
    const license = typeof json.license === 'string' ? json.license : json.license?.type;
    return {
      name: json.name,
      version: json.version,
      license: license ?? 'UNKNOWN',
      directory: dir,
    };
  }
  return undefined;
}

function licenseText(pkg: BundledPackage): string {
  const file = readdirSync(pkg.directory)
    .filter((name) => /^(licen[cs]e|copying)([-.].*)?$/i.test(name))
    .sort()[0];
  return file
    ? readFileSync(join(pkg.directory, file), 'utf8').trim()
    : `(${pkg.name} ships no license file; its package.json declares ${pkg.license})`;
}
