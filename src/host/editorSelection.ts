// Reads the active editor's selection into the plain shape the core formats for the model.
import * as vscode from 'vscode';
import type { EditorSelection } from '../core/selectionContext';

export function currentSelection(editor = vscode.window.activeTextEditor): EditorSelection | undefined {
  if (!editor || editor.selection.isEmpty) return undefined;
  const { document, selection } = editor;
  // A selection that ends at column 0 of a line does not include that line.
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    path: document.uri.scheme === 'untitled' ? document.uri.path : vscode.workspace.asRelativePath(document.uri),
    languageId: document.languageId,
    startLine: selection.start.line + 1,
    endLine: lastLine + 1,
    text: document.getText(selection),
  };
}
