// The composition root: builds the objects, wires them together and registers them. Behaviour lives in the modules:
// core/ (no vscode) decides, llm/ talks to the endpoint, node/ touches the disk, host/ adapts VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChatSession } from './core/chatSession';
import { connectionFor } from './core/settings';
import { ChatViewChannel } from './host/chatViewChannel';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { CodeActions } from './host/codeActions';
import { FOCUS_CHAT_COMMAND } from './host/commandIds';
import { registerCommands } from './host/commandRegistry';
import { chatCommands } from './host/commands';
import { CometConfig } from './host/config';
import { ContextAttachments } from './host/contextAttachments';
import { ImageAttachments } from './host/imageAttachments';
import { ModelPicker } from './host/modelPicker';
import { ReviewCodeActions } from './host/reviewCodeActions';
import { reviewCommands } from './host/reviewCommands';
import { ReviewDiagnostics } from './host/reviewDiagnostics';
import { createWorkspaceToolbox } from './host/workspaceTools';
import { createChatBackend } from './llm/chatClient';
import { ConversationStore } from './node/conversationStore';

/** Work that must finish before the extension host goes away (pending saves). */
const beforeShutdown: Array<() => Promise<unknown>> = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Comet', { log: true });
  const config = new CometConfig(context.secrets);
  const channel = new ChatViewChannel();
  // A conversation file that cannot be read is set aside; the user hears of it, the chat goes on.
  const store = new ConversationStore(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'conversations'), {
    warn: message => {
      log.warn(message);
      void vscode.window.showWarningMessage(`Comet: ${message}`);
    },
  });
  const session = await ChatSession.restoreLatest({
    readSettings: () => config.readSettings(),
    getApiKey: () => config.getApiKey(),
    createBackend: (settings, apiKey) => createChatBackend(connectionFor(settings, apiKey), settings.stream),
    createToolbox: createWorkspaceToolbox,
    post: message => channel.post(message),
    log,
    library: store,
  });
  // A streaming answer is saved every 1.5 s; on shutdown, save what has arrived since, then wait for the writes.
  beforeShutdown.push(async () => {
    session.persist();
    await store.flush();
  });
  const codeActions = new CodeActions();
  const models = new ModelPicker(config, log, model => channel.post({ type: 'model', model }));
  const images = new ImageAttachments(message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));

  const attachedContext = new ContextAttachments(config, message => channel.post(message), () => vscode.commands.executeCommand(FOCUS_CHAT_COMMAND));
  const reviewDiagnostics = new ReviewDiagnostics();
  const reviewActions = new ReviewCodeActions(reviewDiagnostics, session, codeActions);

  const chatView = new ChatViewProvider({
    extensionUri: context.extensionUri, session, channel, hasApiKey: () => config.hasApiKey(), log, codeActions, images, context: attachedContext, currentModel: () => models.currentModel(),
  });

  context.subscriptions.push(
    log,
    session,
    models,
    chatView,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    session.onDidChangeBusy(busy => {
      models.setBusy(busy);
      void vscode.commands.executeCommand('setContext', 'comet.busy', busy);
    }),
    config.onDidChangeApiKey(async () => channel.post({ type: 'apiKeyStatus', hasApiKey: await config.hasApiKey() })),
    codeActions.register(),
    reviewDiagnostics,
    reviewActions.register(),
    ...registerCommands({
      ...chatCommands(session, config), ...codeActions.commands, ...models.commands, ...images.commands,
      ...reviewCommands(config, reviewDiagnostics), ...reviewActions.commands, ...attachedContext.commands,
    }),
  );
}

export async function deactivate(): Promise<void> {
  await Promise.all(beforeShutdown.splice(0).map(task => task()));
}
