// One chat entry as DOM. Assistant entries render markdown incrementally while they stream; the data-* attributes
// are the contract the integration tests (and screen readers, through roles) rely on.
import * as l10n from '@vscode/l10n';
import type { AssistantEntry, ChatEntry, CodeAction, ErrorAction, ErrorEntry, ToolCallView, UserEntry } from '../shared/protocol';
import { thumbnail } from './attachments';
import { decorateCodeBlocks } from './codeBlocks';
import { StreamingMarkdown } from './markdown';
import { withIcon } from './icons';

/** What the buttons inside entries do; main.ts turns each into a message to the host. */
export interface EntryHandlers {
  errorAction(action: ErrorAction, setting?: string): void;
  toolDecision(callId: string, allow: boolean): void;
  codeAction(action: CodeAction, code: string, language: string): void;
  continueAnswer(): void;
  regenerate(): void;
  editQuestion(text: string): void;
  /** A finished block of an answer that is not streaming was drawn (a long answer drawn in slices). */
  contentGrew(): void;
}

export interface EntryView {
  readonly element: HTMLElement;
  /** New text for a streaming assistant entry (the full text so far). */
  stream?(text: string, reasoning: string): void;
  /** A tool call of an assistant entry started or changed. */
  toolCall?(call: ToolCallView): void;
  /** The entry's final form. */
  update(entry: ChatEntry): void;
}

export function createEntryView(entry: ChatEntry, handlers: EntryHandlers): EntryView {
  switch (entry.kind) {
    case 'user': return new UserView(entry, handlers);
    case 'assistant': return new AssistantView(entry, handlers);
    case 'error': return new ErrorView(entry, handlers);
  }
}

