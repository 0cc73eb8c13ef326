import * as assert from 'node:assert/strict';
import { CompletionAccumulator } from '../../src/llm/completionAccumulator';
import { StreamPayloadError } from '../../src/llm/streamErrors';

function fold(chunks: unknown[]): CompletionAccumulator {
  const reply = new CompletionAccumulator();
  for (const c of chunks) reply.add(c);
  reply.end();
  return reply;
}
const choice = (delta: object, finish: string | null = null, index: number | undefined = 0) =>
  ({ choices: [{ ...(index === undefined ? {} : { index }), delta, finish_reason: finish }] });

describe('CompletionAccumulator', () => {
  it('concatenates content, keeps the finish reason and the usage from a choices: [] chunk', () => {
    const reply = fold([
      choice({ role: 'assistant' }), choice({ content: 'Hel' }), choice({ content: 'lo' }), choice({}, 'stop'),
      { choices: [], usage: { prompt_tokens: 29, completion_tokens: 2, completion_tokens_details: { reasoning_tokens: 5 } } },
    ]);
    assert.equal(reply.text, 'Hello');
    assert.equal(reply.finishReason, 'stop');
    assert.deepEqual(reply.usage, { promptTokens: 29, completionTokens: 2, reasoningTokens: 5 });
  });

  it('returns each delta as it adds it', () => {
    const reply = new CompletionAccumulator();
    assert.deepEqual(reply.add(choice({ content: 'a', reasoning_content: 'think' })), { text: 'a', reasoning: 'think' });
  });

  it('reads reasoning from reasoning_content and from reasoning', () => {
    assert.equal(fold([choice({ reasoning_content: 'a' }), choice({ reasoning_content: 'b' })]).reasoning, 'ab');
    assert.equal(fold([choice({ reasoning: 'x' }), choice({ reasoning: 'y', content: 'z' })]).reasoning, 'xy');
  });

  it('reads reasoning from reasoning_text, and from reasoning_details only where no other field has it', () => {
    assert.equal(fold([choice({ reasoning_text: 'Copilot ' }), choice({ reasoning_text: 'thinks.' })]).reasoning, 'Copilot thinks.');
    const details = (items: object[], extra: object = {}) => choice({ reasoning_details: items, ...extra });
    assert.equal(fold([
      details([{ type: 'reasoning.text', text: 'Step ' }]),
      details([{ type: 'reasoning.summary', summary: 'one; ' }, { type: 'reasoning.encrypted', data: 'gAAAA' }]),
      // OpenRouter sends both with the same text: counted once.
      details([{ type: 'reasoning.text', text: 'two.' }], { reasoning: 'two.' }),
    ]).reasoning, 'Step one; two.');
  });

  it('reads a reasoning content part\'s summary (Databricks)', () => {
    const reply = fold([choice({ content: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Weighing.', signature: 'sig' }] }, { type: 'text', text: 'Answer.' }] })]);
    assert.equal(reply.reasoning, 'Weighing.');
    assert.equal(reply.text, 'Answer.');
  });

  it('takes thinking written into the content in <think> tags as reasoning, in a stream and in a whole message', () => {
    const streamed = fold([choice({ content: '<think>Plan' }), choice({ content: ' it.</think>' }), choice({ content: 'Done.' }, 'stop')]);
    assert.equal(streamed.reasoning, 'Plan it.');
    assert.equal(streamed.text, 'Done.');
    const whole = fold([{ choices: [{ index: 0, message: { role: 'assistant', content: '<think>Plan it.</think>\n\nDone.' }, finish_reason: 'stop' }] }]);
    assert.equal(whole.reasoning, 'Plan it.');
    assert.equal(whole.text, '\n\nDone.');
  });

  it('accumulates split tool-call arguments by index, parallel calls apart', () => {
    const reply = fold([
      choice({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] }),
      choice({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"q' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: 'th":"a.ts"}' } }] }),
      choice({ tool_calls: [{ index: 1, function: { arguments: '":"x"}' } }] }),
      choice({}, 'tool_calls'),
    ]);
    assert.deepEqual(reply.toolCalls, [
      { id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
      { id: 'call_b', name: 'search', arguments: '{"q":"x"}' },
    ]);
  });

  it('handles tool calls without index: by id, else continuing the last call', () => {
    const reply = fold([
      choice({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":' } }] }),
      choice({ tool_calls: [{ function: { arguments: '1}' } }] }),
      choice({ tool_calls: [{ id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } }] }),
    ]);
    assert.deepEqual(reply.toolCalls, [
      { id: 'c1', name: 'a', arguments: '{"x":1}' },
      { id: 'c2', name: 'b', arguments: '{}' },
    ]);
  });

  it('handles an index that starts at 1 and parallel calls that all say index 0 with their own ids', () => {
    assert.deepEqual(
      fold([choice({ tool_calls: [{ index: 1, id: 'c', function: { name: 'a', arguments: '{}' } }] })]).toolCalls,
      [{ id: 'c', name: 'a', arguments: '{}' }],
    );
    assert.deepEqual(
      fold([
        choice({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'a', arguments: '{}' } }] }),
        choice({ tool_calls: [{ index: 0, id: 'c2', function: { name: 'b', arguments: '{}' } }] }),
      ]).toolCalls.map(c => c.id),
      ['c1', 'c2'],
    );
  });

  it('takes a whole tool call in one chunk, arguments given as an object too, and names calls without an id', () => {
    const reply = fold([choice({ tool_calls: [{ function: { name: 'a', arguments: { path: 'x' } } }] }, 'tool_calls', undefined)]);
    assert.deepEqual(reply.toolCalls, [{ id: 'call_0', name: 'a', arguments: '{"path":"x"}' }]);
  });

  it('reads a non-streamed completion (message instead of delta)', () => {
    const reply = fold([{ model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Four' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2 } }]);
    assert.equal(reply.text, 'Four');
    assert.equal(reply.model, 'm');
    assert.equal(reply.finishReason, 'stop');
  });

  it('ignores chunks with choices: [] and non-object noise', () => {
    const reply = fold([{ choices: [] }, null, 'x', { choices: [null] }, choice({ content: 'ok' })]);
    assert.equal(reply.text, 'ok');
  });

  it('throws on an error event outside the error envelope', () => {
    assert.throws(() => fold([choice({ content: 'partial' }), { message: 'upstream overloaded' }]), StreamPayloadError);
  });
});

describe('CompletionAccumulator, other shapes seen in the wild', () => {
  it('reads content sent as an array of parts, thinking parts as reasoning', () => {
    const reply = fold([
      choice({ content: [{ type: 'thinking', thinking: 'Let me see.' }] }),
      // Mistral's magistral: the thinking's text in parts of its own.
      choice({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: ' Two' }, ' parts.'] }] }),
      choice({ content: [{ type: 'text', text: 'Hello' }, ' there'] }),
    ]);
    assert.equal(reply.text, 'Hello there');
    assert.equal(reply.reasoning, 'Let me see. Two parts.');
  });

  it("reads a stream's usage from its last choice where the chunk has none of its own (Moonshot's Kimi)", () => {
    const reply = fold([choice({ content: 'OK' }), { choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage: { prompt_tokens: 12, completion_tokens: 5 } }] }]);
    assert.equal(reply.usage?.promptTokens, 12);
    assert.equal(reply.usage?.completionTokens, 5);
  });

  it("takes a search model's last list of sources (search_results over citations), web addresses only, each in its place", () => {
    const reply = fold([
      { citations: ['https://a.example/1'], choices: [{ index: 0, delta: { content: 'x[1]' } }] },
      { citations: ['https://a.example/1', 'data:text/html,<b>', 'https://a.example/3'], choices: [{ index: 0, delta: { content: '[3]' } }] },
    ]);
    assert.deepEqual(reply.sources, [{ url: 'https://a.example/1', title: '' }, { url: '', title: '' }, { url: 'https://a.example/3', title: '' }]);
    const titled = fold([{ search_results: [{ title: 'Census', url: 'https://census.example/sf', date: null }, 'not an object'], citations: ['https://ignored.example/'], choices: [] }]);
    assert.deepEqual(titled.sources, [{ url: 'https://census.example/sf', title: 'Census' }, { url: '', title: '' }]);
    assert.deepEqual(fold([{ citations: ['ftp://x.example/', 42], choices: [] }]).sources, [], 'nothing that can be linked: no list');
    assert.equal(fold([{ citations: Array.from({ length: 80 }, (_, i) => `https://x.example/${i}`), choices: [] }]).sources.length, 50);
  });

  it("throws on a completion whose choices are null and whose status says it failed (MiniMax's base_resp), not on success codes", () => {
    const failed = { object: 'chat.completion', choices: null, usage: { total_tokens: 0 }, base_resp: { status_code: 2061, status_msg: 'your current token plan not support model' } };
    assert.throws(() => fold([failed]), /token plan not support model/);
    assert.doesNotThrow(() => fold([{ ...failed, base_resp: { status_code: 0, status_msg: 'success' } }]));
    assert.doesNotThrow(() => fold([{ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 }, code: 200, msg: 'success' }]));
    assert.doesNotThrow(() => fold([{ object: 'chat.completion', usage: { total_tokens: 3 }, code: 'SUCCESS', msg: 'done' }]));
    assert.doesNotThrow(() => fold([{ object: 'chat.completion', usage: { total_tokens: 3 }, code: 10000, msg: 'ok' }]));
  });

  it('throws on an error object in a body without choices', () => {
    assert.throws(() => fold([{ error: { message: 'quota exceeded', code: 'insufficient_quota' } }]), /quota exceeded/);
    assert.throws(() => fold([{ error: 'bad gateway' }]), /bad gateway/);
  });
});

