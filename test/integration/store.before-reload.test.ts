// Before the reload (see store.after-reload): puts two conversations written by 0.1.0 where 0.1.0 kept them (the
// storage folder of a second window on this workspace, `<id>-N` beside this window's `<id>`), and a malformed one
// (valid JSON, `entries: [null]`) into this workspace's store, listed as the newest. The next activation moves the old
// ones in and rebuilds the index from every file, so it reads the malformed one while it starts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withStoreLock, writeAtomically } from '../../src/node/storeFiles';
import { legacyStoreOfSecondWindow, storedConversations } from './helpers';

export const MALFORMED_ID = '0badf11e-0000-4000-8000-00000000000a';
const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/store-0.1.0');

describe('before a window reload, the store', () => {
  it('holds 0.1.0 conversations in the old per-window place and a malformed newest one', async () => {
    const saved = storedConversations().find(({ text }) => text.includes('Survive a reload'));
    assert.ok(saved, 'the conversation of conversations.before-reload is on disk');
    const folder = path.dirname(saved.file);
    // Under the store's lock, like a window: the window still streaming must not write the index meanwhile.
    await withStoreLock(folder, async () => {
      const index = JSON.parse(fs.readFileSync(path.join(folder, 'index.json'), 'utf8')) as { conversations: object[] };
      const legacy = legacyStoreOfSecondWindow();
      fs.mkdirSync(legacy, { recursive: true });
      for (const name of fs.readdirSync(FIXTURE).filter(n => n.endsWith('.json'))) fs.copyFileSync(path.join(FIXTURE, name), path.join(legacy, name));
      fs.writeFileSync(path.join(folder, `${MALFORMED_ID}.json`), JSON.stringify({ id: MALFORMED_ID, updatedAt: 9e12, entries: [null], transcript: {} }));
      index.conversations.push({ id: MALFORMED_ID, title: 'Malformed', updatedAt: 9e12 });
      await writeAtomically(path.join(folder, 'index.json'), JSON.stringify(index));
    });
  });
});
