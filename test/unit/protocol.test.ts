import * as assert from 'node:assert/strict';
import {
  beforeReady,
  dispatch,
  HOST_MESSAGE_TYPES,
  isHostToWebview,
  isWebviewToHost,
  refusedSendId,
  WEBVIEW_MESSAGE_TYPES,
  type HostToWebview,
  type MessageHandlers,
  type WebviewToHost,
} from '../../src/shared/protocol';
import { MAX_IMAGES_PER_QUESTION } from '../../src/shared/domain';

// One well-formed sample of every message, keyed by type: a type added to the protocol without a sample here is a
// compile error, so the round trip below covers every message there is.
const webviewSamples: { [K in WebviewToHost['type']]: Extract<WebviewToHost, { type: K }> } = {
  ready: { type: 'ready' },
  send: { type: 'send', text: 'hi', images: [{ name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' }], contextIds: ['ctx-1'], sentId: '3' },
  pickContext: { type: 'pickContext' },
  removeContext: { type: 'removeContext', id: 'ctx-1' },
  pickImage: { type: 'pickImage' },
  attachImageUri: { type: 'attachImageUri', uri: 'file:///w/a.png' },
  stop: { type: 'stop' },
  newChat: { type: 'newChat' },
  setApiKey: { type: 'setApiKey' },
  chooseEndpoint: { type: 'chooseEndpoint' },
  openSettings: { type: 'openSettings', setting: 'comet.model' },
  retry: { type: 'retry' },
  continue: { type: 'continue' },
  regenerate: { type: 'regenerate' },
  editAndResend: { type: 'editAndResend', text: 'again' },
  selectModel: { type: 'selectModel' },
  switchConversation: { type: 'switchConversation', id: 'c1' },
  conversationCommand: { type: 'conversationCommand', command: 'rename' },
  codeAction: { type: 'codeAction', action: 'apply-diff', code: 'x', language: 'ts' },
  toolDecision: { type: 'toolDecision', callId: 'call_1', allow: true },
  openLink: { type: 'openLink', url: 'https://example.com/docs?q=1' },
  setCodeWrap: { type: 'setCodeWrap', on: true },
};

const entry = { kind: 'assistant' as const, id: 'e1', text: 'Hi', state: 'done' as const, model: 'm' };
const hostSamples: { [K in HostToWebview['type']]: Extract<HostToWebview, { type: K }> } = {
  restore: { type: 'restore', entries: [entry], busy: false, hasApiKey: true },
  conversations: { type: 'conversations', items: [{ id: 'c1', title: 'T' }], activeId: 'c1' },
  model: { type: 'model', model: 'gpt-5.4-mini' },
  imageAttached: { type: 'imageAttached', image: { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' } },
  composerNotice: { type: 'composerNotice', message: 'too big', sentId: '3' },
  contextAttached: { type: 'contextAttached', chip: { id: 'ctx-1', kind: 'changes', label: 'Changes: repo', truncated: true } },
  entryAdded: { type: 'entryAdded', entry, sentId: '3' },
  assistantDelta: { type: 'assistantDelta', id: 'e1', text: 'x', reasoning: '' },
  entryUpdated: { type: 'entryUpdated', entry },
  toolCallUpdated: { type: 'toolCallUpdated', entryId: 'e1', call: { id: 'c', name: 'read_file', args: '{}', state: 'done' } },
  entriesRemoved: { type: 'entriesRemoved', ids: ['e1'] },
  cleared: { type: 'cleared' },
  busy: { type: 'busy', busy: true },
  apiKeyStatus: { type: 'apiKeyStatus', hasApiKey: false },
  codeWrap: { type: 'codeWrap', on: true },
};

describe('protocol guards', () => {
  it('every webview message survives a trip through postMessage and its guard', () => {
    assert.deepEqual(Object.keys(webviewSamples).sort(), [...WEBVIEW_MESSAGE_TYPES].sort());
    for (const message of Object.values(webviewSamples)) {
      const received: unknown = structuredClone(message);
      assert.equal(isWebviewToHost(received), true, JSON.stringify(message));
      assert.deepEqual(received, message);
    }
  });

  it('every host message survives a trip through postMessage and its guard', () => {
    assert.deepEqual(Object.keys(hostSamples).sort(), [...HOST_MESSAGE_TYPES].sort());
    for (const message of Object.values(hostSamples)) assert.equal(isHostToWebview(structuredClone(message)), true, JSON.stringify(message));
  });

  it('accepts every well-formed webview message', () => {
    for (const message of [
      { type: 'ready' }, { type: 'send', text: 'hi' }, { type: 'stop' }, { type: 'newChat' },
      { type: 'setApiKey' }, { type: 'openSettings', setting: 'comet.model' }, { type: 'openSettings' }, { type: 'retry' },
    ]) assert.equal(isWebviewToHost(message), true, JSON.stringify(message));
  });

  it('rejects malformed webview messages', () => {
    for (const message of [
      null, undefined, 'ready', 42, [], {}, { type: 'unknown' }, { type: 'send' }, { type: 'send', text: 5 },
      { type: 'openSettings', setting: 3 }, { type: 'toString' }, { type: '__proto__' }, { type: 'hasOwnProperty' },
      { type: 'codeAction', action: 'delete-file', code: 'x', language: 'ts' }, { type: 'conversationCommand', command: 'wipe' },
      { type: 'toolDecision', callId: 'c', allow: 'yes' }, { type: 'send', text: 'hi', images: [{ name: 'x' }] },
      { type: 'send', text: 'hi', contextIds: [1] }, { type: 'send', text: 'hi', contextIds: 'ctx-1' },
      { type: 'send', text: 'hi', sentId: 3 }, { type: 'send', text: 'hi', sentId: 'x'.repeat(65) },
      { type: 'openLink' }, { type: 'openLink', url: 7 }, { type: 'setCodeWrap' }, { type: 'setCodeWrap', on: 'true' },
    ]) assert.equal(isWebviewToHost(message), false, JSON.stringify(message));
  });

  it('takes a question with up to MAX_IMAGES_PER_QUESTION images, and refuses one with more', () => {
    const image = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' };
    const send = (count: number) => ({ type: 'send', text: 'hi', images: Array.from({ length: count }, () => image) });
    assert.equal(isWebviewToHost(send(MAX_IMAGES_PER_QUESTION)), true);
    assert.equal(isWebviewToHost(send(MAX_IMAGES_PER_QUESTION + 1)), false);
  });

  it('names the sent question a refused send carries, so that the panel gets it back', () => {
    const image = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' };
    const tooMany = { type: 'send', text: 'hi', images: Array.from({ length: MAX_IMAGES_PER_QUESTION + 1 }, () => image), sentId: 'p.7' };
    assert.equal(isWebviewToHost(tooMany), false);
    assert.equal(refusedSendId(tooMany), 'p.7');
    for (const other of [{ type: 'send', text: 42 }, { type: 'send', text: 'hi', sentId: 7 }, { type: 'send', sentId: 'x'.repeat(65) }, { type: 'stop', sentId: 'p.1' }, null, 'send']) {
      assert.equal(refusedSendId(other), undefined, JSON.stringify(other));
    }
  });

  it('recognises host messages by type and shape', () => {
    assert.equal(isHostToWebview({ type: 'assistantDelta', id: 'a', text: 'x', reasoning: '' }), true);
    assert.equal(isHostToWebview({ type: 'assistantDelta', id: 'a' }), false);
    assert.equal(isHostToWebview({ type: 'send', text: 'x' }), false);
    assert.equal(isHostToWebview(null), false);
  });

  it('queues before `ready` only what the restore does not carry', () => {
    const queued = HOST_MESSAGE_TYPES.filter(type => beforeReady(hostSamples[type]) === 'queue');
    assert.deepEqual(queued.sort(), ['composerNotice', 'imageAttached']);
  });

  it('dispatches each message to the handler of its type', () => {
    const seen: string[] = [];
    const handlers = Object.fromEntries(WEBVIEW_MESSAGE_TYPES.map(type => [type, (m: WebviewToHost) => seen.push(m.type)])) as unknown as MessageHandlers<WebviewToHost, number>;
    for (const message of Object.values(webviewSamples)) dispatch(handlers, message);
    assert.deepEqual(seen, Object.keys(webviewSamples));
  });
});

// Type-level: a handler table that leaves a message type out does not compile. (Checked by `tsc -p test`, which
// `npm test` runs; the function is never called.)
export function handlerTablesMustBeComplete(): void {
  // @ts-expect-error 'toolDecision' has no handler
  const missing: MessageHandlers<WebviewToHost> = {
    ready: () => undefined, send: () => undefined, pickImage: () => undefined, attachImageUri: () => undefined, stop: () => undefined,
    newChat: () => undefined, setApiKey: () => undefined, chooseEndpoint: () => undefined, openSettings: () => undefined, retry: () => undefined, continue: () => undefined,
    regenerate: () => undefined, editAndResend: () => undefined, selectModel: () => undefined, switchConversation: () => undefined,
    conversationCommand: () => undefined, codeAction: () => undefined,
  };
  void missing;
}
