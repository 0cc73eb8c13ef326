// Conversations on disk, one JSON file each, in the extension's storage folder. Writes are atomic (temp file, then
// rename) and coalesced (one write in flight per conversation, the newest state wins), and a file that does not parse
// is moved aside with a warning instead of breaking the chat.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData } from './conversation';

export interface StoreWarnings {
  warn(message: string): void;
}

const FILE = /^[A-Za-z0-9-]+\.json$/;

export class ConversationStore {
  private readonly pending = new Map<string, string>();
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly folder: string, private readonly warnings: StoreWarnings) {}

  /** Queues a write of the conversation; resolves when the newest queued state is on disk. */
  save(data: ConversationData): Promise<void> {
    this.pending.set(data.id, JSON.stringify(data));
    const inFlight = this.writing.get(data.id);
    if (inFlight) return inFlight;
    const run = this.drain(data.id).finally(() => this.writing.delete(data.id));
    this.writing.set(data.id, run);
    return run;
  }

  /** Waits for every queued write (deactivation, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.writing.values()]);
  }

  /** The most recently written conversation, or undefined when there is none (or none readable). */
  async loadLatest(): Promise<ConversationData | undefined> {
    let names: string[];
    try {
      names = (await fs.readdir(this.folder)).filter(name => FILE.test(name));
    } catch {
      return undefined;
    }
    const dated = await Promise.all(
      names.map(async name => ({ name, mtime: (await fs.stat(path.join(this.folder, name))).mtimeMs })),
    );
    dated.sort((a, b) => b.mtime - a.mtime);
    for (const { name } of dated) {
      const data = await this.read(name);
      if (data) return data;
    }
    return undefined;
  }

  private async read(name: string): Promise<ConversationData | undefined> {
    const file = path.join(this.folder, name);
    try {
      const data = JSON.parse(await fs.readFile(file, 'utf8')) as ConversationData;
      if (typeof data?.id !== 'string' || !Array.isArray(data.entries) || typeof data.transcript !== 'object') {
        throw new Error('not a conversation');
      }
      return data;
    } catch (error) {
      const aside = `${file}.corrupt-${Date.now()}`;
      await fs.rename(file, aside).catch(() => undefined);
      this.warnings.warn(`Conversation file ${name} could not be read (${(error as Error).message}); moved it to ${path.basename(aside)}.`);
      return undefined;
    }
  }

  private async drain(id: string): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    for (let json = this.pending.get(id); json !== undefined; json = this.pending.get(id)) {
      this.pending.delete(id);
      const file = path.join(this.folder, `${id}.json`);
      const temp = `${file}.${process.pid}.tmp`;
      try {
        await fs.writeFile(temp, json, 'utf8');
        await fs.rename(temp, file);
      } catch (error) {
        this.warnings.warn(`Could not save the conversation: ${(error as Error).message}`);
      }
    }
  }
}
