// Where the conversations of this workspace live. Not in context.storageUri: VS Code gives a second window on the
// same workspace a storage folder of its own, so each window would keep (and later lose) its own conversations.
// Instead one folder under globalStorageUri per workspace, named by a hash of what identifies the workspace (its
// .code-workspace file, or its folders), which every window on it finds.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { legacyStoreFolders, migrateLegacyStores } from '../node/storeMigration';

export interface StoreLocation {
  folder: string;
  /** Where 0.1.0 kept this workspace's conversations (this window's storage folder; its siblings are found on disk). */
  legacyStorage?: string;
  /** 0.1.0's store of a window without a workspace. */
  legacyFolder?: string;
}

export function conversationStoreLocation(context: vscode.ExtensionContext): StoreLocation {
  const workspaceFile = vscode.workspace.workspaceFile;
  const folders = (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.toString()).sort();
  const identity = workspaceFile && workspaceFile.scheme !== 'untitled' ? workspaceFile.toString() : folders.join('\n');
  const key = identity ? createHash('sha256').update(identity).digest('hex').slice(0, 32) : 'no-workspace';
  const folder = path.join(context.globalStorageUri.fsPath, 'workspaces', key, 'conversations');
  if (context.storageUri) return { folder, legacyStorage: context.storageUri.fsPath };
  return { folder, legacyFolder: path.join(context.globalStorageUri.fsPath, 'conversations') };
}

/** The store folder, with 0.1.0's per-window stores moved into it first; a failed move is logged, never thrown. */
export async function prepareConversationStore(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<string> {
  const location = conversationStoreLocation(context);
  try {
    const legacy = location.legacyStorage ? await legacyStoreFolders(location.legacyStorage) : location.legacyFolder ? [location.legacyFolder] : [];
    const copied = await migrateLegacyStores(location.folder, legacy);
    if (copied) log.info(`moved ${copied} conversations from per-window storage into ${location.folder}`);
  } catch (error) {
    log.warn(`could not move the conversations of older windows: ${String(error)}`);
  }
  return location.folder;
}
