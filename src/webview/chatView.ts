// Applies host messages to the DOM. Deltas are buffered and drawn at most every 120 ms (on an animation frame, or at
// once after a pause); entries that are finished keep their DOM, so a long chat costs nothing per new token.
import { dispatch, type ChatEntry, type HostToWebview, type ImageAttachment, type MessageHandlers, type UserEntry } from '../shared/protocol';
import { createEntryView, type EntryHandlers, type EntryView } from './entryView';
import { entriesFromEnd, isChunk, isChunkFull, lastEntryOf, newChunk } from './entryChunks';
import { SliceQueue } from './slices';

/** About 8 redraws a second. At 30 ms (30 a second) the 98 KB bench answer streamed for 4.7x the main thread of
 *  rendering it once, against 3.0x here (README, seventh session and the table): each redraw re-renders the growing
 *  block and lays out the panel, and a frame on this page alone costs 1.5-1.8 ms. */
const STREAM_DRAW_MS = 120;
/** The newest entries drawn in the restore message's own task, which has already spent some of its 50 ms taking the
 *  message in (a 1,000-entry conversation: about 10 ms to deserialize, 5 to check). */
const RESTORE_FIRST_SLICE_MS = 12;
/** What answers hold most: each kind of block and inline markdown renders once before the first real answer. In three
 *  steps, each a task of its own when it takes long: rendered at once, cold, they made a task of about 50 ms here. */
const WARM_UP_ANSWERS = [
  'Some **bold**, _em_, `code` and a [link](https://example.com).',
  '## A\n\n- one\n- two\n\n1. three\n\n> quote\n',
  '| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst a = 1;\n```\n',
];

/** The roles whose last entry offers its actions (Edit on the question, Regenerate on the answer). */
const ROLES_MARKED_LAST = ['user', 'assistant'];

/** The host messages about the chat's entries, as opposed to the composer, model and conversation list. */
export type ChatMessage = Exclude<HostToWebview, { type: 'conversations' | 'model' | 'imageAttached' | 'composerNotice' | 'contextAttached' | 'codeWrap' }>;

interface StreamBuffer {
  text: string;
  reasoning: string;
}

export class ChatView {
  private readonly views = new Map<string, EntryView>();
  private readonly buffers = new Map<string, StreamBuffer>();
  private readonly dirty = new Set<string>();
  private frame: number | undefined;
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  private lastDraw = 0;
  private readonly restoring = new SliceQueue();
  private readonly warmingUp = new SliceQueue();
  /** Keep the chat at its end as it grows (a restore in slices, a long answer drawn in slices): set whenever the chat
   *  is scrolled to its end, cleared when the user scrolls, clicks or types. */
  private followEnd = false;
  private followFrame: number | undefined;
  private readonly handlersForEntries: EntryHandlers;
  /** Questions drawn as they were sent, by the id the send carried, oldest first; the host's echo of each (its
   *  `entryAdded` with that id) takes its place. They stay at the end of the chat until then. */
  private readonly sent = new Map<string, { element: HTMLElement; typed: string; images: readonly ImageAttachment[] }>();
  /** The entry of each role that has `is-last` (only markEnds sets it). */
  private readonly markedLast = new Map<string, HTMLElement>();

  constructor(
    private readonly list: HTMLElement,
    entryHandlers: Omit<EntryHandlers, 'contentGrew'>,
    private readonly onBusy: (busy: boolean) => void,
    private readonly onApiKeyStatus: (hasApiKey: boolean) => void,
    /** Told of each entry added or finished (the screen-reader announcer), never of deltas. */
    private readonly onEntryState: (entry: ChatEntry) => void = () => undefined,
  ) {
    for (const event of ['wheel', 'pointerdown', 'keydown']) window.addEventListener(event, () => (this.followEnd = false), { passive: true });
    this.handlersForEntries = { ...entryHandlers, contentGrew: () => this.followOnNextFrame() };
    this.markEnds();
  }

  /** Draws a question the moment it is sent, before the host's echo of it (a round trip through the workbench).
   *  `typed` is what the user typed, which the question's text stands for (it may be a default for an image). */
  showSent(sentId: string, question: Pick<UserEntry, 'text' | 'images'>, typed: string): void {
    const { element } = createEntryView({ kind: 'user', id: `sent:${sentId}`, ...question }, this.handlersForEntries);
    element.dataset.sent = 'pending';
    this.sent.set(sentId, { element, typed, images: question.images ?? [] });
    this.list.append(element);
    this.markEnds();
    // Scrolling reads the page's height, a layout: leave it to the frame that draws the question.
    requestAnimationFrame(() => this.scrollToBottom(true));
  }

