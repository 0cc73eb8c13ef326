// The journal of a streaming answer on a real temporary folder: saves append only the new text, a torn or oversized
// record is never read as text, the answer's end folds it in, and a window that crashed mid-answer leaves nothing lost.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSession } from '../../src/core/chatSession';
import { Conversation } from '../../src/core/conversation';
import { validateSettings } from '../../src/core/settings';
import { createChatBackend } from '../../src/llm/chatClient';
import { OpenAITestServer, textReply } from '../support/openaiTestServer';
import type { AssistantEntry } from '../../src/shared/domain';
import { ConversationStore } from '../../src/node/conversationStore';
import { frameRecord, MAX_RECORD_BYTES, readRecords } from '../../src/node/storeJournal';

const STORE_MODULE = path.resolve(__dirname, '../../src/node/conversationStore.js');
const CONVERSATION_MODULE = path.resolve(__dirname, '../../src/core/conversation.js');

// A window that streams an answer in 5 saves of "piece <n> " and is killed before the answer ends.
const CRASHING_WINDOW = `
const { ConversationStore } = require(${JSON.stringify(STORE_MODULE)});
const { Conversation } = require(${JSON.stringify(CONVERSATION_MODULE)});
const [folder] = process.argv.slice(1);
const store = new ConversationStore(folder, { warn: message => { console.error(message); process.exitCode = 3; } });
(async () => {
  const c = new Conversation();
  c.addUser('question', 'question');
  const answer = c.addAssistant('m');
  await store.save(c.toJSON(), c.summary());
  for (let n = 0; n < 5; n++) {
    answer.text += 'piece ' + n + ' ';
    await store.saveAnswer(() => c.toJSON(), c.summary(), answer);
  }
  console.log(c.id);
  process.kill(process.pid, 'SIGKILL');
})();
`;

function crashingWindow(folder: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const child = spawn(process.execPath, ['-e', CRASHING_WINDOW, folder], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', chunk => (out += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out.trim()) : reject(new Error(`the window ended with ${signal}`))));
  });
}

