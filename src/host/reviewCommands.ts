// Comet: Review Selection and Comet: Review File. The lines go to the model with a strict json_schema response
// format (falling back as src/core/review/reviewRequest.ts says), under a progress notification with Cancel; the
// findings become diagnostics. A cancelled review, a failed one, or one whose file changed meanwhile shows nothing.
import * as vscode from 'vscode';
import { placeFindings, type LineRange } from '../core/review/findingRanges';
import type { Finding } from '../core/review/findingSchema';
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
      return review(config, keys, diagnostics, editor.document, selectedLines(editor.selection));
    },
    reviewFile: async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return tell('failed', vscode.l10n.t('open a file to review first.'));
      return review(config, keys, diagnostics, editor.document, { startLine: 1, endLine: editor.document.lineCount });
    },
    clearReview: () => diagnostics.clear(),
  };
}

/** The 1-based lines a selection covers; one that ends at column 0 of a line does not include that line. */
export function selectedLines(selection: vscode.Range): LineRange {
  const { start, end } = selection;
  return { startLine: start.line + 1, endLine: end.character === 0 && end.line > start.line ? end.line : end.line + 1 };
}

/** A review's result before anyone is told: for the commands' notifications and for `@comet /review` in VS Code's chat. */
export interface ReviewReport extends ReviewOutcome {
  /** The findings placed in the Problems panel. */
  placed: Finding[];
  /** The file, the lines and the model reviewed, once the review ran. */
  target?: { path: string; startLine: number; endLine: number; model: string };
  /** Findings left out or fixes dropped: worth a warning rather than a plain note. */
  warn?: boolean;
}

/** How the review is shown while it runs: the commands' progress notification, or the chat's progress line. */
export type ReviewProgress = (title: string, work: (signal: AbortSignal) => Promise<ReviewResult>) => Thenable<ReviewResult>;

/** Reviews the lines of the document with Comet's own client and endpoint (structured output), and puts the findings
 *  in the Problems panel. Tells nobody: the caller words the outcome. */
export async function runReview(
  config: CometConfig,
  keys: KeyStore,
  diagnostics: ReviewDiagnostics,
  document: vscode.TextDocument,
  wanted: LineRange,
  during: ReviewProgress,
  /** Another of the endpoint's models than comet.model (the Comet model picked in VS Code's chat). */
  model?: string,
): Promise<ReviewReport> {
  const read = config.readSettings();
  if (!read.ok) return failed(settingsProblemMessage(read.problems));
  const settings = { ok: true as const, settings: model ? { ...read.settings, model } : read.settings };
  const credentials = await keys.credentials(settings.settings.baseUrl, true);
  if (credentials.kind !== 'key' && credentials.kind !== 'none') return failed(vscode.l10n.t('set an API key for {0} first (Comet: Set API Key).', credentials.origin));
  const apiKey = credentials.kind === 'key' ? credentials.apiKey : undefined;
  const { target, cut } = reviewTarget(document, wanted);
  const reviewed = { startLine: target.startLine, endLine: target.endLine };
  const version = document.version;
  const result = await during(vscode.l10n.t('Comet: reviewing {0}:{1}-{2}…', target.path, target.startLine, target.endLine), signal => {
    const deps = { settings: settings.settings, apiKey, backend: createCompletionBackend(connectionFor(settings.settings, apiKey)) };
    return requestReview(target, deps, signal);
  });
  if (!result.ok) return result.cancelled ? { state: 'cancelled', message: result.message, findings: 0, placed: [] } : failed(result.message);
  if (document.version !== version) return failed(vscode.l10n.t('the file changed during the review, so its line numbers no longer hold. Review it again.'));
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
  return {
    state: 'done',
    message: `${notes.join('; ')}.`,
    findings: count,
    placed: placed.findings,
    target: { path: target.path, ...reviewed, model: settings.settings.model },
    warn: placed.outside.length > 0,
  };
}

async function review(config: CometConfig, keys: KeyStore, diagnostics: ReviewDiagnostics, document: vscode.TextDocument, wanted: LineRange): Promise<ReviewOutcome> {
  const report = await runReview(config, keys, diagnostics, document, wanted, (title, work) => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal).finally(() => listener.dispose());
    },
  ));
  const { state, message, findings } = report;
  if (state === 'failed') return tell('failed', message);
  if (state === 'done') {
    if (report.warn) void vscode.window.showWarningMessage(vscode.l10n.t('Comet: {0}', message));
    else void vscode.window.showInformationMessage(vscode.l10n.t('Comet: {0}', message));
  }
  return { state, message, findings };
}

function failed(message: string): ReviewReport {
  return { state: 'failed', message, findings: 0, placed: [] };
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
