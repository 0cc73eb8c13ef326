// Images in a real VS Code: picked from the workspace, shown as thumbnails, sent as image_url parts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setSetting, setUpComet, workspaceFile } from './helpers';
import { chooseInQuickPick, evaluate, fill, press, waitFor, waitForLastAssistant } from './webview';

describe('images in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await setSetting('imageDetail', undefined);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  const composerThumbnails = () => evaluate<number>('document.querySelectorAll("#attachments .thumbnail").length');

  it('sends a workspace image as an image_url part with comet.imageDetail, and shows its thumbnail', async () => {
    await setSetting('imageDetail', 'low');
    await vscode.commands.executeCommand('comet.attachImage', workspaceFile('images/logo.png'));
    await waitFor('the composer thumbnail', async () => (await composerThumbnails()) === 1);
    await fill('#prompt', 'What colour is this logo?');
    await press('#prompt', 'Enter');
    await waitForLastAssistant('done');

    const content = server.chatRequests()[0].body.messages.at(-1).content;
    assert.equal(content[0].type, 'text');
    assert.equal(content[0].text, 'What colour is this logo?');
    assert.equal(content[1].type, 'image_url');
    assert.match(content[1].image_url.url, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.equal(content[1].image_url.detail, 'low');
    assert.equal(await evaluate<number>('document.querySelectorAll("[data-role=user] .thumbnail").length'), 1);
    assert.equal(await composerThumbnails(), 0, 'the composer is empty again');
  });

  it('picks an image from the workspace in a quick pick', async () => {
    await chooseInQuickPick(() => vscode.commands.executeCommand('comet.attachImage'), ['images/logo.png'], 'logo', 'images/logo.png');
    await waitFor('the composer thumbnail', async () => (await composerThumbnails()) === 1);
    await evaluate('document.querySelector("[data-action=remove-image]").click()');
    assert.equal(await composerThumbnails(), 0);
  });

  it('takes an image pasted into the composer', async () => {
    await evaluate(`(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 4;
      canvas.getContext('2d').fillRect(0, 0, 4, 4);
      const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
      document.getElementById('prompt').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await waitFor('the pasted thumbnail', async () => (await composerThumbnails()) === 1);
    await fill('#prompt', 'And this one?');
    await press('#prompt', 'Enter');
    await waitForLastAssistant('done');
    const content = server.chatRequests()[0].body.messages.at(-1).content;
    assert.match(content[1].image_url.url, /^data:image\/png;base64,/);
  });

  it('refuses a file that is not an image with a note in the composer', async () => {
    await vscode.commands.executeCommand('comet.attachImage', workspaceFile('README.md'));
    const notice = await waitFor('the notice', () => evaluate<string>('document.getElementById("composer-notice").hidden ? "" : document.getElementById("composer-notice").textContent'));
    assert.match(notice, /README\.md is not a PNG, JPEG, GIF or WebP image\./);
    assert.equal(await composerThumbnails(), 0);
  });
});
