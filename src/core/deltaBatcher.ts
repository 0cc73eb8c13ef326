// Stream deltas, coalesced into at most one webview message per frame-ish interval: IPC per token is wasted work.
import type { AssistantEntry, HostToWebview } from '../shared/protocol';

const DELTA_FLUSH_MS = 16;

export class DeltaBatcher {
  private text = '';
  private reasoning = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly entry: AssistantEntry, private readonly post: (message: HostToWebview) => void) {}

  add(text: string, reasoning: string): void {
    // The entry holds the full text at all times, so a webview restored mid-stream shows everything so far.
    this.entry.text += text;
    if (reasoning) this.entry.reasoning = (this.entry.reasoning ?? '') + reasoning;
    this.text += text;
    this.reasoning += reasoning;
    this.timer ??= setTimeout(() => this.flush(), DELTA_FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.text && !this.reasoning) return;
    this.post({ type: 'assistantDelta', id: this.entry.id, text: this.text, reasoning: this.reasoning });
    this.text = '';
    this.reasoning = '';
  }
}
