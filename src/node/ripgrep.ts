// Runs ripgrep (the one VS Code ships, or any rg) and reads its --json output. ripgrep already honours .gitignore,
// skips binary files and searches in parallel; this adds the caps, the context lines and cancellation.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import picomatch from 'picomatch';
import { clipLine, MAX_MATCH_LINE_CHARS } from '../core/tools/outputLimits';
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
  // --max-filesize bounds one --json line (--max-columns does not apply to --json); it costs a stat per file.
  return [
    ...BASE_ARGS, '--max-filesize', '2M', '--json', '--smart-case', '--max-columns', String(MAX_MATCH_LINE_CHARS), '--max-columns-preview',
    '-C', String(options.contextLines), ...(options.isRegex ? [] : ['--fixed-strings']),
    ...excludeArgs(run), '-e', options.query, '--',
  ];
}

/** ripgrep's arguments for a listing (exported for the benchmark's side-by-side run). */
export function filesArgs(run: RipgrepRun): string[] {
  return [...BASE_ARGS, '--files', ...excludeArgs(run), '--', '.'];
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
  /** The absolute path of the file whose events arrive. */
  let currentFile = '';
  let currentHidden = false;
  await streamLines(run, args, (line, stop) => {
    const event = parseEvent(line);
    if (!event) return;
    if (event.type === 'begin') {
      currentFile = absolute(run, event.path);
      currentHidden = run.hidden.test(folderRelative(event.path));
      pending = [];
      return;
    }
    // A hidden file's lines never count towards maxResults: the cap is on what the model may see.
    if (currentHidden) return;
    if (event.type === 'context') {
      const last = matches[matches.length - 1];
      if (last && last.path === currentFile && event.line > last.line && event.line <= last.line + options.contextLines + last.after.length && last.after.length < options.contextLines) {
        last.after.push(event.text);
      } else {
        pending.push({ line: event.line, text: event.text });
      }
      return;
    }
    if (event.type === 'match') {
      if (matches.length >= options.maxResults) {
        found.capped = true;
        stop();
        return;
      }
      const before = pending.filter(p => p.line >= event.line - options.contextLines && p.line < event.line).map(p => p.text);
      pending = [];
      matches.push({ path: currentFile, line: event.line, text: event.text, before, after: [] });
    }
  });
}

/** Workspace-relative paths (forward slashes) of the files ripgrep would search, at most `max` + 1. */
export async function ripgrepFiles(run: RipgrepRun, glob: string, max: number): Promise<string[]> {
  const files: string[] = [];
  const wanted = matchesEverything(glob) ? () => true : picomatch(glob, { dot: true });
  await streamLines(run, filesArgs(run), (line, stop) => {
    const file = folderRelative(line);
    if (!wanted(file) || run.hidden.test(file)) return;
    files.push(file);
    if (files.length > max) stop();
  });
  return files.sort();
}

function matchesEverything(glob: string): boolean {
  return glob === '**' || glob === '**/*';
}

type RgEvent =
  | { type: 'begin'; path: string }
  | { type: 'match' | 'context'; line: number; text: string };

function parseEvent(line: string): RgEvent | undefined {
  let event: { type?: string; data?: { path?: { text?: string }; lines?: { text?: string }; line_number?: number } };
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  const data = event.data;
  if (event.type === 'begin' && data?.path?.text !== undefined) return { type: 'begin', path: data.path.text };
  if ((event.type === 'match' || event.type === 'context') && typeof data?.line_number === 'number') {
    // --max-columns does not apply to --json output: clip here, or one minified line comes back whole.
    return { type: event.type, line: data.line_number, text: clipLine((data.lines?.text ?? '').replace(/\r?\n$/, ''), MAX_MATCH_LINE_CHARS).text };
  }
  return undefined;
}

function absolute(run: RipgrepRun, relative: string): string {
  return path.resolve(run.cwd, relative);
}

/** Spawns rg and feeds its stdout line by line; `stop` ends it early. Rejects on abort or a real rg error. */
function streamLines(run: RipgrepRun, args: string[], onLine: (line: string, stop: () => void) => void): Promise<void> {
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
    const lines = createInterface({ input: child.stdout });
    lines.on('line', line => {
      if (!stopped) onLine(line, stop);
    });
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

export function abortError(): Error {
  const error = new Error('The operation was cancelled.');
  error.name = 'AbortError';
  return error;
}
