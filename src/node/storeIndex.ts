// The store's index of titles (a cache of the conversation files, rebuilt from them when missing), and the copy a
// store keeps of a conversation another window changed.
import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from '../core/conversation';
import { titleFromQuestion, type UserEntry } from '../shared/domain';
import { writeAtomically } from './storeFiles';
import { INDEX_FILE } from './storeMigration';
import { STORE_FORMAT } from './storedConversation';

/** The summaries in the index file, or undefined when it is missing or of no known shape. */
export async function readIndexFile(folder: string): Promise<ConversationSummary[] | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(folder, INDEX_FILE), 'utf8')) as unknown;
    // 0.1.0 wrote a bare list; format 2 wraps it with its version.
    const list = Array.isArray(parsed) ? parsed : (parsed as { conversations?: unknown })?.conversations;
    if (Array.isArray(list) && list.every(s => typeof s?.id === 'string' && typeof s?.title === 'string' && typeof s?.updatedAt === 'number')) return list;
  } catch {
    /* missing or unreadable */
  }
  return undefined;
}

export function writeIndexFile(folder: string, summaries: ConversationSummary[]): Promise<void> {
  return writeAtomically(path.join(folder, INDEX_FILE), JSON.stringify({ format: STORE_FORMAT, conversations: summaries }));
}

export function summaryOf(data: ConversationData, fallbackDate: number): ConversationSummary {
  const title = data.title ?? titleFromQuestion(data.entries.find((e): e is UserEntry => e.kind === 'user')?.text);
  return { id: data.id, title, updatedAt: data.updatedAt ?? fallbackDate };
}

/** The other window's version under a new id and a title that says where it came from. */
export function copyFromOtherWindow(theirs: ConversationData): { copy: ConversationData; summary: ConversationSummary; original: string } {
  const { title, updatedAt } = summaryOf(theirs, Date.now());
  const copy: ConversationData = { ...theirs, id: randomUUID(), title: l10n.t('{0} (from another window)', title), updatedAt };
  return { copy, summary: summaryOf(copy, updatedAt), original: title };
}