describe('the journal of a streaming answer', function () {
  this.timeout(30_000);
  let folder: string;
  let warnings: string[];
  const stores: ConversationStore[] = [];
  const open = () => {
    const store = new ConversationStore(folder, { warn: message => warnings.push(message) });
    stores.push(store);
    return store;
  };
  const journal = (id: string) => path.join(folder, `${id}.journal`);
  const stored = (id: string) => JSON.parse(fs.readFileSync(path.join(folder, `${id}.json`), 'utf8'));
  const answerOf = (data: { entries: readonly unknown[] } | undefined) => data?.entries[1] as AssistantEntry;

  /** A conversation with a question and an answer that has begun, saved whole. */
  async function streaming(store: ConversationStore): Promise<{ c: Conversation; answer: AssistantEntry; stream: (text: string) => Promise<void> }> {
    const c = new Conversation();
    c.addUser('question', 'question');
    const answer = c.addAssistant('m');
    await store.save(c.toJSON(), c.summary());
    const stream = async (text: string) => {
      answer.text += text;
      await store.saveAnswer(() => c.toJSON(), c.summary(), answer);
    };
    return { c, answer, stream };
  }

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-journal-'));
    warnings = [];
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await store.flush();
      store.dispose();
    }
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('reads whole records only: a torn tail, a wrong checksum and an oversized length all end the journal there', () => {
    const records = [{ base: 'b', entryId: 'e', text: 0, reasoning: 0 }, { text: 'one' }, { text: 'two' }];
    const whole = Buffer.concat(records.map(r => frameRecord(r)!));
    assert.deepEqual(readRecords(whole), records);
    for (let cut = 1; cut < frameRecord(records[2])!.length; cut++) assert.deepEqual(readRecords(whole.subarray(0, whole.length - cut)), records.slice(0, 2));
    // "two" becomes "twn": still JSON, but not what was written.
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 3] ^= 1;
    assert.deepEqual(readRecords(flipped), records.slice(0, 2));
    // A whole, well-summed record longer than the bound (written by no Comet) is not read either.
    const payload = Buffer.from(JSON.stringify({ text: 'x'.repeat(MAX_RECORD_BYTES) }));
    const head = Buffer.alloc(8);
    head.writeUInt32BE(payload.length, 0);
    createHash('sha256').update(payload).digest().copy(head, 4, 0, 4);
    assert.deepEqual(readRecords(Buffer.concat([whole, head, payload])), records);
  });

  it('refuses to frame a record over the bound, and saves such a delta whole instead', async () => {
    assert.equal(frameRecord({ text: 'x'.repeat(MAX_RECORD_BYTES) }), undefined);
    assert.ok(frameRecord({ text: 'x'.repeat(MAX_RECORD_BYTES - 100) }));
    const store = open();
    const { c, stream } = await streaming(store);
    await stream('start ');
    await stream('small ');
    const before = fs.statSync(journal(c.id)).size;
    await stream('y'.repeat(MAX_RECORD_BYTES + 10));
    assert.ok(fs.statSync(journal(c.id)).size < before, 'the journal was restarted on a whole save, not appended to');
    assert.equal(stored(c.id).entries[1].text.length, 'start small '.length + MAX_RECORD_BYTES + 10);
    assert.equal(answerOf(await open().load(c.id)).text, answerOf(c.toJSON()).text);
  });

  it('appends only the new text while the conversation file stays as it was', async () => {
    const store = open();
    const { c, stream } = await streaming(store);
    for (let i = 0; i < 30; i++) c.addUser(`filler ${i} ${'z'.repeat(1000)}`, 'filler');
    await store.save(c.toJSON(), c.summary());
    await stream('first ');
    const file = path.join(folder, `${c.id}.json`);
    const [fileBefore, journalBefore] = [fs.statSync(file), fs.statSync(journal(c.id)).size];
    await stream('second piece');
    assert.deepEqual(fs.statSync(file).mtimeMs, fileBefore.mtimeMs);
    const grew = fs.statSync(journal(c.id)).size - journalBefore;
    assert.ok(grew >= 'second piece'.length && grew < 'second piece'.length + 40, `the journal grew by ${grew} bytes`);
    assert.equal(answerOf(await open().load(c.id)).text, 'first second piece');
  });

  it('a torn record at the journal tail is ignored: the text up to the last whole record is read', async () => {
    const store = open();
    const { c, stream } = await streaming(store);
    await stream('kept ');
    await stream('also kept ');
    fs.appendFileSync(journal(c.id), frameRecord({ text: 'torn away' })!.subarray(0, 12));
    assert.equal(answerOf(await open().load(c.id)).text, 'kept also kept ');
  });

  it('applies a journal only to the answer as long as its header says', async () => {
    const store = open();
    const { c, stream } = await streaming(store);
    await stream('base ');
    await stream('delta');
    const changed = stored(c.id);
    changed.entries[1].text = 'edited base ';
    fs.writeFileSync(path.join(folder, `${c.id}.json`), JSON.stringify(changed));
    assert.equal(answerOf(await open().load(c.id)).text, 'edited base ');
  });

  it('folds the journal into the conversation file when the answer ends', async () => {
    const store = open();
    const { c, answer, stream } = await streaming(store);
    await stream('the whole ');
    await stream('answer');
    assert.ok(fs.existsSync(journal(c.id)));
    answer.state = 'done';
    await store.save(c.toJSON(), c.summary());
    assert.equal(fs.existsSync(journal(c.id)), false);
    assert.equal(stored(c.id).journal, undefined);
    assert.equal(stored(c.id).entries[1].text, 'the whole answer');
    assert.deepEqual(await open().load(c.id), c.toJSON());
  });

  it('folds an open journal at close, as the answer stood then', async () => {
    const store = open();
    const { c, answer, stream } = await streaming(store);
    await stream('before close');
    store.close();
    answer.text += ' after close';
    await store.flush();
    assert.equal(fs.existsSync(journal(c.id)), false);
    assert.equal(stored(c.id).entries[1].text, 'before close');
  });

  it('another window reads the text streamed so far, and does not fold a journal that is being written', async () => {
    const writer = open();
    const { c, stream } = await streaming(writer);
    await stream('so far');
    const reader = open();
    assert.equal(answerOf(await reader.load(c.id)).text, 'so far');
    await stream(', and more');
    assert.equal(answerOf(await reader.load(c.id)).text, 'so far, and more');
    await reader.flush();
    assert.ok(fs.existsSync(journal(c.id)), 'the writer is alive: its journal stays');
    await stream('.');
    assert.equal(answerOf(await open().load(c.id)).text, 'so far, and more.');
    assert.deepEqual(warnings, []);
  });

  it('a window that saves over a conversation whose answer streamed on since it read it keeps both', async () => {
    const writer = open();
    const { c, stream } = await streaming(writer);
    await stream('read by the other window ');
    const other = open();
    const theirs = Conversation.restore((await other.load(c.id))!);
    await stream('streamed after that');
    theirs.addUser('asked in the other window', 'asked in the other window');
    await other.save(theirs.toJSON(), theirs.summary());
    const listed = await open().list();
    const copy = listed.find(s => s.title.endsWith('(from another window)'));
    assert.ok(copy, listed.map(s => s.title).join(', '));
    assert.equal(answerOf(await open().load(copy.id)).text, 'read by the other window streamed after that');
    assert.equal((await open().load(c.id))!.entries.length, 3);
    assert.ok(warnings.some(w => /changed in another window too/.test(w)));
    // The streaming window goes on: its next save keeps the other window's version too, and loses nothing of its own.
    await stream(' and on');
    const texts = await Promise.all((await open().list()).map(async s => answerOf(await open().load(s.id))?.text));
    assert.ok(texts.includes('read by the other window streamed after that and on'), texts.join(' | '));
  });

  it('a window killed mid-answer: the next one restores the text marked interrupted, and folds the journal it left', async () => {
    const id = await crashingWindow(folder);
    assert.ok(fs.existsSync(journal(id)), 'the crash left a journal');
    const restored = Conversation.restore((await open().load(id))!);
    const answer = restored.entries[1] as AssistantEntry;
    assert.equal(answer.text, 'piece 0 piece 1 piece 2 piece 3 piece 4 ');
    assert.equal(answer.state, 'error');
    assert.equal(answer.interrupted, true);

    // Its lock was not refreshed since the crash (as 10 s later): the journal is abandoned, and a reader folds it in.
    const lock = `${journal(id)}.lock`;
    const old = new Date(Date.now() - 60_000);
    if (fs.existsSync(lock)) fs.utimesSync(lock, old, old);
    const reader = open();
    assert.equal(answerOf(await reader.load(id)).text, answer.text);
    await reader.flush();
    assert.equal(fs.existsSync(journal(id)), false, 'folded and removed');
    assert.equal(stored(id).journal, undefined);
    assert.equal(stored(id).entries[1].text, answer.text);
    assert.deepEqual(warnings, []);
  });

  it('never applies a journal that extends another version of the file, and removes one that extends none', async () => {
    const store = open();
    const { c, stream } = await streaming(store);
    await stream('text');
    const left = fs.readFileSync(journal(c.id));
    const stale = Buffer.concat([left, frameRecord({ text: ' never applied' })!]);
    await store.save(c.toJSON(), c.summary());
    await stream('');
    // The file now names the journal of a new start at the same length; the old one is put back, one record longer.
    fs.writeFileSync(journal(c.id), stale);
    assert.equal(answerOf(await open().load(c.id)).text, answerOf(c.toJSON()).text);
    await store.save(c.toJSON(), c.summary());
    fs.writeFileSync(journal(c.id), stale);
    const reader = open();
    assert.equal(answerOf(await reader.load(c.id)).text, answerOf(c.toJSON()).text);
    await reader.flush();
    assert.equal(fs.existsSync(journal(c.id)), false);
  });

  it('a chat answer streamed from a server is saved through the journal, and folded in when it stops', async () => {
    const server = await OpenAITestServer.start();
    const store = open();
    const session = new ChatSession({
      readSettings: () => validateSettings({ baseUrl: server.baseUrl, maxRetries: 0 }),
      credentials: async () => ({ kind: 'key', apiKey: 'k' }),
      hasApiKey: async () => true,
      createBackend: (settings, key) => createChatBackend({ baseUrl: settings.baseUrl, apiKey: key, timeoutMs: 30_000, maxRetries: 0 }, settings.stream),
      post: () => undefined,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      library: store,
    });
    try {
      // 12 pieces over 6 s, held open: the saves every 1.5 s start a journal and then append to it.
      server.enqueue(textReply(Array.from({ length: 12 }, (_, n) => `piece ${n} `), { hold: true, delayMs: 500 }));
      const asked = session.ask({ text: 'stream slowly' });
      const id = session.conversation.id;
      const header = frameRecord({ base: '00000000-0000-4000-8000-000000000000', entryId: session.conversation.entries[1]?.id ?? '00000000-0000-4000-8000-000000000000', text: 0, reasoning: 0 })!.length;
      const deadline = Date.now() + 25_000;
      while (!(fs.existsSync(journal(id)) && fs.statSync(journal(id)).size > header + 8) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
      assert.ok(fs.existsSync(journal(id)) && fs.statSync(journal(id)).size > header + 8, 'a save appended to the journal');
      const midway = answerOf(await open().load(id)).text;
      assert.ok(midway.length > stored(id).entries[1].text.length, `a reader sees more (${midway.length}) than the file holds`);
      session.stop();
      await asked;
      await store.flush();
      assert.equal(fs.existsSync(journal(id)), false, 'folded at the answer end');
      assert.equal(stored(id).entries[1].state, 'stopped');
      assert.ok(stored(id).entries[1].text.startsWith(midway));
    } finally {
      session.dispose();
      await server.close();
    }
  });
});
