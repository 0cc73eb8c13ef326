// The disk primitives of the conversation store: an atomic write, a fingerprint that tells whether another window
// wrote a file since this one last saw it, and the store-wide lock every window takes around a read-modify-write
// (by proper-lockfile: an exclusive mkdir with a heartbeat, so a crashed window's lock goes stale instead of blocking).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';

export const LOCK_NAME = 'store';

/** Temp file, then rename: a reader sees the old file or the new one, never half of one. */
export async function writeAtomically(file: string, text: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}

/** Size and modification time: what changes when anyone writes the file. */
export async function fingerprint(file: string): Promise<string | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  return stat && `${stat.size}:${stat.mtimeMs}`;
}

/** Runs `work` holding the lock of the store folder, shared by every window and process on this machine. */
export async function withStoreLock<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(path.join(folder, LOCK_NAME), {
    realpath: false,
    // The holder refreshes the lock every second; one not refreshed for 2 s (a killed window) is taken over.
    stale: 2_000,
    onCompromised: () => undefined,
    retries: { retries: 100, factor: 1.3, minTimeout: 5, maxTimeout: 250 },
  });
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
