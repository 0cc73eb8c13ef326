// The tools' WorkspacePort over the real VS Code workspace: the disk for reads (../node/diskFiles), open editors for
// unsaved text, and the ripgrep VS Code ships (under env.appRoot, see ripgrepLocation.ts) for search, with
// workspace.findFiles as the fallback. Given a logger, it says once which search runs, and why when it is the fallback.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_MATCH_LINE_CHARS } from '../core/tools/outputLimits';
import { readOnDisk, realPathOnDisk, statOnDisk } from '../node/diskFiles';
import { RegexWorker } from '../node/regexWorker';
import { ripgrepFiles, ripgrepSearch } from '../node/ripgrep';
import { looksBinary } from '../core/tools/readFileTool';
import { queryRegExp, searchText } from '../core/tools/textSearch';
import type { FileStat, HiddenFiles, SearchMatch, SearchOptions, SearchOutcome, WorkspaceFolderInfo, WorkspacePort } from '../core/tools/workspacePort';
import { describeSearchEngine, findRipgrep, type RipgrepLookup } from './ripgrepLocation';

const FALLBACK_MAX_FILES = 20_000;
const FALLBACK_MAX_FILE_BYTES = 1_000_000;
const FALLBACK_READ_BATCH = 64;

let lastLookup: RipgrepLookup | undefined;
let lastLogged: string | undefined;

/** The rg binary inside VS Code's own installation, wherever this version keeps it (see ripgrepLocation.ts). */
export function bundledRipgrep(appRoot = vscode.env.appRoot): string | undefined {
  lastLookup = findRipgrep(appRoot, process.platform, process.arch, existsSync);
  return lastLookup.path;
}

export interface SearchLogger {
  info(message: string): void;
  warn(message: string): void;
}

export class VsCodeWorkspace implements WorkspacePort {
  /** `ripgrep`: the binary to search with, or undefined for the fallback. `log` hears which search runs, once per change. */
  constructor(private readonly ripgrep: string | undefined, private readonly log?: SearchLogger) {}

  /** The engine this port searches with, and the log line that says so. */
  searchEngine(): { engine: 'ripgrep' | 'fallback'; level: 'info' | 'warn'; message: string } {
    const appRoot = vscode.env.appRoot;
    const useRipgrepSetting = vscode.workspace.getConfiguration('comet').get<boolean>('tools.useRipgrep', true);
    const lookup = this.ripgrep ? undefined : (lastLookup ?? findRipgrep(appRoot, process.platform, process.arch, existsSync));
    return { engine: this.ripgrep ? 'ripgrep' : 'fallback', ...describeSearchEngine({ ripgrep: this.ripgrep, useRipgrepSetting, lookup, appRoot }) };
  }

  private logEngine(): void {
    if (!this.log) return;
    const { level, message } = this.searchEngine();
    if (message === lastLogged) return;
    lastLogged = message;
    this.log[level](message);
  }

  folders(): readonly WorkspaceFolderInfo[] {
    return (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => ({ name: f.name, path: f.uri.fsPath }));
  }

  stat(file: string): Promise<FileStat | undefined> {
    return statOnDisk(file);
  }

  realPath(file: string): Promise<string> {
    return realPathOnDisk(file);
  }

  readFile(file: string, signal?: AbortSignal): Promise<Uint8Array> {
    return readOnDisk(file, signal);
  }

  unsavedText(file: string): string | undefined {
    const document = vscode.workspace.textDocuments.find(d => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === file);
    return document?.getText();
  }

  async search(folder: WorkspaceFolderInfo, options: SearchOptions, signal: AbortSignal): Promise<SearchOutcome> {
    this.logEngine();
    if (this.ripgrep) {
      const outcome = await ripgrepSearch({ rgPath: this.ripgrep, cwd: folder.path, excludes: excludeGlobs(folder, true), hidden: options.hidden, signal }, options);
      return { ...outcome, engine: 'ripgrep' };
    }
    const pattern = queryRegExp(options.query, options.isRegex);
    const files = await this.findFiles(folder, options.include ?? '**/*', FALLBACK_MAX_FILES, options.hidden, signal);
    // Plain text (escaped) matches in linear time here; the model's own regex runs in a worker with a deadline.
    const regex = options.isRegex ? new RegexWorker(pattern) : undefined;
    const matches: SearchMatch[] = [];
    try {
      // Reads go out in batches: one file at a time spends its time waiting, not reading.
      for (let at = 0; at < files.length; at += FALLBACK_READ_BATCH) {
        if (signal.aborted) throw signal.reason;
        const batch = files.slice(at, at + FALLBACK_READ_BATCH).map(relative => path.join(folder.path, relative));
        const texts = await Promise.all(batch.map(file => this.unsavedText(file) ?? this.readSmallText(file)));
        const readable = texts.flatMap((text, i) => (text === undefined ? [] : [{ path: batch[i], text }]));
        const limit = options.maxResults + 1 - matches.length;
        matches.push(...(regex ? await regex.search(readable, options.contextLines, limit) : readable.flatMap(file => searchText(file.path, file.text, pattern, options.contextLines, limit, MAX_MATCH_LINE_CHARS))));
        if (matches.length > options.maxResults) return { matches: matches.slice(0, options.maxResults), capped: true, engine: 'fallback' };
      }
    } finally {
      regex?.dispose();
    }
    return { matches, capped: false, engine: 'fallback' };
  }

