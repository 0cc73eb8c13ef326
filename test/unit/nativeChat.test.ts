// The parts of VS Code's-chat support that need no VS Code: message mapping, model facts, the streamed answer.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { STREAM_OPENED, type ChatBackend } from '../../src/llm/chatClient';
import { readDetails } from '../../src/llm/modelDetails';
import { mapMessages, ROLE, toToolDefinitions } from '../../src/core/native/messages';
import { familyOf, nativeModelInfo } from '../../src/core/native/modelInfo';
import { NativeResponseError, streamNativeResponse, type NativePart } from '../../src/core/native/response';

const text = (value: string) => ({ value });
const context = { baseUrl: 'https://api.cometapi.com/v1', model: 'm', timeoutSeconds: 60, maxRetries: 0 };
const backendOf = (chunks: unknown[], error?: unknown): ChatBackend => async function* () {
  yield STREAM_OPENED;
  yield* chunks;
  if (error) throw error;
};
async function run(backend: ChatBackend, apiKey?: string): Promise<NativePart[]> {
  const parts: NativePart[] = [];
  await streamNativeResponse({ backend, body: { model: 'm', messages: [] }, signal: new AbortController().signal, context, apiKey }, p => parts.push(p));
  return parts;
}
const delta = (d: object) => ({ choices: [{ index: 0, delta: d }] });

describe('VS Code chat: messages', () => {
  it('joins system messages into the instruction, maps tool calls, results (first) and images', () => {
    const mapped = mapMessages([
      { role: ROLE.system, content: [text('Be brief.')] },
      { role: ROLE.user, content: [text('Look at '), text('this'), { mimeType: 'image/png', data: new Uint8Array([1, 2]) }] },
      { role: ROLE.assistant, content: [text('Reading.'), { callId: 'c1', name: 'read', input: { path: 'a' } }] },
      { role: ROLE.user, content: [{ callId: 'c1', content: [text('file text'), { value: { tree: 1 } }] }, text('and?')] },
    ]);
    assert.equal(mapped.instruction, 'Be brief.');
    assert.deepEqual(mapped.history, [
      { role: 'user', content: [{ type: 'text', text: 'Look at ' }, { type: 'text', text: 'this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AQI=' } }] },
      { role: 'assistant', content: 'Reading.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'file text{"tree":1}' },
      { role: 'user', content: 'and?' },
    ]);
  });

  it('gives a tool without a schema an empty object schema', () => {
    assert.deepEqual(toToolDefinitions([{ name: 'x', description: 'd' }]), [{ name: 'x', description: 'd', parameters: { type: 'object', properties: {} } }]);
  });
});

describe('VS Code chat: model facts', () => {
  it('reads limits under the names gateways use, and leaves absent ones out', () => {
    assert.deepEqual(readDetails({ id: 'a', context_length: 200_000, top_provider: { max_completion_tokens: 64_000 } }), { id: 'a', contextWindow: 200_000, maxOutputTokens: 64_000 });
    assert.deepEqual(readDetails({ id: 'b' }), { id: 'b' });
  });

  it('derives family, budgets and capabilities', () => {
    assert.equal(familyOf('openai/gpt-4o-2024-08-06'), 'gpt-4o');
    const claude = nativeModelInfo({ id: 'claude-sonnet-4-5', contextWindow: 200_000, maxOutputTokens: 64_000 }, context.baseUrl);
    assert.equal(claude.maxInputTokens, 136_000);
    assert.deepEqual(claude.capabilities, { toolCalling: true, imageInput: true });
    assert.deepEqual(nativeModelInfo({ id: 'deepseek-chat' }, context.baseUrl).capabilities, { toolCalling: true, imageInput: false });
    assert.equal(nativeModelInfo({ id: 'qwen-max', inputModalities: ['text', 'image'] }, context.baseUrl).capabilities.imageInput, true, 'what the endpoint says wins');
    assert.equal(nativeModelInfo({ id: 'text-embedding-3-small' }, context.baseUrl).capabilities.toolCalling, false);
  });
});

describe('VS Code chat: the streamed answer', () => {
  it('reports text as it comes and tool calls (no index) once the stream ends', async () => {
    const parts = await run(backendOf([
      delta({ content: 'Hi' }),
      delta({ tool_calls: [{ id: 'a', function: { name: 'read', arguments: '{"p":' } }] }),
      delta({ tool_calls: [{ function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ id: 'b', function: { name: 'list', arguments: '' } }] }),
    ]));
    assert.deepEqual(parts, [{ kind: 'text', text: 'Hi' }, { kind: 'toolCall', id: 'a', name: 'read', input: { p: 1 } }, { kind: 'toolCall', id: 'b', name: 'list', input: {} }]);
  });

  it('reports unparsable tool arguments as an error', async () => {
    await assert.rejects(run(backendOf([delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'read', arguments: '{"p":' } }] })])),
      (error: NativeResponseError) => error.kind === 'bad-tool-call' && /"read"/.test(error.message));
  });

  it('words a 401 like the panel, without the key', async () => {
    const key = 'sk-secret-123456789';
    const failure = APIError.generate(401, { error: { message: `bad key ${key}` } }, undefined, new Headers());
    await assert.rejects(run(backendOf([], failure), key), (error: NativeResponseError) =>
      error.kind === 'auth' && /rejected the API key/.test(error.message) && !error.message.includes(key));
  });
});
