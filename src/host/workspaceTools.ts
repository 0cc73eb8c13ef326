// The workspace tools for one request, over the real VS Code workspace: none without a folder to work in.
import * as vscode from 'vscode';
import type { Settings } from '../core/settings';
import { PathPolicy, Toolbox } from '../core/tools/toolbox';
import { bundledRipgrep, VsCodeWorkspace, type SearchLogger } from './vscodeWorkspace';

/** `log` hears which search runs (ripgrep, and where, or the fallback and why). */
export function createWorkspaceToolbox(settings: Settings, log: SearchLogger): Toolbox | undefined {
  if (!vscode.workspace.isTrusted) return undefined;
  const workspace = new VsCodeWorkspace(settings.tools.useRipgrep ? bundledRipgrep() : undefined, log);
  if (!workspace.folders().length) return undefined;
  return new Toolbox(workspace, new PathPolicy(workspace, settings.tools.extraDeniedFiles));
}

/** Why the tools are off although the settings want them, for the answer's note; undefined when they are not. */
export function toolsUnavailableReason(): string | undefined {
  if (!vscode.workspace.isTrusted) return vscode.l10n.t('Workspace tools are off: this workspace is in Restricted Mode. Trust it (Manage Workspace Trust) to let Comet read, search and list its files.');
  return undefined;
}
