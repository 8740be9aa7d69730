import type { KeyName } from '../azure/port.js';
import {
  consumerId,
  refOf,
  rewrittenByResync,
  type Consumer,
  type Holding,
  type WorkspaceInventory,
} from '../discover/inventory.js';
import { refKey } from '../util/resource-id.js';
import type { Note } from './notes.js';
import { otherKey, type Step } from './types.js';

export /** The ordered steps for the keys to regenerate; `repair` adds the moves of a run that regenerates none. */
function buildSteps(
  keyed: Consumer[],
  workspaces: WorkspaceInventory[],
  regenerate: KeyName[],
  decision: string,
) {
  const holding = new Map<string, Holding | 'unknown'>(
    keyed.map((c) => [consumerId(c), c.holds ?? 'stale']),
  );
  const moves = new Map<string, string[]>();
  const steps: Step[] = [];
  const notes: Note[] = [];

  const moveAll = (
    from: (h: Holding | 'unknown') => boolean,
    to: KeyName,
    fresh: boolean,
    reason: string,
  ) => {
    const targets = keyed.filter((c) => from(holding.get(consumerId(c))!));
    if (targets.length === 0) return;
    steps.push({ kind: 'move', consumers: targets.map(refOf), to, reason });
    for (const c of targets) {
      holding.set(consumerId(c), to);
      moves.set(consumerId(c), [...(moves.get(consumerId(c)) ?? []), fresh ? `new ${to}` : to]);
    }
  };

  // After a resync only the service knows which key the workspace's own copy holds (which key
  // resyncKeys takes is undocumented). A resync may also rewrite the workspace's default
  // datastores (undocumented too), so each resync comes before the moves next to it.
  const resync = (ws: WorkspaceInventory, reason: string) => {
    steps.push({ kind: 'resync', workspace: ws.ref, reason });
    for (const c of keyed) {
      if (refKey(c.workspace) === refKey(ws.ref) && isSystemDatastore(c)) {
        holding.set(consumerId(c), 'unknown');
      }
    }
  };

  const workspaceHolds = new Map(workspaces.map((ws) => [ws, ws.holds as Holding | 'unknown']));
  for (const key of regenerate) {
    const other = otherKey(key);
    for (const ws of workspaces.filter((w) => workspaceHolds.get(w) === key)) {
      resync(
        ws,
        `the workspace holds ${key}: resync first, in case the workspace moves to ${other}`,
      );
    }
    moveAll(
      (h) => h === key || h === 'unknown',
      other,
      false,
      `${key} is regenerated next: move its holders to ${other} first`,
    );
    steps.push({ kind: 'regenerate', key, reason: decision });
    for (const ws of workspaces) {
      resync(
        ws,
        ws.holds === key
          ? `the workspace held ${key}: resync right after its regeneration`
          : `the workspace reads the account's keys again (which one it takes is up to Azure ML)`,
      );
      workspaceHolds.set(ws, 'unknown');
    }
    const holders = workspaces.filter((ws) => ws.holds === key);
    if (holders.length > 0) {
      notes.push({
        level: 'notice',
        kind: 'workspace-window',
        text: `${holders.length} workspace(s) hold ${key} in their own copy. Azure ML cannot point a workspace at a chosen key: unless the resync before the regeneration moves it to ${other}, its own copy is invalid from the regeneration of ${key} until the resync right after it (measured in the report).`,
        subjects: holders.map((ws) => `workspace '${ws.ref.name}'`),
      });
    }
    moveAll((h) => h !== key, key, true, `move every AccountKey consumer onto the new ${key}`);
  }

  // A workspace on the other, still valid key is resynced only when asked to converge (key-name:
  // none): resyncKeys may keep picking that key, and a run with nothing due must write nothing.
  const repair = (activeKey: KeyName, converge: boolean) => {
    const off = (w: WorkspaceInventory) =>
      w.holds === 'stale' || (converge && w.holds !== undefined && w.holds !== activeKey);
    for (const ws of workspaces.filter(off)) {
      resync(
        ws,
        ws.holds === 'stale'
          ? `repair: the workspace's copy matches neither key`
          : `the workspace holds ${ws.holds}, not the newest key ${activeKey}`,
      );
    }
    moveAll(
      (h) => h === 'stale',
      activeKey,
      false,
      'repair: consumers whose key matches neither key',
    );
    moveAll(
      (h) => h !== activeKey,
      activeKey,
      false,
      `bring consumers onto the newest key, ${activeKey}`,
    );
  };
  return { steps, moves, notes, repair };
}

function isSystemDatastore(c: Consumer): boolean {
  return c.kind === 'datastore' && rewrittenByResync(c);
}
