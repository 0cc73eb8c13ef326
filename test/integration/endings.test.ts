// How answers end in a real VS Code: a refusal shows as the answer, marked; a server that streams several choices
// gets only choice 0 shown; a content filter and the tool-round limit end the answer with a line of what to do.
import * as assert from 'node:assert/strict';
import { chunk, textReply, toolCallReply, usageChunk, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setSetting, setUpComet } from './helpers';
import { evaluate } from './webview';

describe('answer endings in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await setSetting('tools.maxRounds', undefined);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  const lastAnswer = () => evaluate<{ text: string; refusal: boolean; notes: string }>(`(() => {
    const el = Array.from(document.querySelectorAll('[data-role=assistant]')).at(-1);
    return { text: el.querySelector('.markdown').innerText, refusal: el.classList.contains('refusal'), notes: Array.from(el.querySelectorAll('.note')).map(n => n.innerText).join('\\n') };
  })()`);

  it('shows a streamed refusal as the answer, marked as a refusal', async () => {
    server.enqueue({
      kind: 'stream',
      chunks: [chunk({ role: 'assistant', content: null, refusal: '' }), chunk({ refusal: 'I can’t help ' }), chunk({ refusal: 'with that request.' }), chunk({}, 'stop'), usageChunk(9, 6)],
    });
    await askComet('Something it refuses');
    const shown = await lastAnswer();
    assert.equal(shown.text.trim(), 'I can’t help with that request.');
    assert.equal(shown.refusal, true);
    assert.match(shown.notes, /refused this request/);
    assert.doesNotMatch(shown.notes, /empty answer/);
  });

  it('shows only choice 0 of a stream with several choices', async () => {
    const both = (zero: object, one: object, finish: string | null = null) => {
      const frame = chunk(zero, finish) as { choices: object[] };
      return { ...frame, choices: [...frame.choices, { index: 1, delta: one, finish_reason: finish ? 'length' : null }] };
    };
    server.enqueue({
      kind: 'stream',
      chunks: [both({ role: 'assistant', content: '' }, { role: 'assistant', content: '' }), both({ content: 'First ' }, { content: 'SECOND ' }), both({ content: 'choice.' }, { content: 'CHOICE.' }), both({}, {}, 'stop')],
    });
    await askComet('Two choices');
    const shown = await lastAnswer();
    assert.equal(shown.text.trim(), 'First choice.');
    assert.doesNotMatch(shown.notes, /token limit/);
  });

  it('ends a filtered answer and a tool-round limit with a line saying what to do', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'The first part' }), chunk({}, 'content_filter')] });
    await askComet('Filtered');
    assert.match((await lastAnswer()).notes, /content filter stopped this answer.*rephrase/);

    await setSetting('tools.maxRounds', 1);
    server.enqueue(toolCallReply([{ id: 'a', name: 'list_files', args: {} }]), toolCallReply([{ id: 'b', name: 'list_files', args: {} }]), textReply(['unused']));
    await askComet('Keep using tools');
    assert.match((await lastAnswer()).notes, /Stopped after 1 tool rounds \(comet\.tools\.maxRounds\).*raise the limit/);
  });
});
