// The chat entries as DOM, under jsdom: the data-* contract the integration tests and users rely on.
import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
const { createEntryView } = require('../../../src/webview/entryView') as typeof import('../../../src/webview/entryView');

import type { EntryHandlers } from '../../../src/webview/entryView';

const noop = () => undefined;
const handlers = (overrides: Partial<EntryHandlers> = {}): EntryHandlers => ({
  errorAction: noop, toolDecision: noop, codeAction: noop, continueAnswer: noop, regenerate: noop, editQuestion: noop, contentGrew: noop, ...overrides,
});

describe('webview entries', () => {
  it('marks a user entry and shows the selection chip', () => {
    const view = createEntryView({ kind: 'user', id: 'u', text: 'Explain', context: { path: 'src/a.ts', startLine: 3, endLine: 9, truncated: true } }, handlers());
    assert.equal(view.element.dataset.role, 'user');
    assert.match(view.element.textContent ?? '', /src\/a\.ts:3-9 \(truncated\)Explain/);
  });

  it('notes a length cut and a content filter on assistant entries', () => {
    const cut = createEntryView({ kind: 'assistant', id: 'a', text: 'Half', state: 'done', model: 'm', finishReason: 'length' }, handlers());
    assert.equal(cut.element.dataset.state, 'done');
    assert.match(cut.element.textContent ?? '', /cut off at the token limit/);
    const filtered = createEntryView({ kind: 'assistant', id: 'b', text: '', state: 'done', model: 'm', finishReason: 'content_filter' }, handlers());
    assert.match(filtered.element.textContent ?? '', /filtered/);
  });

  it('marks an interrupted answer and shows usage', () => {
    const view = createEntryView({ kind: 'assistant', id: 'a', text: 'Part', state: 'error', model: 'gpt', interrupted: true, usage: { promptTokens: 3, completionTokens: 4, reasoningTokens: 2 } }, handlers());
    assert.equal(view.element.dataset.state, 'error');
    assert.match(view.element.textContent ?? '', /Interrupted/);
    assert.match(view.element.textContent ?? '', /gpt · 3 in · 4 out · 2 reasoning/);
  });

  it('shows what Comet changed, the context in use and where the window came from', () => {
    const view = createEntryView({
      kind: 'assistant', id: 'a', text: 'Ok', state: 'done', model: 'gpt', usage: { promptTokens: 31_000, completionTokens: 4 },
      notes: ['14 earlier messages not sent', "This model doesn't take temperature: sent without it."],
      context: { used: 31_000, window: 128_000, source: 'endpoint', conversationTokens: { in: 95_000, out: 2_100 } },
    }, handlers());
    const text = view.element.textContent ?? '';
    assert.match(text, /chat 95k in · 2k out/);
    assert.match(text, /14 earlier messages not sent/);
    assert.match(text, /doesn't take temperature/);
    assert.match(text, /31k \/ 128k context/);
    assert.match(view.element.querySelector<HTMLElement>('[data-role=metrics]')?.title ?? '', /from the endpoint's GET \/models/);
  });

  it('shows streamed reasoning collapsed, with its token count', () => {
    const view = createEntryView({ kind: 'assistant', id: 'a', text: 'Answer', reasoning: 'Let me think about it.', state: 'done', model: 'm', usage: { promptTokens: 1, completionTokens: 9, reasoningTokens: 7 } }, handlers());
    const details = view.element.querySelector<HTMLDetailsElement>('details.reasoning')!;
    assert.equal(details.hidden, false);
    assert.equal(details.open, false, 'collapsed by default');
    assert.equal(details.querySelector('summary')?.textContent, 'Reasoning · 7 tokens');
    assert.equal(details.querySelector('.reasoning-text')?.textContent, 'Let me think about it.');
  });

  it('gives an error its action button and reports the click', () => {
    const clicks: unknown[] = [];
    const view = createEntryView({ kind: 'error', id: 'e', message: 'Bad', action: 'openSettings', setting: 'comet.model' }, handlers({ errorAction: (a, s) => clicks.push([a, s]) }));
    const button = view.element.querySelector<HTMLButtonElement>('[data-action=open-settings]');
    assert.ok(button);
    button.click();
    assert.deepEqual(clicks, [['openSettings', 'comet.model']]);
  });

  it('offers Continue after a length cut and Regenerate on finished answers', () => {
    const calls: string[] = [];
    const view = createEntryView({ kind: 'assistant', id: 'a', text: 'x', state: 'done', model: 'm', finishReason: 'length' }, handlers({ continueAnswer: () => calls.push('continue'), regenerate: () => calls.push('regenerate') }));
    view.element.querySelector<HTMLButtonElement>('[data-action=continue]')?.click();
    view.element.querySelector<HTMLButtonElement>('[data-action=regenerate]')?.click();
    assert.deepEqual(calls, ['continue', 'regenerate']);
    const streaming = createEntryView({ kind: 'assistant', id: 'b', text: 'x', state: 'streaming', model: 'm' }, handlers());
    assert.equal(streaming.element.querySelector('[data-action]'), null);
  });

  it('gives finished code blocks their four actions, with the code and language', () => {
    const calls: unknown[] = [];
    const view = createEntryView({ kind: 'assistant', id: 'a', text: 'Look:\n\n```py\nprint(1)\n```', state: 'done', model: 'm' }, handlers({ codeAction: (...args) => calls.push(args) }));
    const actions = Array.from(view.element.querySelectorAll<HTMLElement>('.code-actions [data-action]')).map(b => b.dataset.action);
    assert.deepEqual(actions, ['copy', 'insert', 'new-file', 'apply-diff', 'wrap']);
    view.element.querySelector<HTMLButtonElement>('[data-action=insert]')?.click();
    assert.deepEqual(calls, [['insert', 'print(1)', 'py']]);
  });

  it('shows tool calls as data-role=tool lines with Allow and Deny while awaiting approval', () => {
    const decisions: unknown[] = [];
    const view = createEntryView({ kind: 'assistant', id: 'a', text: '', state: 'streaming', model: 'm' }, handlers({ toolDecision: (id, allow) => decisions.push([id, allow]) }));
    view.toolCall?.({ id: 'c1', name: 'read_file', args: '{"path":"a.ts"}', state: 'awaiting-approval' });
    const line = view.element.querySelector<HTMLElement>('[data-role=tool]');
    assert.equal(line?.dataset.state, 'awaiting-approval');
    line?.querySelector<HTMLButtonElement>('[data-action=deny]')?.click();
    assert.deepEqual(decisions, [['c1', false]]);
    view.toolCall?.({ id: 'c1', name: 'read_file', args: '{"path":"a.ts"}', state: 'done', summary: '12 lines' });
    const lines = view.element.querySelectorAll<HTMLElement>('[data-role=tool]');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].dataset.state, 'done');
    assert.match(lines[0].textContent ?? '', /read_file\{"path":"a\.ts"\}12 lines/);
  });
});
