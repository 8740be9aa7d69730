/**
 * When each consumer's validity next changes by the clock alone (a SAS token expiring), so the
 * timeline can re-check just those consumers once that time has passed. A min-heap of times; a
 * consumer has at most one live entry (a newer time replaces the older one, which is skipped).
 */
export class DueTimes {
  private readonly heap: Array<{ at: number; id: string }> = [];
  private readonly scheduled = new Map<string, number>();

  /** Schedules (or reschedules) a consumer; undefined clears it. */
  set(id: string, at: number | undefined): void {
    if (at === undefined) {
      this.scheduled.delete(id);
      return;
    }
    if (this.scheduled.get(id) === at) return;
    this.scheduled.set(id, at);
    this.heap.push({ at, id });
    this.up(this.heap.length - 1);
  }

  /** Removes and returns the consumers due at or before `now`. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const { at, id } = this.pop();
      if (this.scheduled.get(id) !== at) continue;
      this.scheduled.delete(id);
      due.push(id);
    }
    return due;
  }

  private pop(): { at: number; id: string } {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.heap[parent]!.at <= this.heap[index]!.at) return;
      this.swap(parent, index);
      index = parent;
    }
  }

  private down(index: number): void {
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && this.heap[left]!.at < this.heap[smallest]!.at) smallest = left;
      if (right < this.heap.length && this.heap[right]!.at < this.heap[smallest]!.at)
        smallest = right;
      if (smallest === index) return;
      this.swap(smallest, index);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}
