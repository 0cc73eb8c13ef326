// Layer host/: the vscode adapters; with extension.ts the only code that imports vscode. It may import every layer but webview/.
// The sidebar chat view. The conversation lives in the host; this view only mirrors it, so hiding, re-showing or
// reloading the panel restores the chat from the host (no retainContextWhenHidden, which would keep a hidden DOM alive).
import * as vscode from 'vscode';
import type { ChatSession } from '../core/chatSession';
import { Disposable } from '../core/disposable';
import {
  dispatch,
  isWebviewToHost,
  refusedSendId,
  type CodeAction,
  type ConversationCommand,
  type MessageHandlers,
  type WebviewToHost,
} from '../shared/protocol';
import type { ChatViewChannel } from './chatViewChannel';
import type { CommandName } from './commandIds';
import type { ContextAttachments } from './contextAttachments';
import { runCommand } from './commandRegistry';
import { openLink } from './links';
import type { ViewPreferences } from './viewPreferences';
import { chatHtml, webviewOptions } from './webviewHtml';

export interface ChatViewDeps {
  images: { attachDropped(uri: string): Promise<void> };
  /** The attached files, problems and changes the composer's chips stand for. */
  context: Pick<ContextAttachments, 'take' | 'remove' | 'chips'>;
  currentModel(): string;
  codeActions: { run(action: CodeAction, code: string, language: string): Promise<void> };
  extensionUri: vscode.Uri;
  session: ChatSession;
  channel: ChatViewChannel;
  hasApiKey(): Promise<boolean>;
  log: vscode.LogOutputChannel;
  preferences: ViewPreferences;
}

const CONVERSATION_COMMANDS: Record<ConversationCommand, CommandName> = {
  rename: 'renameConversation',
  delete: 'deleteConversation',
  export: 'exportConversation',
};

export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  constructor(private readonly deps: ChatViewDeps) {
    super();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const { channel, extensionUri } = this.deps;
    channel.attach(view);
    view.webview.options = webviewOptions(extensionUri);
    view.webview.html = chatHtml(view.webview, extensionUri);
    const subscription = this._register(view.webview.onDidReceiveMessage(message => this.receive(message)));
    const visibility = this._register(view.onDidChangeVisibility(() => view.visible || channel.hidden(view)));
    view.onDidDispose(() => {
      channel.detach(view);
      subscription.dispose();
      visibility.dispose();
    });
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) {
      this.deps.log.warn(`ignored a malformed message from the chat view: ${JSON.stringify(message)?.slice(0, 200)}`);
      // The panel drew a refused question as sent: it gets it back into the composer, as when asking fails.
      const sentId = refusedSendId(message);
      if (sentId !== undefined) {
        this.deps.channel.post({ type: 'composerNotice', message: vscode.l10n.t('The question was not sent.'), sentId });
        // The panel emptied its chips with the send; the host still holds them (a panel adds each id once).
        for (const chip of this.deps.context.chips()) this.deps.channel.post(chip);
      }
      return;
    }
    Promise.resolve(dispatch(this.handlers, message)).catch(error => {
      this.deps.log.error(`chat view: ${message.type} failed: ${String(error)}`);
      // A question the panel drew as sent, and that failed before its entry was added, leaves the chat (a no-op after).
      if (message.type === 'send' && message.sentId !== undefined) this.deps.channel.post({ type: 'composerNotice', message: vscode.l10n.t('The question was not sent.'), sentId: message.sentId });
      // The details went to the output channel: say so, and open it on request.
      void vscode.window.showErrorMessage(vscode.l10n.t('Comet: {0} (details in Comet: Show Logs)', error instanceof Error ? error.message : String(error)), vscode.l10n.t('Show Logs'))
        .then(choice => choice && runCommand('showLogs'));
    });
  }

  private readonly handlers: MessageHandlers<WebviewToHost, unknown> = {
    ready: async () => {
      const { session, channel } = this.deps;
      const page = channel.currentPage();
      const hasApiKey = await this.deps.hasApiKey();
      channel.open([
        { type: 'codeWrap', on: this.deps.preferences.wrapCode() },
        session.snapshot(hasApiKey),
        { type: 'model', model: this.deps.currentModel() },
        ...this.deps.context.chips(),
      ], page);
      await session.conversations.postList();
    },
    selectModel: () => runCommand('selectModel'),
    switchConversation: message => this.deps.session.conversations.switchTo(message.id),
    conversationCommand: message => runCommand(CONVERSATION_COMMANDS[message.command]),
    send: message => {
      const attachments = this.deps.context.take(message.contextIds ?? []);
      if (message.text.trim() || message.images?.length) return this.deps.session.ask({ text: message.text.trim(), images: message.images, attachments, sentId: message.sentId });
    },
    pickContext: () => runCommand('attachContext'),
    removeContext: message => this.deps.context.remove(message.id),
    pickImage: () => runCommand('attachImage'),
    attachImageUri: message => this.deps.images.attachDropped(message.uri),
    stop: () => this.deps.session.stop(),
    newChat: () => this.deps.session.conversations.newChat(),
    retry: () => this.deps.session.retry(),
    toolDecision: message => this.deps.session.decideTool(message.callId, message.allow),
    continue: () => this.deps.session.continueAnswer(),
    regenerate: () => this.deps.session.retry(),
    editAndResend: message => {
      if (message.text.trim()) return this.deps.session.editAndResend(message.text.trim());
    },
    codeAction: message => {
      // Only code the chat shows: a message from a compromised view cannot insert or apply text of its own.
      if (!this.deps.session.conversation.entries.some(entry => entry.kind === 'assistant' && entry.text.includes(message.code))) {
        this.deps.log.warn('ignored a code action for code that is not in the conversation');
        return;
      }
      return this.deps.codeActions.run(message.action, message.code, message.language);
    },
    setApiKey: () => runCommand('setApiKey'),
    chooseEndpoint: () => runCommand('chooseEndpoint'),
    openSettings: message => vscode.commands.executeCommand('workbench.action.openSettings', message.setting ?? 'comet.'),
    openLink: message => openLink(message.url, this.deps.log),
    setCodeWrap: message => this.deps.preferences.setWrapCode(message.on),
  };
}
