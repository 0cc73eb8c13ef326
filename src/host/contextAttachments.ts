// Attaching context to the next question on purpose: the active file or other workspace files, the problems of the
// file or of the workspace, and the uncommitted changes (VS Code's git extension, or the `git` program where that is
// absent or has not found the repository). Each shows as a removable chip in the composer; the text waits here until
// the question is sent. The tools' path policy and deny list apply: no file outside the workspace, no secret file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatChanges, formatFileAttachment, formatProblems, type FormattedAttachment, type ProblemInfo } from '../core/contextAttachments';
import { PathPolicy, ToolError } from '../core/tools/toolbox';
import { gitDiffs } from '../node/gitChanges';
import type { HostToWebview } from '../shared/protocol';
import type { CommandHandlers } from './commandIds';
import type { CometConfig } from './config';
import { gitExtensionDiffs } from './gitExtension';
import { VsCodeWorkspace } from './vscodeWorkspace';

const SEVERITY: Record<vscode.DiagnosticSeverity, ProblemInfo['severity']> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };

export class ContextAttachments {
  private readonly pending = new Map<string, FormattedAttachment>();
  private counter = 0;

  constructor(private readonly config: CometConfig, private readonly post: (message: HostToWebview) => void, private readonly reveal: () => Thenable<unknown>) {}

  readonly commands: Pick<CommandHandlers, 'attachContext' | 'attachFile' | 'attachProblems' | 'attachChanges'> = {
    attachContext: () => this.pick(),
    attachFile: (uri?: unknown) => this.attachFile(uri instanceof vscode.Uri ? uri : undefined),
    attachProblems: (scope?: unknown) => this.attachProblems(scope === 'workspace' ? 'workspace' : 'file'),
    attachChanges: (uri?: unknown) => this.attachChanges(uri instanceof vscode.Uri ? uri : undefined),
  };

  /** A chip's × in the composer. */
  remove(id: string): void {
    this.pending.delete(id);
  }

  /** The chips of what waits for the next question, for a panel whose page was built anew (hidden, then shown). */
  chips(): HostToWebview[] {
    return [...this.pending].map(([id, attachment]) => chipMessage(id, attachment));
  }

  /** The blocks of the chips the composer sent with a question, in order; everything pending is then dropped. */
  take(ids: readonly string[]): string[] {
    const prompts = ids.flatMap(id => this.pending.get(id)?.prompt ?? []);
    this.pending.clear();
    return prompts;
  }

  private async pick(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    type Item = vscode.QuickPickItem & { run: () => Promise<void> };
    const items: Item[] = [
      ...(active && active.uri.scheme === 'file' ? [{ label: vscode.l10n.t('$(file) Active file'), description: vscode.workspace.asRelativePath(active.uri), run: () => this.attachFile(active.uri) }] : []),
      { label: vscode.l10n.t('$(files) Files…'), description: vscode.l10n.t('from the workspace'), run: () => this.attachFile() },
      ...(active ? [{ label: vscode.l10n.t('$(warning) Problems in this file'), run: () => this.attachProblems('file') }] : []),
      { label: vscode.l10n.t('$(warning) Problems in the workspace'), run: () => this.attachProblems('workspace') },
      { label: vscode.l10n.t('$(git-compare) Uncommitted changes'), run: () => this.attachChanges() },
    ];
    const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Comet: Attach Context'), placeHolder: vscode.l10n.t('What goes along with the next question') });
    await choice?.run();
  }

