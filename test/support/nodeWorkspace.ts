// The tools' WorkspacePort over plain Node fs and ripgrep, for unit tests and benchmarks on real temporary folders.
// (In VS Code, src/host/vscodeWorkspace.ts plays this part.)
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readOnDisk, realPathOnDisk, statOnDisk } from '../../src/node/diskFiles';
import { ripgrepFiles, ripgrepSearch } from '../../src/node/ripgrep';
import type { FileStat, HiddenFiles, SearchOptions, SearchOutcome, WorkspaceFolderInfo, WorkspacePort } from '../../src/core/tools/workspacePort';

export function systemRipgrep(): string {
  return execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
}

export class NodeWorkspace implements WorkspacePort {
  readonly unsaved = new Map<string, string>();

  constructor(private readonly roots: WorkspaceFolderInfo[], private readonly rgPath = systemRipgrep(), readonly excludes: string[] = []) {}

  folders(): readonly WorkspaceFolderInfo[] {
    return this.roots;
  }

  stat(file: string): Promise<FileStat | undefined> {
    return statOnDisk(file);
  }

  realPath(file: string): Promise<string> {
    return realPathOnDisk(file);
  }

  readFile(file: string, signal: AbortSignal): Promise<Uint8Array> {
    return readOnDisk(file, signal);
  }

  unsavedText(file: string): string | undefined {
    return this.unsaved.get(file);
  }

  async search(folder: WorkspaceFolderInfo, options: SearchOptions, signal: AbortSignal): Promise<SearchOutcome> {
    const outcome = await ripgrepSearch({ rgPath: this.rgPath, cwd: folder.path, excludes: this.excludes, hidden: options.hidden, signal }, options);
    return { ...outcome, engine: 'ripgrep' };
  }

  listFiles(folder: WorkspaceFolderInfo, glob: string, max: number, hidden: HiddenFiles, signal: AbortSignal): Promise<string[]> {
    return ripgrepFiles({ rgPath: this.rgPath, cwd: folder.path, excludes: this.excludes, hidden, signal }, glob, max);
  }
}

/** A temporary folder filled from a map of relative path -> content. */
export async function makeFolder(files: Record<string, string | Uint8Array>, prefix = 'comet-tools-'): Promise<string> {
  const root = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), prefix));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return root;
}
