// One store folder shared by several windows (here: processes and store instances on one real temp folder), and the
// move of 0.1.0's per-window stores into it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Conversation } from '../../src/core/conversation';
import { ConversationStore } from '../../src/node/conversationStore';
import { legacyStoreFolders, migrateLegacyStores } from '../../src/node/storeMigration';

const STORE_MODULE = path.resolve(__dirname, '../../src/node/conversationStore.js');
const CONVERSATION_MODULE = path.resolve(__dirname, '../../src/core/conversation.js');
const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/store-0.1.0');

// A window: saves `count` new conversations titled "<name> <n>" as fast as it can, then flushes.
const WINDOW = `
const { ConversationStore } = require(${JSON.stringify(STORE_MODULE)});
const { Conversation } = require(${JSON.stringify(CONVERSATION_MODULE)});
const [folder, name, count] = process.argv.slice(1);
const store = new ConversationStore(folder, { warn: message => { console.error(message); process.exitCode = 3; } });
(async () => {
  const saves = [];
  for (let n = 0; n < Number(count); n++) {
    const c = new Conversation();
    c.addUser(name + ' ' + n, name + ' ' + n);
    saves.push(store.save(c.toJSON(), c.summary()));
  }
  await Promise.all(saves);
  await store.flush();
})();
`;

function runWindow(folder: string, name: string, count: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WINDOW, folder, name, String(count)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', code => resolve(code));
  });
}

