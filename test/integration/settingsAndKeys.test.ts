// Settings and keys the way users meet them, in a real VS Code: settings files written on disk (User, remote, the
// workspace's), Comet's own commands in between, a key per endpoint, none for a local server, and a host that acts
// on no id or file it did not issue.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OpenAITestServer, textReply } from '../support/openaiTestServer';
import { activateComet, askComet, newChat, setSetting, storedConversations, TEST_KEY, userDataDir, workspaceFile } from './helpers';
import { entries, evaluate, postAsWebview, waitFor, workbench } from './webview';

type Json = Record<string, unknown>;

/** Edits a settings file on disk as a user would in an editor, keeping what was there; returns the undo. */
function editSettingsFile(file: string, change: (settings: Json) => void): () => void {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const settings = before ? (JSON.parse(before) as Json) : {};
  change(settings);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  return () => (before === undefined ? fs.rmSync(file, { force: true }) : fs.writeFileSync(file, before));
}

const comet = () => vscode.workspace.getConfiguration('comet');

describe('settings and keys as users set them, in a real VS Code', function () {
  this.timeout(180_000);
  let server: OpenAITestServer;
  let decoy: OpenAITestServer;
  const undo: Array<() => void | Promise<void>> = [];

  before(async () => {
    await activateComet();
    server = await OpenAITestServer.start();
    decoy = await OpenAITestServer.start();
  });
  after(async () => {
    await setSetting('baseUrl', undefined);
    await setSetting('model', undefined);
    await server.close();
    await decoy.close();
  });
  beforeEach(async () => {
    server.reset();
    decoy.reset();
    await newChat();
  });
  // A test that failed half-way leaves neither its settings files nor an open picker to the next one.
  afterEach(async () => {
    for (const restore of undo.splice(0).reverse()) await restore();
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('keeps the User endpoint after Select Model, and neither the remote nor the workspace settings file redirects it', async () => {
    // The User settings (code-server reads that file from the browser side and does not watch it on disk, so it is
    // written through VS Code, which is where the settings editor writes it too).
    await setSetting('baseUrl', server.baseUrl);
    await setSetting('maxRetries', 0);
    // The remote machine's settings and the repository's own: window-scoped values apply, the endpoint does not.
    undo.push(editSettingsFile(path.join(userDataDir(), 'Machine', 'settings.json'), s => Object.assign(s, { 'comet.baseUrl': decoy.baseUrl, 'comet.maxRetries': 1 })));
    undo.push(editSettingsFile(workspaceFile('.vscode/settings.json').fsPath, s => Object.assign(s, { 'comet.baseUrl': decoy.baseUrl, 'comet.temperature': 0.25 })));
    await waitFor('VS Code to read the remote and workspace settings files', async () => comet().get('temperature') === 0.25 && comet().get('maxRetries') === 1);
    assert.equal(comet().get('baseUrl'), server.baseUrl);
    // The list is set before the key: on 1.139 a new key makes VS Code's chat list the models at once, and that
    // listing (the shared cache's) is what the picker then shows.
    server.models = ['pick-me', 'another-model'];
    await vscode.commands.executeCommand('comet.setApiKey', 'key-of-the-user-endpoint');

    const picking = vscode.commands.executeCommand<string | undefined>('comet.selectModel');
    await waitFor('the model list', async () => (await workbench.evaluate<string>(`document.querySelector('.quick-input-widget')?.textContent ?? ''`)).includes('another-model'));
    await workbench.type('pick-me');
    await waitFor('the list focused on pick-me', async () =>
      (await workbench.evaluate<string>(`document.querySelector('.quick-input-widget .monaco-list-row.focused')?.getAttribute('aria-label') ?? ''`)).includes('pick-me'),
    );
    await workbench.press('Enter');
    assert.equal(await picking, 'pick-me');

    server.enqueue(textReply(['Reached the User endpoint.']));
    await askComet('Where does this go?');
    const [request] = server.chatRequests();
    assert.equal(request.body.model, 'pick-me');
    assert.equal(request.body.temperature, 0.25, 'the workspace file applies where it may');
    assert.equal(request.headers.authorization, 'Bearer key-of-the-user-endpoint');
    assert.equal(request.body.max_tokens ?? request.body.max_completion_tokens, undefined);
    assert.equal(decoy.requests.length, 0, 'a remote or workspace settings file redirected the endpoint');
  });

  it('keeps a key per endpoint: switching endpoints never sends one endpoint\'s key to another', async () => {
    const other = await OpenAITestServer.start();
    try {
      await setSetting('maxRetries', 0);
      await setSetting('baseUrl', server.baseUrl);
      await vscode.commands.executeCommand('comet.setApiKey', 'key-A');
      server.enqueue(textReply(['A.']));
      await askComet('to A');
      assert.equal(server.chatRequests().at(-1)?.headers.authorization, 'Bearer key-A');

      await setSetting('baseUrl', other.baseUrl);
      other.enqueue(textReply(['B without a key.']));
      await askComet('to B');
      assert.equal(other.chatRequests().at(-1)?.headers.authorization, undefined, "A's key went to B");

      await vscode.commands.executeCommand('comet.setApiKey', 'key-B');
      other.enqueue(textReply(['B.']));
      await askComet('to B again');
      assert.equal(other.chatRequests().at(-1)?.headers.authorization, 'Bearer key-B');

      await setSetting('baseUrl', server.baseUrl);
      server.enqueue(textReply(['A again.']));
      await askComet('back to A');
      assert.equal(server.chatRequests().at(-1)?.headers.authorization, 'Bearer key-A');

      await vscode.commands.executeCommand('comet.forgetApiKey', new URL(other.baseUrl).origin);
      await setSetting('baseUrl', other.baseUrl);
      other.enqueue(textReply(['B forgotten.']));
      await askComet('to B, forgotten');
      assert.equal(other.chatRequests().at(-1)?.headers.authorization, undefined);
    } finally {
      await setSetting('baseUrl', server.baseUrl);
      await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
      await other.close();
    }
  });

  it('acts on no id it did not issue: forged conversation ids from the panel or a command touch nothing outside the store', async () => {
    await setSetting('baseUrl', server.baseUrl);
    server.enqueue(textReply(['Saved.']));
    await askComet('A conversation to have a store');
    const stored = await waitFor('a stored conversation', async () => storedConversations()[0]);
    const storeFolder = path.dirname(stored.file);
    const victims = [workspaceFile('victim.json').fsPath, path.join(storeFolder, '..', 'sibling.json')];
    for (const victim of victims) fs.writeFileSync(victim, '{"keep":true}');
    const before = storedConversations().length;
    const forged = [
      ...victims.map(victim => path.relative(storeFolder, victim).replace(/\.json$/, '')),
      ...victims.map(victim => victim.replace(/\.json$/, '')),
      encodeURIComponent('../sibling'), '..', '.', 'index', '%2e%2e%2fsibling', 'C:\\Windows\\win', '\u0000',
    ];
    try {
      for (const id of forged) {
        await vscode.commands.executeCommand('comet.switchConversation', id).then(() => undefined, () => undefined);
        await evaluate(`(() => {
          const select = document.getElementById('conversation-select');
          const option = document.createElement('option');
          option.value = ${JSON.stringify(id)};
          select.append(option);
          select.disabled = false;
          select.value = option.value;
          select.dispatchEvent(new Event('change'));
        })()`);
      }
      // A real switch still works afterwards, and nothing outside the store changed.
      await vscode.commands.executeCommand('comet.newChat');
      await waitFor('the panel to settle', async () => (await entries()).length === 0);
      for (const victim of victims) assert.equal(fs.readFileSync(victim, 'utf8'), '{"keep":true}', victim);
      assert.equal(storedConversations().length, before);
    } finally {
      for (const victim of victims) fs.rmSync(victim, { force: true });
    }
  });

  it('a message forged in the chat view acts on nothing the chat does not show', async () => {
    await setSetting('baseUrl', server.baseUrl);
    const document = await vscode.workspace.openTextDocument(workspaceFile('src/math.ts'));
    const editor = await vscode.window.showTextDocument(document);
    const before = document.getText();
    server.enqueue(textReply(['```ts\nconst shown = 1;\n```']));
    await askComet('Show me code');
    const target = await vscode.window.showTextDocument(document);
    target.selection = new vscode.Selection(0, 0, 0, 0); // Insert replaces a selection; put the cursor at the start
    await postAsWebview({ type: 'codeAction', action: 'insert', code: 'rm -rf ~ # never on screen', language: 'sh' });
    await postAsWebview({ type: 'toolDecision', callId: 'call_that_never_was', allow: true });
    await postAsWebview({ type: 'attachImageUri', uri: 'file:///etc/hostname' });
    await postAsWebview({ type: 'switchConversation', id: '../../../../etc/passwd' });
    await postAsWebview({ type: 'send', text: 42 });
    // The code the chat does show still inserts: the refusal is about what is forged, not about Insert.
    await postAsWebview({ type: 'codeAction', action: 'insert', code: 'const shown = 1;', language: 'ts' });
    await waitFor('the shown code at the cursor', async () => document.getText().includes('const shown = 1;'));
    assert.ok(!document.getText().includes('rm -rf'), 'code that is not in the chat was inserted');
    assert.equal(document.getText().replace('const shown = 1;', ''), before);
    const notice = await evaluate<string>('document.getElementById("composer-notice").textContent ?? ""');
    assert.doesNotMatch(notice, /hostname/);
    assert.equal(server.chatRequests().length, 1, 'a forged send reached the model');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('attaches only workspace files, and says nothing about a file outside', async () => {
    await vscode.commands.executeCommand('comet.chatView.focus');
    await evaluate('document.getElementById("composer-notice").textContent = ""'); // an earlier suite's notice
    await vscode.commands.executeCommand('comet.attachImage', vscode.Uri.file('/etc/hostname'));
    const notice = await waitFor('the refusal', async () => {
      const text = await evaluate<string>('document.getElementById("composer-notice").textContent ?? ""');
      return text ? text : undefined;
    });
    assert.match(notice, /Only images from the workspace/);
    assert.doesNotMatch(notice, /hostname|etc/);
  });
});
