// Conversations in a real VS Code: several per workspace, switching, export, and (with
// conversations.after-reload.test.ts) surviving a window reload with a half-streamed answer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setUpComet } from './helpers';
import { entries, evaluate, waitFor, waitForLastAssistant } from './webview';

describe('conversations in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    // No editor selection may ride along with these questions.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
  });

  const options = () => evaluate<Array<{ title: string; selected: boolean }>>(
    `Array.from(document.querySelectorAll('#conversation-select option')).map(o => ({ title: o.textContent, selected: o.selected }))`,
  );

  it('switches between conversations from the panel list', async () => {
    server.enqueue(textReply(['Apples are red.']), textReply(['Bananas are yellow.']));
    await vscode.commands.executeCommand('comet.ask', 'Tell me about apples');
    await waitForLastAssistant('done');
    await newChat();
    await vscode.commands.executeCommand('comet.ask', 'Tell me about bananas');
    await waitForLastAssistant('done');

    const listed = await waitFor('both conversations in the list', async () => {
      const all = await options();
      return all.some(o => o.title === 'Tell me about apples') && all.some(o => o.title === 'Tell me about bananas') ? all : undefined;
    });
    assert.equal(listed.find(o => o.selected)?.title, 'Tell me about bananas');

    // Choose the apples conversation in the real <select>.
    await evaluate(`(() => {
      const select = document.getElementById('conversation-select');
      select.value = Array.from(select.options).find(o => o.textContent === 'Tell me about apples').value;
      select.dispatchEvent(new Event('change'));
    })()`);
    const shown = await waitFor('the apples conversation', async () => {
      const all = await entries();
      return all.some(e => e.text.includes('Apples are red.')) ? all : undefined;
    });
    assert.ok(!shown.some(e => e.text.includes('Bananas')));

    // And it continues with its own history.
    server.enqueue(textReply(['Green ones too.']));
    await vscode.commands.executeCommand('comet.ask', 'Other colours?');
    await waitForLastAssistant('done');
    const history = server.chatRequests().at(-1)!.body.messages.map((m: { content: string }) => m.content);
    assert.deepEqual(history.slice(1), ['Tell me about apples', 'Apples are red.', 'Other colours?']);
  });

  it('renames the open conversation', async () => {
    await vscode.commands.executeCommand('comet.ask', 'Something to rename');
    await waitForLastAssistant('done');
    await vscode.commands.executeCommand('comet.renameConversation', 'My renamed chat');
    await waitFor('the new title', async () => (await options()).find(o => o.selected)?.title === 'My renamed chat');
  });

  it('exports the conversation to Markdown', async () => {
    server.enqueue(textReply(['Use `Array.prototype.map`.']));
    await vscode.commands.executeCommand('comet.ask', 'How do I map an array?');
    await waitForLastAssistant('done');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('comet.exportConversation');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'markdown');
    assert.equal(
      document.getText(),
      '# How do I map an array?\n\n## You\n\n> How do I map an array?\n\n## Comet (gpt-5.4-mini-2026-03-01)\n\nUse `Array.prototype.map`.\n',
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('deletes the open conversation and opens the next one', async () => {
    await vscode.commands.executeCommand('comet.ask', 'Doomed conversation');
    await waitForLastAssistant('done');
    await vscode.commands.executeCommand('comet.deleteConversation', { confirm: false });
    await waitFor('the conversation to be gone', async () => !(await options()).some(o => o.title === 'Doomed conversation'));
  });
});
