// The composer's context chips under jsdom: what a chip says, × removing it, the ids a send takes, and `#`.
import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
const { ContextChips } = require('../../../src/webview/contextChips') as typeof import('../../../src/webview/contextChips');

describe('webview context chips', () => {
  it('shows each chip, says when one was cut, and × removes just that one, here and in the host', () => {
    const strip = document.createElement('div');
    strip.hidden = true; // as the panel's HTML has it
    const removed: string[] = [];
    const chips = new ContextChips(strip, id => removed.push(id));
    chips.add({ id: 'a', kind: 'file', label: 'src/a.ts', truncated: false });
    chips.add({ id: 'b', kind: 'changes', label: 'Changes: repo', truncated: true });
    assert.equal(strip.hidden, false);
    assert.match(strip.children[1].textContent ?? '', /Changes: repo \(cut to fit\)/);
    assert.doesNotMatch(strip.children[0].textContent ?? '', /cut/);
    (strip.querySelector('[data-action=remove-context]') as HTMLButtonElement).click();
    assert.deepEqual(removed, ['a'], 'the host is told, so a page built anew does not get it back');
    assert.deepEqual(chips.take(), ['b']);
    assert.equal(chips.count, 0);
    assert.equal(strip.hidden, true, 'sending empties the composer');
  });

  it('opens the picker for # where a word starts, and keeps the # elsewhere', () => {
    const prompt = document.createElement('textarea');
    document.body.append(prompt);
    let opened = 0;
    new ContextChips(document.createElement('div'), () => undefined).listenForHash(prompt, () => opened++);
    const type = (value: string) => {
      prompt.value = value;
      prompt.setSelectionRange(value.length, value.length);
      prompt.dispatchEvent(new window.InputEvent('input', { data: '#' }));
    };
    type('look at #');
    assert.equal(opened, 1);
    assert.equal(prompt.value, 'look at ', 'the # that opened the picker is not kept');
    type('issue#');
    assert.equal(opened, 1, 'a # inside a word is text');
    assert.equal(prompt.value, 'issue#');
  });
});
