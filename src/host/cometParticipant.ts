// `@comet` in VS Code's chat. It answers with the model picked in the chat (`request.model`), Comet's or any other
// vendor's, with Comet's read-only workspace tools offered to it (./participantTools). `/explain` explains the editor
// selection or a #file reference with the panel's instruction and format; `/review` runs the Review feature on
// Comet's own endpoint (./participantReview).
import * as vscode from 'vscode';
import { formatSelectionContext, type EditorSelection } from '../core/selectionContext';
import { EXPLAIN_INSTRUCTION } from './commands';
import type { CometConfig } from './config';
import { currentSelection } from './editorSelection';
import type { KeyStore } from './keyStore';
import { reviewInChat } from './participantReview';
import { answerWithTools, type ParticipantTools } from './participantTools';
import type { ReviewDiagnostics } from './reviewDiagnostics';
import { createWorkspaceToolbox } from './workspaceTools';

export interface ParticipantDeps {
  config: CometConfig;
  keys: KeyStore;
  log: vscode.LogOutputChannel;
  reviewDiagnostics: ReviewDiagnostics;
}

/** Answers `@comet` requests (the participant is registered, lazily, by ./nativeChat in the entry bundle). */
export function participantHandler(deps: ParticipantDeps): vscode.ChatRequestHandler {
  return (request, context, stream, token) => handle(deps, request, context, stream, token);
}

async function handle(deps: ParticipantDeps, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  if (request.command === 'review') return reviewInChat({ config: deps.config, keys: deps.keys, diagnostics: deps.reviewDiagnostics }, request, stream, token);
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
    await answerWithTools(request.model, messages, workspaceTools(deps), stream, token);
  } catch (error) {
    if (token.isCancellationRequested) return {};
    return { errorDetails: { message: error instanceof Error ? error.message : String(error) } };
  }
  return {};
}

/** Comet's tools where the settings want them and the workspace allows them (trusted, with a folder). */
function workspaceTools(deps: ParticipantDeps): ParticipantTools | undefined {
  const settings = deps.config.readSettings();
  if (!settings.ok || !settings.settings.tools.enabled) return undefined;
  const toolbox = createWorkspaceToolbox(settings.settings, deps.log);
  return toolbox && { toolbox, settings: settings.settings };
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
