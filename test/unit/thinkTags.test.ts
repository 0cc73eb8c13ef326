// Thinking written into the content in <think> tags (open models served without a reasoning parser): split from the
// answer however the pieces cut the tags, and only when the reply opens with the tag.
import * as assert from 'node:assert/strict';
import { ThinkTags, type ContentSplit } from '../../src/llm/thinkTags';

/** The content in pieces of `size`, through one splitter to its end. */
function split(content: string, size: number, model = 'deepseek-r1'): ContentSplit {
  const tags = new ThinkTags();
  tags.fromModel(model);
  const out: ContentSplit = { text: '', reasoning: '' };
  const add = (part: ContentSplit) => {
    out.text += part.text;
    out.reasoning += part.reasoning;
  };
  for (let at = 0; at < content.length; at += size) add(tags.take(content.slice(at, at + size)));
  add(tags.end());
  return out;
}

const SIZES = [1, 2, 3, 7, 8, 9, 1000];

describe('<think> tags in the content', () => {
  it('takes what the tags hold as reasoning and the rest as the answer, however the pieces cut them', () => {
    for (const size of SIZES) {
      assert.deepEqual(split('<think>First, <b>the plan</b>. </thin then more.</think>\n\nThe answer, with </think> in it.', size), {
        reasoning: 'First, <b>the plan</b>. </thin then more.',
        text: '\n\nThe answer, with </think> in it.',
      }, `pieces of ${size}`);
    }
  });

  it('takes Gemini\'s <thought> tags the same way, each closed only by its own tag, and only from Gemini', () => {
    const content = '<thought>**Plan**\n\nsay hi </think> still thinking</thought>你好！';
    for (const size of SIZES) {
      assert.deepEqual(split(content, size, 'google/gemini-2.5-flash'), { reasoning: '**Plan**\n\nsay hi </think> still thinking', text: '你好！' }, `pieces of ${size}`);
      assert.deepEqual(split(content, size), { reasoning: '', text: content }, `another model, pieces of ${size}`);
    }
  });

  it('lets white space come before the opening tag', () => {
    for (const size of SIZES) assert.deepEqual(split('\n  <think>Plan.</think>Answer.', size), { reasoning: 'Plan.', text: 'Answer.' }, `pieces of ${size}`);
  });

  it('leaves an answer that does not open with the tag as it is, a later <think> and a tag-like start included', () => {
    for (const content of ['\n\nPlain answer.', 'Use <think> tags like this: <think>x</think>.', '<thinking>not the tag</thinking>', '<th', '<', '  ', 'Okay, the user says hi.\n</think>\n\nHello!']) {
      for (const size of SIZES) assert.deepEqual(split(content, size), { reasoning: '', text: content }, `${JSON.stringify(content)} in pieces of ${size}`);
    }
  });

  it('keeps thinking that never closes as reasoning, the part of a tag at its end too', () => {
    for (const size of SIZES) assert.deepEqual(split('<think>Cut off at the token limit </thi', size), { reasoning: 'Cut off at the token limit </thi', text: '' }, `pieces of ${size}`);
  });

  it('stops looking for the tag after a long run of white space', () => {
    const content = `${' '.repeat(300)}<think>not thinking</think>`;
    assert.deepEqual(split(content, 1), { reasoning: '', text: content });
  });

  it('holds back at most a tag between pieces: a megabyte of thinking in one-character pieces goes out as it comes', () => {
    const tags = new ThinkTags();
    tags.take('<think>');
    let out = 0;
    let most = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const { reasoning } = tags.take(i % 100 === 99 ? '<' : 'x');
      out += reasoning.length;
      most = Math.max(most, i + 1 - out);
    }
    assert.ok(most <= '</think>'.length, `${most} characters held back`);
    assert.equal(out + tags.end().reasoning.length, 1_000_000);
  });
});
