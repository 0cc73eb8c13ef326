// Which messages go with a request: what must go always does, then the most recent whole turns that fit; images
// only with their own turn, old tool results shortened. And the token estimate against a server's recorded count.
import * as assert from 'node:assert/strict';
import { fitHistory, IMAGE_PLACEHOLDER, OLD_TOOL_RESULT_CHARS } from '../../src/core/contextBudget';
import { answerReserve, contextWindowFor } from '../../src/core/contextWindow';
import { estimateTokens, TokenCalibration } from '../../src/core/tokenEstimate';
import type { ChatMessage } from '../../src/llm/request';

const words = (n: number, word = 'word') => Array.from({ length: n }, () => word).join(' ');
const turn = (i: number, size = 60): ChatMessage[] => [
  { role: 'user', content: `question ${i} ${words(size)}` },
  { role: 'assistant', content: `answer ${i} ${words(size)}` },
];
const estimate = (messages: readonly ChatMessage[]) => estimateTokens(messages);

describe('context budget', () => {
  it('keeps the new question and as many recent whole turns as fit, and counts what it left out', () => {
    const history = [...turn(1), ...turn(2), ...turn(3), ...turn(4), { role: 'user', content: 'the new question' } as ChatMessage];
    const oneTurn = estimate(turn(1));
    const fit = fitHistory({ history, budget: estimate([history.at(-1)!]) + 2 * oneTurn + 5, estimate });
    assert.deepEqual(fit.messages, [...turn(3), ...turn(4), history.at(-1)]);
    assert.equal(fit.omittedMessages, 4);
    assert.ok(fit.estimatedTokens <= estimate([history.at(-1)!]) + 2 * oneTurn + 5);
  });

  it('sends the new question even when it alone is over the budget', () => {
    const history = [...turn(1), { role: 'user', content: words(500) } as ChatMessage];
    const fit = fitHistory({ history, budget: 10, estimate });
    assert.deepEqual(fit.messages, [history.at(-1)]);
    assert.equal(fit.omittedMessages, 2);
  });

  it('sends everything when it fits, and a gap never opens: the first turn that does not fit ends it', () => {
    const history = [...turn(1, 5), ...turn(2, 400), ...turn(3, 5), { role: 'user', content: 'now' } as ChatMessage];
    const all = fitHistory({ history, budget: 100_000, estimate });
    assert.equal(all.messages.length, history.length);
    assert.equal(all.omittedMessages, 0);
    const tight = fitHistory({ history, budget: estimate(turn(3, 5)) + estimate(turn(1, 5)) + 20, estimate });
    assert.deepEqual(tight.messages, [...turn(3, 5), history.at(-1)]);
    assert.equal(tight.omittedMessages, 4);
  });

  it('an image goes only with its own turn; old tool results go shortened; tool rounds stay with their answer', () => {
    const image = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AAAA' } };
    const history: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'what is this' }, image] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'x'.repeat(5000) },
      { role: 'assistant', content: 'a cat' },
      { role: 'user', content: [{ type: 'text', text: 'and this' }, image] },
    ];
    const fit = fitHistory({ history, budget: 100_000, estimate });
    assert.deepEqual(fit.messages[0], { role: 'user', content: `what is this\n\n${IMAGE_PLACEHOLDER}` });
    const tool = fit.messages[2] as { content: string };
    assert.ok(tool.content.startsWith('x'.repeat(OLD_TOOL_RESULT_CHARS)) && tool.content.length < 1700, 'the old tool result is shortened');
    assert.match(tool.content, /3500 more characters not resent/);
    assert.deepEqual(fit.messages[4], history[4], 'the new question keeps its image');
  });
});

describe('token estimate', () => {
  // The OpenAI cookbook's "How to count tokens with tiktoken" example: the API counted 129 prompt tokens for these
  // six messages (gpt-3.5-turbo-0613 and gpt-4-0613).
  const cookbook: ChatMessage[] = [
    { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
    { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
    { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
    { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
    { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
    { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
  ];

  it('never counts fewer tokens than the server did, and not wildly more', () => {
    const estimated = estimateTokens(cookbook);
    assert.ok(estimated >= 129 && estimated <= 129 * 1.6, `estimated ${estimated} for 129`);
  });

  it('counts the reasoning an assistant tool round carries back', () => {
    const round = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] } as ChatMessage;
    const withReasoning = { ...round, reasoning_content: words(300) } as unknown as ChatMessage;
    assert.ok(estimateTokens([withReasoning]) - estimateTokens([round]) >= 400);
  });

  it('calibrates against usage.prompt_tokens per model, within bounds', () => {
    const calibration = new TokenCalibration();
    const estimated = estimateTokens(cookbook);
    calibration.record('gpt-4', estimated, 129);
    calibration.record('gpt-4', estimated, 129);
    assert.ok(Math.abs(calibration.calibrated('gpt-4', estimated) - 129) <= 8);
    assert.equal(calibration.ratio('other-model'), 1, 'one model says nothing about another');
    calibration.record('odd', 1000, 10); // one odd usage report cannot shrink the estimate below 4 characters a token
    assert.equal(calibration.ratio('odd'), 0.75);
  });
});

describe('context window', () => {
  it('comes from the setting, else the endpoint, else a known family, else a default, and says which', () => {
    assert.deepEqual(contextWindowFor('gpt-5.4', 4000, 128_000), { tokens: 4000, source: 'setting' });
    assert.deepEqual(contextWindowFor('gpt-5.4', undefined, 128_000), { tokens: 128_000, source: 'endpoint' });
    assert.deepEqual(contextWindowFor('anthropic/claude-sonnet-4.5', undefined), { tokens: 200_000, source: 'known model' });
    assert.deepEqual(contextWindowFor('moonshot-v1-8k', undefined), { tokens: 8192, source: 'known model' });
    assert.deepEqual(contextWindowFor('my-local-model', undefined), { tokens: 32_768, source: 'default' });
    assert.equal(answerReserve(4000, undefined), 1000);
    assert.equal(answerReserve(200_000, 2000), 2000);
  });
});
