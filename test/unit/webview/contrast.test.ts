import * as assert from 'node:assert/strict';
import { contrast, parseRgb, readable } from '../../../src/webview/contrast';

describe('theme colours kept readable', () => {
  it('measures WCAG contrast', () => {
    assert.equal(Math.round(contrast([0, 0, 0], [255, 255, 255])), 21);
    // Light Modern's class orange on its code-block background, as axe measured it.
    assert.equal(contrast([0xd6, 0x7e, 0x00], [0xf8, 0xf8, 0xf8]).toFixed(1), '2.9');
  });

  it('keeps a colour that already meets AA, and blends one that does not toward the foreground until it does', () => {
    const white: [number, number, number] = [255, 255, 255];
    assert.deepEqual(readable([0, 0, 255], white, [0, 0, 0]), [0, 0, 255]);
    const fixed = readable([0xd6, 0x7e, 0x00], [0xf8, 0xf8, 0xf8], [0x3b, 0x3b, 0x3b]);
    assert.ok(contrast(fixed, [0xf8, 0xf8, 0xf8]) >= 4.5, String(fixed));
    assert.ok(fixed[0] > fixed[2], 'still orange-ish, not simply the foreground');
    // Dark Modern's keyword blue on its code-block background.
    const blue = readable([0x4e, 0x94, 0xce], [0x2b, 0x2b, 0x2b], [0xcc, 0xcc, 0xcc]);
    assert.ok(contrast(blue, [0x2b, 0x2b, 0x2b]) >= 4.5);
  });

  it('reads computed colours with and without alpha', () => {
    assert.deepEqual(parseRgb('rgb(1, 2, 3)'), { rgb: [1, 2, 3], alpha: 1 });
    assert.deepEqual(parseRgb('rgba(10, 20, 30, 0.5)'), { rgb: [10, 20, 30], alpha: 0.5 });
    assert.equal(parseRgb('transparent'), undefined);
  });
});
