// Work too big for one task (a long answer, a long conversation) done in slices: as much as fits a short budget
// now, the rest in later tasks, so the page never freezes longer than a slice. The caller can flush what is left
// (a message needs it done) or cancel it (the content was replaced).

/** A slice stops once it has run this long: under the 50 ms that counts as a long task, with room for the style and
 *  layout the browser then does, and few enough slices that their own cost (a layout each) stays small. */
const SLICE_BUDGET_MS = 20;

export class SliceQueue {
  private pending: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Runs `work` in order: `atOnce` pieces now, the rest in later slices. */
  run(work: Array<() => void>, atOnce: number): void {
    this.replace(work);
    for (let done = 0; this.pending.length && done < atOnce; done++) this.pending.pop()!();
    this.schedule();
  }

  /** Runs `work` in order: as much as fits `budgetMs` now (at least one piece), the rest in later slices. */
  runWithinBudget(work: Array<() => void>, budgetMs: number): void {
    const started = performance.now();
    this.replace(work);
    this.pending.pop()?.();
    this.runSlice(started, budgetMs);
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Queues more work after what is pending (a piece may add the pieces it found). */
  add(work: Array<() => void>): void {
    this.pending.unshift(...[...work].reverse());
    this.schedule();
  }

  /** Does what is left now. */
  flush(): void {
    this.stopTimer();
    while (this.pending.length) this.pending.pop()!();
  }

  /** Drops what is left. */
  cancel(): void {
    this.stopTimer();
    this.pending = [];
  }

  private schedule(): void {
    if (!this.pending.length || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runSlice(performance.now(), SLICE_BUDGET_MS);
    }, 0);
  }

  private runSlice(started: number, budgetMs: number): void {
    // A piece that throws does not strand the pieces after it.
    try {
      while (this.pending.length && performance.now() - started < budgetMs) this.pending.pop()!();
    } finally {
      this.schedule();
    }
  }

  /** What was pending is done first; `work` is popped from the end, so each step is O(1). */
  private replace(work: Array<() => void>): void {
    this.flush();
    this.pending = work.reverse();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
