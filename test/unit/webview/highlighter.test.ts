// The highlighter bundle (dist/highlight.js, from src/webview/highlighter.ts) under jsdom: loading it registers no
// language (that was most of its load task); the page runs the registrations as steps of their own (codeBlocks.ts).
import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();

describe('webview highlighter bundle', () => {
  it('registers no language while it loads, and every language (with its aliases) once its steps have run', () => {
    require('../../../src/webview/highlighter') as typeof import('../../../src/webview/highlighter');
    const bundle = window.cometHighlighter;
    assert.ok(bundle, 'the bundle left nothing on the page');
    assert.equal(bundle.highlight('const x = 1;', 'typescript'), undefined, 'a language was registered while the bundle loaded');
    assert.equal(bundle.registrations.length, 21);
    for (const register of bundle.registrations) register();
    assert.match(bundle.highlight('const x = 1;', 'typescript') ?? '', /<span class="hljs-keyword">const<\/span>/);
    assert.match(bundle.highlight('fn main() {}', 'rs') ?? '', /hljs-keyword/, 'an alias comes with its language');
    assert.equal(bundle.highlight('x', 'no-such-language'), undefined);
  });
});
