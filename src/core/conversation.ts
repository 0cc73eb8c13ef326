// The conversation as two aligned views: what the user sees (entries) and what the model is sent (the transcript each
// entry contributes). A user entry shows the question but sends the question plus the selection; an error entry shows
// but sends nothing. Keeping both here means the webview never has to know what a request looks like.
import { randomUUID } from 'node:crypto';
import type { ChatContentPart, ChatMessage } from '../llm/request';
import { titleFromQuestion, type AssistantEntry, type ChatEntry, type ContextLabel, type ErrorEntry, type ImageAttachment, type UserEntry } from '../shared/domain';

export interface ConversationData {
  id: string;
  /** Set by the user (Rename); otherwise the title comes from the first question. */
  title?: string;
  updatedAt?: number;
  entries: ChatEntry[];
  transcript: Record<string, ChatMessage[]>;
}

/** What the model reads where an answer of its ended after its tool results, with no reply. */
export const UNFINISHED_ANSWER = '(This answer ended after the tool results, without a reply.)';

/** The messages with an assistant line wherever a user message follows a tool result: an answer that ended after
 *  its tool results (stopped, failed, or at the round limit) is closed so, since some servers take no user message
 *  right after a tool's (Mistral: "Unexpected role 'user' after role 'tool'"). */
export function withToolRoundsClosed(messages: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user' && out.at(-1)?.role === 'tool') out.push({ role: 'assistant', content: UNFINISHED_ANSWER });
    out.push(message);
  }
  return out;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

export class Conversation {
  readonly id: string;
  customTitle: string | undefined;
  updatedAt: number;
  private entryList: ChatEntry[];
  private transcript: Map<string, ChatMessage[]>;

  constructor(data?: ConversationData) {
    this.id = data?.id ?? randomUUID();
    this.customTitle = data?.title;
    this.updatedAt = data?.updatedAt ?? Date.now();
    this.entryList = data?.entries ?? [];
    this.transcript = new Map(Object.entries(data?.transcript ?? {}));
  }

  get entries(): readonly ChatEntry[] {
    return this.entryList;
  }

  get title(): string {
    if (this.customTitle) return this.customTitle;
    return titleFromQuestion(this.entryList.find((e): e is UserEntry => e.kind === 'user')?.text);
  }

  summary(): ConversationSummary {
    return { id: this.id, title: this.title, updatedAt: this.updatedAt };
  }

  addUser(text: string, prompt: string | ChatContentPart[], context?: ContextLabel, images?: ImageAttachment[]): UserEntry {
    const entry: UserEntry = { kind: 'user', id: randomUUID(), text, ...(context ? { context } : {}), ...(images?.length ? { images } : {}) };
    this.entryList.push(entry);
    this.transcript.set(entry.id, [{ role: 'user', content: prompt }]);
    this.updatedAt = Date.now();
    return entry;
  }

  addAssistant(model: string): AssistantEntry {
    const entry: AssistantEntry = { kind: 'assistant', id: randomUUID(), text: '', state: 'streaming', model };
    this.entryList.push(entry);
    this.updatedAt = Date.now();
    return entry;
  }

  addError(error: Omit<ErrorEntry, 'kind' | 'id'>): ErrorEntry {
    const entry: ErrorEntry = { kind: 'error', id: randomUUID(), ...error };
    this.entryList.push(entry);
    this.updatedAt = Date.now();
    return entry;
  }

  /** Records what an assistant entry sends back to the model in later requests. */
  setTranscript(entryId: string, messages: ChatMessage[]): void {
    if (messages.length) this.transcript.set(entryId, messages);
    else this.transcript.delete(entryId);
  }

  /** The messages for the next request, oldest first, without the instruction. */
  history(): ChatMessage[] {
    return withToolRoundsClosed(this.entryList.flatMap(entry => this.transcript.get(entry.id) ?? []));
  }

  /** What was sent after a question's own text (the selection block), to resend it with an edited question. */
  attachedContext(entryId: string): string {
    const entry = this.entryList.find(e => e.id === entryId);
    const content = this.transcript.get(entryId)?.[0]?.content;
    const sent = typeof content === 'string' ? content : Array.isArray(content) ? content.map(part => (part.type === 'text' ? part.text : '')).join('') : '';
    return entry?.kind === 'user' && sent.startsWith(entry.text) ? sent.slice(entry.text.length) : '';
  }

  /** The last question, for Retry. */
  lastUserEntry(): UserEntry | undefined {
    return this.entryList.findLast((entry): entry is UserEntry => entry.kind === 'user');
  }

  /** Drops everything after an entry (Retry, Regenerate), or the entry too (`inclusive`, Edit and resend). */
  truncateAfter(entryId: string, inclusive = false): string[] {
    const at = this.entryList.findIndex(e => e.id === entryId);
    if (at < 0) return [];
    const removed = this.entryList.splice(inclusive ? at : at + 1).map(entry => entry.id);
    for (const id of removed) this.transcript.delete(id);
    return removed;
  }

  /** A conversation saved mid-answer comes back with that answer marked as interrupted, never as still streaming. */
  static restore(data: ConversationData): Conversation {
    for (const entry of data.entries) {
      if (entry.kind === 'assistant' && entry.state === 'streaming') {
        entry.state = 'error';
        entry.interrupted = true;
      }
    }
    return new Conversation(data);
  }

  toJSON(): ConversationData {
    return {
      id: this.id,
      ...(this.customTitle ? { title: this.customTitle } : {}),
      updatedAt: this.updatedAt,
      entries: this.entryList,
      transcript: Object.fromEntries(this.transcript),
    };
  }
}
