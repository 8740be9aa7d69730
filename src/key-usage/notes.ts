import type { Note } from '../plan/notes.js';
import { describeTransactions } from './metrics.js';
import type { KeyUsage } from './usage.js';

/** What the run tells of the key-usage evidence: missing, partial, or callers already broken. */
export function keyUsageNotes(usage: KeyUsage | undefined): Note[] {
  if (!usage) return [];
  const note = (level: Note['level'], text: string, subjects: string[] = []): Note => ({
    level,
    kind: 'key-usage',
    text,
    subjects,
  });
  if (usage.status === 'no-logs') {
    const metrics = usage.metrics && describeTransactions(usage.metrics, usage.lookbackDays);
    return [note('notice', metrics ? `${usage.reason} ${metrics}` : usage.reason)];
  }
  if (usage.status === 'failed') {
    return [note('warning', `Who uses each key is unknown: ${usage.reason}`)];
  }
  const notes: Note[] = [];
  const broken = usage.keys.flatMap((k) =>
    (k.older?.top ?? [])
      .filter((c) => c.broken)
      .map((c) => `${c.ip} (${c.userAgent}) on ${k.key}, last seen ${c.lastSeen}`),
  );
  if (broken.length > 0) {
    notes.push(
      note(
        'warning',
        "Callers signed requests with an older value of a key and have not been seen on a current key since: they are already broken, whatever this run does. Give them the key's current value.",
        broken,
      ),
    );
  }
  if (usage.partialError) {
    notes.push(note('warning', `The key-usage query answered in part: ${usage.partialError}`));
  }
  if (usage.unreadableTables) {
    notes.push(
      note(
        'warning',
        `The login may not read ${usage.unreadableTables.join(', ')} (Microsoft.Insights/logs/<table>/read on the account): the key-usage query leaves their requests out without an error, so the evidence lacks them.`,
      ),
    );
  }
  if (usage.partial.length > 0) {
    notes.push(
      note(
        'notice',
        `The diagnostic settings of ${usage.partial.join(', ')} send only some of StorageRead, StorageWrite and StorageDelete: requests of the others are not in the evidence.`,
      ),
    );
  }
  if (usage.hashUnrecognised) {
    notes.push(
      note(
        'notice',
        "A key hash in the logs matched no key value as the action computes it; requests that succeeded after the key's last regeneration were counted as its current value's.",
      ),
    );
  }
  return notes;
}
