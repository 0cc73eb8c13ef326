// After the window reload: the wrap choice codeWrap.before-reload made is still in force in the new panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateComet } from './helpers';
import { chatIsShown, evaluate, waitFor } from './webview';

describe('code wrap, after a window reload', () => {
  it('keeps wrapping on', async () => {
    await activateComet();
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the chat', chatIsShown);
    await waitFor('the composer', () => evaluate<boolean>('!!document.getElementById("prompt")'));
    assert.equal(await evaluate<boolean>('document.body.classList.contains("wrap-code")'), true);
  });
});
