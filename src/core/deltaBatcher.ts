// Stream deltas on their way to the webview, coalesced into at most one message per frame-ish interval: IPC per
// token is wasted work. It only buffers what goes out; the answer's text is the live answer's to write.
import type { ChatUpdate } from '../shared/domain';

const DELTA_FLUSH_MS = 16;

export class DeltaBatcher {
  private text = '';
  private reasoning = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly entryId: string, private readonly post: (message: ChatUpdate) => void) {}

  add(text: string, reasoning: string): void {
    this.text += text;
    this.reasoning += reasoning;
    this.timer ??= setTimeout(() => this.flush(), DELTA_FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.text && !this.reasoning) return;
    this.post({ type: 'assistantDelta', id: this.entryId, text: this.text, reasoning: this.reasoning });
    this.text = '';
    this.reasoning = '';
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
