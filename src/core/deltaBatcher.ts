// Stream deltas on their way to the webview, coalesced into at most one message per frame (16 ms): IPC per token is
// wasted work. The first delta goes out at once (as soon as the SDK's current read is folded, so a burst of chunks
// that arrived together is one message), and `flush` posts what is left at once (before a tool call, a snapshot or
// the end). It only buffers what goes out; the answer's text is the live answer's to write.
import type { ChatUpdate } from '../shared/domain';

export const DELTA_FLUSH_MS = 16;

/** The clock and timer the batcher runs on (tests pass their own). */
export interface BatchTimers {
  now(): number;
  schedule(run: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

const realTimers: BatchTimers = {
  now: () => performance.now(),
  schedule: (run, ms) => setTimeout(run, ms),
  cancel: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DeltaBatcher {
  private text = '';
  private reasoning = '';
  private timer: unknown;
  private lastPostAt = -Infinity;

  constructor(
    private readonly entryId: string,
    private readonly post: (message: ChatUpdate) => void,
    private readonly timers: BatchTimers = realTimers,
  ) {}

  add(text: string, reasoning: string): void {
    this.text += text;
    this.reasoning += reasoning;
    // A timer, not a post here: the deltas of one network read arrive in one go, and go out as one message.
    this.timer ??= this.timers.schedule(() => this.flush(), Math.max(0, this.lastPostAt + DELTA_FLUSH_MS - this.timers.now()));
  }

  flush(): void {
    this.timers.cancel(this.timer);
    this.timer = undefined;
    if (!this.text && !this.reasoning) return;
    this.lastPostAt = this.timers.now();
    this.post({ type: 'assistantDelta', id: this.entryId, text: this.text, reasoning: this.reasoning });
    this.text = '';
    this.reasoning = '';
  }

  dispose(): void {
    this.timers.cancel(this.timer);
    this.timer = undefined;
  }
}
