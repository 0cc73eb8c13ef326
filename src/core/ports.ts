// What the chat session needs from the world, as plain interfaces: the settings, the key, the network, the tools,
// the view and the storage. The VS Code adapters fill them in the extension; tests fill them with real local parts.
import type { ChatBackend } from '../llm/chatClient';
import type { ModelInfo } from '../llm/models';
import type { AssistantEntry, ChatUpdate, ImageAttachment } from '../shared/domain';
import type { ConversationData, ConversationSummary } from './conversation';
import type { Credentials } from './credentials';
import type { LearnedRules } from './learnedRules';
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
  /** A save while `entry` streams, which may store only what it gained since the last one; `save` where absent. */
  saveAnswer?(data: () => ConversationData, summary: ConversationSummary, entry: AssistantEntry): Promise<void>;
  list(): Promise<ConversationSummary[]>;
  load(id: string): Promise<ConversationData | undefined>;
  delete(id: string): Promise<void>;
}

export interface ChatSessionPorts {
  readSettings(): SettingsResult;
  /** What to send as the key to `baseUrl`; may ask the user (the environment key going to a new origin). */
  credentials(baseUrl: string): Promise<Credentials>;
  /** Whether the endpoint in use can be sent a request (for the panel's "Set API Key" banner). */
  hasApiKey(): Promise<boolean>;
  /** `apiKey` undefined: send no key (a local server). */
  createBackend(settings: Settings, apiKey: string | undefined): ChatBackend;
  /** The workspace tools for this request, or undefined where there is no workspace to offer. */
  createToolbox?(settings: Settings): Toolbox | undefined;
  /** Why the tools are off although the settings want them (Restricted Mode), to say so in the answer. */
  toolsUnavailable?(): string | undefined;
  /** The webview, when one is open; see `beforeReady` in the protocol for what happens while none is. */
  post(message: ChatUpdate): void;
  log: Logger;
  library: ConversationLibrary;
  /** What Comet learned about endpoints' parameters (kept in globalState); in memory when absent. */
  learnedRules?: LearnedRules;
  /** The endpoint's GET /models with what it says of each model (its context window), where there is one. */
  listModels?(settings: Settings, apiKey: string | undefined): Promise<ModelInfo[]>;
}

export interface Question {
  /** Shown as the question, and sent followed by the selection. */
  text: string;
  selection?: EditorSelection;
  images?: ImageAttachment[];
  /** Attached files, problems or changes, each a block already formatted for the model (see ./contextAttachments). */
  attachments?: string[];
  /** The chat panel's id for the question it has drawn already; the echo of it carries this back. */
  sentId?: string;
}
