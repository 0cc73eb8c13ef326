// The ready handshake: nothing reaches a view before its script says `ready`; then the restore comes first, and
// what the restore does not carry (an attached image, a composer notice) follows, in order.
import * as assert from 'node:assert/strict';
import { ChatViewChannel } from '../../src/host/chatViewChannel';
import type { HostToWebview } from '../../src/shared/protocol';

function view() {
  const received: HostToWebview[] = [] as HostToWebview[];
  return { received, webview: { postMessage: async (message: unknown) => (received.push(message as HostToWebview), true) } };
}

const image = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' };
const restore: HostToWebview = { type: 'restore', entries: [], busy: false, hasApiKey: true };

describe('ChatViewChannel', () => {
  it('holds what the restore does not carry until ready, and drops what it does', () => {
    const channel = new ChatViewChannel();
    channel.post({ type: 'imageAttached', image }); // no view open yet
    const panel = view();
    channel.attach(panel);
    channel.post({ type: 'composerNotice', message: 'too big' });
    channel.post({ type: 'assistantDelta', id: 'a', text: 'x', reasoning: '' }); // the restore will hold this text
    assert.equal(panel.received.length, 0);
    channel.open([restore]);
    assert.deepEqual(panel.received.map(m => m.type), ['restore', 'imageAttached', 'composerNotice']);
    channel.post({ type: 'busy', busy: true });
    assert.equal(panel.received.at(-1)?.type, 'busy');
  });

  it('starts over when the view is re-created', () => {
    const channel = new ChatViewChannel();
    const first = view();
    channel.attach(first);
    channel.open([restore]);
    channel.detach(first);
    const second = view();
    channel.attach(second);
    channel.post({ type: 'cleared' });
    channel.post({ type: 'imageAttached', image });
    assert.equal(second.received.length, 0);
    channel.open([restore]);
    assert.deepEqual(second.received.map(m => m.type), ['restore', 'imageAttached']);
    assert.equal(first.received.length, 1);
  });

  it('holds messages again while a hidden view has no page, until its new page is ready', () => {
    const channel = new ChatViewChannel();
    const panel = view();
    channel.attach(panel);
    channel.open([restore]);
    channel.hidden(panel);
    channel.post({ type: 'imageAttached', image }); // attached while the chat is hidden: it would reach no page
    channel.post({ type: 'busy', busy: true }); // carried by the next restore
    assert.deepEqual(panel.received.map(m => m.type), ['restore']);
    channel.open([restore]);
    assert.deepEqual(panel.received.map(m => m.type), ['restore', 'restore', 'imageAttached']);
  });

  it('opens nothing for a page hidden while its restore was being built', () => {
    const channel = new ChatViewChannel();
    const panel = view();
    channel.attach(panel);
    const page = channel.currentPage(); // the page says ready; the restore waits on the key store
    channel.hidden(panel);
    channel.open([restore], page);
    channel.post({ type: 'imageAttached', image });
    assert.equal(panel.received.length, 0, 'nothing goes to the dropped page');
    channel.open([restore], channel.currentPage()); // the next page's ready
    assert.deepEqual(panel.received.map(m => m.type), ['restore', 'imageAttached']);
  });

  it('keeps a bounded queue for a view that never opens', () => {
    const channel = new ChatViewChannel();
    for (let i = 0; i < 500; i++) channel.post({ type: 'composerNotice', message: String(i) });
    const panel = view();
    channel.attach(panel);
    channel.open([]);
    assert.equal(panel.received.length, 100);
    assert.deepEqual(panel.received.at(-1), { type: 'composerNotice', message: '499' });
  });
});
