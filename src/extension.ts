// Composition only: build the objects, wire them together, register them. Behaviour lives in the modules.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CometConfig } from './config';
import { ChatSession } from './core/chatSession';
import { Conversation } from './core/conversation';
import { ConversationStore } from './core/conversationStore';
import { ChatViewChannel, ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { CodeActions } from './host/codeActions';
import { ImageAttachments } from './host/imageAttachments';
import { ModelPicker } from './host/modelPicker';
import { PathPolicy, Toolbox } from './core/tools/toolbox';
import { bundledRipgrep, VsCodeWorkspace } from './host/vscodeWorkspace';
import { createChatBackend } from './llm/chatClient';

let store: ConversationStore | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Comet', { log: true });
  const config = new CometConfig(context.secrets);
  const storageRoot = (context.storageUri ?? context.globalStorageUri).fsPath;
  // A conversation file that cannot be read is set aside; the user hears of it, the chat goes on.
  store = new ConversationStore(path.join(storageRoot, 'conversations'), {
    warn: message => {
      log.warn(message);
      void vscode.window.showWarningMessage(`Comet: ${message}`);
    },
  });
  // The most recently used conversation opens again.
  const [latest] = await store.list();
  const saved = latest && (await store.load(latest.id));
  const channel = new ChatViewChannel();
  const conversationStore = store;

  const session = new ChatSession(
    {
      readSettings: () => config.readSettings(),
      getApiKey: () => config.getApiKey(),
      createBackend: (settings, apiKey) =>
        createChatBackend(
          { baseUrl: settings.baseUrl, apiKey, timeoutMs: settings.requestTimeoutSeconds * 1000, maxRetries: settings.maxRetries },
          settings.stream,
        ),
      createToolbox: settings => {
        const workspace = new VsCodeWorkspace(settings.tools.useRipgrep ? bundledRipgrep() : undefined);
        if (!workspace.folders().length) return undefined;
        return new Toolbox(workspace, new PathPolicy(workspace, settings.tools.deniedFiles));
      },
      post: message => channel.post(message),
      log,
      library: conversationStore,
    },
    saved ? Conversation.restore(saved) : undefined,
  );
  const hasApiKey = async () => (await config.getApiKey()) !== undefined;
  const codeActions = new CodeActions();
  const models = new ModelPicker(config, log);
  const images = new ImageAttachments(message => channel.postWhenReady(message), () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`));
  const postModel = () => channel.post({ type: 'model', model: models.currentModel() });

  context.subscriptions.push(
    log,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, new ChatViewProvider({ extensionUri: context.extensionUri, session, channel, hasApiKey, log, codeActions, images, currentModel: () => models.currentModel() })),
    models,
    session.onDidChangeBusy(busy => {
      models.setBusy(busy);
      void vscode.commands.executeCommand('setContext', 'comet.busy', busy);
    }),
    vscode.workspace.onDidChangeConfiguration(event => {
      if (!event.affectsConfiguration('comet.model')) return;
      models.refreshStatus();
      postModel();
    }),
    vscode.commands.registerCommand('comet.selectModel', () => models.pick()),
    config.onDidChangeApiKey(async () => channel.post({ type: 'apiKeyStatus', hasApiKey: await hasApiKey() })),
    ...registerCommands(session, config),
    ...codeActions.register(),
    images.register(),
  );
}

export async function deactivate(): Promise<void> {
  await store?.flush();
}
