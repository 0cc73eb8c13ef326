// The one contract between the extension host and the chat webview. Both sides import only this file, so a message
// that one side sends and the other does not understand is a compile error, not a silent drop.

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

/** An image attached to a question, as a data URL. */
export interface ImageAttachment {
  name: string;
  mimeType: string;
  dataUrl: string;
}

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
  /** Milliseconds from sending to the first token, and output speed. */
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
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

/** What a code block's buttons do. */
export type CodeAction = 'copy' | 'insert' | 'new-file' | 'apply-diff';

/** Messages the host posts to the webview. */
export type HostToWebview =
  /** host -> webview: the whole conversation, sent once in answer to `ready` (and after the view is re-created). */
  | { type: 'restore'; entries: ChatEntry[]; busy: boolean; hasApiKey: boolean }
  /** host -> webview: the saved conversations (newest first) and the open one. */
  | { type: 'conversations'; items: Array<{ id: string; title: string }>; activeId: string }
  /** host -> webview: the model the next question goes to (comet.model). */
  | { type: 'model'; model: string }
  /** host -> webview: an image to add to the composer's attachments (picked in the workspace or dropped). */
  | { type: 'imageAttached'; image: ImageAttachment }
  /** host -> webview: a short notice for the composer, e.g. an image that was refused. */
  | { type: 'composerNotice'; message: string }
  /** host -> webview: a new entry at the end of the chat. */
  | { type: 'entryAdded'; entry: ChatEntry }
  /** host -> webview: text that arrived for a streaming assistant entry (only the new part). */
  | { type: 'assistantDelta'; id: string; text: string; reasoning: string }
  /** host -> webview: an entry's final form (its end state, usage, finish reason); replaces the rendered entry. */
  | { type: 'entryUpdated'; entry: ChatEntry }
  /** host -> webview: a tool call of an assistant entry started, changed state or finished. */
  | { type: 'toolCallUpdated'; entryId: string; call: ToolCallView }
  /** host -> webview: these entries left the chat (Retry drops the answer it replaces). */
  | { type: 'entriesRemoved'; ids: string[] }
  /** host -> webview: the chat was emptied (New Chat). */
  | { type: 'cleared' }
  /** host -> webview: a turn started or ended; the Stop button shows while busy. */
  | { type: 'busy'; busy: boolean }
  /** host -> webview: whether an API key is available, so the panel can offer "Set API Key". */
  | { type: 'apiKeyStatus'; hasApiKey: boolean };

/** Messages the webview posts to the host. */
export type WebviewToHost =
  /** webview -> host: the script has loaded and listens; the host posts nothing before this. */
  | { type: 'ready' }
  /** webview -> host: the user sent a question from the composer, with any images attached there. */
  | { type: 'send'; text: string; images?: ImageAttachment[] }
  /** webview -> host: "Attach image" (a picker of the workspace's images). */
  | { type: 'pickImage' }
  /** webview -> host: a file dropped from the explorer arrives as a URI, which only the host can read. */
  | { type: 'attachImageUri'; uri: string }
  /** webview -> host: the Stop button. */
  | { type: 'stop' }
  /** webview -> host: the New Chat button. */
  | { type: 'newChat' }
  /** webview -> host: a "Set API Key" button. */
  | { type: 'setApiKey' }
  /** webview -> host: an error's "Open Settings" button, naming the setting. */
  | { type: 'openSettings'; setting?: string }
  /** webview -> host: an error's "Retry" button. */
  | { type: 'retry' }
  /** webview -> host: Continue on an answer cut at the token limit. */
  | { type: 'continue' }
  /** webview -> host: Regenerate the last answer. */
  | { type: 'regenerate' }
  /** webview -> host: the last question, edited; it replaces the old one and is answered afresh. */
  | { type: 'editAndResend'; text: string }
  /** webview -> host: the model button (opens Comet: Select Model). */
  | { type: 'selectModel' }
  /** webview -> host: the conversation list's choice. */
  | { type: 'switchConversation'; id: string }
  /** webview -> host: Rename, Delete or Export on the open conversation (the host asks for the details). */
  | { type: 'conversationCommand'; command: 'rename' | 'delete' | 'export' }
  /** webview -> host: a code block's Copy, Insert, New File or Apply button. */
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  /** webview -> host: Allow or Deny on a tool call awaiting approval (comet.tools.approval = ask). */
  | { type: 'toolDecision'; callId: string; allow: boolean };

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewToHost['type']>([
  'ready', 'send', 'stop', 'newChat', 'setApiKey', 'openSettings', 'retry', 'toolDecision', 'codeAction',
  'continue', 'regenerate', 'editAndResend', 'switchConversation', 'conversationCommand', 'selectModel', 'pickImage', 'attachImageUri',
]);
const codeActions: ReadonlySet<string> = new Set<CodeAction>(['copy', 'insert', 'new-file', 'apply-diff']);

/** The host trusts nothing that crosses the boundary: a malformed message is dropped, not half-handled. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string' || !webviewMessageTypes.has(message.type)) return false;
  switch (message.type) {
    case 'send':
      return typeof message.text === 'string' && (message.images === undefined || (Array.isArray(message.images) && message.images.every(isImage)));
    case 'editAndResend':
      return typeof message.text === 'string';
    case 'attachImageUri': return typeof message.uri === 'string';
    case 'openSettings': return message.setting === undefined || typeof message.setting === 'string';
    case 'toolDecision': return typeof message.callId === 'string' && typeof message.allow === 'boolean';
    case 'switchConversation': return typeof message.id === 'string';
    case 'conversationCommand': return message.command === 'rename' || message.command === 'delete' || message.command === 'export';
    case 'codeAction':
      return typeof message.action === 'string' && codeActions.has(message.action) && typeof message.code === 'string' && typeof message.language === 'string';
    default: return true;
  }
}

function isImage(value: unknown): value is ImageAttachment {
  const image = value as Record<string, unknown> | null;
  return typeof image === 'object' && image !== null && typeof image.name === 'string' && typeof image.mimeType === 'string' && typeof image.dataUrl === 'string';
}

const hostMessageTypes: ReadonlySet<string> = new Set<HostToWebview['type']>([
  'restore', 'conversations', 'model', 'imageAttached', 'composerNotice', 'entryAdded', 'assistantDelta', 'entryUpdated', 'toolCallUpdated', 'entriesRemoved', 'cleared', 'busy', 'apiKeyStatus',
]);

export function isHostToWebview(value: unknown): value is HostToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as Record<string, unknown>).type;
  return typeof type === 'string' && hostMessageTypes.has(type);
}
