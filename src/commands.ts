// The command palette and context menu entry points. Each command is a thin shell over the chat session.
import * as vscode from 'vscode';
import type { ChatSession } from './core/chatSession';
import type { CometConfig } from './config';
import { currentSelection } from './host/editorSelection';
import { CHAT_VIEW_ID } from './host/chatViewProvider';

export const EXPLAIN_INSTRUCTION = 'Explain what the selected code does, how it works, and anything surprising in it.';

async function revealChat(): Promise<void> {
  await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
}

export function registerCommands(session: ChatSession, config: CometConfig): vscode.Disposable[] {
  return [
    // With a string argument it asks directly (keybindings, other extensions, tests); otherwise it prompts.
    vscode.commands.registerCommand('comet.ask', async (question?: unknown) => {
      const selection = currentSelection();
      const text =
        typeof question === 'string' && question.trim()
          ? question.trim()
          : await vscode.window.showInputBox({
              title: 'Ask Comet',
              prompt: selection ? `The selection (${selection.path}:${selection.startLine}-${selection.endLine}) goes along.` : undefined,
              placeHolder: 'Ask a question',
              ignoreFocusOut: true,
            });
      if (!text?.trim()) return;
      await revealChat();
      await session.ask({ text: text.trim(), selection });
    }),
    vscode.commands.registerCommand('comet.explainSelection', async () => {
      const selection = currentSelection();
      if (!selection) {
        void vscode.window.showInformationMessage('Comet: select some code to explain first.');
        return;
      }
      await revealChat();
      await session.ask({ text: EXPLAIN_INSTRUCTION, selection });
    }),
    vscode.commands.registerCommand('comet.newChat', async () => {
      await revealChat();
      await session.newChat();
    }),
    vscode.commands.registerCommand('comet.stop', () => session.stop()),
    vscode.commands.registerCommand('comet.setApiKey', async (key?: unknown) => {
      const value =
        typeof key === 'string'
          ? key
          : await vscode.window.showInputBox({
              title: 'Comet: Set API Key',
              prompt: 'Your CometAPI key (or the key of your OpenAI-compatible endpoint). Stored in VS Code SecretStorage.',
              password: true,
              ignoreFocusOut: true,
              validateInput: input => (input.trim() ? undefined : 'The key cannot be empty'),
            });
      if (!value?.trim()) return;
      await config.setApiKey(value);
      void vscode.window.showInformationMessage('Comet: API key saved in SecretStorage.');
    }),
    vscode.commands.registerCommand('comet.clearApiKey', async () => {
      await config.clearApiKey();
      void vscode.window.showInformationMessage('Comet: API key removed.');
    }),
  ];
}
