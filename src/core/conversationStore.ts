// Conversations on disk, in the extension's storage folder for this workspace: one JSON file each, plus an index of
// titles so the list opens without reading every conversation. Writes are atomic (temp file, then rename) and
// coalesced (one write in flight per file, the newest state wins); a file that does not parse is moved aside with a
// warning instead of breaking the chat.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from './conversation';

export interface StoreWarnings {
  warn(message: string): void;
}

const INDEX = 'index.json';
const CONVERSATION_FILE = /^([A-Za-z0-9-]+)\.json$/;

export class ConversationStore {
  private readonly pending = new Map<string, string>();
  private readonly writing = new Map<string, Promise<void>>();
  private index: Map<string, ConversationSummary> | undefined;
  /** Index changes in the order they were asked for, so a list() right after a save() sees it. */
  private indexChanges: Promise<unknown> = Promise.resolve();

  constructor(private readonly folder: string, private readonly warnings: StoreWarnings) {}

  /** Queues a write of the conversation and its index entry; resolves when both are on disk. */
  async save(data: ConversationData, summary: ConversationSummary): Promise<void> {
    const written = this.write(`${data.id}.json`, JSON.stringify(data));
    await this.changeIndex(index => index.set(summary.id, summary));
    await written;
  }

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    await this.indexChanges;
    return [...(await this.loadIndex()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<ConversationData | undefined> {
    if (!/^[A-Za-z0-9-]+$/.test(id)) return undefined;
    await this.writing.get(`${id}.json`);
    return this.read(`${id}.json`);
  }

  async delete(id: string): Promise<void> {
    this.pending.delete(`${id}.json`);
    await this.writing.get(`${id}.json`);
    await fs.rm(path.join(this.folder, `${id}.json`), { force: true });
    await this.changeIndex(index => index.delete(id));
  }

  private changeIndex(change: (index: Map<string, ConversationSummary>) => void): Promise<void> {
    const next = this.indexChanges.then(async () => {
      change(await this.loadIndex());
      await this.writeIndex();
    });
    this.indexChanges = next.catch(() => undefined);
    return next;
  }

  /** Waits for every queued write (deactivation, tests). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()]);
  }

  private writeIndex(): Promise<void> {
    return this.write(INDEX, JSON.stringify([...(this.index ?? new Map()).values()]));
  }

  private async loadIndex(): Promise<Map<string, ConversationSummary>> {
    if (this.index) return this.index;
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
      const first = data.entries.find(e => e.kind === 'user');
      const title = data.title ?? (first && first.kind === 'user' ? first.text.split('\n')[0].slice(0, 60) : 'New chat');
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
    try {
      const data = JSON.parse(text) as ConversationData;
      if (typeof data?.id !== 'string' || !Array.isArray(data.entries) || typeof data.transcript !== 'object') throw new Error('not a conversation');
      return data;
    } catch (error) {
      const aside = `${file}.corrupt-${Date.now()}`;
      await fs.rename(file, aside).catch(() => undefined);
      this.warnings.warn(`Conversation file ${name} could not be read (${(error as Error).message}); moved it to ${path.basename(aside)}.`);
      return undefined;
    }
  }

  private write(name: string, json: string): Promise<void> {
    this.pending.set(name, json);
    const inFlight = this.writing.get(name);
    if (inFlight) return inFlight; // its loop picks up the newest pending state
    const run = this.drain(name).finally(() => this.writing.delete(name));
    this.writing.set(name, run);
    return run;
  }

  private async drain(name: string): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    for (let json = this.pending.get(name); json !== undefined; json = this.pending.get(name)) {
      this.pending.delete(name);
      const file = path.join(this.folder, name);
      const temp = `${file}.${process.pid}.tmp`;
      try {
        await fs.writeFile(temp, json, 'utf8');
        await fs.rename(temp, file);
      } catch (error) {
        this.warnings.warn(`Could not save ${name}: ${(error as Error).message}`);
      }
    }
  }
}
