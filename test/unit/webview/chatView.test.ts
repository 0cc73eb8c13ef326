// The chat view under jsdom: a long conversation is restored newest first, the rest in later tasks, and a message
// about an entry not shown yet finishes the restore before it is applied.
import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
const { ChatView } = require('../../../src/webview/chatView') as typeof import('../../../src/webview/chatView');

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
  const shownIds = (list: HTMLElement) => Array.from(list.querySelectorAll<HTMLElement>(':scope > [data-role]')).map(el => el.dataset.id);
  const tasks = async (list: HTMLElement, count: number) => {
    for (let i = 0; i < 2000 && list.childElementCount < count; i++) await new Promise(resolve => setTimeout(resolve, 0));
  };

  it('restores 1,000 messages newest first, and the older ones in later tasks, in order', async () => {
    const list = document.createElement('div');
    document.body.append(list);
    const view = new ChatView(list, handlers, noop, noop);
    const entries = conversation(1000);
    view.apply({ type: 'restore', entries, busy: false, hasApiKey: true });
    const atOnce = shownIds(list);
    assert.ok(atOnce.length >= 20 && atOnce.length < 1000, `${atOnce.length} entries at once`);
    assert.deepEqual(atOnce, entries.slice(-atOnce.length).map(e => e.id), 'the newest, in order');
    await tasks(list, 1000);
    assert.deepEqual(shownIds(list), entries.map(e => e.id));
    list.remove();
  });

  it('finishes the restore before updating an entry it has not shown, and a new restore drops the old one', async () => {
    const list = document.createElement('div');
    const view = new ChatView(list, handlers, noop, noop);
    const entries = conversation(1000);
    view.apply({ type: 'restore', entries, busy: false, hasApiKey: true });
    view.apply({ type: 'entryUpdated', entry: { kind: 'assistant', id: 'e1', text: 'The first answer, edited.', state: 'done', model: 'm' } });
    assert.equal(list.childElementCount, 1000);
    assert.match(list.querySelector<HTMLElement>('[data-id=e1]')?.textContent ?? '', /The first answer, edited\./);
    view.apply({ type: 'restore', entries: conversation(1000), busy: false, hasApiKey: true });
    view.apply({ type: 'restore', entries: conversation(4), busy: false, hasApiKey: true });
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.deepEqual(shownIds(list), ['e0', 'e1', 'e2', 'e3']);
  });
});
