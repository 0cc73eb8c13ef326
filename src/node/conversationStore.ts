// Layer node/: Node I/O that is not vscode (the disk, child processes). It may import core/ and shared/domain.
// Conversations on disk, in the extension's storage folder for this workspace: one JSON file each, plus an index of
// titles so the list opens without reading every conversation. Writes are atomic (temp file, then rename) and
// coalesced: at most one write in flight and one queued per file, and the queued one serializes the newest state
// when it starts, so saving costs nothing on the caller's path (a question about to be sent). A file that does not
// parse, has the wrong shape or a newer format is moved aside with a warning instead of breaking the chat (the format
// is ./storedConversation).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from '../core/conversation';
import type { ConversationLibrary } from '../core/ports';
import { titleFromQuestion, type UserEntry } from '../shared/domain';
import { decodeConversation, encodeConversation } from './storedConversation';

export interface StoreWarnings {
  warn(message: string): void;
}

const INDEX = 'index.json';
// Conversation ids are UUIDs the host made (randomUUID); anything else, whoever passes it, names no file here.
const CONVERSATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONVERSATION_FILE = /^([0-9a-fA-F-]{36})\.json$/;

/** Whether `id` is in the store's own format: the only ids it reads, writes or deletes a file for. */
export function isConversationId(id: unknown): id is string {
  return typeof id === 'string' && CONVERSATION_ID.test(id);
}

export class StoreIdError extends Error {}

export class ConversationStore implements ConversationLibrary {
  /** Per file, the state a queued (not yet started) write will serialize. */
  private readonly pending = new Map<string, () => string>();
  private readonly writing = new Map<string, Promise<void>>();
  private index: Map<string, ConversationSummary> | undefined;
  private indexLoad: Promise<Map<string, ConversationSummary>> | undefined;
  private folderReady: Promise<unknown> | undefined;
  /** Index changes in the order they were asked for, so a list() right after a save() sees it. */
  private indexChanges: Promise<unknown> = Promise.resolve();

  constructor(private readonly folder: string, private readonly warnings: StoreWarnings) {}

  /** Queues a write of the conversation and its index entry; resolves when both are on disk. */
  async save(data: ConversationData, summary: ConversationSummary): Promise<void> {
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

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    await this.indexChanges;
    return [...(await this.loadIndex()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
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

  /** Applies a change to the index and writes it, unless the change says nothing changed. */
  private changeIndex(change: (index: Map<string, ConversationSummary>) => boolean): Promise<void> {
    const next = this.indexChanges.then(async () => {
      if (change(await this.loadIndex())) await this.writeIndex();
    });
    this.indexChanges = next.catch(() => undefined);
    return next;
  }

  /** Waits for every queued write (deactivation, tests). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()]);
  }

  private writeIndex(): Promise<void> {
    return this.write(INDEX, () => JSON.stringify([...(this.index ?? new Map()).values()]));
  }

  // Once per store: two callers at start (a list, and an index change a set-aside file queues) share one read.
  private loadIndex(): Promise<Map<string, ConversationSummary>> {
    return (this.indexLoad ??= this.readIndex());
  }

  private async readIndex(): Promise<Map<string, ConversationSummary>> {
    let summaries: ConversationSummary[] | undefined;
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(this.folder, INDEX), 'utf8')) as unknown;
      if (Array.isArray(parsed) && parsed.every(s => typeof s?.id === 'string' && typeof s?.title === 'string')) summaries = parsed;
    } catch {
      /* missing or unreadable: rebuilt below */
    }
    summaries ??= await this.rebuildIndex();
    this.index ??= new Map(summaries.map(summary => [summary.id, summary]));
    return this.index;
  }

  // The index is only a cache of the conversation files; without it, read them all once.
  private async rebuildIndex(): Promise<ConversationSummary[]> {
    let names: string[] = [];
    try {
      names = (await fs.readdir(this.folder)).filter(name => CONVERSATION_FILE.test(name) && name !== INDEX);
    } catch {
      return [];
    }
    const summaries: ConversationSummary[] = [];
    for (const name of names) {
      const data = await this.read(name);
      if (!data) continue;
      const title = data.title ?? titleFromQuestion(data.entries.find((e): e is UserEntry => e?.kind === 'user')?.text);
      summaries.push({ id: data.id, title, updatedAt: data.updatedAt ?? (await fs.stat(path.join(this.folder, name))).mtimeMs });
    }
    return summaries;
  }

  private async read(name: string): Promise<ConversationData | undefined> {
    const file = path.join(this.folder, name);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const decoded = decodeConversation(text);
    if (decoded.ok && `${decoded.data.id}.json` === name) return decoded.data;
    const reason = decoded.ok ? 'its id is not its file name' : decoded.reason;
    const aside = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    this.warnings.warn(`Conversation file ${name} was set aside because ${reason}; it is now ${path.basename(aside)}.`);
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
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await (this.folderReady ??= fs.mkdir(this.folder, { recursive: true }));
      await fs.writeFile(temp, serialize(), 'utf8');
      await fs.rename(temp, file);
    } catch (error) {
      this.warnings.warn(`Could not save ${name}: ${(error as Error).message}`);
    }
  }
}
