// The second window load (after vscodeChat.models-listed), with the same comet.baseUrl on disk: VS Code's silent
// ask at startup gets the list remembered from the first load, without the chat bundle or a GET /models. Once the
// panel loads the bundle, VS Code is told to ask again (and gets what the endpoint lists now), and the real
// provider's changes reach it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { OpenAITestServer } from '../support/openaiTestServer';
import { STARTUP_MODELS } from '../support/startupListing';
import { setSetting } from './helpers';
import { announcedModels, cometIsActive, cometModelIds, loadedChatBundle, setListedModels } from './startupHelpers';
import { chatIsShown, waitFor } from './webview';

describe('VS Code chat at startup: the next window load', () => {
  // The next loads start with nothing of Comet's open: a chat view the workbench restores there would load the chat
  // bundle at startup, which is not what they are about. (Whether the workbench had saved the open view before the
  // reload decided that: it failed the next two loads once.)
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the chat view to close', async () => !(await chatIsShown()));
  });

  it('answers VS Code\'s silent ask with the remembered models, whole, without loading the chat bundle', async () => {
    assert.equal(cometIsActive(), false, 'nothing activated Comet before VS Code\'s chat asked');
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.first].sort());
    assert.equal(cometIsActive(), true);
    assert.equal(loadedChatBundle(), false, 'the startup listing loaded the chat bundle');
    const [model] = await vscode.lm.selectChatModels({ vendor: 'comet', id: STARTUP_MODELS.first[0] });
    assert.equal(model.family, STARTUP_MODELS.first[0]);
    assert.ok(model.maxInputTokens > 0);
  });

  it('once the panel loads the chat bundle, has VS Code ask again, and the endpoint\'s new list arrives', async () => {
    await setListedModels(STARTUP_MODELS.afterThePanel);
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.first].sort(), 'still from memory');
    const announced = announcedModels('VS Code\'s chat to announce the endpoint\'s new list');
    try {
      await vscode.commands.executeCommand('comet.chatView.focus');
      await waitFor('the chat view', () => chatIsShown());
      assert.equal(loadedChatBundle(), true);
      await announced.done;
    } finally {
      announced.dispose();
    }
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterThePanel].sort());
  });

  it('passes the real provider\'s changes on from then on', async () => {
    const harnessEndpoint = vscode.workspace.getConfiguration('comet').get<string>('baseUrl');
    const elsewhere = await OpenAITestServer.start();
    try {
      elsewhere.models = ['another-endpoint-model'];
      // Another endpoint: the real provider forgets its listing and tells VS Code, which asks again.
      const announced = announcedModels('VS Code\'s chat to announce the other endpoint\'s models');
      await setSetting('baseUrl', elsewhere.baseUrl);
      await announced.done.finally(() => announced.dispose());
      assert.deepEqual(await cometModelIds(), ['another-endpoint-model']);
    } finally {
      // Back to the harness's endpoint, whose list is then the one remembered for the next load.
      const back = announcedModels('VS Code\'s chat to announce the harness endpoint\'s models again');
      await setSetting('baseUrl', harnessEndpoint);
      await back.done.finally(() => back.dispose());
      await elsewhere.close();
    }
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterThePanel].sort());
  });
});
