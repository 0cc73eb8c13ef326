// The chat view under jsdom: a long conversation is restored newest first, the rest in later tasks, and a message
// about an entry not shown yet finishes the restore before it is applied.
import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
const { ChatView } = require('../../../src/webview/chatView') as typeof import('../../../src/webview/chatView');
const { entriesFromEnd } = require('../../../src/webview/entryChunks') as typeof import('../../../src/webview/entryChunks');
const { MessageList } = require('../../../src/webview/messageList') as typeof import('../../../src/webview/messageList');

import type { ChatEntry } from '../../../src/shared/protocol';
import type { EntryHandlers } from '../../../src/webview/entryView';

const noop = () => undefined;
const handlers: Omit<EntryHandlers, 'contentGrew'> = { errorAction: noop, toolDecision: noop, codeAction: noop, continueAnswer: noop, regenerate: noop, editQuestion: noop };

function conversation(messages: number): ChatEntry[] {
  return Array.from({ length: messages }, (_, i): ChatEntry => (i % 2
    ? { kind: 'assistant', id: `e${i}`, text: `Answer ${i} with a few words of text.`, state: 'done', model: 'm' }
    : { kind: 'user', id: `e${i}`, text: `Question ${i}` }));
}

describe('webview chat view', () => {
  // The list's entries: its own children, or in a chunk (a restored chat's older ones).
  const entryElements = (list: HTMLElement) => Array.from(entriesFromEnd(list)).reverse();
  const shownIds = (list: HTMLElement) => entryElements(list).map(el => el.dataset.id);
  const tasks = async (list: HTMLElement, count: number) => {
    const drawn = () => Array.from(list.children).reduce((n, child) => n + (child.classList.contains('entry-chunk') ? child.childElementCount : 1), 0);
    for (let i = 0; i < 2000 && drawn() < count; i++) await new Promise(resolve => setTimeout(resolve, 0));
  };
  /** A chat view on a list in the page, restoring `entries` (its first task done); with the keyboard list if asked. */
  const restoring = (entries: ChatEntry[], keyboard = false) => {
    const list = document.createElement('div');
    document.body.append(list);
    if (keyboard) new MessageList(list);
    const view = new ChatView(list, handlers, noop, noop);
    view.apply({ type: 'restore', entries, busy: false, hasApiKey: true });
    return { list, view };
  };

  it('restores 1,000 messages newest first, and the older ones in later tasks, in order', async () => {
    const entries = conversation(1000);
    const { list } = restoring(entries);
    const atOnce = shownIds(list);
    assert.ok(atOnce.length >= 1 && atOnce.length < 1000, `${atOnce.length} entries at once`);
    assert.deepEqual(atOnce, entries.slice(-atOnce.length).map(e => e.id), 'the newest, in order');
    await tasks(list, 1000);
    assert.deepEqual(shownIds(list), entries.map(e => e.id));
    list.remove();
  });

  it('draws the older entries of a restore into chunks of at most 50; a chunk goes with its last entry', async () => {
    const entries = conversation(400);
    const { list, view } = restoring(entries);
    const atOnce = list.childElementCount;
    await tasks(list, 400);
    const chunks = Array.from(list.children).filter(child => child.classList.contains('entry-chunk'));
    const direct = Array.from(list.children).filter(child => child.hasAttribute('data-role'));
    assert.equal(direct.length, atOnce, "the restore's own task draws into the list itself");
    assert.equal(chunks.length, Math.ceil((400 - atOnce) / 50));
    assert.ok(chunks.every(chunk => chunk.childElementCount <= 50 && chunk.childElementCount > 0));
    assert.ok(Array.from(list.children).slice(0, chunks.length).every(child => chunks.includes(child)), 'the chunks are above the newest entries');
    assert.deepEqual(shownIds(list), entries.map(e => e.id), 'in order across the chunks');
    const firstChunk = chunks[0] as HTMLElement;
    const ids = Array.from(firstChunk.children).map(el => (el as HTMLElement).dataset.id!);
    view.apply({ type: 'entriesRemoved', ids });
    assert.ok(!firstChunk.isConnected, 'an emptied chunk is removed');
    list.remove();
  });

  it('draws the rest of a restore when entries it drew are removed first (Regenerate during a restore)', async () => {
    const entries = conversation(1000);
    const { list, view } = restoring(entries);
    const drawn = shownIds(list);
    assert.ok(drawn.length < 1000, 'the restore is still drawing');
    // Edit on the oldest question drawn so far: it and everything after it go, the older ones drawn above it stay.
    view.apply({ type: 'entriesRemoved', ids: drawn.map(String) });
    await tasks(list, 1000 - drawn.length);
    assert.deepEqual(shownIds(list), entries.slice(0, 1000 - drawn.length).map(e => e.id));
    list.remove();
  });

  it('marks the last question for Edit when a long last answer leaves it to a later slice', async () => {
    const section = (i: number) => `## Part ${i}\n\n| a | b |\n|---|---|\n| ${i} | **${i}** |\n\n- one\n- two \`code\`\n\n\`\`\`ts\nconst x${i} = ${i};\n\`\`\`\n\n`;
    const answer = Array.from({ length: 60 }, (_, i) => section(i)).join('').slice(0, 7_900);
    const { list } = restoring([{ kind: 'user', id: 'q', text: 'The question' }, { kind: 'assistant', id: 'a', text: answer, state: 'done', model: 'm' }]);
    assert.deepEqual(shownIds(list), ['a'], 'the answer alone fills the first task');
    await tasks(list, 2);
    await new Promise(resolve => setTimeout(resolve, 0));
    assert.ok(list.querySelector('[data-id=q]')?.classList.contains('is-last'), 'Edit is offered on the question');
    list.remove();
  });

  it('moves the keyboard through the entries of the list and of its chunks alike', async () => {
    const { list } = restoring(conversation(300), true);
    await tasks(list, 300);
    await new Promise(resolve => setTimeout(resolve, 0)); // the MutationObserver's records
    const all = entryElements(list);
    assert.ok(list.querySelector('.entry-chunk'), 'some entries are in chunks');
    assert.ok(all.every(el => el.getAttribute('role') === 'listitem'), 'every entry is an item of the list, in a chunk too');
    assert.deepEqual(all.filter(el => el.tabIndex === 0), [all.at(-1)], 'one Tab stop: the newest entry');
    const press = (el: HTMLElement, key: string) => el.dispatchEvent(new window.KeyboardEvent('keydown', { key, bubbles: true }));
    all.at(-1)!.focus();
    press(all.at(-1)!, 'Home');
    assert.equal(document.activeElement, all[0], 'Home: the oldest entry, in the first chunk');
    press(all[0], 'ArrowDown');
    assert.equal(document.activeElement, all[1]);
    const lastInChunk = all.findIndex((el, i) => el.parentElement !== all[i + 1]?.parentElement);
    all[lastInChunk].focus();
    press(all[lastInChunk], 'ArrowDown');
    assert.equal(document.activeElement, all[lastInChunk + 1], 'ArrowDown goes on from a chunk into the next');
    list.remove();
  });

  describe('a question drawn as it is sent', () => {
    let list: HTMLElement;
    let view: InstanceType<typeof ChatView>;
    const roles = () => entryElements(list).map(el => `${el.dataset.role}:${el.dataset.id}${el.dataset.sent ? ' (sent)' : ''}`);
    beforeEach(async () => {
      list = document.createElement('div');
      document.body.append(list);
      view = new ChatView(list, handlers, noop, noop);
      view.apply({ type: 'restore', entries: conversation(2), busy: false, hasApiKey: true });
      await tasks(list, 2); // a restore draws what fits its first task's budget at once, the rest just after
    });
    afterEach(() => list.remove());

    it("shows at once; the host's echo takes its place, and what the host adds meanwhile goes above it", () => {
      view.showSent('1', { text: 'Why?' }, 'Why?');
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'user:sent:1 (sent)']);
      assert.equal(list.lastElementChild?.textContent, 'Why?');
      // The end of the answer before it (a tool round's error, say) arrives before the echo.
      view.apply({ type: 'entryAdded', entry: { kind: 'error', id: 'x', message: 'Stopped.' } });
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'error:x', 'user:sent:1 (sent)']);
      view.apply({ type: 'entryAdded', entry: { kind: 'user', id: 'u9', text: 'Why?' }, sentId: '1' });
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'error:x', 'user:u9']);
      assert.ok(list.lastElementChild?.classList.contains('is-last'), 'Edit is offered on the echoed question');
    });

    it('drops a question sent earlier that got no echo when a later one is echoed, and one the host refused', async () => {
      view.showSent('1', { text: 'First' }, 'First');
      view.showSent('2', { text: 'Second' }, 'Second');
      const image = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' };
      view.showSent('3', { text: 'What is in this image?', images: [image] }, '');
      view.apply({ type: 'entryAdded', entry: { kind: 'user', id: 'u2', text: 'Second' }, sentId: '2' });
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'user:u2', 'user:sent:3 (sent)']);
      assert.deepEqual(view.withdrawSent('3'), { typed: '', images: [image] }, 'what was typed (nothing: the text was the default for an image), and the image');
      assert.equal(view.withdrawSent('3'), undefined, 'once');
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'user:u2']);
      // An echo whose question is gone (a restore came between) is added like any entry.
      view.showSent('4', { text: 'Fourth' }, 'Fourth');
      view.apply({ type: 'restore', entries: conversation(2), busy: false, hasApiKey: true });
      view.apply({ type: 'entryAdded', entry: { kind: 'user', id: 'u4', text: 'Fourth' }, sentId: '4' });
      await tasks(list, 3);
      assert.deepEqual(roles(), ['user:e0', 'assistant:e1', 'user:u4']);
    });

    it("keeps the empty state and the key banner's classes in step with the chat's end", () => {
      const has = (name: string) => document.body.classList.contains(name);
      document.body.classList.add('chat-empty');
      view.apply({ type: 'restore', entries: conversation(2), busy: false, hasApiKey: true });
      assert.ok(!has('chat-empty'));
      view.apply({ type: 'cleared' });
      assert.ok(has('chat-empty'));
      view.showSent('1', { text: 'Hi' }, 'Hi');
      assert.ok(!has('chat-empty'), 'the empty state goes as the first question is sent');
      view.apply({ type: 'entryAdded', entry: { kind: 'user', id: 'u1', text: 'Hi' }, sentId: '1' });
      view.apply({ type: 'entryAdded', entry: { kind: 'error', id: 'k', message: 'No key.', action: 'setApiKey' } });
      assert.ok(has('chat-ends-asking-for-key'));
      view.apply({ type: 'entriesRemoved', ids: ['k'] });
      assert.ok(!has('chat-ends-asking-for-key'));
      view.apply({ type: 'entryAdded', entry: { kind: 'error', id: 'r', message: 'Rate limited.', action: 'retry' } });
      assert.ok(!has('chat-ends-asking-for-key'), 'another error does not hide the banner');
    });
  });

  it('warms up off the page: the chat shows nothing of it and is not scrolled', async () => {
    const list = document.createElement('div');
    document.body.append(list);
    const frames = globalThis as unknown as { requestAnimationFrame: (callback: (time: number) => void) => number };
    const requestFrame = frames.requestAnimationFrame;
    let follows = 0;
    try {
      const view = new ChatView(list, handlers, noop, noop);
      view.apply({ type: 'restore', entries: [], busy: false, hasApiKey: true }); // the chat now follows its end
      await new Promise(resolve => setTimeout(resolve, 20));
      frames.requestAnimationFrame = callback => { follows++; return requestFrame(callback); };
      view.warmUp();
      await new Promise(resolve => setTimeout(resolve, 20));
      assert.equal(list.childElementCount, 0);
      assert.equal(document.querySelectorAll('[data-id=warm-up]').length, 0);
      assert.equal(follows, 0, 'no frame asked to follow the end');
    } finally {
      frames.requestAnimationFrame = requestFrame;
      list.remove();
    }
  });

  it("draws an answer's first words in their own message's task, and what follows within 120 ms together, later", async () => {
    const list = document.createElement('div');
    document.body.append(list);
    const view = new ChatView(list, handlers, noop, noop);
    const answer = () => list.querySelector<HTMLElement>('[data-id=a1]')?.textContent ?? '';
    // The view's clock stands still while the deltas arrive: however long the first draw takes, the next two come
    // within its 120 ms.
    const clock = performance as { now: () => number };
    const realNow = clock.now;
    const at = realNow.call(performance);
    clock.now = () => at;
    let frames = 0;
    const frameHost = globalThis as unknown as { requestAnimationFrame: (callback: (time: number) => void) => number };
    const requestFrame = frameHost.requestAnimationFrame;
    frameHost.requestAnimationFrame = callback => { frames++; return requestFrame(callback); };
    try {
      view.apply({ type: 'entryAdded', entry: { kind: 'assistant', id: 'a1', text: '', state: 'streaming', model: 'm' } });
      view.apply({ type: 'assistantDelta', id: 'a1', text: 'First', reasoning: '' });
      assert.match(answer(), /First/, 'in the DOM before any frame or timer');
      view.apply({ type: 'assistantDelta', id: 'a1', text: ' words', reasoning: '' });
      view.apply({ type: 'assistantDelta', id: 'a1', text: ' here', reasoning: '' });
      assert.doesNotMatch(answer(), /words/, 'a delta right after waits for the next draw');
      const framesBefore = frames;
      clock.now = realNow;
      await new Promise(resolve => setTimeout(resolve, 200));
      assert.match(answer(), /First words here/);
      assert.equal(frames - framesBefore, 1, 'the two later deltas are drawn on one frame');
    } finally {
      clock.now = realNow;
      frameHost.requestAnimationFrame = requestFrame;
      list.remove();
    }
  });

  it('finishes the restore before updating an entry it has not shown, and a new restore drops the old one', async () => {
    const list = document.createElement('div');
    const view = new ChatView(list, handlers, noop, noop);
    const entries = conversation(1000);
    view.apply({ type: 'restore', entries, busy: false, hasApiKey: true });
    view.apply({ type: 'entryUpdated', entry: { kind: 'assistant', id: 'e1', text: 'The first answer, edited.', state: 'done', model: 'm' } });
    assert.equal(entryElements(list).length, 1000);
    assert.match(list.querySelector<HTMLElement>('[data-id=e1]')?.textContent ?? '', /The first answer, edited\./);
    view.apply({ type: 'restore', entries: conversation(1000), busy: false, hasApiKey: true });
    view.apply({ type: 'restore', entries: conversation(4), busy: false, hasApiKey: true });
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.deepEqual(shownIds(list), ['e0', 'e1', 'e2', 'e3']);
  });
});
