// Runs ripgrep (the one VS Code ships, or any rg) and reads its --json output. ripgrep already honours .gitignore,
// skips binary files and searches in parallel; this adds the caps, the context lines and cancellation.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import picomatch from 'picomatch';
import { clipLine, MAX_MATCH_LINE_CHARS } from '../core/tools/outputLimits';
import { isPlainRelative } from '../core/tools/pathPolicy';
import type { HiddenFiles, SearchMatch, SearchOptions } from '../core/tools/workspacePort';

export interface RipgrepRun {
  rgPath: string;
  /** The folder to search; results come back as absolute paths inside it. */
  cwd: string;
  /** Globs to leave out (files.exclude, search.exclude), in ripgrep's gitignore-style syntax. */
  excludes: readonly string[];
  /** What the tools must not show: skipped by ripgrep where it can, and every path it finds is tested before it counts. */
  hidden: HiddenFiles;
  signal: AbortSignal;
}

// --no-require-git: .gitignore applies even in a folder that is not (yet) a git repository, as in VS Code's own search.
const BASE_ARGS = ['--no-config', '--hidden', '--no-require-git', '--no-messages', '--path-separator', '/', '-g', '!.git'];

/**
 * The excludes, and what of the hidden files ripgrep can skip unread. Secret folders go as case-sensitive globs
 * (ripgrep matches those by hash; --iglob makes every glob a regex, which cost 10% of a search and 2x of a listing
 * over 20k files); a secret folder in another case is walked, and `hidden.test` drops it before it counts.
 */
