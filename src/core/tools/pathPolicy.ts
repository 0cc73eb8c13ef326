// Where a tool may look: only inside the workspace folders, never through a symlink that leads out, and never at
// files that commonly hold secrets or that .cometignore hides. Every refusal says why, so the model can correct itself.
import * as path from 'node:path';
import { cleanPatterns, cometIgnoreOf, SECRET_FOLDER_NAMES, secretMatcher, type RelativeTest } from './hiddenFiles';
import type { HiddenFiles, WorkspaceFolderInfo, WorkspacePort } from './workspacePort';

export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ResolvedPath {
  folder: WorkspaceFolderInfo;
  /** Absolute path. */
  absolute: string;
  /** Relative to the folder, forward slashes. */
  relative: string;
  /** How to name the file to the model: relative, prefixed with the folder name in a multi-root workspace. */
  display: string;
}

export class PathPolicy {
  private readonly secret: RelativeTest;
  private readonly extraDenied: readonly string[];
  private readonly ignores = new Map<string, Promise<HiddenFiles>>();

  /** `extraDenied`: the user's patterns (comet.tools.extraDeniedFiles), on top of the secret list. */
  constructor(private readonly workspace: WorkspacePort, extraDenied: readonly string[] = []) {
    this.secret = secretMatcher(extraDenied);
    this.extraDenied = cleanPatterns(extraDenied);
  }

  /** Resolves a model-supplied path, or throws a ToolError that says what was wrong. */
  async resolve(input: unknown): Promise<ResolvedPath> {
    const resolved = this.resolveLexically(input);
    const hidden = await this.hiddenIn(resolved.folder);
    if (resolved.relative && hidden(resolved.relative)) throw this.deniedError(resolved.display);
    const real = await this.workspace.realPath(resolved.absolute).catch(() => undefined);
    if (real !== undefined) {
      const realRoot = await this.workspace.realPath(resolved.folder.path).catch(() => resolved.folder.path);
      if (!isInside(realRoot, real)) throw new ToolError(`"${resolved.display}" is a link that leads outside the workspace; it was not read.`);
      const realRelative = toPosix(path.relative(realRoot, real));
      if (realRelative && hidden(realRelative)) throw this.deniedError(resolved.display);
    }
    return resolved;
  }

  /**
   * The workspace-relative paths of `folder` a tool may show: plain relative paths below it, none on the secret list
   * or in `.cometignore`. The engines list only files reached through no symlink (see WorkspacePort), so a path's
   * real path is the path itself and needs no resolving here: a realpath per path was a sixth of a 20,000-file
   * listing.
   */
  async visible(folder: WorkspaceFolderInfo, relatives: readonly string[]): Promise<string[]> {
    const hidden = await this.hiddenIn(folder);
    return relatives.filter(relative => isPlainRelative(relative) && !hidden(relative));
  }

  /** A test of a folder's relative paths against the secret list and .cometignore, for listings (no symlink check). */
  hiddenTest(folder: WorkspaceFolderInfo = this.folderNamed(undefined)): Promise<RelativeTest> {
    return this.hiddenIn(folder);
  }

  /** What a search or listing of `folder` must leave out before it counts towards a cap. */
  hiddenFiles(folder: WorkspaceFolderInfo): Promise<HiddenFiles> {
    let hidden = this.ignores.get(folder.path);
    if (!hidden) {
      // A .cometignore that cannot be read hides nothing more than the secret list; it is read once per request.
      const ignored = cometIgnoreOf(this.workspace, folder, AbortSignal.timeout(10_000)).catch(() => ({ test: (): boolean => false, file: undefined }));
      hidden = ignored.then(cometIgnore => ({
        test: (relative: string) => this.secret(relative) || cometIgnore.test(relative),
        folderNames: SECRET_FOLDER_NAMES,
        extraPatterns: this.extraDenied,
        ignoreFile: cometIgnore.file,
      }));
      this.ignores.set(folder.path, hidden);
    }
    return hidden;
  }

  private async hiddenIn(folder: WorkspaceFolderInfo): Promise<RelativeTest> {
    return (await this.hiddenFiles(folder)).test;
  }

  folderNamed(name: string | undefined): WorkspaceFolderInfo {
    const folders = this.workspace.folders();
    if (!folders.length) throw new ToolError('No folder is open in the workspace.');
    if (!name) return folders[0];
    const folder = folders.find(f => f.name === name);
    if (!folder) throw new ToolError(`There is no workspace folder named "${name}". Folders: ${folders.map(f => f.name).join(', ')}.`);
    return folder;
  }

  displayPath(folder: WorkspaceFolderInfo, relative: string): string {
    return this.workspace.folders().length > 1 ? `${folder.name}/${relative}` : relative;
  }

  private resolveLexically(input: unknown): ResolvedPath {
    if (typeof input !== 'string' || !input.trim()) throw new ToolError('"path" must be a non-empty workspace-relative path, e.g. "src/index.ts".');
    const raw = input.trim();
    if (raw.includes('\0')) throw new ToolError('The path contains a NUL byte.');
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      /* not URL-encoded */
    }
    for (const candidate of new Set([raw, decoded])) {
      if (candidate.includes('\0')) throw new ToolError('The path contains a NUL byte.');
      if (candidate.startsWith('~')) throw new ToolError(`"${raw}" points into a home folder; only workspace-relative paths are allowed.`);
      if (path.posix.isAbsolute(candidate) || path.win32.isAbsolute(candidate) || /^[a-z][a-z0-9+.-]*:/i.test(candidate)) {
        throw new ToolError(`"${raw}" is absolute; give a path relative to the workspace, e.g. "src/index.ts".`);
      }
      if (candidate.split(/[\\/]+/).includes('..')) throw new ToolError(`"${raw}" leaves the workspace ("..") and was refused.`);
    }
    if (decoded !== raw) throw new ToolError(`"${raw}" is URL-encoded; give the plain path.`);

    const segments = raw.replace(/\\/g, '/').split('/').filter(s => s && s !== '.');
    const folders = this.workspace.folders();
    if (!folders.length) throw new ToolError('No folder is open in the workspace.');
    // In a multi-root workspace another folder is reached only by naming it first.
    const named = folders.length > 1 ? folders.find(f => f.name === segments[0]) : undefined;
    const folder = named ?? folders[0];
    const relative = (named ? segments.slice(1) : segments).join('/');
    const display = this.displayPath(folder, relative);
    return { folder, absolute: path.join(folder.path, ...relative.split('/')), relative, display };
  }

  private deniedError(display: string): ToolError {
    return new ToolError(`"${display}" is hidden from tools: it may hold secrets (the secret-file list, comet.tools.extraDeniedFiles or .cometignore).`);
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** `a/b.ts`, not `/a`, `../a`, `a/../../b` or `` (what an engine returns is tested, not trusted), and no name with a
 *  line break, which a result of one path a line could not show as one. */
export function isPlainRelative(relative: string): boolean {
  return relative !== '' && !relative.startsWith('/') && !/^[a-zA-Z]:/.test(relative) && !/[\r\n]/.test(relative) && !relative.split(/[\\/]/).includes('..');
}
