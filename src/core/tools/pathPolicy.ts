// Where a tool may look: only inside the workspace folders, never through a symlink that leads out, and never at
// files that commonly hold secrets. Every refusal says why, so the model can correct itself.
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { WorkspaceFolderInfo, WorkspacePort } from './workspacePort';

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
  private readonly denied: (relative: string) => boolean;

  /** `deniedFiles`: comet.tools.deniedFiles (its default is in package.json). */
  constructor(private readonly workspace: WorkspacePort, deniedFiles: readonly string[]) {
    // A pattern without a slash (`*.pem`) matches a file name at any depth; one with a slash matches the whole path.
    const byName = deniedFiles.filter(p => !p.includes('/'));
    const byPath = deniedFiles.filter(p => p.includes('/'));
    const nameMatch = byName.length ? picomatch(byName, { dot: true, basename: true }) : () => false;
    const pathMatch = byPath.length ? picomatch(byPath, { dot: true }) : () => false;
    this.denied = relative => nameMatch(relative) || pathMatch(relative);
  }

  /** Resolves a model-supplied path, or throws a ToolError that says what was wrong. */
  async resolve(input: unknown): Promise<ResolvedPath> {
    const resolved = this.resolveLexically(input);
    const real = await this.workspace.realPath(resolved.absolute).catch(() => undefined);
    if (real !== undefined) {
      const realRoot = await this.workspace.realPath(resolved.folder.path).catch(() => resolved.folder.path);
      if (!isInside(realRoot, real)) throw new ToolError(`"${resolved.display}" is a link that leads outside the workspace; it was not read.`);
      const realRelative = toPosix(path.relative(realRoot, real));
      if (realRelative && this.denied(realRelative)) throw this.deniedError(resolved.display);
    }
    return resolved;
  }

  /** Whether a workspace-relative path is on the secret list (search and list results leave such files out). */
  isDenied(relative: string): boolean {
    return this.denied(relative);
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
    if (relative && this.denied(relative)) throw this.deniedError(display);
    return { folder, absolute: path.join(folder.path, ...relative.split('/')), relative, display };
  }

  private deniedError(display: string): ToolError {
    return new ToolError(`"${display}" may hold secrets and is not readable by tools (setting comet.tools.deniedFiles).`);
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
