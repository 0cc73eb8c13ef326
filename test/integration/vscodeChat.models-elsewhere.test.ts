// The last window load (after vscodeChat.models-resized), with another comet.baseUrl on disk (the same server by
// another name): nothing was remembered for it, so the startup listing goes to the endpoint.
import * as assert from 'node:assert/strict';
import { STARTUP_MODELS } from '../support/startupListing';
import { cometIsActive, cometModelIds, loadedChatBundle } from './startupHelpers';

describe('VS Code chat at startup: a window load with another comet.baseUrl', () => {
  it('lists from the endpoint, not from what was remembered for another one', async () => {
    assert.equal(cometIsActive(), false, 'nothing activated Comet before VS Code\'s chat asked');
    assert.deepEqual(await cometModelIds(), [...STARTUP_MODELS.afterASetting].sort());
    assert.equal(loadedChatBundle(), true);
  });
});
