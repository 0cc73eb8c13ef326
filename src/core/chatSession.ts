// Layer core/: no vscode, no disk, no processes. It may import llm/, shared/domain and its own tools/.
// The chat as the user experiences it: questions in, streamed answers out, one action at a time. It owns the open
// conversation (the webview only mirrors it) and reaches VS Code, the network and storage only through its ports,
// so it runs under plain mocha against a real loopback server. The jobs around it live beside it: the action queue,
// the conversation list, the live answer, and the pure wording of failures and settings problems.
import * as l10n from '@vscode/l10n';
import type { AssistantEntry, ChatEntry, ChatUpdate, ContextLabel, ImageAttachment } from '../shared/domain';
import { ActionQueue } from './actionQueue';
import { AnswerRunner } from './answerRunner';
import { Conversation } from './conversation';
import { ConversationList } from './conversationList';
import { failureEntry } from './describeFailure';
import { Disposable, toDisposable } from './disposable';
import { checkAttachment, userContent } from './images';
import { LiveAnswer } from './liveAnswer';
import type { ChatSessionPorts, Question } from './ports';
import { redactSecrets } from './redact';
import { formatSelectionContext } from './selectionContext';
import { settingsProblemMessage, type Settings } from './settings';
import { ToolApprovals } from './toolApprovals';

export type { ChatSessionPorts, ConversationLibrary, Logger, Question } from './ports';

export { BASE_INSTRUCTION } from './answerRunner';

export const CONTINUE_PROMPT = 'Continue exactly where your last answer stopped, without repeating anything.';

export class ChatSession extends Disposable {
  private readonly queue = this._register(new ActionQueue());
  private readonly approvals = new ToolApprovals();
  private readonly busyListeners = new Set<(busy: boolean) => void>();
  private readonly runner: AnswerRunner;
  private live: LiveAnswer | undefined;
  readonly conversations: ConversationList;

  constructor(private readonly ports: ChatSessionPorts, opened?: Conversation) {
    super();
    this.runner = new AnswerRunner(ports, this.approvals);
    this.conversations = new ConversationList({ library: ports.library, post: ports.post, postSnapshot: () => this.postSnapshot() }, this.queue, opened);
    this._register(toDisposable(() => this.live?.dispose()));
  }

  /** A session with the most recently used conversation open again. */
  static async restoreLatest(ports: ChatSessionPorts): Promise<ChatSession> {
    // The newest conversation that loads: one the store set aside (wrong shape, newer format) is skipped, and no
    // stored file can make activation fail.
    for (const item of await ports.library.list().catch(() => [])) {
      const saved = await ports.library.load(item.id).catch(() => undefined);
      if (saved) return new ChatSession(ports, Conversation.restore(saved));
    }
    return new ChatSession(ports, undefined);
  }

  get conversation(): Conversation {
    return this.conversations.open;
  }

  get busy(): boolean {
    return this.live !== undefined;
  }

  onDidChangeBusy(listener: (busy: boolean) => void): { dispose(): void } {
    this.busyListeners.add(listener);
    return { dispose: () => this.busyListeners.delete(listener) };
  }

  /** Saves the open conversation as it stands, a streaming answer's latest text included (before shutdown). */
  persist(): void {
    if (this.conversation.entries.length) this.save(this.conversation);
  }

  /** The whole state for a (re)loaded webview. */
  snapshot(hasApiKey: boolean): ChatUpdate {
    // Deltas not yet posted are already in the entry's text: post them now (to no one, the new view is not ready),
    // or they would arrive after this snapshot and be shown twice.
    this.live?.flushDeltas();
    return { type: 'restore', entries: [...this.conversation.entries], busy: this.busy, hasApiKey };
  }

  /** Asks a question and resolves when its answer has ended, in whatever state. A newer question stops it. */
  ask(question: Question): Promise<void> {
    return this.queue.run(signal => this.askNow(question, '', signal));
  }

  /** Asks the model to go on after an answer cut at the token limit. */
  continueAnswer(): Promise<void> {
    return this.ask({ text: CONTINUE_PROMPT });
  }

  /** Replaces the last question (and its answer) with an edited one, and asks it with the same selection and images. */
  editAndResend(text: string): Promise<void> {
    return this.queue.run(async signal => {
      const last = this.conversation.lastUserEntry();
      if (!last) return this.askNow({ text }, '', signal);
      const attached = this.conversation.attachedContext(last.id);
      this.removeAfter(last.id, true);
      await this.askNow({ text, images: last.images }, attached, signal, last.context);
    });
  }

