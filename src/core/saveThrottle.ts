// While an answer streams, save at most every `intervalMs`, and once more at the end, so that a reload finds (nearly)
// all of a half-streamed answer without a disk write per token.

export class SaveThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly save: () => void, private readonly intervalMs: number) {}

  soon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
