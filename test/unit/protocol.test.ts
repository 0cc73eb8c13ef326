import * as assert from 'node:assert/strict';
import { isHostToWebview, isWebviewToHost } from '../../src/shared/protocol';

describe('protocol guards', () => {
  it('accepts every well-formed webview message', () => {
    for (const message of [
      { type: 'ready' }, { type: 'send', text: 'hi' }, { type: 'stop' }, { type: 'newChat' },
      { type: 'setApiKey' }, { type: 'openSettings', setting: 'comet.model' }, { type: 'openSettings' }, { type: 'retry' },
    ]) assert.equal(isWebviewToHost(message), true, JSON.stringify(message));
  });

  it('rejects malformed webview messages', () => {
    for (const message of [
      null, undefined, 'ready', 42, [], {}, { type: 'unknown' }, { type: 'send' }, { type: 'send', text: 5 },
      { type: 'openSettings', setting: 3 }, { type: 'toString' }, { type: '__proto__' },
    ]) assert.equal(isWebviewToHost(message), false, JSON.stringify(message));
  });

  it('recognises host messages by type', () => {
    assert.equal(isHostToWebview({ type: 'assistantDelta', id: 'a', text: 'x', reasoning: '' }), true);
    assert.equal(isHostToWebview({ type: 'send', text: 'x' }), false);
    assert.equal(isHostToWebview(null), false);
  });
});
