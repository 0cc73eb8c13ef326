// "Fix with Comet" on one diagnostic of any language: a quick fix whose command asks the chat about the problem.
// Apart from ./reviewCodeActions so that the small entry bundle offers it before the chat bundle is loaded.
import * as vscode from 'vscode';
import { COMMAND } from './commandIds';

/** A diagnostic as a command argument: plain data, so it survives the trip through a code action. */
export interface ProblemArgument {
  uri: string;
  startLine: number;
  endLine: number;
  message: string;
  source?: string;
  code?: string;
}

export const QUICK_FIX_METADATA: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

export function quickFix(title: string, diagnostic: vscode.Diagnostic, command?: vscode.Command): vscode.CodeAction {
  const codeAction = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  codeAction.diagnostics = [diagnostic];
  if (command) codeAction.command = command;
  return codeAction;
}

export function fixWithCometAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  return quickFix(vscode.l10n.t('Fix with Comet'), diagnostic, { command: COMMAND.fixWithComet, title: vscode.l10n.t('Fix with Comet'), arguments: [problemArgument(document, diagnostic)] });
}

function problemArgument(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): ProblemArgument {
  const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : diagnostic.code === undefined ? undefined : String(diagnostic.code);
  return { uri: document.uri.toString(), startLine: diagnostic.range.start.line + 1, endLine: diagnostic.range.end.line + 1, message: diagnostic.message, source: diagnostic.source, code };
}
