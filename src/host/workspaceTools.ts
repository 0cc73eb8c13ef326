// The workspace tools for one request, over the real VS Code workspace: none without a folder to work in.
import type { Settings } from '../core/settings';
import { PathPolicy, Toolbox } from '../core/tools/toolbox';
import { bundledRipgrep, VsCodeWorkspace } from './vscodeWorkspace';

export function createWorkspaceToolbox(settings: Settings): Toolbox | undefined {
  const workspace = new VsCodeWorkspace(settings.tools.useRipgrep ? bundledRipgrep() : undefined);
  if (!workspace.folders().length) return undefined;
  return new Toolbox(workspace, new PathPolicy(workspace, settings.tools.extraDeniedFiles));
}
