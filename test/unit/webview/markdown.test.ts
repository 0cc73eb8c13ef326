import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
// Loaded after the DOM exists.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderMarkdownHtml, StreamingMarkdown } = require('../../../src/webview/markdown') as typeof import('../../../src/webview/markdown');

describe('webview markdown', () => {
  it('renders GitHub-flavoured markdown', () => {
    const html = renderMarkdownHtml('# Title\n\n**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<table>/);
  });

  it('strips scripts, event handlers, javascript: links, iframes and inline styles', () => {
    const html = renderMarkdownHtml(
      '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a><iframe src="https://evil"></iframe><p style="color:red">s</p>\n\n[link](javascript:alert(4))',
    );
    assert.doesNotMatch(html, /<script|onerror|javascript:|<iframe|style=/i);
  });

  it('streams into the same DOM as one render of the final text', () => {
    const text = '# Heading\n\nIntro paragraph with **bold**.\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\n- one\n- two\n\nThe end.';
    const streamed = document.createElement('div');
    const renderer = new StreamingMarkdown(streamed);
    for (let i = 1; i <= text.length; i += 3) renderer.update(text.slice(0, i));
    renderer.update(text);
    renderer.finish();
    const once = document.createElement('div');
    once.innerHTML = renderMarkdownHtml(text);
    assert.equal(normalize(streamed.textContent ?? ''), normalize(once.textContent ?? ''));
    assert.equal(streamed.querySelectorAll('pre code').length, 1);
    assert.equal(streamed.querySelector('h1')?.textContent, 'Heading');
  });

  it('keeps finished blocks: their DOM nodes survive later deltas', () => {
    const container = document.createElement('div');
    const renderer = new StreamingMarkdown(container);
    renderer.update('First paragraph.\n\nSecond paragraph.\n\n```js\nlet x');
    const first = container.querySelector('p');
    assert.equal(first?.textContent, 'First paragraph.');
    renderer.update('First paragraph.\n\nSecond paragraph.\n\n```js\nlet x = 1;\n```\n\nMore');
    renderer.update('First paragraph.\n\nSecond paragraph.\n\n```js\nlet x = 1;\n```\n\nMore text here.\n\n- a');
    assert.equal(container.querySelector('p'), first, 'the finished paragraph was re-created');
  });

  it('streams a loose ordered list into one list, as a single render would', () => {
    const text = '1. first\n\n2. second\n\n3. third\n';
    const container = document.createElement('div');
    const renderer = new StreamingMarkdown(container);
    for (let i = 1; i <= text.length; i++) renderer.update(text.slice(0, i));
    renderer.finish();
    assert.equal(container.querySelectorAll('ol').length, 1);
    assert.equal(container.querySelectorAll('ol > li').length, 3);
  });

  it('renders an unclosed code fence as code while it streams', () => {
    const container = document.createElement('div');
    new StreamingMarkdown(container).update('Look:\n\n```py\nprint("hi")');
    assert.equal(container.querySelector('pre code')?.textContent?.trim(), 'print("hi")');
  });

  it('starts over when the text is replaced rather than extended', () => {
    const container = document.createElement('div');
    const renderer = new StreamingMarkdown(container);
    renderer.update('Old paragraph.\n\nMore');
    renderer.update('New text');
    assert.equal(normalize(container.textContent ?? ''), 'New text');
  });
});

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
