// The third window load (after vscodeChat.models-remembered): the startup ask is answered from memory, and then a
// setting the real provider reacts to changes before anything loaded the chat bundle. The remembered list is stale
// then: VS Code is told, and asks the endpoint.
import * as assert from 'node:assert/strict';
import { STARTUP_MODELS } from '../support/startupListing';
import { setSetting } from './helpers';
import { announcedModels, cometModelIds, loadedChatBundle, setListedModels } from './startupHelpers';

describe('VS Code chat at startup: a setting changed before first use', () => {
  it('drops the remembered list when comet.model changes, and VS Code gets the endpoint\'s', async () => {
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterThePanel].sort());
    assert.equal(loadedChatBundle(), false);
    await setListedModels(STARTUP_MODELS.afterASetting);
    const announced = announcedModels('VS Code\'s chat to announce the endpoint\'s list');
    try {
      await setSetting('model', 'another-fallback-model');
      await announced.done;
    } finally {
      announced.dispose();
      await setSetting('model', undefined);
    }
    assert.equal(loadedChatBundle(), true);
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterASetting].sort());
  });
});
