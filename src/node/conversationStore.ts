// Layer node/: Node I/O that is not vscode (the disk, child processes). It may import core/ and shared/domain.
// Conversations on disk, in one folder per workspace that every window on it shares: one JSON file each, plus an
// index of titles so the list opens without reading every conversation.
// - Writes are atomic (temp file, then rename) and coalesced: at most one write in flight and one queued per file,
//   and the queued one serializes the newest state when it starts, so saving costs nothing on the caller's path.
// - Windows share the folder: every index change re-reads the index and writes it under a lock (./storeIndex), so
//   no window's change overwrites another's; a list reads it afresh; a change by another window is announced.
// - A conversation file that another window wrote since this one read it is kept as a copy before this one's
//   version is written, and the user is told.
// - A file that does not parse, has the wrong shape or a newer format is set aside with a warning (./storedConversation).
// - While an answer streams, a save costs the delta: the first writes the whole conversation with a journal token, the
//   next ones append what the answer gained to `<id>.journal` (./storeJournal); a whole save (the answer's end, any
//   other change, close) folds it in and removes it. Readers apply a journal that extends the file they read, and
//   fold one its window left behind (a crash). What another window may have changed is the file and the journal.
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { watch, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConversationData, ConversationSummary } from '../core/conversation';
import { Disposable, toDisposable } from '../core/disposable';
import type { ConversationLibrary } from '../core/ports';
import { fingerprint, withStoreLock, writeAtomically } from './storeFiles';
import { copyFromOtherWindow, SharedIndex, summaryOf } from './storeIndex';
import { INDEX_FILE as INDEX } from './storeMigration';
import { decodeConversation, encodeConversation } from './storedConversation';
import { applyJournal, frameRecord, JOURNAL_SUFFIX, journalInUse, lockJournal, type JournalDelta } from './storeJournal';
import type { AssistantEntry } from '../shared/domain';

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

/** A queued write: run under the store lock; `freeze` fixes what it will write to the state right now (close). */
interface Job {
  readonly answer: boolean;
  run(): Promise<void>;
  freeze(): void;
}

/** The journal this store appends to for one conversation, and how much of its answer is in it. */
interface OpenJournal {
  base: string;
  entryId: string;
  text: number;
  reasoning: number;
  tools: string;
  /** The conversation as the answer's saves see it, for the fold at close. */
  latest: () => ConversationData;
  release?: () => Promise<void>;
}

export class ConversationStore extends Disposable implements ConversationLibrary {
  /** Per file, the queued (not yet started) write; it serializes the newest state when it starts. */
  private readonly pending = new Map<string, Job>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Per conversation file, the fingerprints of it and its journal when this store last read or wrote them. */
  private readonly seen = new Map<string, string>();
  private readonly journals = new Map<string, OpenJournal>();
  private readonly reading = new Map<string, Promise<ConversationData | undefined>>();
  private folderReady: Promise<unknown> | undefined;
  private readonly index: SharedIndex;
  private closed = false;

  constructor(private readonly folder: string, private readonly warnings: StoreWarnings) {
    super();
    this.index = new SharedIndex(folder, () => this.ready(), () => this.summariesOfFiles());
  }

  /** Queues a write of the conversation and its index entry; resolves when both are on disk. */
  async save(data: ConversationData, summary: ConversationSummary): Promise<void> {
    if (this.closed) return;
    if (!isConversationId(data.id) || summary.id !== data.id) throw new StoreIdError(`Refused to save a conversation with the id ${JSON.stringify(data.id).slice(0, 80)}.`);
    const written = this.write(`${data.id}.json`, this.wholeJob(data));
    await this.index.put(summary);
    await written;
  }

  /**
   * A save while `entry` streams: appends what it gained since the last save to the conversation's journal. The
   * first save of an answer, or one after anything else changed, writes the whole conversation instead.
   */
  async saveAnswer(data: () => ConversationData, summary: ConversationSummary, entry: AssistantEntry): Promise<void> {
    if (this.closed) return;
    if (!isConversationId(summary.id)) throw new StoreIdError(`Refused to save a conversation with the id ${JSON.stringify(summary.id).slice(0, 80)}.`);
    const written = this.write(`${summary.id}.json`, this.answerJob(summary.id, data, entry));
    if (!this.index.holds(summary)) await this.index.put(summary);
    await written;
  }

  /** Newest first, as every window has saved them. */
  async list(): Promise<ConversationSummary[]> {
    return this.index.list();
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
    await this.endJournal(id);
    await fs.rm(path.join(this.folder, `${id}.json`), { force: true });
    await this.index.remove(id);
  }

