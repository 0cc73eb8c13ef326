// What the host promises around the chat, checked in a real VS Code: the webview's CSP and nonce, the key banner
// following the key, Apply's stale-diff refusal and Discard, the model list cache and where a chosen model goes,
// the save on deactivate, and a key that never reaches the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OpenAITestServer, textReply } from '../support/openaiTestServer';
import { askComet, EXTENSION_ID, findFiles, hasProviderApi, newChat, setSetting, setUpComet, storedConversations, userDataDir, workspaceFile } from './helpers';
import { click, entries, evaluate, waitFor, workbench } from './webview';

// No redaction pattern knows this shape: only the key's own value can hide it.
const ODD_KEY = 'Zq4-integration-key-of-no-known-shape';

describe('the host around the chat, in a real VS Code', function () {
  // A loaded machine makes a settings file on disk take a while to reach the window; time is not what these check.
  this.timeout(180_000);
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await vscode.commands.executeCommand('comet.setApiKey', 'sk-integration-test-key-123456');
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await newChat();
  });

  // VS Code adds an inline script of its own to every webview; the scripts with a source are Comet's.
  const csp = () => evaluate<{ policy: string; nonces: string[]; scripts: number }>(`(() => ({
    policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
    nonces: Array.from(document.scripts).filter(s => s.src).map(s => s.nonce),
    scripts: Array.from(document.scripts).filter(s => s.src).length,
  }))()`);

  it('runs the chat view under a strict CSP: scripts only with its random nonce, no inline code', async () => {
    await vscode.commands.executeCommand('comet.chatView.focus');
    const first = await waitFor('the chat document', async () => ((await csp()).scripts ? csp() : undefined));
    assert.match(first.policy, /default-src 'none'/);
    assert.doesNotMatch(first.policy, /unsafe-inline'?\s*[^;]*script|unsafe-eval/);
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(first.policy)?.[1];
    assert.ok(nonce && nonce.length >= 16, `nonce ${nonce}`);
    assert.ok(first.nonces.every(n => n === nonce), JSON.stringify(first.nonces));
    // The policy holds: a script injected without the nonce (as markdown that slipped past the sanitizer would be)
    // does not run. (eval cannot be tried from here: DevTools evaluation is exempt from the CSP.)
    const ran = await evaluate<boolean>(`new Promise(resolve => {
      const script = document.createElement('script');
      script.textContent = 'window.__cometInlineRan = true';
      document.body.append(script);
      setTimeout(() => resolve(window.__cometInlineRan === true), 100);
    })`);
    assert.equal(ran, false, 'an inline script ran');
  });

  it('shows "Set API Key" for an endpoint without a key, and hides it once one is set', async () => {
    await vscode.commands.executeCommand('comet.chatView.focus');
    const bannerShown = () => evaluate<boolean>('!document.getElementById("key-banner").hidden');
    await waitFor('no banner while a key is set', async () => !(await bannerShown()));
    await setSetting('baseUrl', 'http://comet-banner.invalid/v1'); // an endpoint with no key of its own
    try {
      await waitFor('the banner for an endpoint without a key', bannerShown);
      await vscode.commands.executeCommand('comet.setApiKey', 'key-for-the-banner-endpoint');
      await waitFor('the banner to go after Set API Key', async () => !(await bannerShown()));
      await vscode.commands.executeCommand('comet.clearApiKey');
      await waitFor('the banner after Clear API Key', bannerShown);
    } finally {
      await setSetting('baseUrl', server.baseUrl);
    }
    await waitFor('no banner back on the local server', async () => !(await bannerShown()));
  });

  async function applyFromAnswer(): Promise<{ editor: vscode.TextEditor; diff: vscode.TabInputTextDiff }> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('src/math.ts')));
    editor.selection = new vscode.Selection(1, 0, 4, 0);
    server.enqueue(textReply(['```ts\nexport const replaced = true;\n```']));
    await askComet('Replace it');
    await waitFor('Apply', () => evaluate<boolean>('!!document.querySelector("[data-action=apply-diff]")'));
    await click('[data-action=apply-diff]');
    const diff = await waitFor('the diff editor', async () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab?.input instanceof vscode.TabInputTextDiff ? tab.input : undefined;
    });
    return { editor, diff };
  }

  it('refuses to accept a diff made before the file changed, and Discard leaves the file alone', async () => {
    const { editor, diff } = await applyFromAnswer();
    const change = new vscode.WorkspaceEdit();
    change.insert(editor.document.uri, new vscode.Position(0, 0), '// edited after the diff\n');
    await vscode.workspace.applyEdit(change);
    const edited = editor.document.getText();
    await vscode.commands.executeCommand('comet.acceptProposedChange', diff.modified);
    assert.equal(editor.document.getText(), edited, 'a stale diff must not overwrite the edit');
    assert.ok(!editor.document.getText().includes('replaced = true'));

    await vscode.commands.executeCommand('comet.discardProposedChange', diff.modified);
    await waitFor('the diff to close', async () => !vscode.window.tabGroups.all.some(g => g.tabs.some(t => t.input instanceof vscode.TabInputTextDiff)));
    assert.equal(editor.document.getText(), edited);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('lists models once per endpoint for the picker, the context window and VS Code\'s chat, and saves a choice where comet.model is set (the workspace settings file)', async () => {
    const settingsFile = workspaceFile('.vscode/settings.json').fsPath;
    const before = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    const listing = await OpenAITestServer.start(); // an endpoint no earlier test listed
    listing.models = ['model-a', 'model-b'];
    await setSetting('baseUrl', listing.baseUrl);
    try {
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify({ 'comet.model': 'model-a' }, null, 2));
      await waitFor('VS Code to read the workspace settings file', async () => vscode.workspace.getConfiguration('comet').inspect('model')?.workspaceValue === 'model-a');
      const listed = () => listing.requests.filter(r => r.method === 'GET' && r.path === '/v1/models').length;
      // VS Code 1.139's chat lists Comet's models as soon as the endpoint changes, through the same cache.
      if (hasProviderApi()) {
        await waitFor('VS Code\'s chat to list model-b', async () => (await vscode.lm.selectChatModels({ vendor: 'comet', id: 'model-b' })).length > 0);
      }
      const perPick: number[] = [];
      for (const choice of ['model-b', 'model-a']) {
        const before = listed();
        const picking = vscode.commands.executeCommand<string | undefined>('comet.selectModel');
        await waitFor('the model list', async () => (await workbench.evaluate<string>(`document.querySelector('.quick-input-widget')?.textContent ?? ''`)).includes('model-b'));
        await workbench.type(choice);
        // Enter picks the focused row: wait until the filter has put the choice there.
        await waitFor(`the list focused on ${choice}`, async () => {
          const focused = await workbench.evaluate<string>(`document.querySelector('.quick-input-widget .monaco-list-row.focused')?.getAttribute('aria-label') ?? ''`);
          return focused.includes(choice);
        });
        await workbench.press('Enter');
        assert.equal(await picking, choice);
        await waitFor(`the workspace settings file to hold ${choice}`, async () => fs.readFileSync(settingsFile, 'utf8').includes(`"${choice}"`));
        perPick.push(listed() - before);
      }
      assert.equal(perPick[1], 0, 'the second pick uses the cache');
      // The panel's question looks up the model's context window in the same listing.
      await newChat();
      await askComet('Which window?');
      assert.equal(listed(), 1, `one GET /models served the picker, the panel${perPick[0] ? '' : ' and VS Code\'s chat'} (picks listed ${perPick.join(', ')})`);
      assert.equal(vscode.workspace.getConfiguration('comet').inspect('model')?.globalValue, undefined, 'the User value is untouched');
    } finally {
      if (before === undefined) fs.rmSync(settingsFile, { force: true });
      else fs.writeFileSync(settingsFile, before);
      await setSetting('baseUrl', server.baseUrl);
      await listing.close();
    }
  });

  it('saves the answer streaming at deactivation, and never writes the key to the log', async () => {
    await vscode.commands.executeCommand('comet.setApiKey', ODD_KEY);
    server.enqueue(
      textReply(['Saved ', 'on ', 'the ', 'way ', 'out'], { hold: true }),
      { kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${ODD_KEY}`, code: 'invalid_api_key' } } },
    );
    void vscode.commands.executeCommand('comet.ask', 'Deactivate now');
    await waitFor('the streamed text', async () => (await entries()).some(e => e.text.includes('the way out')));
    // The extension's own deactivate(), as VS Code calls it on shutdown: the streamed text must be on disk when it resolves.
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const main = require(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    await main.deactivate();
    assert.ok(storedConversations().some(({ text }) => text.includes('Saved on the way out')), 'the streamed text is on disk');

    await vscode.commands.executeCommand('comet.stop');
    await vscode.commands.executeCommand('comet.ask', 'Echo my key');
    await waitFor('the key error', async () => (await entries()).some(e => e.role === 'error' && /rejected the API key/.test(e.text)));
    const shown = JSON.stringify(await entries());
    assert.ok(!shown.includes(ODD_KEY), 'the key reached the webview');
    const logs = await waitFor('the Comet log file with the failure', async () => {
      const files = findFiles(path.join(userDataDir(), 'logs'), file => /Comet\.log$/.test(file));
      const text = files.map(file => fs.readFileSync(file, 'utf8')).join('\n');
      return text.includes('401') ? text : undefined;
    });
    assert.ok(!logs.includes(ODD_KEY), 'the key reached the log');
    assert.ok(!storedConversations().some(({ text }) => text.includes(ODD_KEY)), 'the key reached a stored conversation');
  });
});
