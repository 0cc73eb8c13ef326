// The stored format: 0.1.0 files still load, images are written once, and files of the wrong shape or a newer
// format are set aside with a warning, never thrown at the caller (activation reads the newest conversation).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSession } from '../../src/core/chatSession';
import { Conversation } from '../../src/core/conversation';
import { validateSettings } from '../../src/core/settings';
import { createChatBackend } from '../../src/llm/chatClient';
import { ConversationStore } from '../../src/node/conversationStore';
import { STORE_FORMAT } from '../../src/node/storedConversation';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/store-0.1.0');
const IMAGE_ID = '98237934-9e66-4063-94fb-fe89b6f185c6';
const RENAMED_ID = '8455c351-0ad1-40ae-a68d-f32532fa63e7';
const PNG = 'data:image/png;base64,' + Buffer.alloc(300_000, 7).toString('base64');

describe('stored conversations', () => {
  let folder: string;
  let warnings: string[];
  let store: ConversationStore;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-format-'));
    warnings = [];
    store = new ConversationStore(folder, { warn: message => warnings.push(message) });
  });
  afterEach(async () => {
    // An index change a set-aside file queued may still be running.
    await store.flush();
    // A lock or a write of the store may still be letting go of a file; rmSync retries ENOTEMPTY.
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('loads conversations written by 0.1.0, and sends the same history', async () => {
    fs.cpSync(FIXTURE, folder, { recursive: true });
    assert.deepEqual((await store.list()).map(s => s.title), ['What is in this image?', 'Fibonacci, renamed']);
    const withImage = Conversation.restore((await store.load(IMAGE_ID))!);
    const original = JSON.parse(fs.readFileSync(path.join(FIXTURE, `${IMAGE_ID}.json`), 'utf8'));
    assert.deepEqual(withImage.history(), [...original.transcript[original.entries[0].id], ...original.transcript[original.entries[1].id]]);
    const renamed = Conversation.restore((await store.load(RENAMED_ID))!);
    assert.equal(renamed.title, 'Fibonacci, renamed');
    assert.equal(renamed.entries[1].kind === 'assistant' && renamed.entries[1].interrupted, true);
    assert.deepEqual(warnings, []);
  });

  it('stores an image once, with a format version, and loads it back whole', async () => {
    const c = new Conversation();
    c.addUser('look', [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: PNG, detail: 'auto' } }], undefined, [{ name: 'a.png', mimeType: 'image/png', dataUrl: PNG }]);
    await store.save(c.toJSON(), c.summary());
    const text = fs.readFileSync(path.join(folder, `${c.id}.json`), 'utf8');
    assert.equal(text.split(PNG).length - 1, 1, 'the data URL appears once');
    assert.equal(JSON.parse(text).format, STORE_FORMAT);
    assert.ok(text.length < PNG.length + 2000, `${text.length} bytes for a ${PNG.length}-byte image`);
    assert.deepEqual(await new ConversationStore(folder, { warn: () => undefined }).load(c.id), c.toJSON());
    const [question] = c.toJSON().entries;
    assert.equal(question.kind === 'user' ? question.images?.[0].dataUrl : undefined, PNG, 'saving leaves the conversation as it was');
  });

  const writeBad = (id: string, body: object) => {
    fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify({ id, updatedAt: 9e12, transcript: {}, entries: [], ...body }));
  };

  it('sets aside files of the wrong shape and of a newer format, with a warning each', async () => {
    const good = new Conversation();
    good.addUser('still here', 'still here');
    await store.save(good.toJSON(), good.summary());
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'];
    writeBad(ids[0], { entries: [null] });
    writeBad(ids[1], { format: STORE_FORMAT + 1 });
    writeBad(ids[2], { transcript: { x: 'not messages' } });
    writeBad(ids[3], { entries: [{ kind: 'user', id: 'u', text: 'x', images: [{ name: 'a', mimeType: 'image/png', dataUrl: 'comet-image:missing' }] }] });
    fs.rmSync(path.join(folder, 'index.json'));
    const fresh = new ConversationStore(folder, { warn: message => warnings.push(message) });
    assert.deepEqual((await fresh.list()).map(s => s.title), ['still here']);
    assert.equal(warnings.length, 4, warnings.join('\n'));
    assert.match(warnings.join('\n'), /entry 0 is not a chat entry/);
    assert.match(warnings.join('\n'), /written by a newer Comet/);
    assert.match(warnings.join('\n'), /does not hold/);
    for (const id of ids) assert.ok(fs.readdirSync(folder).some(f => f.startsWith(`${id}.json.corrupt-`)), id);
    // The index changes its set-aside files queued, before afterEach removes the folder.
    await fresh.flush();
  });

  it('activation opens the newest conversation that loads when the newest file is malformed', async () => {
    const good = new Conversation();
    good.addUser('the good one', 'the good one');
    await store.save(good.toJSON(), good.summary());
    const bad = '00000000-0000-4000-8000-00000000000b';
    writeBad(bad, { entries: [null] });
    await store.save({ id: bad, entries: [], transcript: {} }, { id: bad, title: 'bad', updatedAt: 9e12 });
    writeBad(bad, { entries: [null] });
    const fresh = new ConversationStore(folder, { warn: message => warnings.push(message) });
    const settings = validateSettings({});
    assert.ok(settings.ok);
    const session = await ChatSession.restoreLatest({
      readSettings: () => settings,
      credentials: async () => ({ kind: 'key', apiKey: 'k' }),
      hasApiKey: async () => true,
      createBackend: (s, key) => createChatBackend({ baseUrl: 'http://127.0.0.1:9', apiKey: key, timeoutMs: 1000, maxRetries: 0 }, s.stream),
      post: () => undefined,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      library: fresh,
    });
    assert.equal(session.conversation.title, 'the good one');
    assert.match(warnings.join('\n'), /entry 0 is not a chat entry/);
    assert.deepEqual((await fresh.list()).map(s => s.title), ['the good one']);
    session.dispose();
    await fresh.flush();
  });
});