  async listFiles(folder: WorkspaceFolderInfo, glob: string, max: number, hidden: HiddenFiles, signal: AbortSignal): Promise<string[]> {
    this.logEngine();
    if (this.ripgrep) return ripgrepFiles({ rgPath: this.ripgrep, cwd: folder.path, excludes: excludeGlobs(folder, false), hidden, signal }, glob, max);
    return (await this.findFiles(folder, glob, max + 1, hidden, signal)).sort();
  }

  /** At most `max` files matching `glob`, none hidden: hidden files never take the places of others. */
  private async findFiles(folder: WorkspaceFolderInfo, glob: string, max: number, hidden: HiddenFiles, signal: AbortSignal): Promise<string[]> {
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // The secret folders and the user's patterns are left out by findFiles itself; those it cannot know of
      // (.cometignore, a name in another case) are dropped here, and then it is asked again for more.
      const excludes = [...excludeGlobs(folder, true), ...hidden.folderNames.map(name => `**/${name}/**`), ...hidden.extraPatterns.flatMap(anyDepth)];
      const root = await this.realPath(folder.path).catch(() => folder.path);
      for (let ask = max; ; ask = Math.min(ask * 4, FALLBACK_MAX_FILES)) {
        const uris = await vscode.workspace.findFiles(
          new vscode.RelativePattern(vscode.Uri.file(folder.path), glob),
          excludes.length ? `{${excludes.join(',')}}` : null,
          ask,
          cancel.token,
        );
        const shown = uris.filter(uri => !hidden.test(toRelative(folder, uri)));
        if (shown.length >= max || uris.length < ask || ask >= FALLBACK_MAX_FILES) return (await this.notLinked(root, folder, shown.slice(0, max))).map(uri => toRelative(folder, uri));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  // Like ripgrep, follow no symlink, neither the file nor any folder on the way to it: one could lead out of the
  // workspace or to a secret under another name. A file whose real path is not its own path is left out.
  private async notLinked(root: string, folder: WorkspaceFolderInfo, uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
    const real = await Promise.all(uris.map(uri => this.realPath(uri.fsPath).catch(() => undefined)));
    return uris.filter((uri, i) => real[i] === path.join(root, path.relative(folder.path, uri.fsPath)));
  }

  private async readSmallText(file: string): Promise<string | undefined> {
    const bytes = await this.readFile(file).catch(() => undefined);
    if (!bytes || bytes.length > FALLBACK_MAX_FILE_BYTES || looksBinary(bytes)) return undefined;
    return new TextDecoder().decode(bytes);
  }
}

function toRelative(folder: WorkspaceFolderInfo, uri: vscode.Uri): string {
  return path.relative(folder.path, uri.fsPath).split(path.sep).join('/');
}

/** A deny pattern as a VS Code glob: one without a slash names a file or folder at any depth. */
function anyDepth(pattern: string): string[] {
  if (/^[!#]/.test(pattern)) return [];
  return pattern.includes('/') ? [pattern] : [`**/${pattern}`, `**/${pattern}/**`];
}

/** files.exclude (and, for searches, search.exclude) globs that are switched on for this folder. */
export function excludeGlobs(folder: WorkspaceFolderInfo, forSearch: boolean): string[] {
  const scope = vscode.Uri.file(folder.path);
  const on = (section: string) =>
    Object.entries(vscode.workspace.getConfiguration(section, scope).get<Record<string, unknown>>('exclude') ?? {})
      .filter(([, value]) => value === true)
      .map(([glob]) => glob);
  return [...on('files'), ...(forSearch ? on('search') : [])];
}
