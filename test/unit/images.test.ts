import * as assert from 'node:assert/strict';
import { checkAttachment, imageFromBytes, ImageError, MAX_IMAGE_BYTES, sniffImageType, userContent } from '../../src/core/images';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 1, 2]);

describe('images', () => {
  it('recognises images by their bytes, not their names', () => {
    assert.equal(sniffImageType(PNG), 'image/png');
    assert.equal(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0])), 'image/jpeg');
    assert.equal(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.throws(() => imageFromBytes('fake.png', new TextEncoder().encode('not really a png at all')), ImageError);
  });

  it('makes a data URL attachment and refuses oversized images with a clear note', () => {
    const image = imageFromBytes('a.png', PNG);
    assert.equal(image.mimeType, 'image/png');
    assert.match(image.dataUrl, /^data:image\/png;base64,iVBORw0KGgo/);
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(PNG);
    assert.throws(() => imageFromBytes('big.png', big), /big\.png is 5\.0 MB; images up to 5 MB can be attached\./);
  });

  it('re-checks attachments that come from the webview', () => {
    assert.deepEqual(checkAttachment(imageFromBytes('a.png', PNG)), imageFromBytes('a.png', PNG));
    assert.throws(() => checkAttachment({ name: 'x', mimeType: 'image/png', dataUrl: 'data:text/html;base64,PGI+' }), ImageError);
    assert.throws(() => checkAttachment({ name: 'x', mimeType: 'image/png', dataUrl: `data:image/png;base64,${Buffer.from('nope-nope-nope').toString('base64')}` }), ImageError);
  });

  it('builds text plus image_url parts with the detail, as the seed shows', () => {
    const image = imageFromBytes('a.png', PNG);
    assert.equal(userContent('hi', [], 'auto'), 'hi');
    assert.deepEqual(userContent('Describe', [image], 'high'), [
      { type: 'text', text: 'Describe' },
      { type: 'image_url', image_url: { url: image.dataUrl, detail: 'high' } },
    ]);
  });
});
