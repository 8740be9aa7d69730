// What the demo and the README images run: the sample scenario's account, and a part-way failure.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FaultRule } from '../../emulator/server.js';
import { ACTION_ENTRY, REPO_ROOT } from '../../__tests__/support/paths.js';

/** The account of emulator/scenarios/sample.json and the workspace that uses it. */
export const SAMPLE_TARGET = {
  workspace: 'ws-prod',
  'resource-group': 'rg-ml',
  'storage-account': 'mlprodstore',
} as const;

/** The datastore whose writes fail: a PUT to it comes after the regeneration in a sample rotation. */
export const LOCKED_DATASTORE = 'workspaceblobstore';

export const LOCK_DESCRIPTION =
  `a ReadOnly lock on datastore ${LOCKED_DATASTORE}: the emulator answers every PUT to it ` +
  'with 409 ScopeLocked, as Azure does under a lock';

/**
 * Every PUT to the locked datastore fails with the error Azure Resource Manager gives for a lock,
 * its resource IDs shortened (…) to the part that names the datastore.
 */
export const datastoreLock: FaultRule = {
  kind: 'status',
  method: 'PUT',
  path: `/datastores/${LOCKED_DATASTORE}`,
  status: 409,
  times: Infinity,
  body: {
    error: {
      code: 'ScopeLocked',
      message:
        `The scope '…/workspaces/${SAMPLE_TARGET.workspace}/datastores/${LOCKED_DATASTORE}' cannot ` +
        `perform write operation because following scope(s) are locked: '…/datastores/${LOCKED_DATASTORE}'. ` +
        'Please remove the lock and try again.',
    },
  },
};

/**
 * A file under src/ changed well after dist/index.js was written (the bundle may not have that
 * change), if any. A checkout writes both at about the same time, hence the slack.
 */
export function newerSourceThanBundle(slackMs = 5000): string | undefined {
  const bundled = statSync(ACTION_ENTRY, { throwIfNoEntry: false })?.mtimeMs;
  if (bundled === undefined) return undefined;
  const src = join(REPO_ROOT, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && statSync(path).mtimeMs > bundled + slackMs)
      return relative(REPO_ROOT, path);
  }
  return undefined;
}
