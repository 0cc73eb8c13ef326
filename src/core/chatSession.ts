// The chat as the user experiences it: questions in, streamed answers out, one turn at a time. It owns the
// conversation (the webview only mirrors it) and reaches VS Code, the network and storage only through the ports it
// is given, so it runs under plain mocha against a real loopback server.
import type { ChatBackend } from '../llm/chatClient';
import { describeError } from '../llm/describeError';
import { buildChatRequest } from '../llm/request';
import type { ChatEntry, ContextLabel, HostToWebview, ImageAttachment } from '../shared/protocol';
import { runTurn, type TurnTools } from './chatTurn';
import { DeltaBatcher } from './deltaBatcher';
import { ToolApprovals } from './toolApprovals';
import { Conversation, type ConversationData, type ConversationSummary } from './conversation';
import { conversationToMarkdown } from './exportMarkdown';
import { checkAttachment, userContent } from './images';
import { redactSecrets } from './redact';
import { formatSelectionContext, type EditorSelection } from './selectionContext';
import type { Settings, SettingsResult } from './settings';
import type { Toolbox } from './tools/toolbox';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ChatSessionPorts {
  readSettings(): SettingsResult;
  getApiKey(): Promise<string | undefined>;
  createBackend(settings: Settings, apiKey: string): ChatBackend;
  /** The workspace tools for this request, or undefined where there is no workspace to offer. */
  createToolbox?(settings: Settings): Toolbox | undefined;
  /** The webview, when one is open; messages posted while none is open are simply not shown until `restore`. */
  post(message: HostToWebview): void;
  log: Logger;
  /** Where conversations are kept (ConversationStore in the extension). */
  library: ConversationLibrary;
}

export interface ConversationLibrary {
  /** Persists the conversation; called after every change that matters, throttled while streaming. */
  save(data: ConversationData, summary: ConversationSummary): Promise<void>;
  list(): Promise<ConversationSummary[]>;
  load(id: string): Promise<ConversationData | undefined>;
  delete(id: string): Promise<void>;
}

export interface Question {
  /** Shown as the question, and sent followed by the selection. */
  text: string;
  selection?: EditorSelection;
  images?: ImageAttachment[];
}

export const BASE_INSTRUCTION =
  'You are Comet, an AI coding assistant inside VS Code. Answer precisely and concisely in Markdown. ' +
  'Put code in fenced blocks with a language tag. When the user shares code, refer to it by file and line.';

export const CONTINUE_PROMPT = 'Continue exactly where your last answer stopped, without repeating anything.';

const STREAM_SAVE_MS = 1500;

export class ChatSession {
  private readonly live = new Set<AbortController>();
  private queue: Promise<void> = Promise.resolve();
  private streaming: DeltaBatcher | undefined;
  private readonly busyListeners = new Set<(busy: boolean) => void>();
  private readonly approvals = new ToolApprovals();

  constructor(private readonly ports: ChatSessionPorts, private conversationValue = new Conversation()) {}

  get conversation(): Conversation {
    return this.conversationValue;
  }

  get busy(): boolean {
    return this.streaming !== undefined;
  }

  onDidChangeBusy(listener: (busy: boolean) => void): { dispose(): void } {
    this.busyListeners.add(listener);
    return { dispose: () => this.busyListeners.delete(listener) };
  }

  /** The whole state for a (re)loaded webview. */
  snapshot(hasApiKey: boolean): HostToWebview {
    // Deltas not yet posted are already in the entry's text: post them now (to no one, the new view is not ready),
    // or they would arrive after this snapshot and be shown twice.
    this.streaming?.flush();
    return { type: 'restore', entries: [...this.conversation.entries], busy: this.busy, hasApiKey };
  }

  /** The saved conversations, newest first, with the open one even if it is not saved yet. */
  async conversationList(): Promise<ConversationSummary[]> {
    const items = await this.ports.library.list();
    if (!items.some(item => item.id === this.conversation.id)) items.unshift(this.conversation.summary());
    return items;
  }

