// Layer shared/: imports nothing outside shared/. This file is used by host/ and webview/ only.
// The one contract between the extension host and the chat webview, used by those two only (the domain types they
// exchange live in ./domain). Each direction has one table keyed by message type: the runtime guards derive from it,
// and `MessageHandlers` makes a handler for every type a compile-time requirement on both sides.
import type { ChatUpdate, ContextChip, ImageAttachment } from './domain';
import { MAX_IMAGES_PER_QUESTION } from './domain';

export type * from './domain';

/** What a code block's buttons do. */
export type CodeAction = 'copy' | 'insert' | 'new-file' | 'apply-diff';

/** Messages the host posts to the webview: the chat session's updates, and the host's own. */
export type HostToWebview =
  | ChatUpdate
  /** host -> webview: the model the next question goes to (comet.model). */
  | { type: 'model'; model: string }
  /** host -> webview: an image to add to the composer's attachments (picked in the workspace or dropped). */
  | { type: 'imageAttached'; image: ImageAttachment }
  /** host -> webview: a file, the problems or the changes, attached for the next question (a chip in the composer). */
  | { type: 'contextAttached'; chip: ContextChip }
  /** host -> webview: whether an API key is available, so the panel can offer "Set API Key". */
  | { type: 'apiKeyStatus'; hasApiKey: boolean }
  /** host -> webview: whether code blocks wrap long lines (the choice the host keeps; sent with the answer to `ready`). */
  | { type: 'codeWrap'; on: boolean };

/** Messages the webview posts to the host. */
export type WebviewToHost =
  /** webview -> host: the script has loaded and listens; the host posts nothing before this. */
  | { type: 'ready' }
  /** webview -> host: the user sent a question from the composer, with any images attached there. The panel has drawn
   *  it already; the host's `entryAdded` for it (or the notice refusing it) carries `sentId` back. */
  | { type: 'send'; text: string; images?: ImageAttachment[]; contextIds?: string[]; sentId?: string }
  /** webview -> host: `#` in the composer (a picker of files, problems and changes to attach). */
  | { type: 'pickContext' }
  /** webview -> host: a chip's ×: that attachment no longer goes with the next question. */
  | { type: 'removeContext'; id: string }
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
  | { type: 'chooseEndpoint' }
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
  | { type: 'conversationCommand'; command: ConversationCommand }
  /** webview -> host: a code block's Copy, Insert, New File or Apply button. */
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  /** webview -> host: Allow or Deny on a tool call awaiting approval (comet.tools.approval = ask). */
  | { type: 'toolDecision'; callId: string; allow: boolean }
  /** webview -> host: a click on a link in an answer (http, https or mailto); only the host opens it, after asking. */
  | { type: 'openLink'; url: string }
  /** webview -> host: the code blocks' wrap toggle changed; the host keeps it for this workspace's panels. */
  | { type: 'setCodeWrap'; on: boolean };

export type ConversationCommand = 'rename' | 'delete' | 'export';

/** One handler per message type: leaving one out is a compile error, not a silently dead button. */
export type MessageHandlers<M extends { type: string }, R = void> = { [K in M['type']]: (message: Extract<M, { type: K }>) => R };

/** Calls the handler of the message's type. */
export function dispatch<M extends { type: string }, R>(handlers: MessageHandlers<M, R>, message: M): R {
  // TypeScript cannot relate a union member to its own handler; the mapped type above guarantees the pairing.
  return (handlers[message.type as M['type']] as (message: M) => R)(message);
}

type Fields = Readonly<Record<string, unknown>>;
type Check = (message: Fields) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptionalString = (value: unknown) => value === undefined || isString(value);
const oneOf = <T extends string>(values: readonly T[]) => (value: unknown): value is T => isString(value) && (values as readonly string[]).includes(value);
const isImage = (value: unknown): boolean => isRecord(value) && isString(value.name) && isString(value.mimeType) && isString(value.dataUrl);
const isEntry = (value: unknown): boolean => isRecord(value) && isString(value.id) && oneOf(['user', 'assistant', 'error'])(value.kind);
const isToolCall = (value: unknown): boolean => isRecord(value) && isString(value.id) && isString(value.name) && isString(value.state);

export const CODE_ACTIONS: readonly CodeAction[] = ['copy', 'insert', 'new-file', 'apply-diff'];
export const CONVERSATION_COMMANDS: readonly ConversationCommand[] = ['rename', 'delete', 'export'];

/** The panel's ids for sent questions, and the host's for chips, are short counters; each side only echoes them back. */
const MAX_SENT_ID = 64;
const isSentId = (value: unknown): value is string => isString(value) && value.length <= MAX_SENT_ID;

