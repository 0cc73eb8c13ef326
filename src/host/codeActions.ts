// What a code block's buttons do in the editor. Apply opens VS Code's diff editor between the active file and the
// file with the block applied (to the selection, or the whole file); the user accepts or discards it from the diff's
// title bar, and nothing changes before that.
import * as vscode from 'vscode';
import type { CodeAction } from '../shared/protocol';
import type { CommandHandlers } from './commandIds';

const PROPOSED_SCHEME = 'comet-proposed';

// Fence names models use -> VS Code language ids.
const LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', py: 'python', sh: 'shellscript',
  bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript', yml: 'yaml', md: 'markdown', 'c++': 'cpp', cs: 'csharp',
  rs: 'rust', rb: 'ruby', kt: 'kotlin', golang: 'go', html: 'html', xml: 'xml', json: 'json', jsonc: 'jsonc',
};

interface Proposal {
  target: vscode.Uri;
  /** The document version the diff was computed from: accepting over later edits would undo them. */
  version: number;
  /** The range the block replaces (the selection, or the whole document). */
  range: vscode.Range;
  code: string;
  /** What replaces `range` (the code, with the line break it kept). */
  replacement: string;
  text: string;
}

export class CodeActions implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private counter = 0;

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  }

  /** Accept and Discard in the diff's title bar. */
  readonly commands: Pick<CommandHandlers, 'acceptProposedChange' | 'discardProposedChange'> = {
    acceptProposedChange: (uri?: unknown) => this.accept(uri instanceof vscode.Uri ? uri : undefined),
    discardProposedChange: (uri?: unknown) => this.discard(uri instanceof vscode.Uri ? uri : undefined),
  };

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.text ?? '';
  }

  async run(action: CodeAction, code: string, language: string): Promise<void> {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(code);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Comet: code copied'), 2000);
        return;
      case 'insert': {
        const editor = this.targetEditor();
        if (!editor) return;
        await editor.edit(edit => {
          for (const selection of editor.selections) edit.replace(selection, code);
        });
        return;
      }
      case 'new-file': {
        const document = await vscode.workspace.openTextDocument({ content: code, language: await languageId(language) });
        await vscode.window.showTextDocument(document);
        return;
      }
      case 'apply-diff':
        await this.proposeDiff(code);
        return;
    }
  }

  private targetEditor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find(e => e.document.uri.scheme !== PROPOSED_SCHEME);
    if (!editor) void vscode.window.showWarningMessage(vscode.l10n.t('Comet: open a file first; the code goes where its cursor is.'));
    return editor;
  }

  private async proposeDiff(code: string): Promise<void> {
    const editor = this.targetEditor();
    if (!editor) return;
    const { document, selection } = editor;
    const range = selection.isEmpty ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) : selection;
    await this.proposeReplacement(document, range, code);
  }

  /** Opens the diff of `document` with `range` replaced by `code`, to Accept or Discard (a review's multi-line fix). */
  async proposeReplacement(document: vscode.TextDocument, range: vscode.Range, code: string): Promise<void> {
    const before = document.getText(new vscode.Range(document.positionAt(0), range.start));
    const after = document.getText(new vscode.Range(range.end, document.positionAt(document.getText().length)));
    // A replaced selection that ended with a line break keeps it (models drop the final newline of a block).
    const keepNewline = document.getText(range).endsWith('\n') && !code.endsWith('\n');
    const replacement = code + (keepNewline ? '\n' : '');
    const text = before + replacement + after;
    const name = document.uri.path.split('/').pop() ?? 'file';
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${name}`, query: String(++this.counter) });
    this.proposals.set(uri.toString(), { target: document.uri, version: document.version, range, code, replacement, text });
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, vscode.l10n.t("{0} ↔ Comet's change (review, then Accept or Discard)", name));
  }

  private proposalFor(uri: vscode.Uri | undefined): [string, Proposal] | undefined {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const found = key ? this.proposals.get(key) : undefined;
    return key && found ? [key, found] : [...this.proposals.entries()].at(-1);
  }

  private async accept(uri?: vscode.Uri): Promise<void> {
    const found = this.proposalFor(uri);
    if (!found) return;
    const [key, proposal] = found;
    const document = await vscode.workspace.openTextDocument(proposal.target);
    if (document.version !== proposal.version) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Comet: the file changed after this diff was made, so accepting it would undo those changes. Use Apply on the code block again.'));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    // Only the proposed range (the version check above keeps it valid): the rest of the file, and the review
    // findings and markers on it, stay where they are.
    edit.replace(proposal.target, proposal.range, proposal.replacement);
    await vscode.workspace.applyEdit(edit);
    this.proposals.delete(key);
    await closeDiff(key);
  }

  private async discard(uri?: vscode.Uri): Promise<void> {
    const found = this.proposalFor(uri);
    if (!found) return;
    this.proposals.delete(found[0]);
    await closeDiff(found[0]);
  }
}

async function closeDiff(proposedUri: string): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposedUri) await vscode.window.tabGroups.close(tab);
    }
  }
}

async function languageId(fence: string): Promise<string> {
  const id = LANGUAGE_IDS[fence] ?? fence;
  return id && (await vscode.languages.getLanguages()).includes(id) ? id : 'plaintext';
}