describe('a store shared by several windows', function () {
  this.timeout(60_000);
  let folder: string;
  const stores: ConversationStore[] = [];
  const open = (warnings: string[] = []) => {
    const store = new ConversationStore(folder, { warn: message => warnings.push(message) });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-windows-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await store.flush();
      store.dispose();
    }
    // A lock or a write of the store may still be letting go of a file; rmSync retries ENOTEMPTY.
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('two windows saving at once lose nothing: a third lists every conversation of both', async () => {
    const codes = await Promise.all([runWindow(folder, 'left', 15), runWindow(folder, 'right', 15)]);
    assert.deepEqual(codes, [0, 0]);
    const titles = (await open().list()).map(s => s.title).sort();
    assert.equal(titles.length, 30, titles.join(', '));
    assert.ok(titles.includes('left 14') && titles.includes('right 0'));
  });

  it('a window that saves a conversation another window changed keeps both versions and says so', async () => {
    const c = new Conversation();
    c.addUser('shared question', 'shared question');
    const first = open();
    await first.save(c.toJSON(), c.summary());
    const warnings: string[] = [];
    const here = open(warnings);
    const there = open();
    const mine = Conversation.restore((await here.load(c.id))!);
    const theirs = Conversation.restore((await there.load(c.id))!);
    theirs.addUser('asked in the other window', 'asked in the other window');
    await there.save(theirs.toJSON(), theirs.summary());
    mine.addUser('asked here', 'asked here');
    await here.save(mine.toJSON(), mine.summary());

    const listed = await open().list();
    assert.deepEqual(listed.map(s => s.title).sort(), ['shared question', 'shared question (from another window)']);
    const copy = listed.find(s => s.title.endsWith('(from another window)'))!;
    const texts = async (id: string) => (await open().load(id))!.entries.map(e => (e.kind === 'user' ? e.text : ''));
    assert.deepEqual(await texts(c.id), ['shared question', 'asked here']);
    assert.deepEqual(await texts(copy.id), ['shared question', 'asked in the other window']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /changed in another window too\. Both versions are kept/);
  });

  it('tells a window when another one changed the list', async () => {
    const watching = open();
    let changes = 0;
    watching.onDidChange(() => changes++);
    await new Promise(resolve => setTimeout(resolve, 100));
    const c = new Conversation();
    c.addUser('from elsewhere', 'from elsewhere');
    await open().save(c.toJSON(), c.summary());
    const deadline = Date.now() + 10_000;
    while (!changes && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
    assert.ok(changes > 0);
    assert.deepEqual((await watching.list()).map(s => s.title), ['from elsewhere']);
  });

  it('at shutdown writes what was saved before close, not what the shutdown changes after', async () => {
    const store = open();
    const c = new Conversation();
    c.addUser('q', 'q');
    const answer = c.addAssistant('m');
    answer.text = 'half';
    const saved = store.save(c.toJSON(), c.summary());
    store.close();
    answer.state = 'stopped';
    await store.save(c.toJSON(), c.summary());
    await saved;
    await store.flush();
    const entry = (await open().load(c.id))!.entries[1];
    assert.equal(entry.kind === 'assistant' && entry.state, 'streaming');
  });

  it('moves the conversations of every old per-window folder of the workspace, overwriting nothing', async () => {
    const storage = path.join(folder, 'workspaceStorage');
    const legacy = (window: string) => path.join(storage, window, 'comet.comet-vscode', 'conversations');
    fs.cpSync(FIXTURE, legacy('abc123'), { recursive: true });
    const second = new Conversation();
    second.addUser('from the second window', 'from the second window');
    const secondStore = new ConversationStore(legacy('abc123-1'), { warn: () => undefined });
    await secondStore.save(second.toJSON(), second.summary());
    fs.mkdirSync(legacy('abc1234'), { recursive: true });
    fs.writeFileSync(path.join(legacy('abc1234'), `${second.id.replace(/^./, '0')}.json`), '{}');

    const found = await legacyStoreFolders(path.join(storage, 'abc123-1', 'comet.comet-vscode'));
    assert.deepEqual(found.map(f => path.basename(path.dirname(path.dirname(f)))).sort(), ['abc123', 'abc123-1']);
    const target = path.join(folder, 'global', 'workspaces', 'key', 'conversations');
    const kept = new Conversation();
    kept.addUser('already in the new store', 'already in the new store');
    await new ConversationStore(target, { warn: () => undefined }).save(kept.toJSON(), kept.summary());

    assert.equal(await migrateLegacyStores(target, found), 3);
    const titles = (await new ConversationStore(target, { warn: () => undefined }).list()).map(s => s.title).sort();
    assert.deepEqual(titles, ['Fibonacci, renamed', 'What is in this image?', 'already in the new store', 'from the second window']);
    assert.equal(fs.existsSync(legacy('abc123')), false, 'the old folder is renamed, so it moves once');
    assert.ok(fs.readdirSync(path.join(storage, 'abc123', 'comet.comet-vscode')).some(name => name.startsWith('conversations.migrated-')));
    assert.equal(await migrateLegacyStores(target, await legacyStoreFolders(path.join(storage, 'abc123', 'comet.comet-vscode'))), 0);
  });

  it("finds a window's old folders when the workspace id is code-server's signed hash, and no other workspace's", async () => {
    const storage = path.join(folder, 'workspaceStorage');
    // Ids of three workspaces (all digits after the sign, like a `-<n>` suffix) and further windows of the first.
    for (const name of ['-38755963', '-38755963-1', '-38755963-9', '-4', '-4-2', '-12', '38755963']) fs.mkdirSync(path.join(storage, name, 'comet.comet-vscode'), { recursive: true });
    const windowsOf = async (name: string) => (await legacyStoreFolders(path.join(storage, name, 'comet.comet-vscode'))).map(f => path.basename(path.dirname(path.dirname(f)))).sort();
    assert.deepEqual(await windowsOf('-38755963'), ['-38755963', '-38755963-1', '-38755963-9']);
    assert.deepEqual(await windowsOf('-38755963-1'), ['-38755963', '-38755963-1', '-38755963-9']);
    assert.deepEqual(await windowsOf('-4'), ['-4', '-4-2']);
    assert.deepEqual(await windowsOf('-12'), ['-12']);
    assert.deepEqual(await windowsOf('38755963'), ['38755963']);
  });
});