  /** Shutdown: later saves are dropped, so the next window finds the answer as it streamed, not the shutdown's stop. */
  close(): void {
    this.closed = true;
    // A journal still open is folded into its conversation file, as the answer stands now.
    for (const [id, journal] of this.journals) if (!this.pending.has(`${id}.json`)) void this.write(`${id}.json`, this.wholeJob(journal.latest()));
    // A queued write serializes when it starts (after the lock); by then the shutdown may have changed the entry.
    for (const job of this.pending.values()) job.freeze();
  }

  override dispose(): void {
    for (const journal of this.journals.values()) void journal.release?.();
    super.dispose();
  }

  /** Waits for every queued write (deactivation, tests). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()]);
    await this.index.settled();
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

  // The index is only a cache of the conversation files; without it, read them all once.
  private async summariesOfFiles(): Promise<ConversationSummary[]> {
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
    const seen = await this.stateOf(name);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined || seen === undefined) return undefined;
    const journal = await fs.readFile(journalOf(file)).catch(() => undefined);
    const decoded = decodeConversation(text);
    if (decoded.ok && `${decoded.data.id}.json` === name) {
      this.seen.set(name, seen);
      if (journal) {
        if (decoded.journal) applyJournal(decoded.data, decoded.journal, journal);
        // Not awaited, as below; a journal this store is not writing may have been left by a crashed window.
        if (!this.journals.has(decoded.data.id) && !this.pending.has(name)) void this.write(name, this.foldJob(name));
      }
      return decoded.data;
    }
    const aside = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    this.warnings.warn(l10n.t('Conversation file {0} was set aside because {1}; it is now {2}.', name, decoded.ok ? l10n.t('its id is not its file name') : decoded.reason, path.basename(aside)));
    // Not awaited: a read may run inside an index change (rebuilding it), which this one then follows.
    const id = CONVERSATION_FILE.exec(name)?.[1];
    if (id) void this.index.remove(id).catch(() => undefined);
    return undefined;
  }

  // A write already queued for this file will serialize the newest state when it starts: join it. Otherwise queue
  // one after whatever is in flight. Either way the promise resolves once this state (or a newer one) is on disk.
  // A streaming save never replaces a whole one queued: that one writes the newest state anyway.
  private write(name: string, job: Job): Promise<void> {
    const queued = this.pending.get(name);
    if (!(queued && job.answer && !queued.answer)) this.pending.set(name, job);
    if (queued) return this.writing.get(name)!;
    const run = (this.writing.get(name) ?? Promise.resolve()).then(() => this.writeNow(name));
    this.writing.set(name, run);
    void run.finally(() => {
      if (this.writing.get(name) === run) this.writing.delete(name);
    });
    return run;
  }

  private async writeNow(name: string): Promise<void> {
    const job = this.pending.get(name);
    this.pending.delete(name);
    if (!job) return;
    try {
      await this.ready();
      await withStoreLock(this.folder, () => job.run());
    } catch (error) {
      this.warnings.warn(l10n.t('Could not save {0}: {1}', name, (error as Error).message));
    }
  }

  /** The whole conversation, which also folds in and removes its journal. */
  private wholeJob(data: ConversationData): Job {
    let text: string | undefined;
    return {
      answer: false,
      run: () => this.writeWhole(`${data.id}.json`, text ?? encodeConversation(data)),
      freeze: () => void (text ??= encodeConversation(data)),
    };
  }

  private answerJob(id: string, data: () => ConversationData, entry: AssistantEntry): Job {
    let frozen: Job | undefined;
    return {
      answer: true,
      run: () => (frozen ? frozen.run() : this.writeAnswer(id, data, entry)),
      freeze: () => {
        frozen = this.wholeJob(data());
        frozen.freeze();
      },
    };
  }

  /** Under the lock. */
  private async writeWhole(name: string, text: string): Promise<void> {
    await this.keepOtherWindowsCopy(name);
    await writeAtomically(path.join(this.folder, name), text);
    await this.endJournal(name.slice(0, -'.json'.length));
    await this.remember(name);
  }

