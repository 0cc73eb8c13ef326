// Layer node/: Node I/O that is not vscode (the disk, child processes). It may import core/ and shared/domain.
// Conversations on disk, in one folder per workspace that every window on it shares: one JSON file each, plus an
// index of titles so the list opens without reading every conversation.
// - Writes are atomic (temp file, then rename) and coalesced: at most one write in flight and one queued per file,
//   and the queued one serializes the newest state when it starts, so saving costs nothing on the caller's path.
// - Windows share the folder: every index change re-reads the index and writes it under a lock (./storeFiles), so
//   no window's change overwrites another's; a list reads it afresh; a change by another window is announced.
// - A conversation file that another window wrote since this one read it is kept as a copy before this one's
//   version is written, and the user is told.
// - A file that does not parse, has the wrong shape or a newer format is set aside with a warning (./storedConversation).
import * as l10n from '@vscode/l10n';
import { watch, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from '../core/conversation';
import { Disposable, toDisposable } from '../core/disposable';
import type { ConversationLibrary } from '../core/ports';
import { fingerprint, withStoreLock, writeAtomically } from './storeFiles';
import { copyFromOtherWindow, readIndexFile, summaryOf, writeIndexFile } from './storeIndex';
import { INDEX_FILE as INDEX } from './storeMigration';
import { decodeConversation, encodeConversation } from './storedConversation';

export interface StoreWarnings {
  warn(message: string): void;
}

// Conversation ids are UUIDs the host made (randomUUID); anything else, whoever passes it, names no file here.
const CONVERSATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONVERSATION_FILE = /^([0-9a-fA-F-]{36})\.json$/;
const CHANGE_SETTLE_MS = 150;

/** Whether `id` is in the store's own format: the only ids it reads, writes or deletes a file for. */
export function isConversationId(id: unknown): id is string {
  return typeof id === 'string' && CONVERSATION_ID.test(id);
}

export class StoreIdError extends Error {}

type Index = Map<string, ConversationSummary> & { rebuilt?: boolean };

export class ConversationStore extends Disposable implements ConversationLibrary {
  /** Per file, the state a queued (not yet started) write will serialize. */
  private readonly pending = new Map<string, () => string>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Per conversation file, its fingerprint when this store last read or wrote it. */
  private readonly seen = new Map<string, string>();
  private readonly reading = new Map<string, Promise<ConversationData | undefined>>();
  private folderReady: Promise<unknown> | undefined;
  /** Index changes in the order they were asked for, so a list() right after a save() sees it. */
  private indexChanges: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly folder: string, private readonly warnings: StoreWarnings) {
    super();
  }

  /** Queues a write of the conversation and its index entry; resolves when both are on disk. */
  async save(data: ConversationData, summary: ConversationSummary): Promise<void> {
    if (this.closed) return;
    if (!isConversationId(data.id) || summary.id !== data.id) throw new StoreIdError(`Refused to save a conversation with the id ${JSON.stringify(data.id).slice(0, 80)}.`);
    const written = this.write(`${data.id}.json`, () => encodeConversation(data));
    await this.changeIndex(index => {
      const known = index.get(summary.id);
      if (known?.title === summary.title && known.updatedAt === summary.updatedAt) return false;
      index.set(summary.id, summary);
      return true;
    });
    await written;
  }

  /** Newest first, as every window has saved them. */
  async list(): Promise<ConversationSummary[]> {
    await this.indexChanges;
    return [...(await this.readIndex()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<ConversationData | undefined> {
    if (!isConversationId(id)) return undefined;
    await this.writing.get(`${id}.json`);
    return this.read(`${id}.json`);
  }

  async delete(id: string): Promise<void> {
    if (!isConversationId(id)) return;
    this.pending.delete(`${id}.json`);
    await this.writing.get(`${id}.json`);
    await fs.rm(path.join(this.folder, `${id}.json`), { force: true });
    await this.changeIndex(index => index.delete(id));
  }

  /** Shutdown: later saves are dropped, so the next window finds the answer as it streamed, not the shutdown's stop. */
  close(): void {
    this.closed = true;
    // A queued write serializes when it starts (after the lock); by then the shutdown may have changed the entry.
    for (const [name, serialize] of this.pending) {
      const text = serialize();
      this.pending.set(name, () => text);
    }
  }

  /** Waits for every queued write (deactivation, tests). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()]);
    await this.indexChanges;
  }

  /** Calls `listener` (settled, once per burst) when the index changes on disk, by this window or another. */
  onDidChange(listener: () => void): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    void this.ready().then(() => {
      if (this.isDisposed) return;
      const watcher = watch(this.folder, (_event, name) => {
        if (name !== INDEX) return;
        clearTimeout(timer);
        timer = setTimeout(listener, CHANGE_SETTLE_MS);
      });
      watcher.on('error', () => watcher.close());
      this._register(toDisposable(() => (clearTimeout(timer), watcher.close())));
    });
  }

  /** Re-reads the index, applies a change and writes it, all under the store lock, unless nothing changed. */
  private changeIndex(change: (index: Index) => boolean): Promise<void> {
    const next = this.indexChanges.then(async () => {
      await this.ready();
      await withStoreLock(this.folder, async () => {
        const index = await this.readIndex();
        // A rebuilt index is written even when the change finds nothing to do: the next reader need not rebuild it.
        if (change(index) || index.rebuilt) await this.writeIndex(index);
      });
    });
    this.indexChanges = next.catch(() => undefined);
    return next;
  }

  private writeIndex(index: Index): Promise<void> {
    return writeIndexFile(this.folder, [...index.values()]);
  }

  private async readIndex(): Promise<Index> {
    let summaries = await readIndexFile(this.folder);
    const rebuilt = summaries === undefined;
    summaries ??= await this.rebuildIndex();
    return Object.assign(new Map(summaries.map(summary => [summary.id, summary])), { rebuilt });
  }

  // The index is only a cache of the conversation files; without it, read them all once.
  private async rebuildIndex(): Promise<ConversationSummary[]> {
    const names = (await fs.readdir(this.folder).catch(() => [] as string[])).filter(name => CONVERSATION_FILE.test(name));
    const summaries: ConversationSummary[] = [];
    for (const name of names) {
      const data = await this.read(name);
      if (data) summaries.push(summaryOf(data, (await fs.stat(path.join(this.folder, name)).catch(() => undefined))?.mtimeMs ?? 0));
    }
    return summaries;
  }

  /** Reads of one file at the same time (a list and an index change both rebuilding) share one read. */
  private read(name: string): Promise<ConversationData | undefined> {
    let reading = this.reading.get(name);
    if (!reading) {
      reading = this.readNow(name).finally(() => this.reading.delete(name));
      this.reading.set(name, reading);
    }
    return reading;
  }

  private async readNow(name: string): Promise<ConversationData | undefined> {
    const file = path.join(this.folder, name);
    const seen = await fingerprint(file);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined || seen === undefined) return undefined;
    const decoded = decodeConversation(text);
    if (decoded.ok && `${decoded.data.id}.json` === name) {
      this.seen.set(name, seen);
      return decoded.data;
    }
    const aside = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    this.warnings.warn(l10n.t('Conversation file {0} was set aside because {1}; it is now {2}.', name, decoded.ok ? l10n.t('its id is not its file name') : decoded.reason, path.basename(aside)));
    // Not awaited: a read may run inside an index change (rebuilding it), which this one then follows.
    const id = CONVERSATION_FILE.exec(name)?.[1];
    if (id) void this.changeIndex(index => index.delete(id)).catch(() => undefined);
    return undefined;
  }

  // A write already queued for this file will serialize the newest state when it starts: join it. Otherwise queue
  // one after whatever is in flight. Either way the promise resolves once this state (or a newer one) is on disk.
  private write(name: string, serialize: () => string): Promise<void> {
    const queued = this.pending.has(name);
    this.pending.set(name, serialize);
    if (queued) return this.writing.get(name)!;
    const run = (this.writing.get(name) ?? Promise.resolve()).then(() => this.writeNow(name));
    this.writing.set(name, run);
    void run.finally(() => {
      if (this.writing.get(name) === run) this.writing.delete(name);
    });
    return run;
  }

  private async writeNow(name: string): Promise<void> {
    const serialize = this.pending.get(name);
    this.pending.delete(name);
    if (!serialize) return;
    const file = path.join(this.folder, name);
    try {
      await this.ready();
      await withStoreLock(this.folder, async () => {
        await this.keepOtherWindowsCopy(name);
        await writeAtomically(file, serialize());
        const now = await fingerprint(file);
        if (now) this.seen.set(name, now);
      });
    } catch (error) {
      this.warnings.warn(l10n.t('Could not save {0}: {1}', name, (error as Error).message));
    }
  }

  /** Under the lock: when another window wrote this conversation since we read it, keep theirs as a copy. */
  private async keepOtherWindowsCopy(name: string): Promise<void> {
    const file = path.join(this.folder, name);
    const [before, now] = [this.seen.get(name), await fingerprint(file)];
    if (before === undefined || now === undefined || now === before) return;
    const decoded = decodeConversation(await fs.readFile(file, 'utf8'));
    if (!decoded.ok) return;
    const { copy, summary, original } = copyFromOtherWindow(decoded.data);
    await writeAtomically(path.join(this.folder, `${copy.id}.json`), encodeConversation(copy));
    const index = await this.readIndex();
    index.set(copy.id, summary);
    await this.writeIndex(index);
    this.warnings.warn(l10n.t('"{0}" was changed in another window too. Both versions are kept: the other one is listed as "{1}".', original, summary.title));
  }

  private ready(): Promise<unknown> {
    return (this.folderReady ??= fs.mkdir(this.folder, { recursive: true }));
  }
}
