// After the reload (see store.before-reload): activation read the malformed newest conversation and went on; the
// file is set aside, the 0.1.0 conversations moved from the old per-window place into the workspace's store (the old
// folder renamed, so they move once), and one of them opens with its image.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activateComet, EXTENSION_ID, findFiles, legacyStoreOfSecondWindow, userDataDir } from './helpers';
import { entries, evaluate, waitFor } from './webview';

const MALFORMED_ID = '0badf11e-0000-4000-8000-00000000000a';

describe('after a window reload, the store', () => {
  it('activated although the newest stored file was malformed, and set that file aside', async () => {
    await activateComet();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const aside = findFiles(userDataDir(), file => file.includes(`${MALFORMED_ID}.json.corrupt-`));
    assert.equal(aside.length, 1);
    assert.equal(findFiles(userDataDir(), file => file.endsWith(`${MALFORMED_ID}.json`)).length, 0);
  });

  it('moved the conversations 0.1.0 kept per window into the store, once', () => {
    const legacy = legacyStoreOfSecondWindow();
    assert.equal(fs.existsSync(legacy), false, 'the old folder is renamed once its conversations are copied');
    assert.ok(fs.readdirSync(path.dirname(legacy)).some(name => name.startsWith('conversations.migrated-')));
  });

  it('lists the conversations written by 0.1.0 and opens one with its image', async () => {
    await vscode.commands.executeCommand('comet.chatView.focus');
    const titles = () => evaluate<string[]>(`Array.from(document.querySelectorAll('#conversation-select option')).map(o => o.textContent)`);
    await waitFor('the 0.1.0 conversations in the list', async () => {
      const all = await titles();
      return all.includes('What is in this image?') && all.includes('Fibonacci, renamed') && !all.includes('Malformed');
    }, 60_000);
    await evaluate(`(() => {
      const select = document.getElementById('conversation-select');
      select.value = Array.from(select.options).find(o => o.textContent === 'What is in this image?').value;
      select.dispatchEvent(new Event('change'));
    })()`);
    await waitFor('the 0.1.0 conversation', async () => (await entries()).some(e => e.text.includes('A single red dot.')), 60_000);
    const images = await evaluate<string[]>(`Array.from(document.querySelectorAll('[data-role=user] img')).map(img => img.src.slice(0, 22))`);
    assert.deepEqual(images, ['data:image/png;base64,']);
  });
});
