// The conversation store on a real temporary folder: atomic writes, the index, and corrupt files set aside.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Conversation } from '../../src/core/conversation';
import { ConversationStore } from '../../src/node/conversationStore';

describe('ConversationStore', () => {
  let folder: string;
  let warnings: string[];
  let store: ConversationStore;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-store-'));
    warnings = [];
    store = new ConversationStore(folder, { warn: message => warnings.push(message) });
  });
  afterEach(async () => {
    // An index change a set-aside file queued may still be running.
    await store.flush();
    // A lock or a write of the store may still be letting go of a file; rmSync retries ENOTEMPTY.
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const conversation = (question: string) => {
    const c = new Conversation();
    c.addUser(question, question);
    return c;
  };
  const save = (c: Conversation) => store.save(c.toJSON(), c.summary());

  it('saves, lists newest first and loads back', async () => {
    const older = conversation('older');
    older.updatedAt = 1;
    const newer = conversation('newer');
    await save(older);
    await save(newer);
    assert.deepEqual((await store.list()).map(s => s.title), ['newer', 'older']);
    assert.deepEqual(await store.load(older.id), older.toJSON());
  });

  it('writes atomically: no temp files remain, and the last of many quick saves wins', async () => {
    const c = conversation('q');
    const saves = [];
    for (let i = 0; i < 20; i++) {
      c.addAssistant(`model-${i}`);
      saves.push(save(c));
    }
    await Promise.all(saves);
    await store.flush();
    assert.deepEqual(fs.readdirSync(folder).filter(f => f.endsWith('.tmp')), []);
    const loaded = await new ConversationStore(folder, { warn: () => undefined }).load(c.id);
    assert.equal(loaded?.entries.length, 21);
  });

  it('rewrites the index only when a title or date changed, not on every save of a streaming answer', async () => {
    const c = conversation('q');
    await save(c);
    const index = path.join(folder, 'index.json');
    const written = fs.statSync(index).mtimeMs;
    await new Promise(resolve => setTimeout(resolve, 30));
    const answer = c.addAssistant('m');
    await save(c);
    const afterEntry = fs.statSync(index).mtimeMs;
    assert.ok(afterEntry > written, 'a new entry moves the conversation up the list');
    await new Promise(resolve => setTimeout(resolve, 30));
    answer.text = 'more streamed text';
    await save(c);
    assert.equal(fs.statSync(index).mtimeMs, afterEntry);
    const loaded = await store.load(c.id);
    assert.equal(loaded?.entries[1].kind === 'assistant' ? loaded.entries[1].text : '', 'more streamed text');
  });

  it('saves the state as it is when the write starts, and every save resolves once its state is on disk', async () => {
    const c = conversation('q');
    const answer = c.addAssistant('m');
    const first = save(c);
    answer.text = 'changed before the write started';
    await first;
    const loaded = await store.load(c.id);
    assert.equal(loaded?.entries[1].kind === 'assistant' ? loaded.entries[1].text : '', 'changed before the write started');
  });

  it('sets a corrupt conversation aside with a warning instead of failing', async () => {
    const c = conversation('q');
    await save(c);
    fs.writeFileSync(path.join(folder, `${c.id}.json`), '{"id": "trunc');
    assert.equal(await store.load(c.id), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /was set aside because not JSON/);
    assert.ok(fs.readdirSync(folder).some(f => f.startsWith(`${c.id}.json.corrupt-`)));
  });

  it('rebuilds a missing or corrupt index from the conversation files', async () => {
    const c = conversation('Survives a lost index');
    await save(c);
    fs.writeFileSync(path.join(folder, 'index.json'), 'not json');
    const fresh = new ConversationStore(folder, { warn: () => undefined });
    assert.deepEqual((await fresh.list()).map(s => s.title), ['Survives a lost index']);
  });

  it('deletes a conversation and its index entry', async () => {
    const c = conversation('q');
    await save(c);
    await store.delete(c.id);
    assert.deepEqual(await store.list(), []);
    assert.equal(fs.existsSync(path.join(folder, `${c.id}.json`)), false);
  });

  it('restores a half-streamed answer as interrupted', () => {
    const c = conversation('q');
    const answer = c.addAssistant('m');
    answer.text = 'half';
    const restored = Conversation.restore(JSON.parse(JSON.stringify(c.toJSON())));
    const entry = restored.entries[1];
    assert.ok(entry.kind === 'assistant');
    assert.equal(entry.state, 'error');
    assert.equal(entry.interrupted, true);
    assert.equal(entry.text, 'half');
  });

  it('refuses ids that are not ids', async () => {
    assert.equal(await store.load('../../etc/passwd'), undefined);
  });

  it('reads, writes and deletes nothing outside the store for a crafted id, whoever passes it', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-outside-'));
    try {
      const victim = path.join(outside, 'package.json');
      fs.writeFileSync(victim, '{"name":"victim"}');
      fs.writeFileSync(path.join(folder, 'decoy.json'), '{}');
      const walkOut = path.relative(folder, path.join(outside, 'package'));
      const crafted = [walkOut, victim.replace(/\.json$/, ''), encodeURIComponent(walkOut), '..', '.', 'decoy', 'index', 'a/b', 'A'.repeat(36), `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(11)}/`];
      for (const id of crafted) {
        await store.delete(id);
        assert.equal(await store.load(id), undefined, id);
        await assert.rejects(store.save({ id, entries: [], transcript: {} }, { id, title: 'x', updatedAt: 1 }), /Refused to save/, id);
      }
      assert.equal(fs.readFileSync(victim, 'utf8'), '{"name":"victim"}');
      assert.ok(fs.existsSync(path.join(folder, 'decoy.json')));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
