// The second window load (after vscodeChat.models-listed), with the same comet.baseUrl on disk: VS Code's silent
// ask at startup gets the list remembered from the first load, without the chat bundle or a GET /models. Once the
// bundle is loaded (here by the panel), the real provider answers, and its changes reach VS Code's chat.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { OpenAITestServer } from '../support/openaiTestServer';
import { STARTUP_MODELS } from '../support/startupListing';
import { setSetting } from './helpers';
import { cometIsActive, cometModelIds, hasProviderApi, loadedChatBundle } from './startupHelpers';
import { chatIsShown, waitFor } from './webview';

describe('VS Code chat at startup: the next window load', function () {
  before(function () {
    if (!hasProviderApi()) this.skip();
  });

  it('answers VS Code\'s silent ask with the remembered models, whole, without loading the chat bundle', async () => {
    assert.equal(cometIsActive(), false, 'nothing activated Comet before VS Code\'s chat asked');
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS].sort());
    assert.equal(cometIsActive(), true);
    assert.equal(loadedChatBundle(), false, 'the startup listing loaded the chat bundle');
    const [model] = await vscode.lm.selectChatModels({ vendor: 'comet', id: STARTUP_MODELS[0] });
    assert.equal(model.family, STARTUP_MODELS[0]);
    assert.ok(model.maxInputTokens > 0);
  });

  it('passes the real provider\'s changes on once the panel has loaded the chat bundle', async () => {
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the chat view', () => chatIsShown());
    assert.equal(loadedChatBundle(), true);
    // Another endpoint: the real provider forgets its listing and tells VS Code, which asks again and announces the
    // change. (Asking VS Code for the models would itself have Comet list them, so the test only listens.)
    const elsewhere = await OpenAITestServer.start();
    let announced: vscode.Disposable | undefined;
    try {
      elsewhere.models = ['after-the-panel-model'];
      const changed = new Promise<void>(resolve => (announced = vscode.lm.onDidChangeChatModels(() => resolve())));
      await setSetting('baseUrl', elsewhere.baseUrl);
      await waitFor('VS Code\'s chat to announce other models', () => Promise.race([changed.then(() => true), new Promise<false>(resolve => setTimeout(() => resolve(false), 250))]));
      assert.deepEqual(await cometModelIds(), ['after-the-panel-model']);
    } finally {
      announced?.dispose();
      await elsewhere.close();
    }
  });
});
