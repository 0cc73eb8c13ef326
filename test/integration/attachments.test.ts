// Context on purpose, in a real VS Code: problems and the uncommitted changes of a git repository made for the test,
// a file picked through `#` in the composer, each a chip that can be removed, and what reaches the recorded request.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setUpComet, workspaceFile } from './helpers';
import { chatIsShown, click, evaluate, fill, press, waitFor, waitForLastAssistant, workbench } from './webview';

describe('attachments in a real VS Code', function () {
  this.timeout(180_000);
  let server: OpenAITestServer;
  const created: vscode.Uri[] = [];

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
  });

  const chips = () => evaluate<string[]>(`Array.from(document.querySelectorAll('#context-chips .attached-context')).map(c => c.textContent)`);
  async function sendAndGetPrompt(question: string): Promise<string> {
    await fill('#prompt', question);
    await press('#prompt', 'Enter');
    await waitForLastAssistant('done', 60_000);
    return server.chatRequests().at(-1)!.body.messages.at(-1).content;
  }

  it('attaches the problems of the file, shown as a chip and sent with the question', async () => {
    const lint = vscode.languages.createDiagnosticCollection('test-lint');
    try {
      const uri = workspaceFile('src/math.ts');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const problem = new vscode.Diagnostic(new vscode.Range(1, 0, 1, 6), 'Unused export add.', vscode.DiagnosticSeverity.Warning);
      problem.source = 'testlint';
      lint.set(uri, [problem]);
      await vscode.commands.executeCommand('comet.attachProblems', 'file');
      await waitFor('the problems chip', async () => (await chips()).some(c => c.includes('Problems: src/math.ts (1)')));
      const prompt = await sendAndGetPrompt('What should I fix?');
      assert.ok(prompt.startsWith('What should I fix?'));
      assert.ok(prompt.includes('src/math.ts:2:1 warning [testlint]: Unused export add.'), prompt);
      assert.deepEqual(await chips(), [], 'the composer is empty again');
    } finally {
      lint.dispose();
    }
  });

  it('attaches the uncommitted changes of a git repository, without its secret files', async () => {
    const repo = workspaceFile('git-fixture');
    created.push(repo);
    fs.mkdirSync(repo.fsPath, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo.fsPath });
    git('init', '-q');
    fs.writeFileSync(path.join(repo.fsPath, 'app.js'), 'console.log("one");\n');
    fs.writeFileSync(path.join(repo.fsPath, '.env'), 'TOKEN=old\n');
    git('add', '.');
    git('commit', '-qm', 'start');
    fs.writeFileSync(path.join(repo.fsPath, 'app.js'), 'console.log("two");\n');
    fs.writeFileSync(path.join(repo.fsPath, '.env'), 'TOKEN=secret-value\n');

    await vscode.commands.executeCommand('comet.attachChanges', repo);
    await waitFor('the changes chip', async () => (await chips()).some(c => c.includes('Changes: git-fixture')));
    const prompt = await sendAndGetPrompt('Review my changes');
    assert.ok(prompt.includes('+console.log("two");'), prompt);
    assert.ok(prompt.includes('-console.log("one");'));
    assert.ok(!prompt.includes('secret-value'), 'a file on the deny list stays out of the diff');
    assert.ok(prompt.includes('Left out, as they may hold secrets: .env'));
  });

  it('# in the composer picks a file; × removes a chip; a denied file is refused with a notice', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('src/math.ts')));
    await press('#prompt', '#');
    await waitFor('the attach picker', async () =>
      (await workbench.evaluate<string>(`document.querySelector('.quick-input-widget')?.textContent ?? ''`)).includes('Active file'));
    await workbench.type('Active file');
    await workbench.press('Enter');
    await waitFor('the file chip', async () => (await chips()).some(c => c.includes('src/math.ts')));
    assert.equal(await evaluate<string>('document.querySelector("#prompt").value'), '', 'the # is not kept in the message');
    await click('[data-action=remove-context]');
    await waitFor('the chip to go', async () => (await chips()).length === 0);

    const secret = workspaceFile('.env.local');
    created.push(secret);
    await vscode.workspace.fs.writeFile(secret, Buffer.from('KEY=1\n'));
    await vscode.commands.executeCommand('comet.attachFile', secret);
    await waitFor('the refusal', async () => (await evaluate<string>('document.querySelector("#composer-notice").textContent')).includes('.env.local was not attached'));
    assert.deepEqual(await chips(), []);
  });

  it('keeps the draft, its image and its chips when the chat is hidden and shown again, and a removed chip stays removed', async () => {
    const file = workspaceFile('src/math.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('comet.attachFile', file);
    await vscode.commands.executeCommand('comet.attachProblems', 'file');
    await vscode.commands.executeCommand('comet.attachImage', workspaceFile('images/logo.png'));
    const thumbnails = () => evaluate<number>('document.querySelectorAll("#attachments .thumbnail").length');
    await waitFor('two chips and a thumbnail', async () => (await chips()).length === 2 && (await thumbnails()) === 1);
    await fill('#prompt', 'Half a question');
    await click('[data-action=remove-context]');
    await waitFor('the file chip to go', async () => (await chips()).length === 1);

    // Hidden, the panel's page is dropped (no hidden DOM is kept); shown again, it is built anew.
    await evaluate('window.__pageBeforeHiding = true');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the page built anew, with the draft', async () =>
      (await chatIsShown()) && (await evaluate<boolean>('window.__pageBeforeHiding === undefined && document.getElementById("prompt").value === "Half a question"')));
    await waitFor('the chip, from the host', async () => (await chips()).length === 1);
    assert.match((await chips())[0], /Problems: src\/math\.ts/);
    assert.equal(await thumbnails(), 1);

    await press('#prompt', 'Enter');
    await waitForLastAssistant('done', 60_000);
    const [text, image] = server.chatRequests().at(-1)!.body.messages.at(-1).content;
    assert.ok(text.text.startsWith('Half a question'), text.text);
    assert.ok(text.text.includes('The problems VS Code reports in src/math.ts'), text.text);
    assert.ok(!text.text.includes('Attached file src/math.ts'), 'the chip removed before hiding stays removed');
    assert.match(image.image_url.url, /^data:image\/png;base64,/);
    assert.equal(await evaluate<string>('document.getElementById("prompt").value'), '');
    assert.deepEqual(await chips(), []);
  });

  it('does not keep an edit of the last question as a draft when the chat is hidden', async () => {
    await sendAndGetPrompt('The question to edit');
    await click('.is-last[data-role=user] [data-action=edit]');
    await waitFor('the question in the composer', async () => (await evaluate<string>('document.getElementById("prompt").value')) === 'The question to edit');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the page built anew', async () => (await chatIsShown()) && (await evaluate<boolean>('!!document.getElementById("prompt")')));
    await waitForLastAssistant('done');
    assert.equal(await evaluate<string>('document.getElementById("prompt").value'), '', 'Enter would have sent it as a new question');
  });

  it('sends an attached file, and a chip says when a big one was cut', async () => {
    const big = workspaceFile('big-attachment.txt');
    created.push(big);
    await vscode.workspace.fs.writeFile(big, Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n')));
    await vscode.commands.executeCommand('comet.attachFile', big);
    await waitFor('the cut chip', async () => (await chips()).some(c => c.includes('big-attachment.txt (cut to fit)')));
    const prompt = await sendAndGetPrompt('Summarise');
    assert.ok(prompt.includes('Attached file big-attachment.txt (plaintext)'));
    assert.match(prompt, /\[The file was truncated: only lines 1-\d+ of 5000 are included\.\]/);
  });
});
