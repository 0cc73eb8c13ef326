// What the chat session needs from the world, as plain interfaces: the settings, the key, the network, the tools,
// the view and the storage. The VS Code adapters fill them in the extension; tests fill them with real local parts.
import type { ChatBackend } from '../llm/chatClient';
import type { ChatUpdate, ImageAttachment } from '../shared/domain';
import type { ConversationData, ConversationSummary } from './conversation';
import type { EditorSelection } from './selectionContext';
import type { Settings, SettingsResult } from './settings';
import type { Toolbox } from './tools/toolbox';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Where conversations are kept (the ConversationStore in the extension). */
export interface ConversationLibrary {
  /** Persists the conversation; called after every change that matters, throttled while streaming. */
  save(data: ConversationData, summary: ConversationSummary): Promise<void>;
  list(): Promise<ConversationSummary[]>;
  load(id: string): Promise<ConversationData | undefined>;
  delete(id: string): Promise<void>;
}

export interface ChatSessionPorts {
  readSettings(): SettingsResult;
  getApiKey(): Promise<string | undefined>;
  createBackend(settings: Settings, apiKey: string): ChatBackend;
  /** The workspace tools for this request, or undefined where there is no workspace to offer. */
  createToolbox?(settings: Settings): Toolbox | undefined;
  /** The webview, when one is open; see `beforeReady` in the protocol for what happens while none is. */
  post(message: ChatUpdate): void;
  log: Logger;
  library: ConversationLibrary;
}

export interface Question {
  /** Shown as the question, and sent followed by the selection. */
  text: string;
  selection?: EditorSelection;
  images?: ImageAttachment[];
  /** Attached files, problems or changes, each a block already formatted for the model (see ./contextAttachments). */
  attachments?: string[];
}