  /** Tells the webview which conversations exist and which is open. */
  async postConversations(): Promise<void> {
    const items = (await this.conversationList()).map(({ id, title }) => ({ id, title }));
    this.ports.post({ type: 'conversations', items, activeId: this.conversation.id });
  }

  async switchTo(id: string): Promise<void> {
    if (id === this.conversation.id) return;
    await this.exclusive(async () => {
      const data = await this.ports.library.load(id);
      if (!data) {
        // Listed but gone (deleted elsewhere, or set aside as corrupt): drop it from the list.
        await this.ports.library.delete(id);
        await this.postConversations();
        throw new Error('That conversation could not be opened; it was removed from the list.');
      }
      this.conversationValue = Conversation.restore(data);
      await this.postSnapshot();
      await this.postConversations();
    });
  }

  async rename(id: string, title: string): Promise<void> {
    const conversation = id === this.conversation.id ? this.conversation : await this.loadConversation(id);
    if (!conversation) return;
    conversation.customTitle = title.trim() || undefined;
    await this.ports.library.save(conversation.toJSON(), conversation.summary());
    await this.postConversations();
  }

  async remove(id: string): Promise<void> {
    if (id !== this.conversation.id) {
      await this.ports.library.delete(id);
      return this.postConversations();
    }
    await this.exclusive(async () => {
      await this.ports.library.delete(id);
      const [next] = await this.ports.library.list();
      const data = next && (await this.ports.library.load(next.id));
      this.conversationValue = data ? Conversation.restore(data) : new Conversation();
      await this.postSnapshot();
      await this.postConversations();
    });
  }

  /** The open conversation as Markdown. */
  exportMarkdown(): string {
    return conversationToMarkdown(this.conversation.title, this.conversation.entries);
  }

  private async loadConversation(id: string): Promise<Conversation | undefined> {
    const data = await this.ports.library.load(id);
    return data ? new Conversation(data) : undefined;
  }

  /** Asks a question and resolves when its answer has ended, in whatever state. A newer question stops it. */
  ask(question: Question): Promise<void> {
    return this.exclusive(signal => this.askNow(question, '', signal));
  }

  /** Asks the model to go on after an answer cut at the token limit. */
  continueAnswer(): Promise<void> {
    return this.ask({ text: CONTINUE_PROMPT });
  }

  /** Replaces the last question (and its answer) with an edited one, and asks it with the same selection and images. */
  editAndResend(text: string): Promise<void> {
    return this.exclusive(async signal => {
      const last = this.conversation.lastUserEntry();
      if (!last) return this.askNow({ text }, '', signal);
      const attached = this.conversation.attachedContext(last.id);
      const removed = this.conversation.truncateAfter(last.id, true);
      if (removed.length) this.ports.post({ type: 'entriesRemoved', ids: removed });
      await this.askNow({ text, images: last.images }, attached, signal, last.context);
    });
  }

  /** Answers the last question again, dropping the answer (or error) it got: Retry and Regenerate. */
  retry(): Promise<void> {
    return this.exclusive(async signal => {
      const last = this.conversation.lastUserEntry();
      if (!last) return;
      const removed = this.conversation.truncateAfter(last.id);
      if (removed.length) this.ports.post({ type: 'entriesRemoved', ids: removed });
      await this.answer(signal);
    });
  }

  /** Stops the answer in progress, and any action still waiting to run. */
  stop(): void {
    for (const controller of this.live) controller.abort();
  }

  /** The user's Allow or Deny for a tool call that waits for approval. */
  decideTool(callId: string, allow: boolean): void {
    this.approvals.decide(callId, allow);
  }

  /** Starts an empty conversation; the one before stays in the list. It is saved once it has a question. */
  newChat(): Promise<void> {
    return this.exclusive(async () => {
      this.conversationValue = new Conversation();
      this.ports.post({ type: 'cleared' });
      await this.postConversations();
    });
  }

