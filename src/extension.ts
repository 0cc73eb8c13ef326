// The composition root: builds the objects, wires them together and registers them. Behaviour lives in the modules:
// core/ (no vscode) decides, llm/ talks to the endpoint, node/ touches the disk, host/ adapts VS Code.
// First: the strings' language, before any module below builds its text.
import './host/localization';
import * as vscode from 'vscode';
import { ChatSession, type ChatSessionPorts } from './core/chatSession';
import { connectionFor } from './core/settings';
import { ChatViewChannel } from './host/chatViewChannel';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { CodeActions } from './host/codeActions';
import { FOCUS_CHAT_COMMAND } from './host/commandIds';
import { registerCommands } from './host/commandRegistry';
import { chatCommands } from './host/commands';
import { CometConfig } from './host/config';
import { endpointCommands } from './host/endpointCommands';
import { keyCommands } from './host/keyCommands';
import { KeyStore } from './host/keyStore';
import { ContextAttachments } from './host/contextAttachments';
import { ImageAttachments } from './host/imageAttachments';
import { contextCommands, learnedModelRules } from './host/contextCommands';
import { ModelPicker } from './host/modelPicker';
import { ReviewCodeActions } from './host/reviewCodeActions';
import { reviewCommands } from './host/reviewCommands';
import { ReviewDiagnostics } from './host/reviewDiagnostics';
import { registerNativeChat } from './host/nativeChat';
import { createWorkspaceToolbox, toolsUnavailableReason } from './host/workspaceTools';
import { createChatBackend } from './llm/chatClient';
import { listModelInfo } from './llm/models';
import { ConversationStore } from './node/conversationStore';
import { prepareConversationStore } from './host/storeLocation';

/** Work that must finish before the extension host goes away (pending saves). */
const beforeShutdown: Array<() => Promise<unknown>> = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Comet', { log: true });
  const config = new CometConfig();
  const keys = new KeyStore(context.secrets, context.globalState, () => config.baseUrl());
  const channel = new ChatViewChannel();
  // A conversation file that cannot be read is set aside; the user hears of it, the chat goes on.
  const warnings = {
    warn: (message: string) => {
      log.warn(message);
      void vscode.window.showWarningMessage(vscode.l10n.t('Comet: {0}', message));
    },
  };
  const store = new ConversationStore(await prepareConversationStore(context, log), warnings);
  const learnedRules = learnedModelRules(context.globalState, log);
  const session = await ChatSession.restoreLatest(chatSessionPorts({ config, keys, channel, store, log, learnedRules }));
  // A streaming answer is saved every 1.5 s; on shutdown, save what has arrived since, then wait for the writes.
  beforeShutdown.push(async () => {
    session.persist();
    store.close();
    await store.flush();
  });
  const codeActions = new CodeActions();
  const models = new ModelPicker(config, keys, log, model => channel.post({ type: 'model', model }));
  const images = new ImageAttachments(message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));

  const attachedContext = new ContextAttachments(config, message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));
  const reviewDiagnostics = new ReviewDiagnostics();
  const reviewActions = new ReviewCodeActions(reviewDiagnostics, session, codeActions);

  const chatView = new ChatViewProvider({
    extensionUri: context.extensionUri, session, channel, hasApiKey: () => keys.hasUsableKey(), log, codeActions, images, context: attachedContext, currentModel: () => models.currentModel(),
  });

  // Another window on this workspace saved or deleted a conversation: the list shows it.
  store.onDidChange(() => void session.conversations.postList().catch(() => undefined));
  context.subscriptions.push(
    log,
    store,
    session,
    models,
    chatView,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    session.onDidChangeBusy(busy => {
      models.setBusy(busy);
      void vscode.commands.executeCommand('setContext', 'comet.busy', busy);
    }),
    keys,
    keys.onDidChange(async () => channel.post({ type: 'apiKeyStatus', hasApiKey: await keys.hasUsableKey() })),
    codeActions.register(),
    ...registerNativeChat({ config, keys, log, extensionUri: context.extensionUri }),
    reviewDiagnostics,
    reviewActions.register(),
    ...registerCommands({
      ...chatCommands(session), ...keyCommands(keys, config), ...endpointCommands(keys, log), ...codeActions.commands, ...models.commands, ...images.commands,
      ...contextCommands(session, learnedRules, log), ...reviewCommands(config, keys, reviewDiagnostics), ...reviewActions.commands, ...attachedContext.commands,
    }),
  );
}

/** The chat session's ports, filled with the VS Code adapters and the network client. */
function chatSessionPorts(parts: {
  config: CometConfig;
  keys: KeyStore;
  channel: ChatViewChannel;
  store: ConversationStore;
  log: vscode.LogOutputChannel;
  learnedRules: ChatSessionPorts['learnedRules'];
}): ChatSessionPorts {
  const { config, keys, channel, store, log, learnedRules } = parts;
  return {
    readSettings: () => config.readSettings(),
    credentials: baseUrl => keys.credentials(baseUrl, true),
    hasApiKey: () => keys.hasUsableKey(),
    createBackend: (settings, apiKey) => createChatBackend(connectionFor(settings, apiKey), settings.stream),
    listModels: (settings, apiKey) => listModelInfo({ ...connectionFor(settings, apiKey), timeoutMs: 3000, maxRetries: 0 }),
    createToolbox: settings => createWorkspaceToolbox(settings, log),
    toolsUnavailable: toolsUnavailableReason,
    post: message => channel.post(message),
    log,
    library: store,
    learnedRules,
  };
}

export async function deactivate(): Promise<void> {
  await Promise.all(beforeShutdown.splice(0).map(task => task()));
}
