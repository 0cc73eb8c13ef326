// Comet: Review Selection and Comet: Review File. The lines go to the model with a strict json_schema response
// format (falling back as src/core/review/reviewRequest.ts says), under a progress notification with Cancel; the
// findings become diagnostics. A cancelled review, a failed one, or one whose file changed meanwhile shows nothing.
import * as vscode from 'vscode';
import { placeFindings, type LineRange } from '../core/review/findingRanges';
import { requestReview, type ReviewResult } from '../core/review/reviewRequest';
import type { EditorSelection } from '../core/selectionContext';
import { MAX_SELECTION_CHARS } from '../core/selectionContext';
import { connectionFor, settingsProblemMessage } from '../core/settings';
import { createCompletionBackend } from '../llm/completionClient';
import type { CommandHandlers } from './commandIds';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';
import type { ReviewDiagnostics } from './reviewDiagnostics';

/** What a review command returns (to keybindings, other extensions and tests): the outcome and what the user was told. */
export interface ReviewOutcome {
  state: 'done' | 'failed' | 'cancelled';
  message: string;
  findings: number;
}

export function reviewCommands(config: CometConfig, keys: KeyStore, diagnostics: ReviewDiagnostics): Pick<CommandHandlers, 'reviewSelection' | 'reviewFile' | 'clearReview'> {
  return {
    reviewSelection: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) return tell('failed', vscode.l10n.t('select the code to review first.'));
      const { start, end } = editor.selection;
      // A selection that ends at column 0 of a line does not include that line.
      const endLine = end.character === 0 && end.line > start.line ? end.line : end.line + 1;
      return review(config, keys, diagnostics, editor.document, { startLine: start.line + 1, endLine });
    },
    reviewFile: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return tell('failed', vscode.l10n.t('open a file to review first.'));
      return review(config, keys, diagnostics, editor.document, { startLine: 1, endLine: editor.document.lineCount });
    },
    clearReview: () => diagnostics.clear(),
  };
}

async function review(config: CometConfig, keys: KeyStore, diagnostics: ReviewDiagnostics, document: vscode.TextDocument, wanted: LineRange): Promise<ReviewOutcome> {
  const settings = config.readSettings();
  if (!settings.ok) return tell('failed', settingsProblemMessage(settings.problems));
  const credentials = await keys.credentials(settings.settings.baseUrl, true);
  if (credentials.kind !== 'key' && credentials.kind !== 'none') return tell('failed', vscode.l10n.t('set an API key for {0} first (Comet: Set API Key).', credentials.origin));
  const apiKey = credentials.kind === 'key' ? credentials.apiKey : undefined;
  const { target, cut } = reviewTarget(document, wanted);
  const reviewed = { startLine: target.startLine, endLine: target.endLine };
  const version = document.version;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Comet: reviewing {0}:{1}-{2}…', target.path, target.startLine, target.endLine), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      const deps = { settings: settings.settings, apiKey, backend: createCompletionBackend(connectionFor(settings.settings, apiKey)) };
      return requestReview(target, deps, controller.signal).finally(() => listener.dispose());
    },
  );
  if (!result.ok) return result.cancelled ? { state: 'cancelled', message: result.message, findings: 0 } : tell('failed', result.message);
  if (document.version !== version) return tell('failed', vscode.l10n.t('the file changed during the review, so its line numbers no longer hold. Review it again.'));
  return show(diagnostics, document, reviewed, result, cut);
}

function show(diagnostics: ReviewDiagnostics, document: vscode.TextDocument, reviewed: LineRange, result: Extract<ReviewResult, { ok: true }>, cut: string): ReviewOutcome {
  const placed = placeFindings(result.findings, reviewed);
  diagnostics.set(document, reviewed, placed.findings);
  const count = placed.findings.length;
  const notes = [
    count > 1 ? vscode.l10n.t('{0} findings in the Problems panel', count) : count ? vscode.l10n.t('{0} finding in the Problems panel', count) : vscode.l10n.t('no problems found'),
    placed.outside.length > 1 ? vscode.l10n.t('{0} findings pointed outside lines {1}-{2} and were left out', placed.outside.length, reviewed.startLine, reviewed.endLine)
      : placed.outside.length ? vscode.l10n.t('{0} finding pointed outside lines {1}-{2} and was left out', placed.outside.length, reviewed.startLine, reviewed.endLine) : '',
    placed.conflictingFixes > 1 ? vscode.l10n.t('{0} fixes overlapped another and were dropped', placed.conflictingFixes)
      : placed.conflictingFixes ? vscode.l10n.t('{0} fix overlapped another and was dropped', placed.conflictingFixes) : '',
    cut,
  ].filter(Boolean);
  const message = `${notes.join('; ')}.`;
  if (placed.outside.length) void vscode.window.showWarningMessage(vscode.l10n.t('Comet: {0}', message));
  else void vscode.window.showInformationMessage(vscode.l10n.t('Comet: {0}', message));
  return { state: 'done', message, findings: count };
}

/** The lines to review, cut at a line boundary where they exceed the selection limit (the user is told). */
function reviewTarget(document: vscode.TextDocument, wanted: LineRange): { target: EditorSelection; cut: string } {
  const lines: string[] = [];
  let size = 0;
  let endLine = wanted.startLine - 1;
  for (let line = wanted.startLine; line <= wanted.endLine; line++) {
    const text = document.lineAt(line - 1).text;
    if (lines.length && size + text.length + 1 > MAX_SELECTION_CHARS) break;
    lines.push(text);
    size += text.length + 1;
    endLine = line;
  }
  const path = document.uri.scheme === 'untitled' ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  const cut = endLine < wanted.endLine ? vscode.l10n.t('only lines {0}-{1} of {0}-{2} were reviewed (size limit)', wanted.startLine, endLine, wanted.endLine) : '';
  return { target: { path, languageId: document.languageId, startLine: wanted.startLine, endLine, text: lines.join('\n') }, cut };
}

function tell(state: 'failed', message: string): ReviewOutcome {
  void vscode.window.showErrorMessage(vscode.l10n.t('Comet: {0}', message));
  return { state, message, findings: 0 };
}
