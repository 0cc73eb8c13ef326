// `@comet` in VS Code's chat. It answers with the model picked in the chat (`request.model`), Comet's or any other
// vendor's; `/explain` explains the editor selection or a #file reference with the panel's instruction and format.
import * as vscode from 'vscode';
import { formatSelectionContext, type EditorSelection } from '../core/selectionContext';
import { EXPLAIN_INSTRUCTION } from './commands';
import { currentSelection } from './editorSelection';

export const PARTICIPANT_ID = 'comet.participant';

export function registerCometParticipant(extensionUri: vscode.Uri): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handle);
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  return participant;
}

async function handle(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  let prompt = request.prompt;
  if (request.command === 'explain') {
    const code = (await referencedCode(request.references)) ?? currentSelection();
    if (!code) {
      stream.markdown(vscode.l10n.t('Select some code in the editor, or add a file with `#file`, then ask `@comet /explain` again.'));
      return {};
    }
    prompt = `${EXPLAIN_INSTRUCTION}${request.prompt ? `\n\n${request.prompt}` : ''}\n\n${formatSelectionContext(code).prompt}`;
  }
  const messages = [...history(context), vscode.LanguageModelChatMessage.User(prompt)];
  try {
    const response = await request.model.sendRequest(messages, {}, token);
    for await (const piece of response.text) stream.markdown(piece);
  } catch (error) {
    if (token.isCancellationRequested) return {};
    return { errorDetails: { message: error instanceof Error ? error.message : String(error) } };
  }
  return {};
}

/** The earlier turns with @comet, as plain user and assistant messages. */
function history(context: vscode.ChatContext): vscode.LanguageModelChatMessage[] {
  return context.history.map(turn => turn instanceof vscode.ChatRequestTurn
    ? vscode.LanguageModelChatMessage.User(turn.prompt)
    : vscode.LanguageModelChatMessage.Assistant(turn.response.map(part => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('')));
}

/** The first #file (or a range in one) the user attached, as a selection of its text. */
async function referencedCode(references: readonly vscode.ChatPromptReference[]): Promise<EditorSelection | undefined> {
  for (const reference of references) {
    const value = reference.value;
    const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
    if (!uri) continue;
    const document = await vscode.workspace.openTextDocument(uri);
    const range = value instanceof vscode.Location ? value.range : new vscode.Range(0, 0, document.lineCount, 0);
    return {
      path: vscode.workspace.asRelativePath(uri),
      languageId: document.languageId,
      startLine: range.start.line + 1,
      endLine: Math.min(range.end.line + 1, document.lineCount),
      text: document.getText(range),
    };
  }
  return undefined;
}
