// The window load before a reload (the runner then loads the window again for conversations.after-reload): turns on
// the code blocks' wrap toggle, and leaves a conversation with an answer still streaming, waiting until that answer
// is on disk, which is what a reload finds.
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setUpComet, storedConversations } from './helpers';
import { click, entries, evaluate, waitFor } from './webview';

describe('before a window reload', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
  });

  it('leaves the wrap toggle on', async () => {
    server.enqueue(textReply(['```ts\nconst wide = "', 'x'.repeat(400), '";\n```\n']));
    await askComet('A wide line');
    const on = () => evaluate<boolean>('document.querySelector("[data-action=wrap]")?.getAttribute("aria-pressed") === "true"');
    await waitFor('the toggle', () => evaluate<boolean>('!!document.querySelector("[data-action=wrap]")'));
    // Whatever it was, a click turns it off (if it was on) and the last click on: the choice a user made by clicking.
    if (await on()) {
      await click('[data-action=wrap]');
      await waitFor('the toggle off', async () => !(await on()));
    }
    await click('[data-action=wrap]');
    await waitFor('the toggle on', on);
  });

  it('leaves a half-streamed answer, saved', async () => {
    await newChat();
    server.enqueue(textReply(['Half ', 'of ', 'an ', 'answer ', 'before ', 'the ', 'reload'], { hold: true, delayMs: 100 }));
    void vscode.commands.executeCommand('comet.ask', 'Survive a reload');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.text.includes('the reload')), 20_000);
    await waitFor('the partial answer on disk', async () =>
      storedConversations().some(({ text }) => text.includes('Survive a reload') && text.includes('before the reload')),
    );
  });
});