  // Every operation that changes the conversation runs alone, in order. Starting one stops the answer in progress
  // (its signal is aborted at once, even before its request went out), so the newest action wins and two answers
  // never stream into one conversation.
  private exclusive(operation: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.live.add(controller);
    const run = this.queue.then(async () => {
      try {
        await operation(controller.signal);
      } finally {
        this.live.delete(controller);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async postSnapshot(): Promise<void> {
    this.ports.post(this.snapshot((await this.ports.getApiKey()) !== undefined));
  }

  private async askNow(question: Question, attached: string, signal: AbortSignal, keptContext?: ContextLabel): Promise<void> {
    const context = question.selection ? formatSelectionContext(question.selection) : undefined;
    const extra = context ? `\n\n${context.prompt}` : attached;
    let images: ImageAttachment[];
    try {
      images = (question.images ?? []).map(checkAttachment);
    } catch (error) {
      this.ports.post({ type: 'composerNotice', message: (error as Error).message });
      return;
    }
    const settings = this.ports.readSettings();
    const prompt = userContent(question.text + extra, images, settings.ok ? settings.settings.imageDetail : 'auto');
    const isFirst = !this.conversation.entries.length;
    const user = this.conversation.addUser(question.text, prompt, context?.label ?? keptContext, images);
    this.added(user);
    if (isFirst) void this.postConversations();
    await this.answer(signal);
  }

  private async answer(signal: AbortSignal): Promise<void> {
    const settings = this.ports.readSettings();
    if (!settings.ok) {
      const [first, ...rest] = settings.problems;
      this.addError({
        message: `Setting ${first.setting} ${first.message}.${rest.length ? ` (${rest.length} more setting problem${rest.length > 1 ? 's' : ''}: ${rest.map(p => p.setting).join(', ')})` : ''}`,
        action: 'openSettings',
        setting: first.setting,
      });
      return;
    }
    const apiKey = await this.ports.getApiKey();
    if (!apiKey) {
      this.addError({ message: 'No API key is set, so nothing was sent. Set your CometAPI key to start.', action: 'setApiKey' });
      return;
    }
    if (signal.aborted) return; // a newer action came while the key was read
    this.setBusy(true);
    try {
      await this.streamAnswer(settings.settings, apiKey, signal);
    } finally {
      this.setBusy(false);
    }
  }

  private async streamAnswer(settings: Settings, apiKey: string, signal: AbortSignal): Promise<void> {
    const conversation = this.conversation;
    const instruction = settings.instructions.trim() ? `${BASE_INSTRUCTION}\n\n${settings.instructions.trim()}` : BASE_INSTRUCTION;
    const body = buildChatRequest(settings, instruction, conversation.history());
    const assistant = conversation.addAssistant(settings.model);
    this.added(assistant);
    const started = Date.now();
    this.ports.log.info(`request: model=${settings.model} baseUrl=${settings.baseUrl} messages=${body.messages.length}`);

    const deltas = new DeltaBatcher(assistant, message => this.ports.post(message));
    this.streaming = deltas;
    // While streaming, save at most every STREAM_SAVE_MS, and once more after the last delta, so that a reload
    // finds (nearly) all of a half-streamed answer without a disk write per token.
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveSoon = () => {
      saveTimer ??= setTimeout(() => {
        saveTimer = undefined;
        this.save(conversation);
      }, STREAM_SAVE_MS);
    };
    let firstTokenAt: number | undefined;
    const result = await runTurn({
      backend: this.ports.createBackend(settings, apiKey),
      body,
      signal,
      idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
      tools: this.turnTools(settings),
      onToolCall: call => {
        deltas.flush();
        const tools = (assistant.tools ??= []);
        const at = tools.findIndex(t => t.id === call.id);
        if (at >= 0) tools[at] = { ...call };
        else tools.push({ ...call });
        this.ports.post({ type: 'toolCallUpdated', entryId: assistant.id, call: { ...call } });
        this.ports.log.info(`tool ${call.name} ${call.state}${call.summary ? `: ${call.summary}` : ''}`);
      },
      onDelta: (text, reasoning) => {
        firstTokenAt ??= Date.now();
        deltas.add(text, reasoning);
        saveSoon();
      },
    });
    clearTimeout(saveTimer);
    deltas.flush();
    this.streaming = undefined;

    assistant.text = result.text;
    if (result.reasoning) assistant.reasoning = result.reasoning;
    assistant.state = result.end;
    if (result.finishReason) assistant.finishReason = result.finishReason;
    if (result.usage) assistant.usage = result.usage;
    if (result.model) assistant.model = result.model;
    if (firstTokenAt !== undefined) {
      assistant.timeToFirstTokenMs = firstTokenAt - started;
      const generatingSeconds = (Date.now() - firstTokenAt) / 1000;
      if (result.usage && generatingSeconds > 0.05) assistant.tokensPerSecond = Math.round(result.usage.completionTokens / generatingSeconds);
    }
    if (result.end === 'error' && result.text) assistant.interrupted = true;
    if (result.roundLimitHit) {
      assistant.notice = `Stopped after ${settings.tools.maxRounds} tool rounds (comet.tools.maxRounds); the model still wanted more. Ask it to continue, or raise the limit.`;
    } else if (result.end === 'done' && !result.text && !assistant.tools?.length) {
      // Say so rather than show a blank answer: some gateways end a refused or failed request this way.
      assistant.notice = `The model sent an empty answer${result.finishReason ? ` (finish_reason: ${result.finishReason})` : ' and no finish reason'}.`;
    }
    conversation.setTranscript(assistant.id, result.transcript);
    this.ports.post({ type: 'entryUpdated', entry: { ...assistant } });
    this.ports.log.info(
      `reply ${result.end} in ${Date.now() - started} ms: finish=${result.finishReason ?? '-'} chars=${result.text.length}` +
        (result.usage ? ` tokens=${result.usage.promptTokens}/${result.usage.completionTokens}` : ''),
    );

    if (result.end === 'error') {
      const description = describeError(result.error, {
        baseUrl: settings.baseUrl,
        model: settings.model,
        timeoutSeconds: settings.requestTimeoutSeconds,
        maxRetries: settings.maxRetries,
      });
      const kept = result.text ? ' The partial answer above is kept.' : '';
      this.addError({ ...description, message: redactSecrets(description.message + kept, apiKey) });
      this.ports.log.error(redactSecrets(`request failed: ${String(result.error)}`, apiKey));
    } else {
      this.save(conversation);
    }
  }

  private turnTools(settings: Settings): TurnTools | undefined {
    if (!settings.tools.enabled) return undefined;
    const toolbox = this.ports.createToolbox?.(settings);
    if (!toolbox) return undefined;
    return {
      definitions: toolbox.definitions(),
      run: (call, signal) => toolbox.run(call, signal),
      approve: settings.tools.approval === 'ask' ? (call, signal) => this.approvals.waitFor(call.id, signal) : undefined,
      maxRounds: settings.tools.maxRounds,
    };
  }

  private addError(error: Parameters<Conversation['addError']>[0]): void {
    this.added(this.conversation.addError(error));
  }

  private added(entry: ChatEntry): void {
    this.ports.post({ type: 'entryAdded', entry: { ...entry } });
    this.save(this.conversation);
  }

  private save(conversation: Conversation): void {
    void this.ports.library.save(conversation.toJSON(), conversation.summary());
  }

  private setBusy(busy: boolean): void {
    this.ports.post({ type: 'busy', busy });
    for (const listener of this.busyListeners) listener(busy);
  }
}
