// Layer node/: Node I/O that is not vscode.
// The uncommitted changes of the repository holding a folder, from the `git` program (when VS Code's git extension is
// absent or has not found the repository): the staged diff and the working-tree diff, as git prints them.
import { execFile } from 'node:child_process';

const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface GitDiffs {
  root: string;
  staged: string;
  unstaged: string;
}

/** Undefined when `folder` is in no repository or git is not installed. */
export async function gitDiffs(folder: string): Promise<GitDiffs | undefined> {
  const root = (await git(folder, ['rev-parse', '--show-toplevel']).catch(() => undefined))?.trim();
  if (!root) return undefined;
  // No colour, no external diff tools or text conversion the user configured: the plain patch.
  const diff = (cached: boolean) => git(root, ['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', ...(cached ? ['--cached'] : [])]);
  const [staged, unstaged] = await Promise.all([diff(true), diff(false)]);
  return { root, staged, unstaged };
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: MAX_OUTPUT_BYTES, timeout: 15_000, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}
