// Every action that changes the open conversation runs alone, in order. Starting one stops the action in progress
// (its signal is aborted at once, even before its request went out), so the newest action wins and two answers
// never stream into one conversation.

export class ActionQueue {
  private readonly live = new Set<AbortController>();
  private tail: Promise<void> = Promise.resolve();

  run(action: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.live.add(controller);
    const run = this.tail.then(async () => {
      try {
        await action(controller.signal);
      } finally {
        this.live.delete(controller);
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stops the action in progress, and every action still waiting to run. */
  stop(): void {
    for (const controller of this.live) controller.abort();
  }

  dispose(): void {
    this.stop();
  }
}
