// Layer node/: Node I/O that is not vscode (the disk, child processes). It may import core/ and shared/domain.
// The workspace's files as the disk has them, for the tools' WorkspacePort: the extension host runs where the files
// are, so it reads them directly (workspace.fs would make each read a round trip through the workbench).
import { promises as fs } from 'node:fs';
import type { FileStat } from '../core/tools/workspacePort';

/** What is at `file` (symbolic links followed), or undefined when nothing is. */
export async function statOnDisk(file: string): Promise<FileStat | undefined> {
  try {
    const stat = await fs.stat(file);
    return { type: stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other', size: stat.size };
  } catch {
    return undefined;
  }
}

export function realPathOnDisk(file: string): Promise<string> {
  return fs.realpath(file);
}

export function readOnDisk(file: string, signal?: AbortSignal): Promise<Uint8Array> {
  return fs.readFile(file, { signal });
}
