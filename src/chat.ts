// The chat bundle's composition root (dist/chat.js): builds the objects, wires them together, nothing else. Loaded by
// the entry bundle (src/extension.ts, through host/lazyComet.ts) on first use, so activation loads none of this:
// `startComet` builds the cheap parts VS Code's chat needs (log, settings, keys, the model provider); `chat()` the
// rest (store and its disk reads, session, view, commands) when the view first resolves or a command first runs.
// First: the strings' language, before any module below builds its text.
import './host/localization';
import * as vscode from 'vscode';
import { ChatSession, type ChatSessionPorts } from './core/chatSession';
import type { LearnedRules } from './core/learnedRules';
import { connectionFor } from './core/settings';
import { ChatViewChannel } from './host/chatViewChannel';
import { ChatViewProvider } from './host/chatViewProvider';
import { CodeActions } from './host/codeActions';
import { FOCUS_CHAT_COMMAND } from './host/commandIds';
import { chatCommands } from './host/commands';
import { participantHandler } from './host/cometParticipant';
import { CometConfig } from './host/config';
import { endpointCommands } from './host/endpointCommands';
import { keyCommands } from './host/keyCommands';
import { KeyStore } from './host/keyStore';
import { ContextAttachments } from './host/contextAttachments';
import { ImageAttachments } from './host/imageAttachments';
import { contextCommands, learnedModelRules } from './host/contextCommands';
import { SharedModelCatalog } from './host/modelCatalog';
import { ModelPicker } from './host/modelPicker';
import type { Chat, ChatBundle, Comet } from './host/lazyComet';
import { NativeChatProvider } from './host/nativeChatProvider';
import { RememberedModelList } from './host/rememberedModelList';
import { ReviewCodeActions } from './host/reviewCodeActions';
import { reviewCommands } from './host/reviewCommands';
import { ReviewDiagnostics } from './host/reviewDiagnostics';
import { createWorkspaceToolbox, toolsUnavailableReason } from './host/workspaceTools';
import { createChatBackend } from './llm/chatClient';
import { ConversationStore } from './node/conversationStore';
import { prepareConversationStore } from './host/storeLocation';
import { ViewPreferences } from './host/viewPreferences';

export const startComet: ChatBundle['startComet'] = (context): Comet => {
  const log = vscode.window.createOutputChannel('Comet', { log: true });
  const config = new CometConfig();
  const keys = new KeyStore(context.secrets, context.globalState, () => config.baseUrl());
  const learnedRules = learnedModelRules(context.globalState, log);
  // One GET /models cache for the picker, the panel's context window and VS Code's chat.
  const modelCatalog = new SharedModelCatalog(config, keys);
  const reviewDiagnostics = new ReviewDiagnostics();
  const provider = new NativeChatProvider(config, keys, modelCatalog, learnedRules, log, new RememberedModelList(context.globalState));
  const subscriptions: vscode.Disposable[] = [log, keys, modelCatalog, reviewDiagnostics, provider];
  const beforeShutdown: Array<() => Promise<unknown>> = [];
  let chat: Promise<Chat> | undefined;
  const shared = { context, log, config, keys, learnedRules, modelCatalog, reviewDiagnostics, subscriptions, beforeShutdown };
  return {
    provider,
    answerParticipant: participantHandler({ config, keys, log, reviewDiagnostics }),
    chat: () => (chat ??= startChat(shared)),
    shutdown: async () => {
      await chat?.catch(() => undefined);
      await Promise.all(beforeShutdown.splice(0).map(task => task()));
    },
    dispose: () => vscode.Disposable.from(...subscriptions.splice(0)).dispose(),
  };
};

async function startChat(parts: {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  config: CometConfig;
  keys: KeyStore;
  learnedRules: LearnedRules;
  modelCatalog: SharedModelCatalog;
  reviewDiagnostics: ReviewDiagnostics;
  subscriptions: vscode.Disposable[];
  beforeShutdown: Array<() => Promise<unknown>>;
}): Promise<Chat> {
  const { context, log, config, keys, learnedRules, modelCatalog, reviewDiagnostics, subscriptions, beforeShutdown } = parts;
  const channel = new ChatViewChannel();
  // A conversation file that cannot be read is set aside; the user hears of it, the chat goes on.
  const warnings = {
    warn: (message: string) => {
      log.warn(message);
      void vscode.window.showWarningMessage(vscode.l10n.t('Comet: {0}', message));
    },
  };
  const store = new ConversationStore(await prepareConversationStore(context, log), warnings);
  const session = await ChatSession.restoreLatest(chatSessionPorts({ config, keys, channel, store, log, learnedRules, modelCatalog }));
  // A streaming answer is saved every 1.5 s; on shutdown, save what has arrived since, then wait for the writes.
  beforeShutdown.push(async () => {
    session.persist();
    store.close();
    await store.flush();
  });
  const codeActions = new CodeActions();
  const models = new ModelPicker(config, keys, modelCatalog.catalog, log, model => channel.post({ type: 'model', model }));
  const images = new ImageAttachments(message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));

  const attachedContext = new ContextAttachments(config, message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));
  const reviewActions = new ReviewCodeActions(reviewDiagnostics, session, codeActions);

  const view = new ChatViewProvider({
    extensionUri: context.extensionUri, session, channel, hasApiKey: () => keys.hasUsableKey(), log, codeActions, images, context: attachedContext, currentModel: () => models.currentModel(),
    preferences: new ViewPreferences(context.workspaceState),
  });

  // Another window on this workspace saved or deleted a conversation: the list shows it.
  store.onDidChange(() => void session.conversations.postList().catch(() => undefined));
  subscriptions.push(
    store,
    session,
    models,
    view,
    session.onDidChangeBusy(busy => {
      models.setBusy(busy);
      void vscode.commands.executeCommand('setContext', 'comet.busy', busy);
    }),
    keys.onDidChange(async () => channel.post({ type: 'apiKeyStatus', hasApiKey: await keys.hasUsableKey() })),
    codeActions.register(),
  );
  return {
    view,
    codeActions: reviewActions,
    commands: {
      ...chatCommands(session), ...keyCommands(keys, config), ...endpointCommands(keys, log), ...codeActions.commands, ...models.commands, ...images.commands,
      ...contextCommands(session, learnedRules, log), ...reviewCommands(config, keys, reviewDiagnostics), ...reviewActions.commands, ...attachedContext.commands,
    },
  };
}

/** The chat session's ports, filled with the VS Code adapters and the network client. */
function chatSessionPorts(parts: {
  config: CometConfig;
  keys: KeyStore;
  channel: ChatViewChannel;
  store: ConversationStore;
  log: vscode.LogOutputChannel;
  learnedRules: ChatSessionPorts['learnedRules'];
  modelCatalog: SharedModelCatalog;
}): ChatSessionPorts {
  const { config, keys, channel, store, log, learnedRules, modelCatalog } = parts;
  return {
    readSettings: () => config.readSettings(),
    credentials: baseUrl => keys.credentials(baseUrl, true),
    hasApiKey: () => keys.hasUsableKey(),
    createBackend: (settings, apiKey) => createChatBackend(connectionFor(settings, apiKey), settings.stream),
    listModels: (settings, apiKey) => modelCatalog.catalog.list(settings.baseUrl, apiKey),
    createToolbox: settings => createWorkspaceToolbox(settings, log),
    toolsUnavailable: toolsUnavailableReason,
    post: message => channel.post(message),
    log,
    library: store,
    learnedRules,
  };
}
