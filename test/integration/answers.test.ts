// What answers offer in a real VS Code: code block actions checked on the editor's contents, Continue after a length
// cut, Regenerate, Edit and resend.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONTINUE_PROMPT } from '../../src/core/chatSession';
import { chunk, textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, useCometSuite, workspaceFile } from './helpers';
import { click, entries, evaluate, fill, press, screenshot, waitFor, waitForLastAssistant } from './webview';

const CODE = 'export function add(a: number, b: number): number {\n  return b + a; // commutative\n}';
const ANSWER = ['Here is a version:\n\n', '```ts\n', `${CODE}\n`, '```\n\nDone.'];

describe('answers in a real VS Code', () => {
  let server: OpenAITestServer;

  useCometSuite(started => (server = started), { closeEditors: true });

  async function answerWithCode(): Promise<void> {
    server.enqueue(textReply(ANSWER));
    await askComet('Rewrite add');
    await waitFor('the code block toolbar', () => evaluate<boolean>('!!document.querySelector("[data-action=copy]")'));
  }

  async function openMath(): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(workspaceFile('src/math.ts'));
    return vscode.window.showTextDocument(document);
  }

  it('highlights finished code blocks with the theme colours', async () => {
    await answerWithCode();
    const highlighted = await waitFor('highlighting', () => evaluate<number>('document.querySelectorAll("pre code.hljs .hljs-keyword").length'));
    assert.ok(highlighted >= 3, `${highlighted} keywords`);
    await screenshot('chat-panel-code-block.png', '.part.sidebar');
    const color = await evaluate<string>('getComputedStyle(document.querySelector(".hljs-keyword")).color');
    const plain = await evaluate<string>('getComputedStyle(document.querySelector("pre code")).color');
    assert.notEqual(color, plain, 'keywords take a theme colour of their own');
  });

  it('follows the theme: each VS Code version\'s own light, high-contrast and dark themes recolour the answer', async () => {
    // Theme names differ between versions: the runner passes this version's (test/support/vscodeVersions.ts).
    const themes = JSON.parse(process.env.COMET_TEST_THEMES ?? 'null') as { dark: string; light: string; highContrast: string } | null;
    assert.ok(themes, 'the runner passes the theme names of the version under test');
    await answerWithCode();
    await waitFor('highlighting', () => evaluate<boolean>('!!document.querySelector(".hljs-keyword")'));
    const workbench = vscode.workspace.getConfiguration('workbench');
    const look = () => evaluate<{ kind: string; keyword: string }>(
      `({ kind: ['vscode-light', 'vscode-dark', 'vscode-high-contrast'].filter(c => document.body.classList.contains(c)).join(' '),
          keyword: getComputedStyle(document.querySelector('.hljs-keyword')).color })`,
    );
    try {
      const seen: Record<string, { kind: string; keyword: string }> = {};
      // Each step changes the kind of theme, and VS Code keeps the current theme for a name it does not know, so a
      // wrong name fails here. (High contrast first: it is never the default the window starts with.)
      for (const [name, kind] of [[themes.highContrast, 'vscode-high-contrast'], [themes.light, 'vscode-light'], [themes.dark, 'vscode-dark']] as const) {
        await workbench.update('colorTheme', name, vscode.ConfigurationTarget.Global);
        seen[name] = await waitFor(`the webview in ${name}`, async () => {
          const now = await look();
          return now.kind === kind ? now : undefined;
        });
      }
      assert.notEqual(seen[themes.light].keyword, seen[themes.dark].keyword, 'keywords change colour with the theme');
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Copy puts the block on the clipboard', async () => {
    await vscode.env.clipboard.writeText('before');
    await answerWithCode();
    await click('[data-action=copy]');
    await waitFor('the clipboard', async () => (await vscode.env.clipboard.readText()) === CODE);
  });

  it('Insert puts the block at the cursor of the active editor', async () => {
    const editor = await openMath();
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    await answerWithCode();
    await click('[data-action=insert]');
    await waitFor('the inserted code', async () => editor.document.getText().includes(CODE));
    assert.equal(editor.document.lineAt(4).text, 'export function add(a: number, b: number): number {');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('New File opens the block in an untitled editor with its language', async () => {
    await answerWithCode();
    await click('[data-action=new-file]');
    const editor = await waitFor('the new editor', async () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.isUntitled ? active : undefined;
    });
    assert.equal(editor.document.getText(), CODE);
    assert.equal(editor.document.languageId, 'typescript');
  });

  it('Apply opens a diff of the selection replaced, and Accept applies it', async () => {
    const editor = await openMath();
    editor.selection = new vscode.Selection(1, 0, 4, 0); // add(), lines 2-4
    const before = editor.document.getText();
    await answerWithCode();
    await click('[data-action=apply-diff]');
    const diff = await waitFor('the diff editor', async () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab?.input instanceof vscode.TabInputTextDiff ? tab.input : undefined;
    });
    assert.equal(diff.original.toString(), editor.document.uri.toString());
    assert.equal(editor.document.getText(), before, 'nothing changes before Accept');
    await vscode.commands.executeCommand('comet.acceptProposedChange', diff.modified);
    const text = editor.document.getText();
    assert.ok(text.startsWith(`// Fixture file for Comet's integration tests.\n${CODE}\n\nexport function fibonacci`), text);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Continue after a length cut asks the model to go on, with the partial answer in the history', async () => {
    server.enqueue(textReply(['The first half'], { finishReason: 'length' }), textReply([' and the second half.']));
    await askComet('Write a lot');
    const cut = (await entries()).find(e => e.role === 'assistant');
    assert.match(cut?.text ?? '', /cut off at the token limit/);
    assert.ok(cut?.actions.includes('continue'));
    await click('[data-action=continue]');
    await waitFor('the continuation', async () => (await entries()).some(e => e.role === 'assistant' && e.text.includes('second half')));
    const messages = server.chatRequests()[1].body.messages;
    assert.deepEqual(messages.slice(-2), [{ role: 'assistant', content: 'The first half' }, { role: 'user', content: CONTINUE_PROMPT }]);
  });

  it('thinking written into the content in <think> tags shows as the reasoning, and only the answer goes back as history', async () => {
    // Tags cut across pieces, as a local server streams them token by token.
    server.enqueue(textReply(['\n<thi', 'nk>The user greets', ' me.</th', 'ink>\n\nHello there!']), textReply(['Again.']));
    await askComet('Hi');
    const answer = (await entries()).find(e => e.role === 'assistant');
    assert.match(answer?.text ?? '', /^Reasoning[^\n]*\n+Hello there!\n/);
    assert.doesNotMatch(answer?.text ?? '', /think>|greets/);
    assert.equal(await evaluate<string>('document.querySelector("[data-role=assistant] .reasoning-text").textContent'), 'The user greets me.');
    await askComet('Once more');
    assert.deepEqual(server.chatRequests()[1].body.messages.filter((m: { role: string }) => m.role === 'assistant'), [{ role: 'assistant', content: '\n\nHello there!' }]);
  });

  it("a search model's numbered sources show as links after the answer, web addresses only", async () => {
    const citations = ['https://example.com/population', 'javascript:alert(1)'];
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: 'About 808,000 people[1].' }, null, { citations }), chunk({}, 'stop', { citations })] });
    await askComet('How many people live in San Francisco?');
    // Links keep their target for the host to open (markdown.ts), never as an href.
    const links = await evaluate<string[]>('Array.from(Array.from(document.querySelectorAll("[data-role=assistant]")).at(-1).querySelectorAll("a[data-href]")).map(a => a.dataset.href)');
    assert.deepEqual(links, ['https://example.com/population']);
    const answer = (await entries()).filter(e => e.role === 'assistant').at(-1);
    assert.match(answer?.text ?? '', /people\[1\]\.\s+Sources\s+(1\.\s*)?example\.com\s+(2\.\s*)?—/);
  });

  it('Regenerate answers the last question again in place of the old answer', async () => {
    server.enqueue(textReply(['First try.']), textReply(['Second try.']));
    await askComet('Try');
    await click('.is-last [data-action=regenerate]');
    await waitFor('the new answer', async () => (await entries()).some(e => e.text.includes('Second try.')));
    const shown = await waitForLastAssistant('done');
    assert.deepEqual(shown.map(e => e.role), ['user', 'assistant']);
    assert.equal(server.chatRequests()[1].body.messages.at(-1).content, 'Try');
  });

  it('Edit and resend replaces the last question and its answer', async () => {
    server.enqueue(textReply(['Answer one.']), textReply(['Answer two.']));
    await askComet('Original question');
    await click('.is-last[data-role=user] [data-action=edit]');
    assert.equal(await evaluate<string>('document.getElementById("prompt").value'), 'Original question');
    await fill('#prompt', 'Edited question');
    await press('#prompt', 'Enter');
    await waitFor('the new answer', async () => (await entries()).some(e => e.text.includes('Answer two.')));
    const shown = await waitForLastAssistant('done');
    assert.deepEqual(shown.map(e => e.role), ['user', 'assistant']);
    assert.match(shown[0].text, /Edited question/);
    const sent = server.chatRequests()[1].body.messages;
    assert.deepEqual(sent.slice(1).map((m: { content: string }) => m.content), ['Edited question']);
  });
});