  /** Takes back a sent question the host refused (its notice says why); returns what was typed and its images, so
   *  they are not lost. */
  withdrawSent(sentId: string): { typed: string; images: readonly ImageAttachment[] } | undefined {
    const sent = this.sent.get(sentId);
    if (!sent) return undefined;
    this.sent.delete(sentId);
    sent.element.remove();
    this.markEnds();
    return { typed: sent.typed, images: sent.images };
  }

  /** The host messages that change the chat itself; one handler each, so none can be forgotten. */
  readonly handlers: MessageHandlers<ChatMessage> = {
    // The newest entries first (the chat opens at its end), then older ones above them in slices: a long
    // conversation never blocks the page in one task.
    restore: message => {
      this.clear();
      // Before the entries: what these change (the composer's focus among them) then styles an empty chat.
      this.onBusy(message.busy);
      this.onApiKeyStatus(message.hasApiKey);
      // The entries of the restore's own task are the list's own children; the older ones, drawn in later slices, go
      // into chunks (see entryChunks.ts).
      let oldest: HTMLElement | null = null;
      let chunk: HTMLElement | undefined;
      let inSlices = false;
      const work = message.entries.slice().reverse().map((entry): (() => void) => () => {
        const element = this.create(entry);
        if (!inSlices) oldest = this.list.insertBefore(element, oldest);
        else {
          if (!chunk || isChunkFull(chunk)) oldest = chunk = this.list.insertBefore(newChunk(), oldest);
          chunk.insertBefore(element, chunk.firstElementChild);
        }
        this.followOnNextFrame();
      });
      // The last question may be among the older entries (after a long answer): the ends are marked again at the end.
      work.push(() => this.markEnds());
      // A count would not do: the first entries of a page cost several times the later ones (nothing is compiled yet).
      this.restoring.runWithinBudget(work, RESTORE_FIRST_SLICE_MS);
      inSlices = true;
      // At the end, on the frame: reading the page's height now would add a layout to this task, the longest of them.
      this.followEnd = true;
      this.followOnNextFrame();
      this.markEnds();
    },
    entryAdded: message => {
      const follow = this.isAtBottom();
      this.place(this.create(message.entry), message.sentId);
      this.onEntryState(message.entry);
      this.markEnds();
      this.scrollToBottom(follow || message.entry.kind === 'user');
    },
    assistantDelta: message => {
      const buffer = this.buffers.get(message.id);
      if (!buffer) return;
      buffer.text += message.text;
      buffer.reasoning += message.reasoning;
      this.dirty.add(message.id);
      this.scheduleDraw();
    },
    entryUpdated: message => {
      this.finishRestoreFor(message.entry.id);
      const follow = this.isAtBottom();
      this.dirty.delete(message.entry.id);
      if (message.entry.kind === 'assistant') this.buffers.set(message.entry.id, { text: message.entry.text, reasoning: message.entry.reasoning ?? '' });
      this.views.get(message.entry.id)?.update(message.entry);
      this.onEntryState(message.entry);
      this.scrollToBottom(follow);
    },
    toolCallUpdated: message => {
      this.finishRestoreFor(message.entryId);
      const follow = this.isAtBottom();
      this.views.get(message.entryId)?.toolCall?.(message.call);
      this.scrollToBottom(follow);
    },
    entriesRemoved: message => {
      // The rest of a restore goes in above what it drew: before anything it drew goes, the rest is drawn.
      this.restoring.flush();
      for (const id of message.ids) {
        const element = this.views.get(id)?.element;
        const parent = element?.parentElement;
        element?.remove();
        if (isChunk(parent) && !parent.childElementCount) parent.remove();
        this.views.delete(id);
        this.buffers.delete(id);
        this.dirty.delete(id);
      }
      this.markEnds();
    },
    cleared: () => {
      this.clear();
      this.markEnds();
    },
    busy: message => this.onBusy(message.busy),
    apiKeyStatus: message => this.onApiKeyStatus(message.hasApiKey),
  };

  /** Renders sample answers off the page, while the host prepares its answer to `ready`: the first answer a page
   *  renders costs several times a later one (marked, DOMPurify and the entry's code are not compiled yet), and a
   *  restore would pay that inside its first task. */
  warmUp(): void {
    const offPage = { ...this.handlersForEntries, contentGrew: () => undefined };
    this.warmingUp.run(WARM_UP_ANSWERS.map(text => () => {
      createEntryView({ kind: 'assistant', id: 'warm-up', text, state: 'done', model: '' }, offPage);
    }), 0);
  }

  /** Applies one of the chat's messages (tests and the bench drive the view through this). */
  apply(message: ChatMessage): void {
    dispatch(this.handlers, message);
  }