const webviewMessageChecks: { [K in WebviewToHost['type']]: Check } = {
  ready: () => true,
  send: m =>
    isString(m.text) &&
    (m.images === undefined || (Array.isArray(m.images) && m.images.length <= MAX_IMAGES_PER_QUESTION && m.images.every(isImage))) &&
    (m.contextIds === undefined || (Array.isArray(m.contextIds) && m.contextIds.every(isString))) &&
    (m.sentId === undefined || isSentId(m.sentId)),
  pickContext: () => true,
  removeContext: m => isString(m.id) && m.id.length <= MAX_SENT_ID,
  pickImage: () => true,
  attachImageUri: m => isString(m.uri),
  stop: () => true,
  newChat: () => true,
  setApiKey: () => true,
  chooseEndpoint: () => true,
  openSettings: m => isOptionalString(m.setting),
  retry: () => true,
  continue: () => true,
  regenerate: () => true,
  editAndResend: m => isString(m.text),
  selectModel: () => true,
  switchConversation: m => isString(m.id),
  conversationCommand: m => oneOf(CONVERSATION_COMMANDS)(m.command),
  codeAction: m => oneOf(CODE_ACTIONS)(m.action) && isString(m.code) && isString(m.language),
  toolDecision: m => isString(m.callId) && typeof m.allow === 'boolean',
  openLink: m => isString(m.url),
  setCodeWrap: m => typeof m.on === 'boolean',
};

/**
 * What happens to a host message posted while the view is not ready (not open yet, hidden and disposed, or loading):
 * - `queue`: kept and delivered right after `restore`, because nothing else carries it;
 * - `restore`: dropped on purpose, because the `restore` (and the model and conversation list) that answers `ready`
 *   carries the same state, and delivering both would show it twice.
 */
export type BeforeReady = 'queue' | 'restore';

const hostMessageRules: { [K in HostToWebview['type']]: { check: Check; beforeReady: BeforeReady } } = {
  restore: { check: m => Array.isArray(m.entries) && m.entries.every(isEntry) && typeof m.busy === 'boolean' && typeof m.hasApiKey === 'boolean', beforeReady: 'restore' },
  conversations: { check: m => Array.isArray(m.items) && m.items.every(i => isRecord(i) && isString(i.id) && isString(i.title)) && isString(m.activeId), beforeReady: 'restore' },
  model: { check: m => isString(m.model), beforeReady: 'restore' },
  imageAttached: { check: m => isImage(m.image), beforeReady: 'queue' },
  // The host keeps what is attached until it is sent or removed, and puts the chips back in every restore.
  contextAttached: { check: m => isRecord(m.chip) && isString(m.chip.id) && isString(m.chip.label) && typeof m.chip.truncated === 'boolean', beforeReady: 'restore' },
  composerNotice: { check: m => isString(m.message) && isOptionalString(m.sentId), beforeReady: 'queue' },
  entryAdded: { check: m => isEntry(m.entry) && isOptionalString(m.sentId), beforeReady: 'restore' },
  assistantDelta: { check: m => isString(m.id) && isString(m.text) && isString(m.reasoning), beforeReady: 'restore' },
  entryUpdated: { check: m => isEntry(m.entry), beforeReady: 'restore' },
  toolCallUpdated: { check: m => isString(m.entryId) && isToolCall(m.call), beforeReady: 'restore' },
  entriesRemoved: { check: m => Array.isArray(m.ids) && m.ids.every(isString), beforeReady: 'restore' },
  cleared: { check: () => true, beforeReady: 'restore' },
  busy: { check: m => typeof m.busy === 'boolean', beforeReady: 'restore' },
  apiKeyStatus: { check: m => typeof m.hasApiKey === 'boolean', beforeReady: 'restore' },
  codeWrap: { check: m => typeof m.on === 'boolean', beforeReady: 'restore' },
};

function checkAgainst<M extends { type: string }>(value: unknown, checks: Readonly<Record<string, Check>>): value is M {
  if (!isRecord(value) || !isString(value.type) || !Object.hasOwn(checks, value.type)) return false;
  return checks[value.type](value);
}

/** The host trusts nothing that crosses the boundary: a malformed message is dropped, not half-handled. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return checkAgainst<WebviewToHost>(value, webviewMessageChecks);
}

const hostMessageChecks: Readonly<Record<string, Check>> = Object.fromEntries(Object.entries(hostMessageRules).map(([type, rule]) => [type, rule.check]));

export function isHostToWebview(value: unknown): value is HostToWebview {
  return checkAgainst<HostToWebview>(value, hostMessageChecks);
}

/** The `sentId` of a `send` the guard refused, when it carries one the panel could have issued: the panel drew that
 *  question as sent, and gets it back (`composerNotice` with the id). */
export function refusedSendId(message: unknown): string | undefined {
  if (!isRecord(message) || message.type !== 'send') return undefined;
  return isSentId(message.sentId) ? message.sentId : undefined;
}

/** See `BeforeReady`. */
export function beforeReady(message: HostToWebview): BeforeReady {
  return hostMessageRules[message.type].beforeReady;
}

export const WEBVIEW_MESSAGE_TYPES = Object.keys(webviewMessageChecks) as ReadonlyArray<WebviewToHost['type']>;
export const HOST_MESSAGE_TYPES = Object.keys(hostMessageRules) as ReadonlyArray<HostToWebview['type']>;
