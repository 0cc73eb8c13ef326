// The journal of one streaming answer: `<conversation id>.journal` beside the conversation file. While an answer
// streams, a save appends only what the answer gained since the last save; the answer's end (or any whole save)
// folds it into the conversation file and removes it.
//
// A journal is a run of framed records: a 4-byte length, the first 4 bytes of the payload's SHA-256, then the payload
// (UTF-8 JSON). The first record is the header: which conversation file it extends (`base`, a random token that the
// file holds in its `journal` field), which entry, and that entry's text and reasoning lengths at that point. A reader
// stops at the first record that is cut short, fails its checksum, claims more than MAX_RECORD_BYTES or has the wrong
// shape, so a torn tail (a crash mid-append) is never taken for text.
import { createHash } from 'node:crypto';
import * as lockfile from 'proper-lockfile';
import type { ConversationData } from '../core/conversation';
import type { ToolCallView } from '../shared/domain';

export const JOURNAL_SUFFIX = '.journal';
/** No record is written or read above this; a bigger delta is saved whole instead. */
export const MAX_RECORD_BYTES = 1 << 20;
const FRAME_HEAD = 8;

export interface JournalHeader {
  base: string;
  entryId: string;
  text: number;
  reasoning: number;
}

export interface JournalDelta {
  text?: string;
  reasoning?: string;
  /** The entry's whole list of tool calls, when it changed since the previous record. */
  tools?: ToolCallView[];
}

const checksum = (payload: Buffer) => createHash('sha256').update(payload).digest().subarray(0, 4);

/** One framed record, or undefined when it would be bigger than MAX_RECORD_BYTES. */
export function frameRecord(record: JournalHeader | JournalDelta): Buffer | undefined {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  if (payload.length > MAX_RECORD_BYTES) return undefined;
  const head = Buffer.alloc(FRAME_HEAD);
  head.writeUInt32BE(payload.length, 0);
  checksum(payload).copy(head, 4);
  return Buffer.concat([head, payload]);
}

/** The whole records at the start of `bytes`, in order; stops at the first torn, corrupt or oversized one. */
export function readRecords(bytes: Buffer): unknown[] {
  const records: unknown[] = [];
  let at = 0;
  while (at + FRAME_HEAD <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + FRAME_HEAD + length;
    if (length > MAX_RECORD_BYTES || end > bytes.length) break;
    const payload = bytes.subarray(at + FRAME_HEAD, end);
    if (!checksum(payload).equals(bytes.subarray(at + 4, at + FRAME_HEAD))) break;
    try {
      records.push(JSON.parse(payload.toString('utf8')));
    } catch {
      break;
    }
    at = end;
  }
  return records;
}

const isHeader = (r: unknown): r is JournalHeader => {
  const h = r as JournalHeader;
  return typeof h === 'object' && h !== null && typeof h.base === 'string' && typeof h.entryId === 'string' && Number.isInteger(h.text) && Number.isInteger(h.reasoning);
};
const isDelta = (r: unknown): r is JournalDelta => {
  const d = r as JournalDelta;
  return typeof d === 'object' && d !== null && (d.text === undefined || typeof d.text === 'string') && (d.reasoning === undefined || typeof d.reasoning === 'string') && (d.tools === undefined || Array.isArray(d.tools));
};

/**
 * Adds the journal's deltas to `data` (in place) when the journal extends this very file (`base` is the file's
 * token) and its entry is as long as the header says; otherwise leaves `data` alone. Returns whether it applied.
 */
export function applyJournal(data: ConversationData, base: string | undefined, bytes: Buffer): boolean {
  const [header, ...deltas] = readRecords(bytes);
  if (base === undefined || !isHeader(header) || header.base !== base) return false;
  let entry = undefined;
  // The streaming answer is the last entry or nearly: look from the end.
  for (let i = data.entries.length - 1; i >= 0 && !entry; i--) if (data.entries[i].id === header.entryId) entry = data.entries[i];
  if (entry?.kind !== 'assistant' || entry.text.length !== header.text || (entry.reasoning?.length ?? 0) !== header.reasoning) return false;
  for (const delta of deltas) {
    if (!isDelta(delta)) break;
    if (delta.text) entry.text += delta.text;
    if (delta.reasoning) entry.reasoning = (entry.reasoning ?? '') + delta.reasoning;
    if (delta.tools) entry.tools = delta.tools;
  }
  return true;
}

// The window that appends to a journal holds a lock on it (proper-lockfile: a directory beside it, refreshed every
// few seconds). A journal nobody holds, or whose lock was not refreshed for JOURNAL_STALE_MS (a crashed window), is
// abandoned: a reader folds it into the conversation file.
const JOURNAL_STALE_MS = 10_000;

/** Takes the writer's lock of `journal`; undefined when another live window holds it (then it goes on unlocked). */
export function lockJournal(journal: string): Promise<(() => Promise<void>) | undefined> {
  return lockfile.lock(journal, { realpath: false, stale: JOURNAL_STALE_MS, retries: 0, onCompromised: () => undefined }).catch(() => undefined);
}

/** Whether a live window is appending to `journal`. */
export function journalInUse(journal: string): Promise<boolean> {
  return lockfile.check(journal, { realpath: false, stale: JOURNAL_STALE_MS }).catch(() => false);
}
