// The quick fixes: on Comet's own findings "Apply Comet's fix" (at once for one line, through a diff to Accept or
// Discard for more) and "Ask Comet about this"; on any diagnostic of any language "Fix with Comet", which asks the
// chat with the problem, the code around it and the file's path.
import * as vscode from 'vscode';
import type { ChatSession } from '../core/chatSession';
import { fenceFor, type EditorSelection } from '../core/selectionContext';
import type { CodeActions } from './codeActions';
import { COMMAND, FOCUS_CHAT_COMMAND, type CommandHandlers } from './commandIds';
import { fixWithCometAction, quickFix as action, type ProblemArgument } from './fixWithCometAction';
import { REVIEW_SOURCE, type ReviewDiagnostics, type TrackedFinding } from './reviewDiagnostics';

/** Lines of code sent on each side of a diagnostic by Fix with Comet. */
const CONTEXT_LINES = 5;

/** Registered (lazily) by ./lazyComet, which offers Fix with Comet itself until the chat is loaded. */
export class ReviewCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly diagnostics: ReviewDiagnostics, private readonly session: ChatSession, private readonly diffs: CodeActions) {}

  readonly commands: Pick<CommandHandlers, 'applyReviewFix' | 'askAboutFinding' | 'fixWithComet'> = {
    applyReviewFix: (uri?: unknown, id?: unknown) => this.applyFix(String(uri), String(id)),
    askAboutFinding: (uri?: unknown, id?: unknown) => this.askAbout(String(uri), String(id)),
    fixWithComet: (problem?: unknown) => this.fixWithComet(problem as ProblemArgument),
  };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap(diagnostic => {
      const finding = this.diagnostics.findingFor(document.uri, diagnostic);
      if (finding) return this.findingActions(document, finding, diagnostic);
      if (diagnostic.source === REVIEW_SOURCE) return [];
      return [fixWithCometAction(document, diagnostic)];
    });
  }

  private findingActions(document: vscode.TextDocument, finding: TrackedFinding, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const uri = document.uri.toString();
    const ask = action(vscode.l10n.t('Ask Comet about this'), diagnostic, { command: COMMAND.askAboutFinding, title: vscode.l10n.t('Ask Comet about this'), arguments: [uri, finding.id] });
    if (finding.replacement === null) return [ask];
    const apply = action(vscode.l10n.t("Apply Comet's fix"), diagnostic);
    apply.isPreferred = true;
    // One line changes at once (and undoes as one edit); more go through a diff the user accepts or discards.
    if (spansOneLine(finding)) apply.edit = fixEdit(document, finding);
    else apply.command = { command: COMMAND.applyReviewFix, title: vscode.l10n.t("Apply Comet's fix"), arguments: [uri, finding.id] };
    return [apply, ask];
  }

  private async applyFix(uri: string, id: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const finding = this.diagnostics.byId(document.uri, id);
    if (!finding || finding.replacement === null || finding.endLine > document.lineCount) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Comet: that finding is gone (its lines were edited). Review the code again.'));
      return;
    }
    if (spansOneLine(finding)) {
      await vscode.workspace.applyEdit(fixEdit(document, finding));
      return;
    }
    await this.diffs.proposeReplacement(document, findingRange(document, finding), finding.replacement);
  }

  private async askAbout(uri: string, id: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const finding = this.diagnostics.byId(document.uri, id);
    if (!finding) return;
    const fix = finding.replacement === null ? '' : `\n\nThe suggested replacement for those lines:\n${fence(finding.replacement)}`;
    const where = finding.startLine === finding.endLine ? `line ${finding.startLine}` : `lines ${finding.startLine}-${finding.endLine}`;
    const text = `Comet's review flagged ${where} (${finding.severity}): ${finding.message}\nExplain the problem and how to fix it.${fix}`;
    await vscode.commands.executeCommand(FOCUS_CHAT_COMMAND);
    await this.session.ask({ text, selection: linesOf(document, finding.startLine, finding.endLine) });
  }

  private async fixWithComet(problem: ProblemArgument): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(problem.uri));
    const from = Math.max(1, problem.startLine - CONTEXT_LINES);
    const to = Math.min(document.lineCount, problem.endLine + CONTEXT_LINES);
    const where = problem.startLine === problem.endLine ? `line ${problem.startLine}` : `lines ${problem.startLine}-${problem.endLine}`;
    const by = [problem.source, problem.code].filter(Boolean).join(' ');
    const text = `Fix this problem at ${where}${by ? ` (reported by ${by})` : ''}: ${problem.message}`;
    await vscode.commands.executeCommand(FOCUS_CHAT_COMMAND);
    await this.session.ask({ text, selection: linesOf(document, from, to) });
  }
}

function spansOneLine(finding: TrackedFinding): boolean {
  return finding.startLine === finding.endLine && !(finding.replacement ?? '').replace(/\r?\n$/, '').includes('\n');
}

/** Whole lines startLine..endLine, without the last line break (the replacement is the text of those lines). */
function findingRange(document: vscode.TextDocument, finding: TrackedFinding): vscode.Range {
  return new vscode.Range(finding.startLine - 1, 0, finding.endLine - 1, document.lineAt(finding.endLine - 1).text.length);
}

function fixEdit(document: vscode.TextDocument, finding: TrackedFinding): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, findingRange(document, finding), (finding.replacement ?? '').replace(/\r?\n$/, ''));
  return edit;
}

function linesOf(document: vscode.TextDocument, startLine: number, endLine: number): EditorSelection {
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, document.lineAt(endLine - 1).text.length);
  const path = document.uri.scheme === 'untitled' ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  return { path, languageId: document.languageId, startLine, endLine, text: document.getText(range) };
}

function fence(text: string): string {
  const marks = fenceFor(text);
  return `${marks}\n${text}\n${marks}`;
}