  /** Answers the last question again, dropping the answer (or error) it got: Retry and Regenerate. */
  retry(): Promise<void> {
    return this.queue.run(async signal => {
      const last = this.conversation.lastUserEntry();
      if (!last) return;
      this.removeAfter(last.id);
      await this.answer(signal);
    });
  }

  /** Stops the answer in progress, and any action still waiting to run. */
  stop(): void {
    this.queue.stop();
  }

  /** The user's Allow or Deny for a tool call that waits for approval. */
  decideTool(callId: string, allow: boolean): void {
    this.approvals.decide(callId, allow);
  }

  private removeAfter(entryId: string, inclusive = false): void {
    const removed = this.conversation.truncateAfter(entryId, inclusive);
    if (removed.length) this.ports.post({ type: 'entriesRemoved', ids: removed });
  }

  private async postSnapshot(): Promise<void> {
    this.ports.post(this.snapshot(await this.ports.hasApiKey()));
  }

  private async askNow(question: Question, attached: string, signal: AbortSignal, keptContext?: ContextLabel): Promise<void> {
    const context = question.selection ? formatSelectionContext(question.selection) : undefined;
    const extra = (context ? `\n\n${context.prompt}` : attached) + (question.attachments ?? []).map(block => `\n\n${block}`).join('');
    let images: ImageAttachment[];
    try {
      images = (question.images ?? []).map(checkAttachment);
    } catch (error) {
      this.ports.post({ type: 'composerNotice', message: error instanceof Error ? error.message : String(error), sentId: question.sentId });
      return;
    }
    const settings = this.ports.readSettings();
    const prompt = userContent(question.text + extra, images, settings.ok ? settings.settings.imageDetail : 'auto');
    const isFirst = !this.conversation.entries.length;
    this.added(this.conversation.addUser(question.text, prompt, context?.label ?? keptContext, images), question.sentId);
    if (isFirst) void this.conversations.postList();
    await this.answer(signal);
  }

  private async answer(signal: AbortSignal): Promise<void> {
    const settings = this.ports.readSettings();
    if (!settings.ok) {
      this.added(this.conversation.addError({ message: settingsProblemMessage(settings.problems), action: 'openSettings', setting: settings.problems[0].setting }));
      return;
    }
    const credentials = await this.ports.credentials(settings.settings.baseUrl);
    if (credentials.kind !== 'key' && credentials.kind !== 'none') {
      const message = l10n.t('No API key is set for {0}, so nothing was sent. Set the key for this endpoint to start.', credentials.origin);
      this.added(this.conversation.addError({ message, action: 'setApiKey' }));
      return;
    }
    const apiKey = credentials.kind === 'key' ? credentials.apiKey : undefined;
    if (signal.aborted) return; // a newer action came while the key was read
    this.setBusy(true);
    try {
      await this.streamAnswer(settings.settings, apiKey, signal);
    } finally {
      this.setBusy(false);
    }
  }

  private async streamAnswer(settings: Settings, apiKey: string | undefined, signal: AbortSignal): Promise<void> {
    const conversation = this.conversation;
    const live = new LiveAnswer(conversation.addAssistant(settings.model), this.ports.post, () => this.saveAnswer(conversation, live.entry));
    this.added(live.entry);
    this.live = live;
    const result = await this.runner.run(settings, apiKey, signal, conversation, live);
    this.live = undefined;
    live.finish(result, settings.tools.maxRounds, settings.tools.enabled ? this.ports.toolsUnavailable?.() : undefined);
    conversation.setTranscript(live.entry.id, result.transcript);
    if (result.end === 'error' && result.failure) {
      this.added(this.conversation.addError(failureEntry(result.failure, settings, apiKey, Boolean(result.text))));
      this.ports.log.error(redactSecrets(`request failed (${result.failure.kind}${result.failure.status ? ` ${result.failure.status}` : ''}): ${result.failure.message}`, apiKey));
    } else {
      this.save(conversation);
    }
  }

  private added(entry: ChatEntry, sentId?: string): void {
    this.ports.post({ type: 'entryAdded', entry: { ...entry }, ...(sentId === undefined ? {} : { sentId }) });
    this.save(this.conversation);
  }

  private save(conversation: Conversation): void {
    void this.ports.library.save(conversation.toJSON(), conversation.summary());
  }

  /** The throttled save of a streaming answer: where the store can, it writes only what the answer gained. */
  private saveAnswer(conversation: Conversation, entry: AssistantEntry): void {
    const library = this.ports.library;
    if (library.saveAnswer) void library.saveAnswer(() => conversation.toJSON(), conversation.summary(), entry);
    else this.save(conversation);
  }

  private setBusy(busy: boolean): void {
    this.ports.post({ type: 'busy', busy });
    for (const listener of this.busyListeners) listener(busy);
  }
}
