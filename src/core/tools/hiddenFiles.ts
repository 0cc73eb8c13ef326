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
  const patterns = [...SECRET_FILES, ...cleanPatterns(extraPatterns)];
  // A pattern without a slash (`*.pem`) matches a name at any depth; one with a slash matches the whole path.
  // Each kind is one RegExp: picomatch's own matcher over an array costs about 1 ms a path, this a microsecond,
  // which is what lets the search engines test every path they find before counting it (see workspacePort.ts).
  const byName = oneRegExp(patterns.filter(p => !p.includes('/')));
  const byPath = oneRegExp(patterns.filter(p => p.includes('/')));
  return relative => {
    const parts = relative.split('/').filter(Boolean);
    let prefix = '';
    for (const part of parts) {
      // `a/b/c` is tested as `a`, `a/b`, `a/b/c`: a secret folder hides what is inside it.
      prefix = prefix ? `${prefix}/${part}` : part;
      // As picomatch's `basename` option: a name pattern is tried on the name and on the whole path so far.
      if (byName.test(part) || byPath.test(prefix) || (prefix !== part && byName.test(prefix))) return true;
    }
    return false;
  };
}

/** The folder names the secret list hides wherever they are (`**\/.aws/**`): engines may skip them unwalked. */
export const SECRET_FOLDER_NAMES: readonly string[] = SECRET_FILES.flatMap(pattern => /^\*\*\/([^*?[\]{}/!]+)\/\*\*$/.exec(pattern)?.[1] ?? []);

export function cleanPatterns(patterns: readonly string[]): string[] {
  return patterns.map(p => p.trim()).filter(Boolean);
}

function oneRegExp(patterns: readonly string[]): RegExp {
  if (!patterns.length) return /$^/;
  return new RegExp(patterns.map(p => `(?:${picomatch.makeRe(p, { dot: true, nocase: true }).source})`).join('|'), 'i');
}

/** The folder's `.cometignore` as a test, and its path; a test that hides nothing when there is none. */
export async function cometIgnoreOf(workspace: WorkspacePort, folder: WorkspaceFolderInfo, signal: AbortSignal): Promise<{ test: RelativeTest; file?: string }> {
  const file = `${folder.path.replace(/[\\/]+$/, '')}/${COMET_IGNORE}`;
  const stat = await workspace.stat(file);
  if (stat?.type !== 'file') return { test: () => false };
  const text = new TextDecoder().decode(await workspace.readFile(file, signal));
  const rules = ignore({ ignorecase: true }).add(text);
  return { test: relative => relative !== '' && rules.ignores(relative), file };
}
