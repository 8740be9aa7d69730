import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = resolve(SUPPORT_DIR, '../..');
/** The bundle a runner executes: `node dist/index.js`. */
export const ACTION_ENTRY = join(REPO_ROOT, 'dist', 'index.js');
export const ACTION_METADATA = join(REPO_ROOT, 'action.yml');
export const NETWORK_GUARD_MODULE = join(SUPPORT_DIR, 'loopback-only.mjs');
export const FAKE_AZ_DIR = join(SUPPORT_DIR, 'fake-az');
/**
 * The node that runs the action, as `runs.using` picks it on a runner: ACTION_NODE (a path to a
 * node binary, e.g. Node 24 from `npm run node24:install`), else the node running the tests.
 */
export const ACTION_NODE = process.env.ACTION_NODE
  ? resolve(process.env.ACTION_NODE)
  : process.execPath;
