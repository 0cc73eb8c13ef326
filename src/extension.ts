// The composition root of the entry bundle (dist/extension.js): registers with VS Code what must exist from
// activation on, each with a handler that loads the chat bundle (dist/chat.js, composed in src/chat.ts) on first use.
// Behaviour lives in the modules: core/ (no vscode) decides, llm/ talks to the endpoint, node/ touches the disk,
// host/ adapts VS Code.
import * as vscode from 'vscode';
import { CHAT_VIEW_ID } from './host/commandIds';
import { LazyComet } from './host/lazyComet';
import { registerNativeChat } from './host/nativeChat';

let comet: LazyComet | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const lazy = (comet = new LazyComet(context));
  context.subscriptions.push(
    lazy,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, lazy.view()),
    ...lazy.registerCommands(),
    lazy.registerCodeActions(),
    ...registerNativeChat(lazy, context.extensionUri, context),
  );
}

export async function deactivate(): Promise<void> {
  await comet?.shutdown();
}
