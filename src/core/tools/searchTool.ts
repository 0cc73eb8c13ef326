// search: text or regex over the workspace, as path:line: text with a line of context, capped.
import * as path from 'node:path';
import { ToolError, toPosix } from './pathPolicy';
import { refuseEscapingGlob } from './globEscapes';
import { defineTool } from './tool';
import * as l10n from '@vscode/l10n';

export const SEARCH_DEFAULT_RESULTS = 50;
export const SEARCH_MAX_RESULTS = 200;

export const searchTool = defineTool({
  name: 'search',
  description:
    'Search the text of the workspace files (respecting .gitignore and the user\'s exclude settings). Returns matches as ' +
    '"path:line: text" with one line of context around each ("path-line- text"). Case-insensitive unless the query has ' +
    'capitals. Use include to narrow by glob, e.g. "src/**/*.ts".',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'Text to find, or a regular expression when is_regex is true.' },
      is_regex: { type: 'boolean', description: 'Treat query as a regular expression (Rust/PCRE-like syntax). Default false.' },
      include: { type: 'string', description: 'Only search files matching this glob, relative to the workspace root.' },
      folder: { type: 'string', description: 'In a multi-root workspace, the folder to search. Default: the first.' },
      max_results: { type: 'integer', minimum: 1, description: `Most matches to return. Default ${SEARCH_DEFAULT_RESULTS}, at most ${SEARCH_MAX_RESULTS}.` },
    },
    required: ['query'],
    additionalProperties: false,
  },
  async run(args, { workspace, paths, signal }) {
    const query = args.query;
    if (!query) throw new ToolError('"query" must not be empty.');
    const isRegex = args.is_regex === true;
    if (isRegex) {
      try {
        new RegExp(query);
      } catch (error) {
        throw new ToolError(`The regular expression is invalid: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (args.include !== undefined) refuseEscapingGlob('include', args.include);
    const folder = paths.folderNamed(args.folder);
    const maxResults = Math.min(args.max_results ?? SEARCH_DEFAULT_RESULTS, SEARCH_MAX_RESULTS);
    const hidden = await paths.hiddenFiles(folder);
    const outcome = await workspace.search(folder, { query, isRegex, include: args.include, maxResults, contextLines: 1, hidden }, signal);
    const relativeOf = (file: string) => toPosix(path.relative(folder.path, file));
    const shown = new Set(await paths.visible(folder, [...new Set(outcome.matches.map(m => relativeOf(m.path)))]));
    const matches = outcome.matches.filter(m => shown.has(relativeOf(m.path)));
    if (!matches.length) return { content: `No matches for ${JSON.stringify(query)}${args.include ? ` in ${args.include}` : ''}.`, summary: l10n.t('no matches') };

    const out: string[] = [];
    for (const match of matches) {
      const file = paths.displayPath(folder, toPosix(path.relative(folder.path, match.path)));
      match.before.forEach((text, i) => out.push(`${file}-${match.line - match.before.length + i}- ${text}`));
      out.push(`${file}:${match.line}: ${match.text}`);
      match.after.forEach((text, i) => out.push(`${file}-${match.line + 1 + i}- ${text}`));
      out.push('--');
    }
    out.pop();
    if (outcome.capped) out.push(`[Stopped at ${maxResults} matches; there are more. Narrow the query or use include.]`);
    const files = new Set(matches.map(m => m.path)).size;
    return {
      content: out.join('\n'),
      summary: matchSummary(`${matches.length}${outcome.capped ? '+' : ''}`, matches.length, files),
    };
  },
});

/** Whole sentences per count, so a translation can order and inflect them (one match is always in one file). */
function matchSummary(shown: string, matches: number, files: number): string {
  if (matches === 1) return l10n.t('{0} match in 1 file', shown);
  return files === 1 ? l10n.t('{0} matches in 1 file', shown) : l10n.t('{0} matches in {1} files', shown, files);
}
