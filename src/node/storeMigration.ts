// Conversations saved by 0.1.0 lived in the per-window workspace storage folder, and a second window on the same
// workspace gets a folder of its own (`<id>-1` beside `<id>`), so each window had its own store. This moves every
// one of them into the store keyed by the workspace: files the new store lacks are copied, nothing is overwritten,
// and the old folder is renamed (kept, not deleted) so it is migrated once.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withStoreLock } from './storeFiles';

const CONVERSATION_FILE = /^[0-9a-fA-F-]{36}\.json$/;
export const INDEX_FILE = 'index.json';

/**
 * The 0.1.0 store folders of this workspace: `storageFolder` (context.storageUri) and its `-N` siblings, each
 * `<workspaceStorage>/<id>[-N]/<extension id>/conversations`.
 */
export async function legacyStoreFolders(storageFolder: string): Promise<string[]> {
  const extensionDir = path.basename(storageFolder);
  const windowDir = path.dirname(storageFolder);
  const root = path.dirname(windowDir);
  const base = workspaceStorageId(path.basename(windowDir));
  const names = await fs.readdir(root).catch(() => [] as string[]);
  return names.filter(name => workspaceStorageId(name) === base).map(name => path.join(root, name, extensionDir, 'conversations'));
}

/**
 * The workspace id a per-window storage folder belongs to: VS Code names a further window's folder `<id>-1` to
 * `<id>-9`. The id itself may start with a dash (code-server's is a signed hash in hex, such as `-38755963`), so only
 * a suffix after a non-empty id counts: `-38755963` is an id, `-38755963-2` its second window's folder.
 */
export function workspaceStorageId(folderName: string): string {
  return /^(.+)-[1-9]$/.exec(folderName)?.[1] ?? folderName;
}

/** Moves the conversations of `legacy` folders into `target`; returns how many files were copied. */
export async function migrateLegacyStores(target: string, legacy: readonly string[]): Promise<number> {
  let copied = 0;
  await fs.mkdir(target, { recursive: true });
  await withStoreLock(target, async () => {
    for (const folder of legacy) {
      if (path.resolve(folder) === path.resolve(target)) continue;
      const names = (await fs.readdir(folder).catch(() => [] as string[])).filter(name => CONVERSATION_FILE.test(name));
      if (!names.length) continue;
      for (const name of names) {
        // COPYFILE_EXCL: a conversation the new store already has is never overwritten.
        const done = await fs.copyFile(path.join(folder, name), path.join(target, name), fs.constants.COPYFILE_EXCL).then(() => true, () => false);
        if (done) copied++;
      }
      await fs.rename(folder, `${folder}.migrated-${Date.now()}`).catch(() => undefined);
    }
    // The index is a cache of the files: without it, the store rebuilds it from all of them, the copies included.
    if (copied) await fs.rm(path.join(target, INDEX_FILE), { force: true });
  });
  return copied;
}
