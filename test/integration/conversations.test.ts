// Conversations in a real VS Code: several per workspace, switching, export, and (with
// conversations.after-reload.test.ts) surviving a window reload with a half-streamed answer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, useCometSuite } from './helpers';
import { entries, evaluate, waitFor } from './webview';

describe('conversations in a real VS Code', () => {
  let server: OpenAITestServer;

  // No editor selection may ride along with these questions.
  useCometSuite(started => (server = started), { closeEditors: true });

  const options = () => evaluate<Array<{ title: string; selected: boolean }>>(
    `Array.from(document.querySelectorAll('#conversation-select option')).map(o => ({ title: o.textContent, selected: o.selected }))`,
  );

  it('switches between conversations from the panel list', async () => {
    server.enqueue(textReply(['Apples are red.']), textReply(['Bananas are yellow.']));
    await askComet('Tell me about apples');
    await newChat();
    await askComet('Tell me about bananas');

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
    await askComet('Other colours?');
    const history = server.chatRequests().at(-1)!.body.messages.map((m: { content: string }) => m.content);
    assert.deepEqual(history.slice(1), ['Tell me about apples', 'Apples are red.', 'Other colours?']);
  });

  it('renames the open conversation', async () => {
    await askComet('Something to rename');
    await vscode.commands.executeCommand('comet.renameConversation', 'My renamed chat');
    await waitFor('the new title', async () => (await options()).find(o => o.selected)?.title === 'My renamed chat');
  });

  it('exports the conversation to Markdown', async () => {
    server.enqueue(textReply(['Use `Array.prototype.map`.']));
    await askComet('How do I map an array?');
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
    await askComet('Doomed conversation');
    await vscode.commands.executeCommand('comet.deleteConversation', { confirm: false });
    await waitFor('the conversation to be gone', async () => !(await options()).some(o => o.title === 'Doomed conversation'));
  });
});
