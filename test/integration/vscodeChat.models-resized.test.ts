// A window load (after vscodeChat.models-stale) with the same comet.baseUrl on disk, but comet.model and
// comet.contextWindow written there too while VS Code was closed: the list remembered under the old settings told
// other limits, so the startup listing goes to the endpoint, and VS Code gets the window the setting gives.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { nativeModelInfo } from '../../src/core/native/modelInfo';
import { RESIZED, STARTUP_MODELS } from '../support/startupListing';
import { cometIsActive, cometModelIds, loadedChatBundle } from './startupHelpers';

describe('VS Code chat at startup: a window load with comet.contextWindow changed on disk', () => {
  it('lists from the endpoint, with the window of the setting, not the remembered limits', async () => {
    assert.equal(cometIsActive(), false, 'nothing activated Comet before VS Code\'s chat asked');
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterASetting].sort());
    assert.equal(loadedChatBundle(), true, 'the remembered list was recalled under other settings');
    const [model] = await vscode.lm.selectChatModels({ vendor: 'comet', id: RESIZED.model });
    const baseUrl = vscode.workspace.getConfiguration('comet').get<string>('baseUrl') ?? '';
    const resized = nativeModelInfo({ id: RESIZED.model }, baseUrl, RESIZED.contextWindow).maxInputTokens;
    assert.notEqual(resized, nativeModelInfo({ id: RESIZED.model }, baseUrl).maxInputTokens, 'the setting changes the window');
    assert.equal(model.maxInputTokens, resized);
  });
});