describe('CompletionAccumulator, refusals and several choices', () => {
  it('takes a streamed refusal as the answer and remembers it was one', () => {
    const reply = fold([choice({ role: 'assistant', content: null, refusal: '' }), choice({ refusal: 'I can’t ' }), choice({ refusal: 'help with that.' }), choice({}, 'stop')]);
    assert.equal(reply.text, 'I can’t help with that.');
    assert.equal(reply.refusal, 'I can’t help with that.');
  });

  it('takes the refusal of a whole message', () => {
    const reply = fold([{ choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' }] }]);
    assert.equal(reply.text, 'No.');
    assert.equal(reply.refusal, 'No.');
  });

  it('a null refusal beside content is no refusal', () => {
    const reply = fold([choice({ content: 'Hi', refusal: null })]);
    assert.equal(reply.refusal, '');
  });

  it('keeps only choice 0 when a server streams several choices, in one chunk or apart', () => {
    const reply = fold([
      { choices: [{ index: 0, delta: { content: 'Zero ' } }, { index: 1, delta: { content: 'ONE ' } }] },
      choice({ content: 'TWO ' }, null, 2),
      choice({ content: 'again.' }, null, 0),
      choice({ tool_calls: [{ index: 0, id: 'x', function: { name: 'read_file', arguments: '{}' } }] }, 'tool_calls', 1),
      { choices: [{ index: 1, delta: {}, finish_reason: 'length' }, { index: 0, delta: {}, finish_reason: 'stop' }] },
    ]);
    assert.equal(reply.text, 'Zero again.');
    assert.equal(reply.finishReason, 'stop');
    assert.deepEqual(reply.toolCalls, []);
  });
});