  private create(entry: ChatEntry): HTMLElement {
    const view = createEntryView(entry, this.handlersForEntries);
    this.views.set(entry.id, view);
    if (entry.kind === 'assistant') this.buffers.set(entry.id, { text: entry.text, reasoning: entry.reasoning ?? '' });
    return view.element;
  }

  /** An entry from the host: in place of the sent question it echoes (the ones sent before it that got no echo were
   *  refused, and go), or else before the questions still waiting for theirs. */
  private place(element: HTMLElement, sentId: string | undefined): void {
    const echoed = sentId === undefined ? undefined : this.sent.get(sentId);
    if (echoed) {
      for (const [id, waiting] of this.sent) {
        this.sent.delete(id);
        if (waiting === echoed) break;
        waiting.element.remove();
      }
      echoed.element.replaceWith(element);
      return;
    }
    const [firstWaiting] = this.sent.values();
    this.list.insertBefore(element, firstWaiting?.element ?? null);
  }

  // Edit and Regenerate act on the last question and answer only; the empty state and the key banner follow the chat's
  // end too (see chat.css). Classes change only when their state does, so nothing else is restyled.
  // Found from the end, so a send on a long chat costs the few entries after the last question, not the whole list.
  private markEnds(): void {
    const lastOfRole = new Map<string, HTMLElement>();
    for (const entry of entriesFromEnd(this.list)) {
      const role = entry.dataset.role ?? '';
      if (ROLES_MARKED_LAST.includes(role) && !lastOfRole.has(role)) lastOfRole.set(role, entry);
      if (lastOfRole.size === ROLES_MARKED_LAST.length) break;
    }
    for (const role of ROLES_MARKED_LAST) {
      const last = lastOfRole.get(role);
      const marked = this.markedLast.get(role);
      if (marked === last) continue;
      marked?.classList.remove('is-last');
      last?.classList.add('is-last');
      if (last) this.markedLast.set(role, last);
      else this.markedLast.delete(role);
    }
    const end = lastEntryOf(this.list);
    document.body.classList.toggle('chat-empty', !end);
    document.body.classList.toggle('chat-ends-asking-for-key', Boolean(end?.matches('.entry.error') && end.querySelector('[data-action="set-api-key"]')));
  }

  // Each redraw of a growing answer costs a re-render of its last block and a layout of the panel, so while streaming
  // the panel is redrawn at most every STREAM_DRAW_MS, then on an animation frame. A delta after a pause (an answer's
  // first words) is drawn in its own message's task: it is in the DOM at once, not a frame later, and painted in the
  // same frame either way.
  private scheduleDraw(): void {
    if (this.frame !== undefined || this.drawTimer !== undefined) return;
    const wait = this.lastDraw + STREAM_DRAW_MS - performance.now();
    if (wait <= 0) this.drawFrame(performance.now());
    else this.drawTimer = setTimeout(() => {
      this.drawTimer = undefined;
      this.frame = requestAnimationFrame(time => this.drawFrame(time));
    }, wait);
  }

  /** `frameTime`: the frame's own start (or now, drawn in a message's task), so the next draw is due by frames,
   *  whatever this one costs. */
  private drawFrame(frameTime: number): void {
    this.frame = undefined;
    this.lastDraw = frameTime;
    const follow = this.isAtBottom();
    for (const id of this.dirty) {
      const buffer = this.buffers.get(id);
      if (buffer) this.views.get(id)?.stream?.(buffer.text, buffer.reasoning);
    }
    this.dirty.clear();
    // Exact in this frame (or task): the blocks this draw committed are laid out at their real height (see
    // StreamingMarkdown).
    this.scrollToBottom(follow);
  }

  // Once a frame however much was drawn: reading the scroll height lays out the whole list.
  private followOnNextFrame(): void {
    if (!this.followEnd || this.followFrame !== undefined) return;
    this.followFrame = requestAnimationFrame(() => {
      this.followFrame = undefined;
      this.scrollToBottom(this.followEnd);
    });
  }

  /** A message about an entry not shown yet: the rest of the restore is done first. */
  private finishRestoreFor(id: string): void {
    if (!this.views.has(id)) this.restoring.flush();
  }

  private clear(): void {
    this.restoring.cancel();
    // Entries to show now compile what the warm-up was for.
    this.warmingUp.cancel();
    this.sent.clear();
    this.list.replaceChildren();
    this.views.clear();
    this.buffers.clear();
    this.dirty.clear();
  }

  // Follow the answer only while the user has not scrolled up to read.
  private isAtBottom(): boolean {
    const scroller = document.scrollingElement ?? document.documentElement;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  }

  private scrollToBottom(follow: boolean): void {
    if (!follow) return;
    this.followEnd = true;
    const scroller = document.scrollingElement ?? document.documentElement;
    scroller.scrollTop = scroller.scrollHeight;
  }
}
