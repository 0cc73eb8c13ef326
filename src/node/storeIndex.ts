// The store's index of titles (a cache of the conversation files, rebuilt from them when missing), shared by every
// window on the workspace, and the copy a store keeps of a conversation another window changed.
import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from '../core/conversation';
import { titleFromQuestion, type UserEntry } from '../shared/domain';
import { withStoreLock, writeAtomically } from './storeFiles';
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

type Index = Map<string, ConversationSummary> & { rebuilt?: boolean };

const summaryKey = (summary: ConversationSummary) => `${summary.title}\0${summary.updatedAt}`;

/** The index file of one store folder: every change re-reads it and writes it under the store lock, so no window's
 *  change overwrites another's, and changes apply in the order they were asked for. */
export class SharedIndex {
  /** Changes in order, so a list() right after a put() sees it. */
  private changes: Promise<unknown> = Promise.resolve();
  /** Per conversation, the summary this window last put (a streaming save then skips the index). */
  private readonly ownPuts = new Map<string, string>();

  constructor(
    private readonly folder: string,
    private readonly ready: () => Promise<unknown>,
    /** The summaries of the conversation files, for an index that is missing. */
    private readonly rebuild: () => Promise<ConversationSummary[]>,
  ) {}

  /** Newest first, as every window has saved them. */
  async list(): Promise<ConversationSummary[]> {
    await this.changes;
    return [...(await this.read()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Whether this window last put exactly this summary. */
  holds(summary: ConversationSummary): boolean {
    return this.ownPuts.get(summary.id) === summaryKey(summary);
  }

  async put(summary: ConversationSummary): Promise<void> {
    await this.change(index => {
      const known = index.get(summary.id);
      if (known?.title === summary.title && known.updatedAt === summary.updatedAt) return false;
      index.set(summary.id, summary);
      return true;
    });
    this.ownPuts.set(summary.id, summaryKey(summary));
  }

  remove(id: string): Promise<void> {
    this.ownPuts.delete(id);
    return this.change(index => index.delete(id));
  }

  /** For a caller that already holds the store lock. */
  async putWhileLocked(summary: ConversationSummary): Promise<void> {
    const index = await this.read();
    index.set(summary.id, summary);
    await writeIndexFile(this.folder, [...index.values()]);
  }

  /** Waits for the changes asked for so far. */
  settled(): Promise<unknown> {
    return this.changes;
  }

  /** Re-reads the index, applies a change and writes it, all under the store lock, unless nothing changed. */
  private change(apply: (index: Index) => boolean): Promise<void> {
    const next = this.changes.then(async () => {
      await this.ready();
      await withStoreLock(this.folder, async () => {
        const index = await this.read();
        // A rebuilt index is written even when the change finds nothing to do: the next reader need not rebuild it.
        if (apply(index) || index.rebuilt) await writeIndexFile(this.folder, [...index.values()]);
      });
    });
    this.changes = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Index> {
    let summaries = await readIndexFile(this.folder);
    const rebuilt = summaries === undefined;
    summaries ??= await this.rebuild();
    return Object.assign(new Map(summaries.map(summary => [summary.id, summary])), { rebuilt });
  }
}
