// The sidebar chat view. The conversation lives in the host; this view only mirrors it, so hiding, re-showing or
// reloading the panel restores the chat from the host (no retainContextWhenHidden, which would keep a hidden DOM alive).
import * as vscode from 'vscode';
import type { ChatSession } from '../core/chatSession';
import { isWebviewToHost, type CodeAction, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { chatHtml, webviewOptions } from './webviewHtml';

export const CHAT_VIEW_ID = 'comet.chatView';

/** Posts to the chat view once its script has said `ready`; before that, `restore` will carry the state instead. */
export class ChatViewChannel {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly waiting: HostToWebview[] = [];

  attach(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
  }

  detach(view: vscode.WebviewView): void {
    if (this.view === view) {
      this.view = undefined;
      this.ready = false;
    }
  }

  markReady(): void {
    this.ready = true;
  }

  post(message: HostToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  /** For messages `restore` does not carry (an image for the composer): kept until the view is ready. */
  postWhenReady(message: HostToWebview): void {
    if (this.view && this.ready) this.post(message);
    else this.waiting.push(message);
  }

  /** Sends what waited for the view; call after `restore`. */
  flushWaiting(): void {
    for (const message of this.waiting.splice(0)) this.post(message);
  }
}

export interface ChatViewDeps {
  images: { attachDropped(uri: string): Promise<void> };
  currentModel(): string;
  codeActions: { run(action: CodeAction, code: string, language: string): Promise<void> };
  extensionUri: vscode.Uri;
  session: ChatSession;
  channel: ChatViewChannel;
  hasApiKey(): Promise<boolean>;
  log: vscode.LogOutputChannel;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  constructor(private readonly deps: ChatViewDeps) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const { channel, extensionUri } = this.deps;
    channel.attach(view);
    view.webview.options = webviewOptions(extensionUri);
    view.webview.html = chatHtml(view.webview, extensionUri);
    const subscriptions = [
      view.webview.onDidReceiveMessage(message => {
        if (isWebviewToHost(message)) {
          this.handle(message).catch(error => {
            this.deps.log.error(`chat view: ${message.type} failed: ${String(error)}`);
            void vscode.window.showErrorMessage(`Comet: ${error instanceof Error ? error.message : String(error)}`);
          });
        }
        else this.deps.log.warn(`ignored a malformed message from the chat view: ${JSON.stringify(message).slice(0, 200)}`);
      }),
    ];
    view.onDidDispose(() => {
      channel.detach(view);
      for (const subscription of subscriptions) subscription.dispose();
    });
  }

  private async handle(message: WebviewToHost): Promise<void> {
    const session = this.deps.session;
    switch (message.type) {
      case 'ready':
        this.deps.channel.markReady();
        this.deps.channel.post(session.snapshot(await this.deps.hasApiKey()));
        this.deps.channel.post({ type: 'model', model: this.deps.currentModel() });
        this.deps.channel.flushWaiting();
        await session.postConversations();
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('comet.selectModel');
        return;
      case 'switchConversation':
        await session.switchTo(message.id);
        return;
      case 'conversationCommand':
        await vscode.commands.executeCommand(`comet.${message.command}Conversation`);
        return;
      case 'send':
        if (message.text.trim() || message.images?.length) await session.ask({ text: message.text.trim(), images: message.images });
        return;
      case 'pickImage':
        await vscode.commands.executeCommand('comet.attachImage');
        return;
      case 'attachImageUri':
        await this.deps.images.attachDropped(message.uri);
        return;
      case 'stop':
        session.stop();
        return;
      case 'newChat':
        await session.newChat();
        return;
      case 'retry':
        await session.retry();
        return;
      case 'toolDecision':
        session.decideTool(message.callId, message.allow);
        return;
      case 'continue':
        await session.continueAnswer();
        return;
      case 'regenerate':
        await session.retry();
        return;
      case 'editAndResend':
        if (message.text.trim()) await session.editAndResend(message.text.trim());
        return;
      case 'codeAction':
        await this.deps.codeActions.run(message.action, message.code, message.language);
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand('comet.setApiKey');
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', message.setting ?? 'comet.');
        return;
    }
  }
}
