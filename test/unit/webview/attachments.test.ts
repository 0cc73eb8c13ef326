// The composer's images under jsdom: one question takes up to MAX_IMAGES_PER_QUESTION, and the one past it is
// refused with a notice rather than kept and lost later (the draft kept for a hidden chat holds no more).
import * as assert from 'node:assert/strict';
import { MAX_IMAGES_PER_QUESTION } from '../../../src/shared/domain';
import { installDom } from './domEnvironment';

installDom();
const { Attachments } = require('../../../src/webview/attachments') as typeof import('../../../src/webview/attachments');

describe('webview image attachments', () => {
  const image = (name: string) => ({ name, mimeType: 'image/png', dataUrl: 'data:image/png;base64,AA==' });

  it('takes up to MAX_IMAGES_PER_QUESTION images, and says so of the one past it', () => {
    const notice = document.createElement('div');
    notice.hidden = true;
    let changes = 0;
    const attachments = new Attachments(document.createElement('div'), notice, () => undefined, () => changes++);
    for (let i = 1; i <= MAX_IMAGES_PER_QUESTION; i++) attachments.add(image(`shot-${i}.png`));
    assert.equal(attachments.count, MAX_IMAGES_PER_QUESTION);
    assert.equal(notice.hidden, true);
    attachments.add(image('one-too-many.png'));
    assert.equal(attachments.count, MAX_IMAGES_PER_QUESTION);
    assert.equal(changes, MAX_IMAGES_PER_QUESTION, 'a refused image changes nothing to keep');
    assert.equal(notice.hidden, false);
    assert.match(notice.textContent ?? '', new RegExp(`one-too-many\\.png was not attached: one question takes up to ${MAX_IMAGES_PER_QUESTION} images`));
    attachments.take();
    attachments.add(image('next-question.png'));
    assert.equal(attachments.count, 1, 'a sent question makes room again');
  });

  it('takes of a paste of several only as many as there is room for, in their order, with one notice for the rest', async () => {
    const prompt = document.createElement('textarea');
    const notice = document.createElement('div');
    const attachments = new Attachments(document.createElement('div'), notice, () => undefined, () => undefined);
    attachments.listen(prompt, document.createElement('div'));
    for (let i = 1; i <= MAX_IMAGES_PER_QUESTION - 2; i++) attachments.add(image(`shot-${i}.png`));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const files = ['a', 'b', 'c', 'd', 'e'].map(name => new window.File([png], `${name}.png`, { type: 'image/png' }));
    const paste = new window.Event('paste', { cancelable: true });
    Object.defineProperty(paste, 'clipboardData', { value: { files } });
    prompt.dispatchEvent(paste);
    assert.match(notice.textContent ?? '', /^3 of 5 images were not attached: one question takes up to 20 images\.$/, 'said before any read ends');
    for (let waited = 0; attachments.count < MAX_IMAGES_PER_QUESTION && waited < 2000; waited += 5) await new Promise(resolve => setTimeout(resolve, 5));
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.equal(attachments.count, MAX_IMAGES_PER_QUESTION);
    assert.deepEqual(attachments.images.slice(-2).map(i => i.name), ['a.png', 'b.png']);
    assert.match(attachments.images.at(-1)!.dataUrl, /^data:image\/png;base64,/);
  });

  it('restores no more than a question takes', () => {
    const attachments = new Attachments(document.createElement('div'), document.createElement('div'), () => undefined, () => undefined);
    attachments.restore(Array.from({ length: MAX_IMAGES_PER_QUESTION + 5 }, (_, i) => image(`kept-${i}.png`)));
    assert.equal(attachments.count, MAX_IMAGES_PER_QUESTION);
  });
});
