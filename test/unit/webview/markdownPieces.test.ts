import * as assert from 'node:assert/strict';
import { Lexer, Parser } from 'marked';
import { markdownPieces } from '../../../src/webview/markdownPieces';

const html = (markdown: string) => Parser.parse(Lexer.lex(markdown, { gfm: true }));

describe('markdownPieces', () => {
  const part = (i: number) =>
    `## Part ${i}\n\n${'Words about it. '.repeat(20)}\n\n1. first\n2. second\n\n3. third, loose\n\n\`\`\`ts\nconst a = ${i};\n\n\n// blank lines inside code\nnot a heading\n\`\`\`\n\n> quoted\n\n> quoted again\n\n| a | b |\n|---|---|\n| ${i} | x |\n\n    indented code\n\n    more of it\n\n- item\n\n  continued item\n`;
  const long = Array.from({ length: 40 }, (_, i) => part(i)).join('\n');

  it('cuts a long answer into pieces that render as the whole does', () => {
    const pieces = markdownPieces(long, 1000)!;
    assert.ok(pieces.length > 10, `${pieces.length} pieces`);
    assert.equal(pieces.join(''), long);
    assert.equal(pieces.map(html).join(''), html(long));
    assert.ok(pieces.slice(1).every(piece => piece.startsWith('## Part ') || /^\S/.test(piece)), 'pieces start at a top-level block');
  });

  it('never cuts inside fenced code, even one that is never closed, or one with a longer closing fence', () => {
    const fenced = `Intro.\n\n~~~~\n${'code line\n\n'.repeat(400)}~~~\nstill code\n\nmore code\n~~~~\n\nAfter.\n\n${'```\n'}${'open code\n\nline\n'.repeat(300)}`;
    const pieces = markdownPieces(fenced, 100)!;
    assert.equal(pieces.join(''), fenced);
    assert.equal(pieces.map(html).join(''), html(fenced));
    assert.deepEqual(pieces.map(piece => piece.slice(0, 6)), ['Intro.', 'After.']);
  });

  it('keeps a text whole when a cut could change it: a link definition, an HTML block over blank lines', () => {
    assert.equal(markdownPieces(`${'Para [x].\n\n'.repeat(300)}[x]: https://example.com\n`, 100), undefined);
    assert.equal(markdownPieces(`<pre>\n${'a\n\nb\n'.repeat(300)}</pre>\n`, 100), undefined);
    assert.equal(markdownPieces(`${'Para.\n\n'.repeat(300)}<!--\n\nnote\n\n-->\n`, 100), undefined);
  });

  it('is linear: a 2 MB answer of one-line paragraphs is cut in one pass', () => {
    const huge = 'A short paragraph of text.\n\n'.repeat(80_000);
    const pieces = markdownPieces(huge, 4000)!;
    assert.equal(pieces.join(''), huge);
    assert.ok(pieces.every(piece => piece.length < 4100));
  });
});
