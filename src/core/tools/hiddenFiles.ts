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
  // Plain names are a Set, the globs one anchored RegExp per kind: picomatch's own matcher over an array costs
  // about 1 ms a path, this a few microseconds, which lets the engines test every path they find before counting it.
  const byName = anyOf(patterns.filter(p => !p.includes('/')));
  const byPath = anyOf(patterns.filter(p => p.includes('/')));
  /** a, a/b, a/b/c: the path so far hides what is under it. */
  const hidesSoFar = (prefix: string, part: string) => byName(part) || byPath(prefix) || (prefix !== part && byName(prefix));
  // The tools test every path a listing finds: a folder's verdict is shared by all its files, so it is kept, and the
  // file itself is the only new test (20,000 paths in plain Node: about 200 ms uncached, 30–45 ms cached).
  const folderVerdicts = new Map<string, boolean>();
  const folderHides = (folder: string): boolean => {
    let verdict = folderVerdicts.get(folder);
    if (verdict === undefined) {
      const slash = folder.lastIndexOf('/');
      const name = folder.slice(slash + 1);
      verdict = (slash > 0 && folderHides(folder.slice(0, slash))) || (name !== '' && hidesSoFar(folder, name));
      if (folderVerdicts.size >= MAX_KEPT_FOLDER_VERDICTS) folderVerdicts.clear();
      folderVerdicts.set(folder, verdict);
    }
    return verdict;
  };
  return relative => {
    // Paths come as the tools write them; an odd one (`a//b`, `/a`, `a/`) is tested part by part, uncached.
    if (relative === '' || relative.startsWith('/') || relative.endsWith('/') || relative.includes('//')) return hidesPartByPart(relative, hidesSoFar);
    const slash = relative.lastIndexOf('/');
    return (slash > 0 && folderHides(relative.slice(0, slash))) || hidesSoFar(relative, relative.slice(slash + 1));
  };
}

const MAX_KEPT_FOLDER_VERDICTS = 20_000;

function hidesPartByPart(relative: string, hidesSoFar: (prefix: string, part: string) => boolean): boolean {
  let prefix = '';
  for (const part of relative.split('/').filter(Boolean)) {
    prefix = prefix ? `${prefix}/${part}` : part;
    if (hidesSoFar(prefix, part)) return true;
  }
  return false;
}

/** One case-insensitive test for all these picomatch globs, most of which are a plain name, prefix or suffix. */
function anyOf(patterns: readonly string[]): RelativeTest {
  const isPlain = (p: string) => p !== '' && !/[*?[\]{}()!+@\\]/.test(p);
  const exact = new Set<string>();
  const atEnd = new Set<string>(); // `**/a/b`: the path so far ends in a/b (tested at each slash)
  const starts: string[] = []; // `id_rsa*`
  const ends: string[] = []; // `*.pem`
  const globs: string[] = [];
  for (const pattern of patterns) {
    // `x/**` hides what `x` hides: every prefix of a path is tested.
    const p = pattern.endsWith('/**') && isPlain(pattern.slice(0, -3).replace(/^\*\*\//, '')) ? pattern.slice(0, -3) : pattern;
    const lower = p.toLowerCase();
    if (isPlain(p)) exact.add(lower);
    else if (p.startsWith('**/') && isPlain(p.slice(3))) atEnd.add(lower.slice(3));
    else if (p.endsWith('*') && !p.includes('/') && isPlain(p.slice(0, -1))) starts.push(lower.slice(0, -1));
    else if (p.startsWith('*') && !p.includes('/') && isPlain(p.slice(1))) ends.push(lower.slice(1));
    else globs.push(pattern);
  }
  // `*.pem`-like suffixes by the name's last extension, one Set lookup; the others (`*.tfvars.json`) one by one.
  const byExtension = new Set(ends.filter(end => end.lastIndexOf('.') === 0));
  const otherEnds = ends.filter(end => !byExtension.has(end));
  // The outer ^ tells V8 to try the alternatives at the start only, not at every position of the path.
  const regex = globs.length ? new RegExp(`^(?:${globs.map(p => `(?:${picomatch.makeRe(p, { dot: true, nocase: true }).source})`).join('|')})`, 'i') : undefined;
  return candidate => {
    const lower = candidate.toLowerCase();
    if (exact.has(lower) || atEnd.has(lower)) return true;
    for (let at = lower.indexOf('/'); at >= 0 && atEnd.size; at = lower.indexOf('/', at + 1)) if (atEnd.has(lower.slice(at + 1))) return true;
    // A `*` never reaches over a slash: prefixes and suffixes only ever match a name without one.
    if (!lower.includes('/')) {
      if (starts.some(start => lower.startsWith(start))) return true;
      const dot = lower.lastIndexOf('.');
      if (dot > 0 && byExtension.has(lower.slice(dot))) return true;
      if (otherEnds.some(end => lower.endsWith(end) && lower.length > end.length)) return true;
    }
    return regex?.test(candidate) ?? false;
  };
}

/** The folder names the secret list hides wherever they are (`**\/.aws/**`): engines may skip them unwalked. */
export const SECRET_FOLDER_NAMES: readonly string[] = SECRET_FILES.flatMap(pattern => /^\*\*\/([^*?[\]{}/!]+)\/\*\*$/.exec(pattern)?.[1] ?? []);

export function cleanPatterns(patterns: readonly string[]): string[] {
  return patterns.map(p => p.trim()).filter(Boolean);
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
