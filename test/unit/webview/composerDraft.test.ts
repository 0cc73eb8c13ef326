// The composer's draft as a page of the chat view left it in VS Code's webview state: read back as a draft's text and
// images only, within bounds, whatever the state holds.
import * as assert from 'node:assert/strict';
import { MAX_IMAGE_BYTES } from '../../../src/shared/domain';

// The module asks VS Code for its api when it loads: here a stand-in that records what the page hands it.
const saved: unknown[] = [];
(globalThis as Record<string, unknown>).acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState: (state: unknown) => saved.push(state) });
const { draftKeeper, readDraft } = require('../../../src/webview/composerDraft') as typeof import('../../../src/webview/composerDraft');

const png = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' };

describe('webview composer draft', () => {
  it('reads back the text and images a page left', () => {
    assert.deepEqual(readDraft({ draft: { text: 'Half a question', images: [png] } }), { text: 'Half a question', images: [png] });
  });

  it('starts empty on no state, or state of another shape', () => {
    for (const state of [undefined, null, 7, 'draft', [], { draft: null }, { draft: { text: 5, images: 'x' } }]) {
      assert.deepEqual(readDraft(state), { text: '', images: [] }, JSON.stringify(state));
    }
  });

  it('leaves out what is not an image that could be attached, and keeps within bounds', () => {
    const tooBig = { ...png, dataUrl: `data:image/png;base64,${'A'.repeat(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 200)}` };
    const script = { name: 'x.svg', mimeType: 'image/svg+xml', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' };
    const mislabelled = { ...png, dataUrl: 'data:text/html;base64,PGI+' };
    const draft = readDraft({ draft: { text: 'x'.repeat(2_000_000), images: [tooBig, script, mislabelled, { name: 1 }, ...Array(30).fill(png)] } });
    assert.equal(draft.text.length, 1_000_000);
    assert.equal(draft.images.length, 20);
    assert.ok(draft.images.every(image => image === png));
  });

  it('keeps a keystroke at once, and with large images waits for a pause in the typing', async () => {
    saved.length = 0;
    const draft = { text: '', images: [png] };
    const keeper = draftKeeper(() => draft);
    draft.text = 'a';
    keeper.soon();
    assert.deepEqual(saved, [{ draft: { text: 'a', images: [png] } }], 'a small draft is kept in the keystroke');
    const large = { ...png, dataUrl: `data:image/png;base64,${'A'.repeat(2_100_000)}` };
    draft.images = [large];
    keeper.now();
    assert.equal(saved.length, 2, 'a change of the images is kept at once');
    for (const text of ['ab', 'abc', 'abcd']) {
      draft.text = text;
      keeper.soon();
    }
    assert.equal(saved.length, 2, 'not in each keystroke');
    await new Promise(resolve => setTimeout(resolve, 350));
    assert.equal(saved.length, 3, 'once, after the pause');
    assert.equal((saved[2] as { draft: { text: string } }).draft.text, 'abcd');
  });
});
