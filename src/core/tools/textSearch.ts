// The search used where ripgrep is missing: match one file's text line by line, with context. Also turns a user
// query into the RegExp both paths agree on (smart case, like ripgrep's --smart-case).
import type { SearchMatch } from './workspacePort';

export function queryRegExp(query: string, isRegex: boolean): RegExp {
  const source = isRegex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ignoreCase = query === query.toLowerCase();
  return new RegExp(source, ignoreCase ? 'i' : '');
}

export function searchText(path: string, text: string, pattern: RegExp, contextLines: number, limit: number): SearchMatch[] {
  const lines = text.split(/\r?\n/);
  const matches: SearchMatch[] = [];
  for (let i = 0; i < lines.length && matches.length < limit; i++) {
    if (!pattern.test(lines[i])) continue;
    matches.push({
      path,
      line: i + 1,
      text: lines[i].slice(0, 400),
      before: lines.slice(Math.max(0, i - contextLines), i),
      after: lines.slice(i + 1, i + 1 + contextLines),
    });
  }
  return matches;
}
