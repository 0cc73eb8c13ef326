// The window load before a reload: turns code-block wrapping on with the toggle, for codeWrap.after-reload to find.
// Sorted before conversations.before-reload, whose half-streamed answer must be the last thing this window does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply } from '../support/openaiTestServer';
import { newChat, setUpComet } from './helpers';
import { chatIsShown, click, evaluate, waitFor, waitForLastAssistant } from './webview';

describe('code wrap, before a window reload', () => {
  it('turns wrapping on', async () => {
    const server = await setUpComet();
    try {
      await newChat();
      await vscode.commands.executeCommand('comet.chatView.focus');
      await waitFor('the chat', chatIsShown);
      server.enqueue(textReply(['```ts\n', `const wide = [${Array.from({ length: 40 }, (_, i) => i).join(', ')}];\n`, '```\n']));
      void vscode.commands.executeCommand('comet.ask', 'A wide line before the reload');
      await waitForLastAssistant('done');
      await waitFor('the wrap toggle', () => evaluate<boolean>('!!document.querySelector("[data-action=wrap]")'));
      await click('[data-action=wrap]');
      assert.equal(await evaluate<boolean>('document.body.classList.contains("wrap-code")'), true);
    } finally {
      await server.close();
    }
  });
});
