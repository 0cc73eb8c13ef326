// One answer while it streams. This object is the only writer of its entry: the text and reasoning as they arrive,
// the tool calls as they change, and the end state. The entry is always whole, so a view restored mid-stream shows
// everything so far; the webview gets only the new parts, batched.
import type { AssistantEntry, ChatUpdate, ToolCallView } from '../shared/domain';
import { answerEnd } from './answerEnd';
import type { TurnResult } from './chatTurn';
import { DeltaBatcher } from './deltaBatcher';
import { Disposable } from './disposable';
import { SaveThrottle } from './saveThrottle';

const STREAM_SAVE_MS = 1500;

/** Performance marks of when the latest answer's first words and its end were handed to the view's channel (one of
 *  each, the latest answer's): the streaming bench (`npm run bench -- streaming`) splits its (c) and (d) into the
 *  host's part and the rest with them. */
export const ANSWER_MARK = {
  firstWordsPosted: 'comet/answerFirstWordsPosted',
  endPosted: 'comet/answerEndPosted',
} as const;

function markLatest(name: string): void {
  performance.clearMarks(name);
  performance.mark(name);
}

export class LiveAnswer extends Disposable {
  private readonly deltas: DeltaBatcher;
  private readonly saves: SaveThrottle;
  private readonly startedAt = Date.now();
  private firstTokenAt: number | undefined;

  constructor(readonly entry: AssistantEntry, private readonly post: (message: ChatUpdate) => void, save: () => void) {
    super();
    this.deltas = this._register(new DeltaBatcher(entry.id, post));
    this.saves = this._register(new SaveThrottle(save, STREAM_SAVE_MS));
  }

  addDelta(text: string, reasoning: string): void {
    const firstWords = this.firstTokenAt === undefined;
    this.firstTokenAt ??= Date.now();
    this.entry.text += text;
    if (reasoning) this.entry.reasoning = (this.entry.reasoning ?? '') + reasoning;
    // The first delta is posted in this call (DeltaBatcher).
    this.deltas.add(text, reasoning);
    if (firstWords) markLatest(ANSWER_MARK.firstWordsPosted);
    this.saves.soon();
  }

  /** A tool call started, changed state or finished: the entry keeps its latest view, in call order. */
  updateToolCall(call: ToolCallView): void {
    this.deltas.flush();
    const tools = (this.entry.tools ??= []);
    const at = tools.findIndex(t => t.id === call.id);
    if (at >= 0) tools[at] = { ...call };
    else tools.push({ ...call });
    this.post({ type: 'toolCallUpdated', entryId: this.entry.id, call: { ...call } });
  }

  /** Posts the deltas not yet posted (before a snapshot, which already holds them). */
  flushDeltas(): void {
    this.deltas.flush();
  }

  /** `toolsOff`: why the tools were not offered, when the user wants them (said beside the answer). */
  finish(result: TurnResult, maxToolRounds: number, toolsOff?: string): void {
    this.deltas.flush();
    this.dispose();
    Object.assign(this.entry, answerEnd(result, { startedAt: this.startedAt, firstTokenAt: this.firstTokenAt, endedAt: Date.now() }, maxToolRounds, Boolean(this.entry.tools?.length)));
    if (toolsOff) this.entry.notice = this.entry.notice ? `${this.entry.notice} ${toolsOff}` : toolsOff;
    this.post({ type: 'entryUpdated', entry: { ...this.entry } });
    markLatest(ANSWER_MARK.endPosted);
  }
}
