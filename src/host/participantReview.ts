// `@comet /review`: the Review feature in VS Code's chat. It reviews the editor selection (or a #file reference) with
// Comet's own client and endpoint, because a review needs structured output (a JSON schema response format), which
// VS Code's language model API does not carry; the findings go to the Problems panel as Comet: Review Selection puts
// them, and the chat shows a summary. A Comet model picked in the chat is used; with another vendor's, the chat says
// plainly which endpoint and model review instead.
import * as vscode from 'vscode';
import type { LineRange } from '../core/review/findingRanges';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';
import { NATIVE_VENDOR } from './commandIds';
import { runReview, selectedLines } from './reviewCommands';
import type { ReviewDiagnostics } from './reviewDiagnostics';
import { hostOf } from '../core/credentials';

export interface ReviewTarget {
  document: vscode.TextDocument;
  lines: LineRange;
}

export interface ParticipantReviewDeps {
  config: CometConfig;
  keys: KeyStore;
  diagnostics: ReviewDiagnostics;
}

export async function reviewInChat(deps: ParticipantReviewDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const target = (await referencedTarget(request.references)) ?? selectionTarget();
  if (!target) {
    stream.markdown(vscode.l10n.t('Select some code in the editor, or add a file with `#file`, then ask `@comet /review` again.'));
    return {};
  }
  const settings = deps.config.readSettings();
  const ownModel = request.model.vendor === NATIVE_VENDOR;
  if (settings.ok && !ownModel) {
    const host = hostOf(settings.settings.baseUrl);
    stream.markdown(`_${vscode.l10n.t("The review runs on Comet's endpoint ({0}) with the model **{1}** (comet.model), not with {2}: a review needs structured output, which VS Code's language model API does not carry.", host, settings.settings.model, request.model.name)}_\n\n`);
  }
  const report = await runReview(deps.config, deps.keys, deps.diagnostics, target.document, target.lines, async (title, work) => {
    stream.progress(title.replace(/^Comet: /, ''));
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal);
    } finally {
      listener.dispose();
    }
  }, ownModel ? request.model.id : undefined);
  if (report.state === 'cancelled') return {};
  if (report.state === 'failed') return { errorDetails: { message: `Comet: ${report.message}` } };
  const where = report.target ? vscode.l10n.t('`{0}` lines {1}-{2}', report.target.path, report.target.startLine, report.target.endLine) : vscode.l10n.t('the code');
  const lines = report.placed.map(finding => {
    const at = finding.startLine === finding.endLine ? vscode.l10n.t('line {0}', finding.startLine) : vscode.l10n.t('lines {0}-{1}', finding.startLine, finding.endLine);
    return `- **${finding.severity}** (${at}): ${finding.message}${finding.replacement !== null ? ` _${vscode.l10n.t('(quick fix in the Problems panel)')}_` : ''}`;
  });
  stream.markdown(`${vscode.l10n.t('Reviewed {0} with {1}: {2}', where, report.target?.model ?? 'Comet', report.message)}${lines.length ? `\n\n${lines.join('\n')}` : ''}`);
  if (report.findings) stream.button({ command: 'workbench.actions.view.problems', title: vscode.l10n.t('Show Problems') });
  return {};
}

function selectionTarget(): ReviewTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  return { document: editor.document, lines: selectedLines(editor.selection) };
}

/** The first #file (or a range in one) the user attached. */
async function referencedTarget(references: readonly vscode.ChatPromptReference[]): Promise<ReviewTarget | undefined> {
  for (const reference of references) {
    const value = reference.value;
    const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
    if (!uri) continue;
    const document = await vscode.workspace.openTextDocument(uri);
    const lines = value instanceof vscode.Location ? selectedLines(value.range) : { startLine: 1, endLine: document.lineCount };
    return { document, lines };
  }
  return undefined;
}
