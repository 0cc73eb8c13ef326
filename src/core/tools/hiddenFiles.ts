// Which workspace files the tools must act as if they did not exist: the secret list (./secretFiles) plus the user's
// own patterns, matched case-insensitively, and each folder's `.cometignore` (gitignore syntax, by the `ignore`
// package). A folder that matches hides everything under it.
import ignore from 'ignore';
import picomatch from 'picomatch';
import { SECRET_FILES } from './secretFiles';
import type { WorkspaceFolderInfo, WorkspacePort } from './workspacePort';

export const COMET_IGNORE = '.cometignore';

export type RelativeTest = (relative: string) => boolean;

/** A test of workspace-relative paths (forward slashes) against the secret list and `extraPatterns`. */
export function secretMatcher(extraPatterns: readonly string[]): RelativeTest {
  const patterns = [...SECRET_FILES, ...extraPatterns.map(p => p.trim()).filter(Boolean)];
  // A pattern without a slash (`*.pem`) matches a name at any depth; one with a slash matches the whole path.
  const byName = picomatch(patterns.filter(p => !p.includes('/')), { dot: true, basename: true, nocase: true });
  const byPath = picomatch(patterns.filter(p => p.includes('/')), { dot: true, nocase: true });
  return relative => ancestry(relative).some(prefix => byName(prefix) || byPath(prefix));
}

/** The folder's `.cometignore` as a test; a test that hides nothing when there is none. */
export async function cometIgnoreOf(workspace: WorkspacePort, folder: WorkspaceFolderInfo, signal: AbortSignal): Promise<RelativeTest> {
  const file = `${folder.path.replace(/[\\/]+$/, '')}/${COMET_IGNORE}`;
  const stat = await workspace.stat(file);
  if (stat?.type !== 'file') return () => false;
  const text = new TextDecoder().decode(await workspace.readFile(file, signal));
  const rules = ignore({ ignorecase: true }).add(text);
  return relative => relative !== '' && rules.ignores(relative);
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`: a secret folder hides what is inside it. */
function ancestry(relative: string): string[] {
  const parts = relative.split('/').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
