import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = resolve(SUPPORT_DIR, '../..');
/** The bundle a runner executes: `node dist/index.js`. */
export const ACTION_ENTRY = join(REPO_ROOT, 'dist', 'index.js');
export const ACTION_METADATA = join(REPO_ROOT, 'action.yml');
export const NETWORK_GUARD_MODULE = join(SUPPORT_DIR, 'loopback-only.mjs');
export const FAKE_AZ_DIR = join(SUPPORT_DIR, 'fake-az');