  /** Under the lock: the delta onto this store's journal, or the whole conversation as the base of a new one. */
  private async writeAnswer(id: string, data: () => ConversationData, entry: AssistantEntry): Promise<void> {
    const name = `${id}.json`;
    const file = path.join(this.folder, name);
    const open = this.journals.get(id);
    if (open && open.entryId === entry.id && (await this.stateOf(name)) === this.seen.get(name)) {
      const delta = deltaSince(open, entry);
      if (delta && !Object.keys(delta).length) return;
      const frame = delta && frameRecord(delta);
      if (frame && (await fs.appendFile(journalOf(file), frame).then(() => true, () => false))) {
        Object.assign(open, { text: entry.text.length, reasoning: entry.reasoning?.length ?? 0, tools: toolsKey(entry), latest: data });
        await this.remember(name);
        return;
      }
    }
    await this.keepOtherWindowsCopy(name);
    const base = randomUUID();
    // Serialized and measured in one synchronous step, so the header's lengths are those of the text written.
    const text = encodeConversation(data(), base);
    const header = frameRecord({ base, entryId: entry.id, text: entry.text.length, reasoning: entry.reasoning?.length ?? 0 })!;
    const journal: OpenJournal = { base, entryId: entry.id, text: entry.text.length, reasoning: entry.reasoning?.length ?? 0, tools: toolsKey(entry), latest: data, release: open?.release };
    // The journal first: until the file names its token, no reader applies it.
    await writeAtomically(journalOf(file), header);
    await writeAtomically(file, text);
    journal.release ??= await lockJournal(journalOf(file));
    this.journals.set(id, journal);
    await this.remember(name);
  }

  /** Under the lock: a journal no live window writes is folded into its file (or removed, when it extends none). */
  private foldJob(name: string): Job {
    const id = name.slice(0, -'.json'.length);
    const file = path.join(this.folder, name);
    return {
      answer: true,
      freeze: () => undefined,
      run: async () => {
        if (this.journals.has(id) || (await journalInUse(journalOf(file)))) return;
        const before = await this.stateOf(name);
        const [text, journal] = await Promise.all([fs.readFile(file, 'utf8').catch(() => undefined), fs.readFile(journalOf(file)).catch(() => undefined)]);
        if (!journal) return;
        const decoded = text === undefined ? undefined : decodeConversation(text);
        if (decoded?.ok && decoded.journal && applyJournal(decoded.data, decoded.journal, journal)) await writeAtomically(file, encodeConversation(decoded.data));
        await fs.rm(journalOf(file), { force: true });
        // What this store read is what was folded: the file now holds the same, so a later save is no conflict.
        if (before !== undefined && before === this.seen.get(name)) await this.remember(name);
      },
    };
  }

  private async endJournal(id: string): Promise<void> {
    const open = this.journals.get(id);
    this.journals.delete(id);
    await fs.rm(journalOf(path.join(this.folder, `${id}.json`)), { force: true });
    await open?.release?.().catch(() => undefined);
  }

  /** The fingerprints of a conversation file and its journal: what any window's write changes. */
  private async stateOf(name: string): Promise<string | undefined> {
    const file = path.join(this.folder, name);
    const [own, journal] = await Promise.all([fingerprint(file), fingerprint(journalOf(file))]);
    return own && `${own}|${journal ?? ''}`;
  }

  private async remember(name: string): Promise<void> {
    const now = await this.stateOf(name);
    if (now) this.seen.set(name, now);
  }

  /** Under the lock: when another window wrote this conversation since we read it, keep theirs as a copy. */
  private async keepOtherWindowsCopy(name: string): Promise<void> {
    const file = path.join(this.folder, name);
    const [before, now] = [this.seen.get(name), await this.stateOf(name)];
    if (before === undefined || now === undefined || now === before) return;
    const decoded = decodeConversation(await fs.readFile(file, 'utf8'));
    if (!decoded.ok) return;
    const journal = decoded.journal && (await fs.readFile(journalOf(file)).catch(() => undefined));
    if (journal) applyJournal(decoded.data, decoded.journal, journal);
    const { copy, summary, original } = copyFromOtherWindow(decoded.data);
    await writeAtomically(path.join(this.folder, `${copy.id}.json`), encodeConversation(copy));
    await this.index.putWhileLocked(summary);
    this.warnings.warn(l10n.t('"{0}" was changed in another window too. Both versions are kept: the other one is listed as "{1}".', original, summary.title));
  }

  private ready(): Promise<unknown> {
    return (this.folderReady ??= fs.mkdir(this.folder, { recursive: true }));
  }
}

const journalOf = (file: string) => file.slice(0, -'.json'.length) + JOURNAL_SUFFIX;
const toolsKey = (entry: AssistantEntry) => JSON.stringify(entry.tools ?? null);

/** What `entry` gained since `open` was written, or undefined when it changed in another way than growing. */
function deltaSince(open: OpenJournal, entry: AssistantEntry): JournalDelta | undefined {
  const reasoning = entry.reasoning ?? '';
  if (entry.state !== 'streaming' || entry.text.length < open.text || reasoning.length < open.reasoning) return undefined;
  const tools = toolsKey(entry);
  return {
    ...(entry.text.length > open.text ? { text: entry.text.slice(open.text) } : {}),
    ...(reasoning.length > open.reasoning ? { reasoning: reasoning.slice(open.reasoning) } : {}),
    ...(tools !== open.tools ? { tools: entry.tools ?? [] } : {}),
  };
}
