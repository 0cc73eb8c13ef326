// The boundary between the entry bundle (dist/extension.js: this file, ./nativeChat and the id tables) and the chat
// bundle (dist/chat.js, built from src/chat.ts: the SDK, the store, the session, the view). Activation registers what
// VS Code must know of at once (the view, the commands, the quick fix, VS Code chat's provider) with handlers that
// load the chat bundle on their first call. The unit test `the entry bundle` keeps this file's imports small.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, type CommandHandlers, type CommandName } from './commandIds';
import { registerCommands } from './commandRegistry';
import { fixWithCometAction, QUICK_FIX_METADATA } from './fixWithCometAction';
import type { NativeChat } from './nativeChat';

/** The panel's side of Comet, built on first use. */
export interface Chat {
  commands: CommandHandlers;
  view: vscode.WebviewViewProvider;
  codeActions: vscode.CodeActionProvider;
}

/** What the chat bundle's `startComet` returns. */
export interface Comet extends NativeChat, vscode.Disposable {
  chat(): Promise<Chat>;
  /** Work that must finish before the extension host goes away (pending saves). */
  shutdown(): Promise<void>;
}

/** The chat bundle's exports (src/chat.ts). */
export interface ChatBundle {
  startComet(context: vscode.ExtensionContext): Comet;
}

/** The chat bundle's file, beside the entry bundle in dist/ (esbuild.mjs writes both). */
export const CHAT_BUNDLE = 'chat.js';

/** Performance marks around the first load of the chat bundle and the first listing of models for VS Code's chat; `npm run bench -- activation` reads them. */
export const MARK = {
  willLoad: 'comet/willLoadChatBundle',
  didLoad: 'comet/didLoadChatBundle',
  chatReady: 'comet/chatReady',
  willListModels: 'comet/willListModels',
  didListModels: 'comet/didListModels',
} as const;

export class LazyComet implements vscode.Disposable {
  private comet: Comet | undefined;
  private chat: Chat | undefined;
  private readonly didLoad = new vscode.EventEmitter<Comet>();
  /** The chat bundle was loaded and started, by whichever first use came first. */
  readonly onDidLoad = this.didLoad.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The chat bundle, loaded and started on the first call. */
  private loaded(): Comet {
    if (!this.comet) {
      performance.mark(MARK.willLoad);
      const bundle = require(path.join(__dirname, CHAT_BUNDLE)) as ChatBundle;
      performance.mark(MARK.didLoad);
      this.comet = bundle.startComet(this.context);
      this.didLoad.fire(this.comet);
    }
    return this.comet;
  }

  /** The store, session, view and commands, built on first use. */
  async whenChat(): Promise<Chat> {
    // One turn of the event loop first: a first use never runs inside activate() or VS Code's own call stack.
    await Promise.resolve();
    const chat = await this.loaded().chat();
    if (!this.chat) performance.mark(MARK.chatReady);
    this.chat = chat;
    return chat;
  }

  /** What VS Code's own chat needs: the provider and the participant, without the store or session. */
  async whenNativeChat(): Promise<NativeChat> {
    await Promise.resolve();
    return this.loaded();
  }

  view(): vscode.WebviewViewProvider {
    return { resolveWebviewView: async (...args) => (await this.whenChat()).view.resolveWebviewView(...args) };
  }

  registerCommands(): vscode.Disposable[] {
    const handlers = Object.fromEntries((Object.keys(COMMAND) as CommandName[]).map(name => [
      name,
      async (...args: unknown[]) => (await this.whenChat()).commands[name](...args),
    ])) as CommandHandlers;
    return registerCommands(handlers);
  }

  /** Until the chat is loaded there are no review findings, so every diagnostic gets only Fix with Comet. */
  registerCodeActions(): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider('*', {
      provideCodeActions: (document, range, context, token) =>
        this.chat ? this.chat.codeActions.provideCodeActions(document, range, context, token) : context.diagnostics.map(diagnostic => fixWithCometAction(document, diagnostic)),
    }, QUICK_FIX_METADATA);
  }

  /** Pending saves, when the chat was started. */
  async shutdown(): Promise<void> {
    await this.comet?.shutdown();
  }

  dispose(): void {
    this.didLoad.dispose();
    this.comet?.dispose();
  }
}
