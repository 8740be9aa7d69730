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
 * list page: later reads wait for it) goes before every waiting normal one.
 */
export class Limiter {
  private active = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>, priority: 'urgent' | 'normal' = 'normal'): Promise<T> {
    if (this.active < this.limit) this.active++;
    else {
      // The slot is handed over by the task that ends (see below): `active` stays as it is.
      await new Promise<void>((resolve) =>
        (priority === 'urgent' ? this.urgent : this.normal).push(resolve),
      );
    }
    try {
      return await task();
    } finally {
      const next = this.urgent.shift() ?? this.normal.shift();
      if (next) next();
      else this.active--;
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
