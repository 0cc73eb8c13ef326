// The first of four window loads (then vscodeChat.models-remembered, -stale, -elsewhere), with comet.baseUrl on disk
// pointing at the harness's endpoint: VS Code's chat asks for the models, and Comet lists them from there.
import * as assert from 'node:assert/strict';
import { STARTUP_MODELS } from '../support/startupListing';
import { cometIsActive, cometModelIds, loadedChatBundle } from './startupHelpers';

describe('VS Code chat at startup: a first window load', () => {
  it('activates Comet for its provider and lists the endpoint\'s models, loading the chat bundle for that', async () => {
    assert.equal(cometIsActive(), false, 'nothing activated Comet before VS Code\'s chat asked');
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.first].sort());
    assert.equal(cometIsActive(), true);
    assert.equal(loadedChatBundle(), true);
  });
});
