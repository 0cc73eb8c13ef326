// The composer's draft as a page of the chat view left it in VS Code's webview state: read back as a draft's text and
// images only, within bounds, whatever the state holds.
import * as assert from 'node:assert/strict';
import { MAX_IMAGE_BYTES } from '../../../src/shared/domain';

// The module asks VS Code for its api when it loads; the draft reader under test never calls it.
(globalThis as Record<string, unknown>).acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
const { readDraft } = require('../../../src/webview/composerDraft') as typeof import('../../../src/webview/composerDraft');

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
});
