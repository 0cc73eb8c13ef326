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

  it('restores no more than a question takes', () => {
    const attachments = new Attachments(document.createElement('div'), document.createElement('div'), () => undefined, () => undefined);
    attachments.restore(Array.from({ length: MAX_IMAGES_PER_QUESTION + 5 }, (_, i) => image(`kept-${i}.png`)));
    assert.equal(attachments.count, MAX_IMAGES_PER_QUESTION);
  });
});
