// read_file: a file's text with line numbers, a slice of it on request, capped so one call cannot flood the context.
import { clipLine, MAX_READ_LINE_CHARS } from './outputLimits';
import { ToolError } from './pathPolicy';
import { defineTool } from './tool';
import * as l10n from '@vscode/l10n';

export const READ_MAX_LINES = 400;
/** Below the toolbox's cap on any result (MAX_TOOL_OUTPUT_CHARS), so the note on how to read on is never cut. */
export const READ_MAX_BYTES = 50_000;
/** Larger files are not loaded at all: the tool returns 50 KB at most, and search finds lines in them. */
export const READ_MAX_FILE_BYTES = 20 * 1024 * 1024;

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file from the workspace. Returns the lines prefixed with their 1-based line numbers. Large files are ' +
    `returned ${READ_MAX_LINES} lines at a time: use start_line and end_line to read further. Paths are relative to ` +
    'the workspace root (in a multi-root workspace, start with the folder name). Open editors are read with their unsaved changes.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Workspace-relative path, e.g. "src/index.ts".' },
      start_line: { type: 'integer', minimum: 1, description: 'First line to read (1-based). Default 1.' },
      end_line: { type: 'integer', minimum: 1, description: `Last line to read (inclusive). Default start_line + ${READ_MAX_LINES - 1}.` },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async run(args, { workspace, paths, signal }) {
    const file = await paths.resolve(args.path);
    const stat = await workspace.stat(file.absolute);
    if (!stat) throw new ToolError(`"${file.display}" does not exist. Use list_files or search to find the right path.`);
    if (stat.type === 'directory') throw new ToolError(`"${file.display}" is a folder. Use list_files with a glob such as "${file.relative ? `${file.relative}/` : ''}*".`);

    let text = workspace.unsavedText(file.absolute);
    if (text === undefined && stat.size > READ_MAX_FILE_BYTES) {
      throw new ToolError(`"${file.display}" is ${(stat.size / 1048576).toFixed(0)} MB, too large to read; use search to find the lines you need.`);
    }
    if (text === undefined) {
      const bytes = await workspace.readFile(file.absolute, signal);
      if (looksBinary(bytes)) {
        return { content: `"${file.display}" is a binary file (${bytes.length} bytes); its content is not shown.`, summary: l10n.t('binary file') };
      }
      text = new TextDecoder('utf-8').decode(bytes);
    }
    const start = args.start_line ?? 1;
    const { lines, total } = linesOf(text, start, READ_MAX_LINES);
    if (start > Math.max(total, 1)) throw new ToolError(`"${file.display}" has ${total} lines; start_line ${start} is past the end.`);
    const requestedEnd = Math.min(args.end_line ?? start + READ_MAX_LINES - 1, total);
    if (requestedEnd < start) throw new ToolError('end_line must not be before start_line.');

    const out: string[] = [];
    let bytes = 0;
    let end = start - 1;
    const width = String(requestedEnd).length;
    let longLines = 0;
    for (let n = start; n <= requestedEnd && n - start < READ_MAX_LINES; n++) {
      // A minified bundle is one enormous line: even the first line is cut.
      const clipped = clipLine(lines[n - start], MAX_READ_LINE_CHARS);
      if (clipped.cut) longLines++;
      const line = `${String(n).padStart(width)}\t${clipped.text}`;
      if (bytes + line.length > READ_MAX_BYTES && out.length) break;
      out.push(line);
      bytes += line.length + 1;
      end = n;
    }
    const notes: string[] = [];
    if (longLines) notes.push(`[${longLines} line${longLines > 1 ? 's were' : ' was'} longer than ${MAX_READ_LINE_CHARS} characters and cut (minified or generated code?). Use search to find the text you need in ${longLines > 1 ? 'them' : 'it'}.]`);
    if (end < total) notes.push(`[Showing lines ${start}-${end} of ${total}. Call read_file with start_line=${end + 1} to read more.]`);
    const header = `${file.display} (lines ${start}-${end} of ${total})`;
    return {
      content: [header, ...out, ...notes].join('\n'),
      summary: end < total || start > 1 ? l10n.t('lines {0}-{1} of {2}', start, end, total) : total === 1 ? l10n.t('1 line') : l10n.t('{0} lines', total),
    };
  },
});

/**
 * Lines `first` to `first + count - 1` (1-based) of `text`, and how many it has, as `text.split(/\r?\n/)` would give
 * them without a final empty line; found by scanning, so a 1 MB file costs no 25,000 strings for the 400 shown.
 */
export function linesOf(text: string, first: number, count: number): { lines: string[]; total: number } {
  const lines: string[] = [];
  const last = first + count - 1;
  let number = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', lineStart)) {
    if (number >= first && number <= last) lines.push(text.slice(lineStart, text[newline - 1] === '\r' ? newline - 1 : newline));
    number++;
    lineStart = newline + 1;
  }
  // The text after the last line break is a line of its own, unless it is empty and there is a line before it.
  const total = lineStart === text.length && number > 1 ? number - 1 : number;
  if (total === number && number >= first && number <= last) lines.push(text.slice(lineStart));
  return { lines, total };
}

/** NUL bytes, or many bytes that are not text, in the first 8 KB: the same test git and ripgrep use. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 7 || (byte > 13 && byte < 32 && byte !== 27)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}
