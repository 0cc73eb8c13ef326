// Plain domain types and facts that every layer may use: llm/, core/, host/ and the webview. Nothing here knows
// the wire format, VS Code or the DOM, and nothing here imports anything.

/** How an assistant reply stands: `streaming` while it grows, then exactly one of the end states. */
export type AssistantState = 'streaming' | 'done' | 'stopped' | 'error';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens?: number;
}

/** The selection that went along with a question, shown as a chip above it. */
export interface ContextLabel {
  path: string;
  startLine: number;
  endLine: number;
  truncated: boolean;
}

/** A file, the problems or the uncommitted changes attached to the next question, as its chip in the composer shows it. */
export interface ContextChip {
  id: string;
  kind: 'file' | 'problems' | 'changes';
  label: string;
  /** Cut to the size limit before sending; the chip says so. */
  truncated: boolean;
}

/** An image attached to a question, as a data URL. */
export interface ImageAttachment {
  name: string;
  mimeType: string;
  dataUrl: string;
}

/** Providers cap images around 20 MB; a base64 data URL is a third larger, and the request carries the whole history. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Images that can go with one question: the composer takes no more, and the host refuses a send with more. */
export const MAX_IMAGES_PER_QUESTION = 20;
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export interface UserEntry {
  kind: 'user';
  id: string;
  /** What the user typed (or the command's instruction); the request may hold more (the selection). */
  text: string;
  context?: ContextLabel;
  images?: ImageAttachment[];
}

/** One tool call as the chat shows it. */
export interface ToolCallView {
  id: string;
  name: string;
  /** The arguments as the model sent them (shortened). */
  args: string;
  state: 'awaiting-approval' | 'running' | 'done' | 'error' | 'denied' | 'cancelled';
  /** The size or summary of the result, or the error. */
  summary?: string;
}

export interface AssistantEntry {
  kind: 'assistant';
  id: string;
  text: string;
  reasoning?: string;
  state: AssistantState;
  model: string;
  finishReason?: string;
  usage?: Usage;
  /** Set when the stream broke off: the text is what arrived before. */
  interrupted?: boolean;
  /** The tool calls made while answering, in order. */
  tools?: ToolCallView[];
  /** A note about how the turn ended, e.g. the tool round limit. */
  notice?: string;
  /** What Comet changed to get this answer: earlier messages not sent, a parameter the model does not take. */
  notes?: string[];
  /** The context in use: tokens sent, the model's window, and where that number came from. */
  context?: ContextUse;
  /** The model refused: the text is its refusal. */
  refusal?: boolean;
  /** Milliseconds from sending to the first token, and output speed. */
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
}

/** How full the context window was for one answer. */
export interface ContextUse {
  used: number;
  window: number;
  /** `setting`, `endpoint` (GET /models), `known model` or `default`. */
  source: string;
  /** Tokens in and out of the whole conversation so far, this answer included. */
  conversationTokens?: { in: number; out: number };
}

/** What the user can do about an error, rendered as a button. */
export type ErrorAction = 'setApiKey' | 'openSettings' | 'retry';

export interface ErrorEntry {
  kind: 'error';
  id: string;
  message: string;
  action?: ErrorAction;
  /** The setting to open with `openSettings`. */
  setting?: string;
}

export type ChatEntry = UserEntry | AssistantEntry | ErrorEntry;

/** A function tool as offered to a model: its name, a description written for the model, and a JSON schema. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: object;
}

/** A tool call as the model made it; `arguments` is the raw JSON text, parsed by the tool that runs it. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

const TITLE_LENGTH = 60;

/** A conversation's title when the user has not named it: the first line of its first question, cut to fit. */
export function titleFromQuestion(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0].trim();
  if (!line) return 'New chat';
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

/**
 * What the chat session tells a front end about the open conversation (the chat panel turns each into the DOM).
 * Each is sent from the host to the webview as it is.
 */
export type ChatUpdate =
  /** The whole conversation, sent once in answer to `ready` (and after the view is re-created). */
  | { type: 'restore'; entries: ChatEntry[]; busy: boolean; hasApiKey: boolean }
  /** The saved conversations (newest first) and the open one. */
  | { type: 'conversations'; items: Array<{ id: string; title: string }>; activeId: string }
  /** A short notice for the composer, e.g. an image that was refused; `sentId` names the question it refused. */
  | { type: 'composerNotice'; message: string; sentId?: string }
  /** A new entry at the end of the chat; `sentId` is the id the panel sent the question with, when it is the echo. */
  | { type: 'entryAdded'; entry: ChatEntry; sentId?: string }
  /** Text that arrived for a streaming assistant entry (only the new part). */
  | { type: 'assistantDelta'; id: string; text: string; reasoning: string }
  /** An entry's final form (its end state, usage, finish reason); replaces the rendered entry. */
  | { type: 'entryUpdated'; entry: ChatEntry }
  /** A tool call of an assistant entry started, changed state or finished. */
  | { type: 'toolCallUpdated'; entryId: string; call: ToolCallView }
  /** These entries left the chat (Retry drops the answer it replaces). */
  | { type: 'entriesRemoved'; ids: string[] }
  /** The chat was emptied (New Chat). */
  | { type: 'cleared' }
  /** A turn started or ended; the Stop button shows while busy. */
  | { type: 'busy'; busy: boolean };
