// The sources list after a search model's answer: numbered as the answer numbers them, titles that cannot become
// Markdown of their own, and a blank line before it however the answer ends.
import * as assert from 'node:assert/strict';
import { sourcesMarkdown } from '../../src/core/answerSources';

describe('the sources after an answer', () => {
  it('escapes a title that tries to be a link or HTML, and names an untitled source by its host', () => {
    const list = sourcesMarkdown([
      { url: 'https://a.example/x', title: 'Click](javascript:alert(1)) <img src=x onerror=alert(1)>' },
      { url: 'https://b.example/', title: '' },
    ], 'Answer.');
    assert.equal(list, [
      '',
      '',
      '**Sources**',
      '',
      '1. [Click\\]\\(javascript:alert\\(1\\)\\) \\<img src=x onerror=alert\\(1\\)\\>](<https://a.example/x>)',
      '2. [b\\.example](<https://b.example/>)',
      '',
    ].join('\n'));
  });

  it('keeps a backslash in an address from escaping the closing bracket', () => {
    assert.match(sourcesMarkdown([{ url: 'https://a.example/#x\\', title: 'A' }], ''), /\(<https:\/\/a\.example\/#x\\\\>\)/);
  });

  it('starts after one blank line whatever the answer ends with, and is nothing without sources', () => {
    const source = [{ url: 'https://a.example/', title: 'A' }];
    assert.ok(sourcesMarkdown(source, 'x\n').startsWith('\n**Sources**'));
    assert.ok(sourcesMarkdown(source, 'x\n\n').startsWith('**Sources**'));
    assert.ok(sourcesMarkdown(source, '').startsWith('**Sources**'));
    assert.equal(sourcesMarkdown([], 'x'), '');
  });
});
