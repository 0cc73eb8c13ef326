// Runs after the runner reloaded the window (new extension host, same profile and storage): the chat comes back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateComet } from './helpers';
import { evaluate, postAsWebview, waitForLastAssistant } from './webview';

describe('after a window reload', () => {
  it('restores the conversation, with the half-streamed answer marked interrupted', async () => {
    await activateComet();
    await vscode.commands.executeCommand('comet.chatView.focus');
    const shown = await waitForLastAssistant('error');
    assert.equal(shown[0].role, 'user');
    assert.match(shown[0].text, /Survive a reload/);
    assert.match(shown[1].text, /Half of an answer before the reload/);
    assert.match(shown[1].text, /Interrupted/);
  });

  it('keeps the wrap toggle as it was left', async () => {
    assert.equal(await evaluate<boolean>('document.body.classList.contains("wrap-code")'), true);
    await postAsWebview({ type: 'setCodeWrap', on: false });
  });
});
