import * as assert from 'node:assert/strict';
import { installDom } from './domEnvironment';

installDom();
// Loaded after the DOM exists.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listenForLinks, renderMarkdownHtml, StreamingMarkdown } = require('../../../src/webview/markdown') as typeof import('../../../src/webview/markdown');

describe('webview markdown', () => {
  it('renders GitHub-flavoured markdown', () => {
    const html = renderMarkdownHtml('# Title\n\n**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<table>/);
  });

  it('strips scripts, event handlers, javascript: links, iframes and inline styles', () => {
    const html = renderMarkdownHtml(
      '</div></template></body><svg><script>alert(0)</script></svg><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a><iframe src="https://evil"></iframe><p style="color:red">s</p>\n\n[link](javascript:alert(4))',
    );
    assert.doesNotMatch(html, /<script|onerror|javascript:|<iframe|style=/i);
  });

  it('leaves no link an href: http(s) and mailto keep their target for the host, other schemes become text', () => {
    const box = document.createElement('div');
    box.innerHTML = renderMarkdownHtml(
      '[docs](https://attacker.example/?q=SECRET) [mail](mailto:a@b.example) [file](file:///etc/passwd) [rel](src/a.ts) [cmd](command:workbench.action.reload) <a href="http://x.example" target="_blank">raw</a>',
    );
    assert.equal(box.querySelectorAll('[href], [src], [target]').length, 0, box.innerHTML);
    assert.deepEqual(Array.from(box.querySelectorAll<HTMLElement>('a')).map(a => [a.textContent, a.dataset.href]), [
      ['docs', 'https://attacker.example/?q=SECRET'],
      ['mail', 'mailto:a@b.example'],
      ['raw', 'http://x.example/'],
    ]);
    assert.match(box.textContent ?? '', /file rel cmd raw/);
  });

  it('shows a remote image as its alt text and URL, and keeps an inline data image', () => {
    const box = document.createElement('div');
    box.innerHTML = renderMarkdownHtml('![a chart](https://attacker.example/pixel.png?d=SECRET) ![dot](data:image/png;base64,iVBORw0KGgo=)');
    assert.deepEqual(Array.from(box.querySelectorAll('img')).map(img => img.getAttribute('src')), ['data:image/png;base64,iVBORw0KGgo=']);
    assert.equal(box.querySelector('.blocked-image')?.textContent, '[image: a chart] https://attacker.example/pixel.png?d=SECRET');
  });

  it('sends a link click to the host and lets the webview follow nothing', () => {
    const box = document.createElement('div');
    box.innerHTML = renderMarkdownHtml('See [the docs](https://example.com/docs) or [this](file:///x).');
    const opened: string[] = [];
    listenForLinks(box, url => opened.push(url));
    const click = new window.MouseEvent('click', { bubbles: true, cancelable: true });
    box.querySelector('a')!.dispatchEvent(click);
    assert.equal(click.defaultPrevented, true);
    assert.deepEqual(opened, ['https://example.com/docs']);
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

  it('keeps a block it commits out of content-visibility (class "finished") until the next update has seen it drawn', () => {
    const container = document.createElement('div');
    const renderer = new StreamingMarkdown(container);
    const finishedTexts = () => Array.from(container.querySelectorAll('.md-block.finished')).map(block => normalize(block.textContent ?? ''));
    renderer.update('First paragraph.\n\nSecond');
    const first = Array.from(container.querySelectorAll('.md-block')).find(block => block.textContent?.includes('First'));
    assert.ok(first && first !== container.lastElementChild, 'the first paragraph is committed above the growing block');
    assert.deepEqual(finishedTexts(), [], 'committed in this update: laid out at its real height, not an estimate');
    renderer.update('First paragraph.\n\nSecond paragraph.\n\nThird');
    assert.deepEqual(finishedTexts(), ['First paragraph.'], 'the block of the update before is finished now; the one just committed is not');
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

  describe('a stream that brings much at once (it came faster than the panel drew)', () => {
    const parts = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `## Part ${from + i}\n\n${'Words about it. '.repeat(20)}\n\n`).join('');
    const headings = (container: HTMLElement) => Array.from(container.querySelectorAll('h2')).map(h => h.textContent);
    const nextTask = () => new Promise(resolve => setTimeout(resolve, 0));

    it('shows the newest text at once and the finished blocks above it in later tasks, in order', async () => {
      const container = document.createElement('div');
      const renderer = new StreamingMarkdown(container);
      renderer.update(`${parts(0, 60)}The newest line`);
      assert.ok(headings(container).length < 60, `${headings(container).length} of 60 parts drawn in the task that brought them`);
      assert.match(normalize(container.lastElementChild?.textContent ?? ''), /^The newest line$/);
      // More text and the end arrive while the blocks above are still to come.
      renderer.update(`${parts(0, 60)}The newest line, longer now.\n\n${parts(60, 62)}Last`);
      renderer.finish();
      for (let i = 0; i < 200 && headings(container).length < 62; i++) await nextTask();
      assert.deepEqual(headings(container), Array.from({ length: 62 }, (_, i) => `Part ${i}`));
      const once = document.createElement('div');
      once.innerHTML = renderMarkdownHtml(`${parts(0, 60)}The newest line, longer now.\n\n${parts(60, 62)}Last`);
      assert.equal(normalize(container.textContent ?? ''), normalize(once.textContent ?? ''));
    });

    it('decorates the last block as finished only after the blocks above it', async () => {
      const container = document.createElement('div');
      const decorated: Array<[string, boolean]> = [];
      const renderer = new StreamingMarkdown(container, (block, finished) => decorated.push([normalize(block.textContent ?? '').slice(0, 7), finished]));
      renderer.update(`${parts(0, 60)}Last`);
      renderer.finish();
      for (let i = 0; i < 200 && headings(container).length < 60; i++) await nextTask();
      await nextTask();
      const finished = decorated.filter(([, isFinished]) => isFinished).map(([text]) => text);
      assert.equal(finished.at(-1), 'Last', 'the tail is finished last');
      assert.ok(finished.length > 2, 'the blocks above came in more than one slice');
    });
  });

  describe('a long finished answer (a restored chat)', () => {
    const long = Array.from({ length: 60 }, (_, i) => `## Part ${i}\n\n${'Some words about this part. '.repeat(12)}\n\n\`\`\`ts\nconst part${i} = ${i};\n\`\`\`\n`).join('\n');
    const slicesLeft = () => new Promise(resolve => setTimeout(resolve, 0));
    const allSlices = async (container: HTMLElement) => {
      for (let i = 0; i < 200 && container.querySelectorAll('h2').length < 60; i++) await slicesLeft();
    };

    it('shows its end at once and the rest in later tasks, ending as a one-shot render', async () => {
      const container = document.createElement('div');
      new StreamingMarkdown(container).showFinished(long);
      const first = Array.from(container.querySelectorAll('h2')).map(h => h.textContent);
      assert.ok(first.length > 0 && first.length < 10, `${first.length} of 60 parts in the task that asked`);
      assert.equal(first.at(-1), 'Part 59', 'the end shows first');
      await allSlices(container);
      assert.deepEqual(Array.from(container.querySelectorAll('h2')).map(h => h.textContent), Array.from({ length: 60 }, (_, i) => `Part ${i}`));
      const once = document.createElement('div');
      once.innerHTML = renderMarkdownHtml(long);
      assert.equal(normalize(container.textContent ?? ''), normalize(once.textContent ?? ''));
    });

    it('finishes the slices first when the text then grows, and drops them when it is replaced', async () => {
      const container = document.createElement('div');
      const renderer = new StreamingMarkdown(container);
      renderer.showFinished(long);
      renderer.update(`${long}\nOne more line.`);
      assert.equal(container.querySelectorAll('h2').length, 60, 'every part, once, before the new text');
      assert.match(normalize(container.textContent ?? ''), /const part59 = 59; One more line\.$/);
      renderer.showFinished(long);
      const other = long.replace(/## Part /g, '## Other ');
      renderer.showFinished(other);
      for (let i = 0; i < 200 && container.querySelectorAll('h2').length < 60; i++) await slicesLeft();
      const headings = Array.from(container.querySelectorAll('h2')).map(h => h.textContent ?? '');
      assert.equal(headings.length, 60);
      assert.ok(headings.every(h => h.startsWith('Other ')), 'no part of the replaced answer was drawn');
    });
  });
});

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
