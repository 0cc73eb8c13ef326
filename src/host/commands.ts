// The command palette and context menu entry points of the chat. Each command is a thin shell over the chat session.
import * as vscode from 'vscode';
import type { ChatSession, Question } from '../core/chatSession';
import { FOCUS_CHAT_COMMAND, type CommandHandlers } from './commandIds';
import { currentSelection } from './editorSelection';

export const EXPLAIN_INSTRUCTION = 'Explain what the selected code does, how it works, and anything surprising in it.';

type ChatCommandName = 'ask' | 'explainSelection' | 'newChat' | 'stop' | 'switchConversation' | 'renameConversation'
  | 'deleteConversation' | 'exportConversation';

async function revealChat(): Promise<void> {
  await vscode.commands.executeCommand(FOCUS_CHAT_COMMAND);
}

/** Shows the chat and asks at once: the question does not wait for the workbench to have shown it (a round trip),
 *  since what is posted before the view is ready reaches it all the same (ChatViewChannel). The answer's failure is
 *  the one reported, and the command ends when the answer does, whichever fails first. */
async function askInChat(session: ChatSession, question: Question): Promise<void> {
  const [shown, asked] = await Promise.allSettled([revealChat(), session.ask(question)]);
  if (asked.status === 'rejected') throw asked.reason;
  if (shown.status === 'rejected') throw shown.reason;
}

async function pickConversation(session: ChatSession, title: string): Promise<string | undefined> {
  const items = (await session.conversations.summaries()).map(c => ({
    id: c.id,
    label: c.title,
    description: c.id === session.conversation.id ? vscode.l10n.t('open') : new Date(c.updatedAt).toLocaleString(),
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Conversations, newest first') }))?.id;
}

export function chatCommands(session: ChatSession): Pick<CommandHandlers, ChatCommandName> {
  return { ...askCommands(session), ...conversationCommands(session) };
}

function askCommands(session: ChatSession): Pick<CommandHandlers, 'ask' | 'explainSelection' | 'stop'> {
  return {
    // With a string argument it asks directly (keybindings, other extensions, tests); otherwise it prompts.
    ask: async (question?: unknown) => {
      const selection = currentSelection();
      const text =
        typeof question === 'string' && question.trim()
          ? question.trim()
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Ask Comet'),
              prompt: selection ? vscode.l10n.t('The selection ({0}:{1}-{2}) goes along.', selection.path, selection.startLine, selection.endLine) : undefined,
              placeHolder: vscode.l10n.t('Ask a question'),
              ignoreFocusOut: true,
            });
      if (!text?.trim()) return;
      await askInChat(session, { text: text.trim(), selection });
    },
    explainSelection: async () => {
      const selection = currentSelection();
      if (!selection) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Comet: select some code to explain first.'));
        return;
      }
      await askInChat(session, { text: EXPLAIN_INSTRUCTION, selection });
    },
    stop: () => session.stop(),
  };
}

function conversationCommands(session: ChatSession): Pick<CommandHandlers, 'newChat' | 'switchConversation' | 'renameConversation' | 'deleteConversation' | 'exportConversation'> {
  const list = session.conversations;
  return {
    newChat: async () => {
      await revealChat();
      await list.newChat();
    },
    switchConversation: async (id?: unknown) => {
      const target = typeof id === 'string' ? id : await pickConversation(session, vscode.l10n.t('Switch to conversation'));
      if (!target) return;
      await revealChat();
      await list.switchTo(target);
    },
    renameConversation: async (title?: unknown) => {
      const value = typeof title === 'string' ? title : await vscode.window.showInputBox({ title: vscode.l10n.t('Rename conversation'), value: session.conversation.title });
      if (value?.trim()) await list.rename(session.conversation.id, value);
    },
    deleteConversation: async (options?: unknown) => {
      const confirm = !(typeof options === 'object' && options !== null && (options as { confirm?: unknown }).confirm === false);
      if (confirm) {
        const remove = vscode.l10n.t('Delete');
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Delete "{0}"?', session.conversation.title), { modal: true }, remove);
        if (answer !== remove) return;
      }
      await list.remove(session.conversation.id);
    },
    exportConversation: async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: list.exportMarkdown() });
      await vscode.window.showTextDocument(document);
      return document.uri;
    },
  };
}
