import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting (and reject) when this aborts, e.g. when the action exits. */
  signal?: AbortSignal;
}

/** Polls `condition` until it is true; rejects after the timeout or when `signal` aborts. */
export async function waitFor(
  description: string,
  condition: () => boolean,
  { timeoutMs = 30_000, intervalMs = 10, signal }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (signal?.aborted) throw new Error(`stopped waiting for ${description}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await sleep(intervalMs);
  }
}