  private async attachFile(uri?: vscode.Uri): Promise<void> {
    const policy = this.policy();
    const targets = uri ? [uri] : await this.pickFiles(policy);
    for (const target of targets) {
      const relative = vscode.workspace.asRelativePath(target, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      try {
        if (!vscode.workspace.getWorkspaceFolder(target)) throw new ToolError(vscode.l10n.t('only files in the workspace folders can be attached.'));
        await policy.resolve(relative);
        const document = await vscode.workspace.openTextDocument(target);
        await this.add(formatFileAttachment({ path: relative, languageId: document.languageId, text: document.getText() }));
      } catch (error) {
        const reason = error instanceof ToolError ? error.message.replace('by tools', 'by Comet') : vscode.l10n.t('it could not be read ({0})', error instanceof Error ? error.message : String(error));
        this.post({ type: 'composerNotice', message: vscode.l10n.t('{0} was not attached: {1}', relative, reason) });
        await this.reveal();
      }
    }
  }

  private async pickFiles(policy: PathPolicy): Promise<vscode.Uri[]> {
    const isHidden = await policy.hiddenTest();
    const files = (await vscode.workspace.findFiles('**/*', '**/node_modules/**', 5000))
      .map(uri => ({ uri, label: vscode.workspace.asRelativePath(uri) }))
      .filter(item => !isHidden(item.label))
      .sort((a, b) => a.label.localeCompare(b.label));
    const picked = await vscode.window.showQuickPick(files, { title: vscode.l10n.t('Comet: Attach Files'), placeHolder: vscode.l10n.t('Files to send with the next question'), canPickMany: true });
    return (picked ?? []).map(item => item.uri);
  }

  private async attachProblems(scope: 'file' | 'workspace'): Promise<void> {
    const isHidden = await this.policy().hiddenTest();
    const active = vscode.window.activeTextEditor?.document.uri;
    if (scope === 'file' && !active) return void vscode.window.showInformationMessage(vscode.l10n.t('Comet: open a file to attach its problems.'));
    const all: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = scope === 'file' && active ? [[active, vscode.languages.getDiagnostics(active)]] : vscode.languages.getDiagnostics();
    const problems = all.flatMap(([uri, diagnostics]) => {
      const relative = vscode.workspace.asRelativePath(uri);
      if (path.isAbsolute(relative) || isHidden(relative)) return [];
      return diagnostics.map(d => ({
        path: relative,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: SEVERITY[d.severity],
        message: d.message,
        source: d.source,
        code: typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code),
      }));
    });
    await this.add(formatProblems(problems, scope === 'file' && active ? vscode.workspace.asRelativePath(active) : 'the workspace'));
  }

  private async attachChanges(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!target || target.scheme !== 'file') return void vscode.window.showInformationMessage(vscode.l10n.t('Comet: open a folder in a git repository first.'));
    const fromExtension = await gitExtensionDiffs(target);
    const folder = (await vscode.workspace.fs.stat(target)).type & vscode.FileType.Directory ? target.fsPath : path.dirname(target.fsPath);
    const diffs = fromExtension ?? (await gitDiffs(folder));
    if (!diffs) return void vscode.window.showInformationMessage(vscode.l10n.t('Comet: {0} is not in a git repository.', vscode.workspace.asRelativePath(target)));
    const isHidden = await this.policy().hiddenTest();
    // Diff paths are relative to the repository; the deny list is read against the workspace-relative path too.
    const isDenied = (file: string) => isHidden(file) || isHidden(vscode.workspace.asRelativePath(vscode.Uri.file(path.join(diffs.root, file))));
    await this.add(formatChanges({ repository: path.basename(diffs.root), staged: diffs.staged, unstaged: diffs.unstaged }, isDenied));
  }

  private async add(attachment: FormattedAttachment): Promise<void> {
    const id = `ctx-${++this.counter}`;
    this.pending.set(id, attachment);
    await this.reveal();
    this.post(chipMessage(id, attachment));
  }

  private policy(): PathPolicy {
    const settings = this.config.readSettings();
    return new PathPolicy(new VsCodeWorkspace(undefined), settings.ok ? settings.settings.tools.extraDeniedFiles : []);
  }
}

function chipMessage(id: string, attachment: FormattedAttachment): HostToWebview {
  return { type: 'contextAttached', chip: { id, kind: attachment.kind, label: attachment.label, truncated: attachment.truncated } };
}
