/** Maps items with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * At most `limit` tasks at a time, shared by everything one phase starts (every workspace, every
 * page, every secret read), so the limit holds however the work fans out. An `urgent` task (a
 * list page: every later read of that list waits for it) goes before every waiting normal one,
 * and while a chain of urgent tasks is open (`openChain`), normal tasks leave it one slot, so a
 * list page never waits for a secret read to finish.
 */
export class Limiter {
  private active = 0;
  private chains = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>, priority: 'urgent' | 'normal' = 'normal'): Promise<T> {
    if (this.urgent.length === 0 && this.hasRoomFor(priority)) this.active++;
    else {
      // A slot is handed over by a task that ends (see release): `active` already counts it.
      await new Promise<void>((resolve) =>
        (priority === 'urgent' ? this.urgent : this.normal).push(resolve),
      );
    }
    try {
      return await task();
    } finally {
      this.active--;
      this.release();
    }
  }

  /** Keeps a slot for urgent tasks until the returned function is called (a listing's pages). */
  openChain(): () => void {
    this.chains++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.chains--;
      this.release();
    };
  }

  private hasRoomFor(priority: 'urgent' | 'normal'): boolean {
    const reserved = priority === 'normal' && this.chains > 0 && this.limit > 1 ? 1 : 0;
    return this.active < this.limit - reserved;
  }

  /** Starts waiting tasks while there is room, urgent ones first. */
  private release(): void {
    for (;;) {
      const queue = this.urgent.length > 0 ? this.urgent : this.normal;
      const priority = queue === this.urgent ? 'urgent' : 'normal';
      if (queue.length === 0 || !this.hasRoomFor(priority)) return;
      this.active++;
      queue.shift()!();
    }
  }
}

/**
 * Starts a task now and lets its failure wait for whoever awaits it later, without Node calling it
 * unhandled in the meantime.
 */
export function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
