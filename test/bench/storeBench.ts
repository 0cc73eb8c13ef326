// Saves while an answer streams (issue 15, item 5): the whole-file save every streaming save used to be (the store's
// `save`, which every other change still uses) against the journal (`saveAnswer`), side by side in one run, on
// conversations of 100, 1,000 and 10,000 messages in a real temporary folder. Bytes written are the process's own
// write() bytes (`wchar` in /proc/self/io), so the index, temp files and journal frames all count.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Conversation } from '../../src/core/conversation';
import { ConversationStore } from '../../src/node/conversationStore';
import type { AssistantEntry } from '../../src/shared/domain';
import { median, ms, timeIt } from './timing';

const SIZES = [100, 1_000, 10_000];
const RUNS = 7;
const SAVES_PER_RUN = 10;
// About 1.5 s of a fast model's answer: what one throttled save adds.
const DELTA = 'Streaming text of a typical answer, with `code` and words. '.repeat(5);
const MESSAGE = 'A message of a typical length in a long chat, a few sentences with some code: `const x = f(y);`. '.repeat(4);

const written = (): number => Number(/wchar:\s*(\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);

function longConversation(messages: number): Conversation {
  const c = new Conversation();
  for (let i = 0; i < messages / 2; i++) {
    c.addUser(`Question ${i}: ${MESSAGE}`, `Question ${i}: ${MESSAGE}`);
    const answer = c.addAssistant('model');
    Object.assign(answer, { text: `Answer ${i}: ${MESSAGE}`, state: 'done' });
    c.setTranscript(answer.id, [{ role: 'assistant', content: answer.text }]);
  }
  return c;
}

interface PerSave {
  ms: number;
  bytes: number;
}

/** One answer streamed in SAVES_PER_RUN saves onto `c` (saved whole first); the mean time and bytes of a save. */
async function streamOnce(c: Conversation, journal: boolean): Promise<PerSave> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-bench-store-'));
  const store = new ConversationStore(folder, { warn: message => console.error(message) });
  const answer: AssistantEntry = c.addAssistant('model');
  await store.save(c.toJSON(), c.summary());
  const save = () => (journal ? store.saveAnswer(() => c.toJSON(), c.summary(), answer) : store.save(c.toJSON(), c.summary()));
  // The journal's first save of an answer writes the whole conversation once (its base); the steady state follows.
  answer.text += DELTA;
  await save();
  let time = 0;
  const before = written();
  for (let i = 0; i < SAVES_PER_RUN; i++) {
    answer.text += DELTA;
    time += await timeIt(save);
  }
  const bytes = written() - before;
  await store.flush();
  store.dispose();
  c.truncateAfter(answer.id, true);
  fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  return { ms: time / SAVES_PER_RUN, bytes: bytes / SAVES_PER_RUN };
}

const spread = (values: number[], unit: (v: number) => string) => `${unit(median(values))} (${unit(Math.min(...values))}–${unit(Math.max(...values))})`;
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${Math.round(bytes)} B`);

export async function storeBench(report: (name: string, value: string) => void, results: Record<string, unknown>): Promise<void> {
  const medians: Record<'whole' | 'journal', { ms: number[]; bytes: number[] }> = { whole: { ms: [], bytes: [] }, journal: { ms: [], bytes: [] } };
  for (const messages of SIZES) {
    const c = longConversation(messages);
    const runs = { whole: [] as PerSave[], journal: [] as PerSave[] };
    for (let run = 0; run < RUNS; run++) {
      // Alternating which goes first, so the machine's drift falls on both.
      for (const journal of run % 2 ? [true, false] : [false, true]) runs[journal ? 'journal' : 'whole'].push(await streamOnce(c, journal));
    }
    const fileBytes = Buffer.byteLength(JSON.stringify(c.toJSON()));
    for (const kind of ['whole', 'journal'] as const) {
      const times = runs[kind].map(r => r.ms);
      const bytes = runs[kind].map(r => r.bytes);
      medians[kind].ms.push(median(times));
      medians[kind].bytes.push(median(bytes));
      results[`store:${kind}:${messages}`] = { msPerSave: times, bytesPerSave: bytes, fileBytes };
      const label = kind === 'whole' ? 'whole-file save' : 'journal append';
      report(`store, ${messages.toLocaleString('en')} messages (${kb(fileBytes)}): ${label}, ms per save`, `${spread(times, ms)}, median (min–max) of ${RUNS}`);
      report(`store, ${messages.toLocaleString('en')} messages: ${label}, bytes written per save`, spread(bytes, kb));
    }
    const ratio = (median(runs.whole.map(r => r.ms)) / median(runs.journal.map(r => r.ms))).toFixed(1);
    report(`store, ${messages.toLocaleString('en')} messages: whole / journal, ms per save`, `${ratio}x`);
  }
  for (const kind of ['whole', 'journal'] as const) {
    const growth = (values: number[]) => values.slice(1).map((v, i) => `${(v / values[i]).toFixed(2)}x`).join(', ');
    const label = kind === 'whole' ? 'whole-file save' : 'journal append';
    report(`store: ${label}, growth per 10x messages (100→1k, 1k→10k)`, `time ${growth(medians[kind].ms)}; bytes ${growth(medians[kind].bytes)}`);
  }
}
