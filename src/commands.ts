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

async function pickConversation(session: ChatSession, title: string): Promise<{ id: string } | undefined> {
  const items = (await session.conversationList()).map(c => ({
    id: c.id,
    label: c.title,
    description: c.id === session.conversation.id ? 'open' : new Date(c.updatedAt).toLocaleString(),
  }));
  return vscode.window.showQuickPick(items, { title, placeHolder: 'Conversations, newest first' });
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
    vscode.commands.registerCommand('comet.switchConversation', async (id?: unknown) => {
      const target = typeof id === 'string' ? id : (await pickConversation(session, 'Switch to conversation'))?.id;
      if (!target) return;
      await revealChat();
      await session.switchTo(target);
    }),
    vscode.commands.registerCommand('comet.renameConversation', async (title?: unknown) => {
      const value = typeof title === 'string' ? title : await vscode.window.showInputBox({ title: 'Rename conversation', value: session.conversation.title });
      if (value?.trim()) await session.rename(session.conversation.id, value);
    }),
    vscode.commands.registerCommand('comet.deleteConversation', async (options?: { confirm?: boolean }) => {
      if (options?.confirm !== false) {
        const answer = await vscode.window.showWarningMessage(`Delete "${session.conversation.title}"?`, { modal: true }, 'Delete');
        if (answer !== 'Delete') return;
      }
      await session.remove(session.conversation.id);
    }),
    vscode.commands.registerCommand('comet.exportConversation', async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: session.exportMarkdown() });
      await vscode.window.showTextDocument(document);
      return document.uri;
    }),
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