function excludeArgs(run: RipgrepRun): string[] {
  const { hidden } = run;
  return [
    ...run.excludes.flatMap(exclude => ['-g', `!${exclude}`]),
    ...hidden.folderNames.flatMap(name => ['-g', `!${name}/`]),
    // A user's pattern is theirs to keep few; one that starts with ! or # would mean something else to ripgrep.
    ...hidden.extraPatterns.filter(p => !/^[!#]/.test(p)).flatMap(p => ['--iglob', `!${p}`]),
    ...(hidden.ignoreFile ? ['--ignore-file', hidden.ignoreFile] : []),
  ];
}

/** `./src/a.ts` -> `src/a.ts`, as the hidden-file test and the tools expect (--path-separator / gives forward slashes). */
function folderRelative(rgPath: string): string {
  // The hot loop of a listing: a split and join here cost more than ripgrep's whole walk.
  return rgPath.startsWith('./') ? rgPath.slice(2) : rgPath;
}

// An include glob is matched here, not with ripgrep's -g: -g whitelists, and so would reach into .gitignored folders.
const MAX_INCLUDED_FILES = 200_000;

export async function ripgrepSearch(run: RipgrepRun, options: SearchOptions): Promise<{ matches: SearchMatch[]; capped: boolean }> {
  let targets = ['.'];
  if (options.include && !matchesEverything(options.include)) {
    targets = await ripgrepFiles(run, options.include, MAX_INCLUDED_FILES);
    if (!targets.length) return { matches: [], capped: false };
    if (targets.length > MAX_INCLUDED_FILES) targets = targets.slice(0, MAX_INCLUDED_FILES);
  }
  const args = searchArgs(run, options);
  const found: SearchFound = { matches: [], capped: false };
  // Any number of included files: they go to ripgrep in batches that fit a command line on every platform.
  for (const batch of commandLineBatches(targets)) {
    await searchBatch(run, [...args, ...batch], options, found);
    if (found.capped) break;
  }
  return found;
}

/** ripgrep's arguments for a search, before the paths to search (exported for the benchmark's side-by-side run). */
export function searchArgs(run: RipgrepRun, options: SearchOptions): string[] {
  // Plain lines, not --json: --max-columns bounds each line (it does not apply to --json, which needed
  // --max-filesize, a stat per file and a fifth of a search's time). A NUL ends the path (no path holds one) and a
  // lone NUL separates context groups, so no file's text or name can pass for either.
  return [
    ...BASE_ARGS, '--with-filename', '--line-number', '--no-heading', '--color', 'never', '--null', '--context-separator', '\\x00',
    '--smart-case', '--max-columns', String(MAX_LINE_BYTES), '--max-columns-preview', '-C', String(options.contextLines),
    ...(options.isRegex ? [] : ['--fixed-strings']), ...excludeArgs(run), '-e', options.query, '--',
  ];
}

/** ripgrep cuts lines in bytes; this leaves room for the characters the tool shows after cutting them itself. */
const MAX_LINE_BYTES = MAX_MATCH_LINE_CHARS * 4;

/** ripgrep's arguments for a listing of the files `glob` may match (exported for the benchmark's side-by-side run). */
export function filesArgs(run: RipgrepRun, glob = '**'): string[] {
  // --null: each path ends in a NUL, which no name holds. Split on line breaks, a file named "x\nlink.txt" would list
  // "link.txt", a path ripgrep never walked (a link there would be followed when it is searched by name).
  return [...BASE_ARGS, '--files', '--null', ...nameFilterArgs(glob), ...excludeArgs(run), '--', '.'];
}

/**
 * ripgrep keeps only the files whose name can match the glob's last part (`**\/*.ts` -> `*.ts`), so a listing's
 * lines are the candidates and not the whole tree. A file type, not -g: types never reach into ignored folders. Only
 * names of letters, digits, `.`, `-`, `_` and `*`, which both glob dialects read alike; the glob itself is still
 * matched in full.
 */
function nameFilterArgs(glob: string): string[] {
  const name = glob.slice(glob.lastIndexOf('/') + 1);
  if (!/^[\w.*-]+$/.test(name) || name.includes('**')) return [];
  return ['--type-add', `cometname:${name}`, '--type', 'cometname'];
}

interface SearchFound {
  matches: SearchMatch[];
  capped: boolean;
}

/** Windows allows 32,767 characters on a command line; Linux more. Stay well under both. */
const COMMAND_LINE_BUDGET = 24_000;

function commandLineBatches(targets: readonly string[]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let length = 0;
  for (const target of targets) {
    if (batch.length && length + target.length + 1 > COMMAND_LINE_BUDGET) {
      batches.push(batch);
      batch = [];
      length = 0;
    }
    batch.push(target);
    length += target.length + 1;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

async function searchBatch(run: RipgrepRun, args: string[], options: SearchOptions, found: SearchFound): Promise<void> {
  const { matches } = found;
  // Context lines seen since the last match of the current file, possibly the "before" of the next one.
  let pending: Array<{ line: number; text: string }> = [];
  /** ripgrep's path of the file whose lines arrive, its absolute path, and whether the tools must not show it. */
  let currentRgPath: string | undefined;
  let currentFile = '';
  let currentHidden = false;
  // A file name with a line break in it arrives over several lines: the line after such a piece is not trusted.
  let afterBrokenName = false;
  await streamLines(run, args, (raw, stop) => {
    const line = parseLine(raw);
    if (line === 'separator' || line === 'other') return;
    if (line === undefined) {
      afterBrokenName = true;
      return;
    }
    if (afterBrokenName) {
      afterBrokenName = false;
      return;
    }
    if (line.rgPath !== currentRgPath) {
      currentRgPath = line.rgPath;
      currentFile = absolute(run, line.rgPath);
      currentHidden = run.hidden.test(folderRelative(line.rgPath));
      pending = [];
    }
    // A hidden file's lines never count towards maxResults: the cap is on what the model may see.
    if (currentHidden) return;
    if (!line.isMatch) {
      const last = matches[matches.length - 1];
      if (last && last.path === currentFile && line.line > last.line && line.line <= last.line + options.contextLines + last.after.length && last.after.length < options.contextLines) {
        last.after.push(line.text);
      } else {
        pending.push({ line: line.line, text: line.text });
      }
      return;
    }
    if (matches.length >= options.maxResults) {
      found.capped = true;
      stop();
      return;
    }
    const before = pending.filter(p => p.line >= line.line - options.contextLines && p.line < line.line).map(p => p.text);
    pending = [];
    matches.push({ path: currentFile, line: line.line, text: line.text, before, after: [] });
  });
}

interface RgLine {
  rgPath: string;
  line: number;
  isMatch: boolean;
  text: string;
}

/** `path\0 12:text` (a match), `path\0 12-text` (context), a lone NUL (a separator); a line without a NUL is a piece of a name. */
function parseLine(raw: string): RgLine | 'separator' | 'other' | undefined {
  if (raw === '\0') return 'separator';
  const nul = raw.indexOf('\0');
  if (nul < 0) return undefined;
  // "binary file matches (…)" after a named file's path, and nothing else ripgrep prints, has no line number.
  const numbered = nul > 0 ? /^(\d+)([:-])/.exec(raw.slice(nul + 1, nul + 22)) : null;
  if (!numbered) return 'other';
  const text = raw.slice(nul + 1 + numbered[0].length).replace(/\r$/, '');
  return { rgPath: raw.slice(0, nul), line: Number(numbered[1]), isMatch: numbered[2] === ':', text: shownLine(text) };
}

/** The line as the tools show it: cut to MAX_MATCH_LINE_CHARS, saying so, whether ripgrep cut it first or not. */
function shownLine(text: string): string {
  // Longer than ripgrep's byte limit means ripgrep cut it and put its own note at the end.
  const cutByRipgrep = text.length > MAX_LINE_BYTES / 4 && Buffer.byteLength(text) > MAX_LINE_BYTES;
  if (!cutByRipgrep) return clipLine(text, MAX_MATCH_LINE_CHARS).text;
  return `${text.replace(/ \[\.\.\. [^\]]*\]$/, '').slice(0, MAX_MATCH_LINE_CHARS)}… [more characters on this line]`;
}

/** Workspace-relative paths (forward slashes) of the files ripgrep would search, at most `max` + 1. */
export async function ripgrepFiles(run: RipgrepRun, glob: string, max: number): Promise<string[]> {
  const files: string[] = [];
  const wanted = matchesEverything(glob) ? () => true : picomatch(glob, { dot: true });
  await streamLines(run, filesArgs(run, glob), (line, stop) => {
    const file = folderRelative(line);
    // Only what ripgrep walked below the folder (never absolute, never `..`), and no name with a line break, which a
    // listing of one path a line could not show (search leaves such files out too).
    if (!isPlainRelative(file)) return;
    if (!wanted(file) || run.hidden.test(file)) return;
    files.push(file);
    if (files.length > max) stop();
  }, 'nul-ended');
  return files.sort();
}

function matchesEverything(glob: string): boolean {
  return glob === '**' || glob === '**/*';
}

function absolute(run: RipgrepRun, relative: string): string {
  return path.resolve(run.cwd, relative);
}

/** Spawns rg and feeds its stdout line by line (or NUL-ended path by path, with --files --null); `stop` ends it
 *  early. Rejects on abort or a real rg error. */
function streamLines(run: RipgrepRun, args: string[], onLine: (line: string, stop: () => void) => void, records: 'lines' | 'nul-ended' = 'lines'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (run.signal.aborted) return reject(abortError());
    const child = spawn(run.rgPath, args, { cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stopped = false;
    let stderr = '';
    const stop = () => {
      stopped = true;
      child.kill();
    };
    const onAbort = () => stop();
    run.signal.addEventListener('abort', onAbort, { once: true });
    child.stderr.on('data', part => (stderr += part));
    const feed = (line: string) => {
      if (!stopped) onLine(line, stop);
    };
    if (records === 'nul-ended') splitOnNul(child.stdout, feed);
    else createInterface({ input: child.stdout }).on('line', feed);
    child.on('error', error => {
      run.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', code => {
      run.signal.removeEventListener('abort', onAbort);
      if (run.signal.aborted) reject(abortError());
      // 0: matches, 1: no matches, 2: errors in some files (still useful output) unless nothing came.
      else if (stopped || code === 0 || code === 1 || (code === 2 && !stderr.includes('regex parse error'))) resolve();
      else reject(new Error(stderr.trim().split('\n').slice(0, 3).join(' ') || `ripgrep exited with ${code}`));
    });
  });
}

/** Calls `onRecord` with each NUL-ended record of `stream`, as text. */
function splitOnNul(stream: NodeJS.ReadableStream, onRecord: (record: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const text = rest + decoder.write(chunk);
    let from = 0;
    for (let nul = text.indexOf('\0'); nul >= 0; nul = text.indexOf('\0', from)) {
      onRecord(text.slice(from, nul));
      from = nul + 1;
    }
    rest = text.slice(from);
  });
}

export function abortError(): Error {
  const error = new Error('The operation was cancelled.');
  error.name = 'AbortError';
  return error;
}
