import { setImmediate as settle } from 'node:timers/promises';

/**
 * A clock that moves only when every task started under `run` is waiting on it: it then jumps to
 * the earliest sleep due (ties in the order the sleeps began). What a test sees does not depend on
 * how fast the machine runs it.
 */
export class FakeClock {
  private ms = 0;
  private sequence = 0;
  private readonly sleepers: { at: number; seq: number; wake: () => void }[] = [];

  constructor(start = 0) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ at: this.ms + Math.max(0, ms), seq: this.sequence++, wake });
    });

  /** Settles `work`, moving the clock on whenever nothing else can run. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const outcome = work.finally(() => (settled = true));
    outcome.catch(() => {});
    for (;;) {
      // Every promise chain that can move without the clock moves before the next macrotask.
      await settle();
      if (settled) return outcome;
      if (this.sleepers.length === 0)
        throw new Error('the work waits for something other than the clock');
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.sleepers.shift()!;
      this.ms = next.at;
      next.wake();
    }
  }
}
