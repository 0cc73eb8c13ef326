// The uncommitted changes through VS Code's own git extension (vscode.git), when it is there and knows the repository.
// Only the few members of its API that Comet uses are typed here (its API version 1).
import * as vscode from 'vscode';
import type { GitDiffs } from '../node/gitChanges';

interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}

interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
}

interface GitExtension {
  getAPI(version: 1): GitApi;
}

/** Undefined when the extension is absent, disabled, or has not found a repository for `uri`. */
export async function gitExtensionDiffs(uri: vscode.Uri): Promise<GitDiffs | undefined> {
  try {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return undefined;
    const exports = extension.isActive ? extension.exports : await extension.activate();
    const repository = exports.getAPI(1).getRepository(uri);
    if (!repository) return undefined;
    const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
    return { root: repository.rootUri.fsPath, staged, unstaged };
  } catch {
    // A disabled git (git.enabled = false) throws from getAPI; the git program is the fallback.
    return undefined;
  }
}
