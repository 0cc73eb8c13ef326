// Runs last in the main phase (hence the name): leaves a conversation with an answer still streaming, so that
// conversations.after-reload.test.ts can check what a reloaded window shows.
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setUpComet } from './helpers';
import { entries, waitFor } from './webview';

describe('before a window reload', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
  });

  // Leaves a conversation with an answer still streaming; the after-reload phase checks it comes back.
  it('leaves a half-streamed answer', async () => {
    server.enqueue(textReply(['Half ', 'of ', 'an ', 'answer ', 'before ', 'the ', 'reload'], { hold: true, delayMs: 400 }));
    void vscode.commands.executeCommand('comet.ask', 'Survive a reload');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.text.includes('the reload')), 20_000);
    // The stream is saved at most every 1.5 s; let the last save land.
    await new Promise(resolve => setTimeout(resolve, 1600));
    server.enqueue(textReply(['.']));
  });
});
