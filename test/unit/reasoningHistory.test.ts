// Per-family reasoning across turns: DeepSeek, Moonshot/Kimi and GLM get their reasoning back only beside tool calls
// (DeepSeek's thinking mode answers 400 without it there, the older reasoner rejected it anywhere else); every other
// family gets none. Checked on the rules and on the wire, through a tool round against the loopback server.
import * as assert from 'node:assert/strict';
import { runTurn } from '../../src/core/chatTurn';
import { createChatBackend } from '../../src/llm/chatClient';
import { reasoningForModel, reasoningPolicy } from '../../src/llm/reasoningHistory';
import type { ChatMessage } from '../../src/llm/request';
import { chunk, OpenAITestServer, textReply } from '../support/openaiTestServer';

const withReasoning = (message: object, reasoning: string) => ({ ...message, reasoning_content: reasoning }) as unknown as ChatMessage;
const history: ChatMessage[] = [
  { role: 'user', content: 'read it' },
  withReasoning({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] }, 'I should read the file.'),
  { role: 'tool', tool_call_id: 'c1', content: 'file text' },
  withReasoning({ role: 'assistant', content: 'It says hello.' }, 'The file greets.'),
  { role: 'user', content: 'thanks' },
];
const reasoningOf = (messages: ChatMessage[]) => messages.map(m => (m as { reasoning_content?: string }).reasoning_content ?? null);

describe('reasoning across turns, per family', () => {
  it('decides per family', () => {
    for (const model of ['deepseek-reasoner', 'deepseek-v4-flash', 'moonshot/kimi-k2-thinking', 'kimi-k2.5', 'glm-4.6']) assert.equal(reasoningPolicy(model), 'with-tool-calls', model);
    for (const model of ['gpt-5.4', 'o3-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'qwen3-coder', 'grok-3-mini']) assert.equal(reasoningPolicy(model), 'never', model);
  });

  it('keeps reasoning beside tool calls for DeepSeek and Kimi, never on a plain answer', () => {
    for (const model of ['deepseek-reasoner', 'kimi-k2-thinking']) assert.deepEqual(reasoningOf(reasoningForModel(model, history)), [null, 'I should read the file.', null, null, null]);
  });

  it('sends no reasoning at all to other families, even from a conversation that began on DeepSeek', () => {
    assert.deepEqual(reasoningOf(reasoningForModel('gpt-5.4', history)), [null, null, null, null, null]);
  });

  describe('on the wire, within a tool round', () => {
    let server: OpenAITestServer;
    before(async () => {
      server = await OpenAITestServer.start();
    });
    after(() => server.close());

    const thinkThenCall = () => ({
      kind: 'stream' as const,
      chunks: [
        chunk({ role: 'assistant', reasoning_content: 'Need the file.' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });

    for (const [model, expected] of [['deepseek-reasoner', 'Need the file.'], ['gpt-5.4', undefined]] as const) {
      it(`${model}: the second round's assistant message ${expected ? 'carries' : 'has no'} reasoning_content`, async () => {
        server.reset();
        server.enqueue(thinkThenCall(), textReply(['done']));
        await runTurn({
          backend: createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-unit-000000000000', timeoutMs: 5000, maxRetries: 0 }, true),
          body: { model, messages: [{ role: 'user', content: 'read a.ts' }], tools: [{ type: 'function', function: { name: 'read_file', parameters: {} } }] },
          signal: new AbortController().signal,
          idleTimeoutMs: 5000,
          tools: { run: async () => ({ ok: true, content: 'export {}', summary: '1 line' }), maxRounds: 3 },
          onDelta: () => undefined,
          onToolCall: () => undefined,
        });
        const second = server.chatRequests()[1].body.messages;
        assert.equal(second[1].role, 'assistant');
        assert.equal(second[1].reasoning_content, expected);
      });
    }
  });
});