function actionButton(action: string, label: string, title: string, onClick: () => void): HTMLButtonElement {
  const button = element('button', 'secondary entry-action', label) as HTMLButtonElement;
  button.type = 'button';
  button.dataset.action = action;
  button.title = title;
  button.addEventListener('click', onClick);
  return withIcon(button);
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class UserView implements EntryView {
  readonly element = element('div', 'entry user');

  constructor(entry: UserEntry, private readonly handlers: EntryHandlers) {
    this.element.dataset.role = 'user';
    this.element.dataset.id = entry.id;
    this.update(entry);
  }

  update(entry: ChatEntry): void {
    if (entry.kind !== 'user') return;
    this.element.replaceChildren();
    if (entry.context) {
      const { path, startLine, endLine, truncated } = entry.context;
      const chip = element('div', 'context-chip', `${path}:${startLine}-${endLine}${truncated ? l10n.t(' (truncated)') : ''}`);
      chip.title = truncated ? l10n.t('The selection was too large and was truncated before sending.') : l10n.t('Selection sent as context');
      this.element.append(chip);
    }
    this.element.append(element('div', 'user-text', entry.text));
    if (entry.images?.length) {
      const strip = element('div', 'attachments');
      strip.append(...entry.images.map(thumbnail));
      this.element.append(strip);
    }
    // Shown only on the last question (CSS: .is-last).
    this.element.append(actionButton('edit', l10n.t('Edit'), l10n.t('Edit and resend this question'), () => this.handlers.editQuestion(entry.text)));
  }
}

const FINISH_NOTES: Record<string, string> = {
  length: l10n.t('The answer was cut off at the token limit (comet.maxTokens or the model’s maximum).'),
  content_filter: l10n.t('The provider filtered the rest of this answer (content_filter).'),
};

class AssistantView implements EntryView {
  readonly element = element('div', 'entry assistant');
  private readonly tools = element('div', 'tools');
  private readonly toolLines = new Map<string, HTMLElement>();
  private readonly reasoning = element('details', 'reasoning') as HTMLDetailsElement;
  private readonly body = element('div', 'markdown');
  private readonly footer = element('div', 'entry-footer');
  private readonly markdown: StreamingMarkdown;

  constructor(entry: AssistantEntry, private readonly handlers: EntryHandlers) {
    this.markdown = new StreamingMarkdown(this.body, (block, finished, inSlice) => {
      if (!finished) return;
      decorateCodeBlocks(block, (action, code, language) => handlers.codeAction(action, code, language));
      // While it streams, the chat's own redraw keeps to the end; this is for what draws later (slices, which push
      // the end down between two redraws).
      if (inSlice || this.element.dataset.state !== 'streaming') handlers.contentGrew();
    });
    this.element.dataset.role = 'assistant';
    this.element.dataset.id = entry.id;
    this.reasoning.hidden = true;
    this.reasoning.append(element('summary', '', l10n.t('Reasoning')), element('div', 'reasoning-text'));
    this.element.append(this.reasoning, this.tools, this.body, this.footer);
    this.update(entry);
  }

  toolCall(call: ToolCallView): void {
    const line = toolLine(call, (id, allow) => this.handlers.toolDecision(id, allow));
    const existing = this.toolLines.get(call.id);
    if (existing) existing.replaceWith(line);
    else this.tools.append(line);
    this.toolLines.set(call.id, line);
  }

  stream(text: string, reasoning: string): void {
    this.showReasoning(reasoning);
    this.markdown.update(text);
  }

  update(entry: ChatEntry): void {
    if (entry.kind !== 'assistant') return;
    this.element.dataset.state = entry.state;
    this.element.setAttribute('aria-busy', String(entry.state === 'streaming'));
    this.showReasoning(entry.reasoning ?? '', entry.usage?.reasoningTokens);
    for (const call of entry.tools ?? []) this.toolCall(call);
    if (entry.state === 'streaming') this.markdown.update(entry.text);
    else this.finishMarkdown(entry.text);
    this.element.classList.toggle('empty', !entry.text && entry.state !== 'streaming');
    this.element.classList.toggle('refusal', entry.refusal === true);
    this.footer.replaceChildren(...footerNotes(entry));
    if (entry.state !== 'streaming') {
      const actions = element('div', 'entry-actions');
      if (entry.finishReason === 'length') actions.append(actionButton('continue', l10n.t('Continue'), l10n.t('Ask the model to go on'), () => this.handlers.continueAnswer()));
      actions.append(actionButton('regenerate', l10n.t('Regenerate'), l10n.t('Answer the last question again'), () => this.handlers.regenerate()));
      this.footer.append(actions);
    }
  }

  // A reply restored finished renders in one pass; one that streamed here keeps its DOM, only its last block is
  // finalised.
  private finishMarkdown(text: string): void {
    if (this.markdown.isEmpty) this.markdown.showFinished(text);
    else {
      this.markdown.update(text);
      this.markdown.finish();
    }
  }

  // Collapsed by default; the summary counts the reasoning tokens (the server's count once usage arrives).
  private showReasoning(reasoning: string, tokens?: number): void {
    if (!reasoning) return;
    this.reasoning.hidden = false;
    const summary = this.reasoning.firstElementChild as HTMLElement;
    summary.textContent = tokens ? l10n.t('Reasoning · {0} tokens', tokens) : l10n.t('Reasoning · ~{0} tokens', Math.ceil(reasoning.length / 4));
    const text = this.reasoning.lastElementChild as HTMLElement;
    if (text.textContent !== reasoning) text.textContent = reasoning;
  }
}

const TOOL_STATE_LABELS: Record<ToolCallView['state'], string> = {
  'awaiting-approval': l10n.t('waiting for approval'),
  running: l10n.t('running…'),
  done: '',
  error: l10n.t('failed'),
  denied: l10n.t('denied'),
  cancelled: l10n.t('stopped'),
};

/** One compact, collapsible line per tool call: the tool, its arguments, and the size of its result or its error. */
function toolLine(call: ToolCallView, onDecision: (callId: string, allow: boolean) => void): HTMLElement {
  const line = element('details', `tool tool-${call.state}`) as HTMLDetailsElement;
  line.dataset.role = 'tool';
  line.dataset.state = call.state;
  line.dataset.id = call.id;
  const summary = element('summary', 'tool-summary');
  summary.append(element('span', 'tool-name', call.name), element('code', 'tool-args', call.args));
  const status = [TOOL_STATE_LABELS[call.state], call.summary].filter(Boolean).join(': ');
  if (status) summary.append(element('span', 'tool-status', status));
  line.append(summary, element('pre', 'tool-args-full', call.args));
  if (call.state === 'awaiting-approval') {
    line.open = true;
    const buttons = element('div', 'tool-approval');
    for (const [label, allow] of [[l10n.t('Allow'), true], [l10n.t('Deny'), false]] as const) {
      const button = element('button', allow ? '' : 'secondary', label) as HTMLButtonElement;
      button.type = 'button';
      button.dataset.action = allow ? 'allow' : 'deny';
      button.addEventListener('click', () => {
        buttons.querySelectorAll('button').forEach(b => (b.disabled = true));
        onDecision(call.id, allow);
      });
      buttons.append(button);
    }
    line.append(buttons);
  }
  return line;
}

function footerNotes(entry: AssistantEntry): HTMLElement[] {
  const notes: HTMLElement[] = [];
  if (entry.notice) notes.push(element('div', 'note warning notice', entry.notice));
  for (const note of entry.notes ?? []) notes.push(Object.assign(element('div', 'note adaptation', note), { title: l10n.t('What Comet changed to get this answer') }));
  if (entry.state === 'stopped') notes.push(element('div', 'note', l10n.t('Stopped.')));
  if (entry.interrupted) notes.push(element('div', 'note warning', l10n.t('Interrupted: the stream broke off here.')));
  // Answers saved before answerEnd wrote these endings as a notice carry only the finish reason.
  const finishNote = !entry.notice && entry.finishReason ? FINISH_NOTES[entry.finishReason] : undefined;
  if (finishNote) notes.push(element('div', `note warning finish-${entry.finishReason}`, finishNote));
  if (entry.state !== 'streaming') {
    const parts = [entry.model];
    if (entry.timeToFirstTokenMs !== undefined) parts.push(l10n.t('{0} s to first token', (entry.timeToFirstTokenMs / 1000).toFixed(1)));
    if (entry.tokensPerSecond !== undefined) parts.push(l10n.t('{0} tok/s', entry.tokensPerSecond));
    if (entry.usage) {
      parts.push(l10n.t('{0} in · {1} out', entry.usage.promptTokens, entry.usage.completionTokens));
      if (entry.usage.reasoningTokens) parts.push(l10n.t('{0} reasoning', entry.usage.reasoningTokens));
    }
    if (entry.context) parts.push(l10n.t('{0} / {1} context', shortTokens(entry.context.used), shortTokens(entry.context.window)));
    const totals = entry.context?.conversationTokens;
    if (totals && entry.usage && totals.in > entry.usage.promptTokens) parts.push(l10n.t('chat {0} in · {1} out', shortTokens(totals.in), shortTokens(totals.out)));
    if (entry.finishReason && entry.finishReason !== 'stop') parts.push(l10n.t('finish: {0}', entry.finishReason));
    const meta = element('div', 'meta', parts.join(' · '));
    meta.dataset.role = 'metrics';
    if (entry.context) {
      const totals = entry.context.conversationTokens;
      meta.title = l10n.t('Context window: {0} tokens, from {1}', entry.context.window, WINDOW_SOURCES[entry.context.source] ?? entry.context.source) +
        (totals ? l10n.t('. This conversation so far: {0} tokens in, {1} out.', totals.in, totals.out) : '');
    }
    notes.push(meta);
  }
  return notes;
}

const WINDOW_SOURCES: Record<string, string> = {
  setting: l10n.t('the comet.contextWindow setting'),
  endpoint: l10n.t("the endpoint's GET /models"),
  'known model': l10n.t('the table of known models'),
  default: l10n.t('the default (the model is not known)'),
};

/** 31k */
function shortTokens(tokens: number): string {
  return tokens < 1000 ? String(tokens) : tokens < 1_000_000 ? `${Math.round(tokens / 1000)}k` : `${Math.round(tokens / 100_000) / 10}M`;
}

const ACTION_LABELS: Record<ErrorAction, string> = {
  setApiKey: l10n.t('Set API Key'),
  openSettings: l10n.t('Open Settings'),
  retry: l10n.t('Retry'),
};

class ErrorView implements EntryView {
  readonly element = element('div', 'entry error');

  constructor(entry: ErrorEntry, private readonly handlers: EntryHandlers) {
    this.element.dataset.role = 'error';
    this.element.dataset.id = entry.id;
    this.update(entry);
  }

  update(entry: ChatEntry): void {
    if (entry.kind !== 'error') return;
    // The message is the alert: the entry itself is an item of the conversation list.
    const text = element('div', 'error-text', entry.message);
    text.setAttribute('role', 'alert');
    this.element.replaceChildren(text);
    const { action, setting } = entry;
    if (action) {
      const button = element('button', 'error-action', ACTION_LABELS[action]) as HTMLButtonElement;
      button.type = 'button';
      button.dataset.action = action === 'setApiKey' ? 'set-api-key' : action === 'openSettings' ? 'open-settings' : 'retry';
      button.addEventListener('click', () => this.handlers.errorAction(action, setting));
      this.element.append(button);
    }
  }
}
