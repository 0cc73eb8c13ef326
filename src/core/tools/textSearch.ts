// The search used where ripgrep is missing: match one file's text line by line, with context. Also turns a user
// query into the RegExp both paths agree on (smart case, like ripgrep's --smart-case).
import type { SearchMatch } from './workspacePort';

export function queryRegExp(query: string, isRegex: boolean): RegExp {
  const source = isRegex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ignoreCase = query === query.toLowerCase();
  return new RegExp(source, ignoreCase ? 'i' : '');
}

/**
 * Matches of `pattern` in one file's text, with context, each line cut to `maxLineChars`. Self-contained (it uses
 * only its arguments and built-ins), because the fallback search also runs it from its source in a worker thread.
 */
export function searchText(path: string, text: string, pattern: RegExp, contextLines: number, limit: number, maxLineChars: number): SearchMatch[] {
  const clip = (line: string) => (line.length > maxLineChars ? `${line.slice(0, maxLineChars)}… [${line.length - maxLineChars} more characters on this line]` : line);
  const lines = text.split(/\r?\n/);
  const matches: SearchMatch[] = [];
  for (let i = 0; i < lines.length && matches.length < limit; i++) {
    if (!pattern.test(lines[i])) continue;
    matches.push({
      path,
      line: i + 1,
      text: clip(lines[i]),
      before: lines.slice(Math.max(0, i - contextLines), i).map(clip),
      after: lines.slice(i + 1, i + 1 + contextLines).map(clip),
    });
  }
  return matches;
}
