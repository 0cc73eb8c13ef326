// Choosing the model in a real VS Code: the quick pick fed by GET /v1/models, the fallback to a typed id when that
// endpoint is missing, and the status bar item and panel button that show the choice.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { setSetting, setUpComet } from './helpers';
import { chooseInQuickPick, evaluate, waitFor, workbench } from './webview';

describe('model selection in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await setSetting('model', undefined);
    await server.close();
  });

  const quickInputVisible = () => workbench.evaluate<boolean>(
    `(() => { const w = document.querySelector('.quick-input-widget'); return !!w && getComputedStyle(w).display !== 'none'; })()`,
  );
  const statusBarText = () => workbench.evaluate<string>(
    `Array.from(document.querySelectorAll('.statusbar-item')).map(i => i.textContent).join(' | ')`,
  );

  it('lists the server models in a quick pick and saves the choice to comet.model', async () => {
    server.models = ['gpt-5.4-mini', 'gpt-5.4', 'claude-sonnet-4-5'];
    // The picker lists the server's models (the list shows both before anything is typed).
    const picked = await chooseInQuickPick(() => vscode.commands.executeCommand<string | undefined>('comet.selectModel'), ['gpt-5.4-mini', 'claude-sonnet-4-5'], 'claude-sonnet', 'claude-sonnet-4-5');
    assert.ok(server.requests.some(r => r.method === 'GET' && r.path === '/v1/models'));
    assert.equal(picked, 'claude-sonnet-4-5');
    assert.equal(vscode.workspace.getConfiguration('comet').get('model'), 'claude-sonnet-4-5');
    await waitFor('the status bar to show the model', async () => (await statusBarText()).includes('claude-sonnet-4-5'));
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the panel button to show the model', () => evaluate<boolean>('document.getElementById("model-button").textContent === "claude-sonnet-4-5"'));
  });

  it('falls back to typing a model id when /models answers 404', async () => {
    server.models = undefined;
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', 'localhost')); // the same server, not cached
    try {
      const picking = vscode.commands.executeCommand<string | undefined>('comet.selectModel');
      await waitFor('the input box', quickInputVisible);
      const prompt = await workbench.evaluate<string>(`document.querySelector('.quick-input-widget')?.textContent ?? ''`);
      assert.match(prompt, /did not list its models/);
      await workbench.press('Control+A');
      await workbench.type('my-local-model');
      await workbench.press('Enter');
      assert.equal(await picking, 'my-local-model');
      assert.equal(vscode.workspace.getConfiguration('comet').get('model'), 'my-local-model');
    } finally {
      await setSetting('baseUrl', server.baseUrl);
      server.models = ['gpt-5.4-mini'];
    }
  });
});
