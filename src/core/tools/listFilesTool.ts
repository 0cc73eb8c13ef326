// list_files: the files matching a glob, so the model can find what to read.
import { refuseEscapingGlob } from './globEscapes';
import { defineTool } from './tool';
import * as l10n from '@vscode/l10n';

export const LIST_DEFAULT_MAX = 200;
export const LIST_MAX = 1000;

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List workspace files matching a glob (respecting .gitignore and the user\'s exclude settings), sorted. Examples: ' +
    '"**/*.ts", "src/*", "**/package.json". Use it to find paths before read_file.',
  parameters: {
    type: 'object',
    properties: {
      glob: { type: 'string', description: 'Glob relative to the workspace root. Default "**/*" (everything).' },
      folder: { type: 'string', description: 'In a multi-root workspace, the folder to list. Default: the first.' },
      max_results: { type: 'integer', minimum: 1, description: `Most paths to return. Default ${LIST_DEFAULT_MAX}, at most ${LIST_MAX}.` },
    },
    required: [],
    additionalProperties: false,
  },
  async run(args, { workspace, paths, signal }) {
    const folder = paths.folderNamed(args.folder);
    const glob = (args.glob ?? '').trim() || '**/*';
    const max = Math.min(args.max_results ?? LIST_DEFAULT_MAX, LIST_MAX);
    refuseEscapingGlob('glob', glob);
    const found = await paths.visible(folder, await workspace.listFiles(folder, glob, max, await paths.hiddenFiles(folder), signal));
    if (!found.length) return { content: `No files match ${JSON.stringify(glob)}.`, summary: l10n.t('no files') };
    const shown = found.slice(0, max).map(relative => paths.displayPath(folder, relative));
    const capped = found.length > max;
    if (capped) shown.push(`[Showing the first ${max} files; more match. Use a narrower glob.]`);
    return { content: shown.join('\n'), summary: l10n.t('{0} files', `${Math.min(found.length, max)}${capped ? '+' : ''}`) };
  },
});
