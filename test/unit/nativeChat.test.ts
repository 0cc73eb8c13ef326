// The parts of VS Code's-chat support that need no VS Code: message mapping, model facts, the streamed answer.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { STREAM_OPENED, type ChatBackend } from '../../src/llm/chatClient';
import { modelInfo } from '../../src/llm/models';
import { countTokens, mapMessages, ROLE, thinkingPart, toToolDefinitions } from '../../src/core/native/messages';
import { familyOf, nativeModelInfo } from '../../src/core/native/modelInfo';
import { MAX_REMEMBERED_MODELS, recallModels, rememberModels } from '../../src/core/native/rememberedModels';
import { NativeResponseError, streamNativeResponse, type NativePart } from '../../src/core/native/response';
import { LearnedRules, memoryRulesStore } from '../../src/core/learnedRules';
import type { ChatRequestBody } from '../../src/llm/request';

const text = (value: string) => ({ value });
const context = { baseUrl: 'https://api.cometapi.com/v1', model: 'm', timeoutSeconds: 60, maxRetries: 0 };
const backendOf = (chunks: unknown[], error?: unknown): ChatBackend => async function* () {
  yield STREAM_OPENED;
  yield* chunks;
  if (error) throw error;
};
async function run(backend: ChatBackend, apiKey?: string, options: { rules?: LearnedRules; body?: ChatRequestBody; timeoutSeconds?: number; signal?: AbortSignal } = {}): Promise<NativePart[]> {
  const parts: NativePart[] = [];
  await streamNativeResponse({
    backend,
    body: options.body ?? { model: 'm', messages: [] },
    signal: options.signal ?? new AbortController().signal,
    context: { ...context, timeoutSeconds: options.timeoutSeconds ?? context.timeoutSeconds },
    apiKey,
    rules: options.rules ?? new LearnedRules(memoryRulesStore()),
  }, p => parts.push(p));
  return parts;
}
const rejected = (param: string) => APIError.generate(400, { error: { message: `Unsupported parameter: '${param}' is not supported with this model.`, type: 'invalid_request_error', param, code: 'unsupported_parameter' } }, undefined, new Headers());
/** A backend that answers each request with the next script (an error to throw, or chunks), recording the bodies. */
function scripted(...replies: Array<unknown[] | Error>): { backend: ChatBackend; bodies: ChatRequestBody[] } {
  const bodies: ChatRequestBody[] = [];
  const backend: ChatBackend = async function* (body) {
    bodies.push(body);
    const reply = replies.shift();
    if (reply instanceof Error) throw reply;
    yield STREAM_OPENED;
    yield* reply ?? [];
  };
  return { backend, bodies };
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

  it('sends an earlier tool round\'s thinking back only to the families that need it, and never as text', () => {
    const conversation = [
      { role: ROLE.user, content: [text('Weather?')] },
      { role: ROLE.assistant, content: [thinkingPart(['Need ', 'the tool.']), text('Looking.'), { callId: 'c1', name: 'weather', input: {} }] },
      { role: ROLE.user, content: [{ callId: 'c1', content: [text('sunny')] }] },
      { role: ROLE.assistant, content: [thinkingPart('It is sunny.'), text('Sunny.')] },
    ];
    const call = { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } };
    const tail = [{ role: 'tool', tool_call_id: 'c1', content: 'sunny' }, { role: 'assistant', content: 'Sunny.' }];
    assert.deepEqual(mapMessages(conversation, 'deepseek-v4-flash').history.slice(1), [
      { role: 'assistant', content: 'Looking.', tool_calls: [call], reasoning_content: 'Need the tool.' },
      ...tail,
    ]);
    assert.deepEqual(mapMessages(conversation, 'gpt-5.4').history.slice(1), [{ role: 'assistant', content: 'Looking.', tool_calls: [call] }, ...tail]);
  });

  it('counts an earlier answer\'s thinking only where it is sent', () => {
    const call = { callId: 'c1', name: 'weather', input: {} };
    const thinking = thinkingPart('x'.repeat(4000));
    const plain = countTokens({ role: ROLE.assistant, content: [call] }, 'gpt-5.4');
    assert.equal(countTokens({ role: ROLE.assistant, content: [thinking, call] }, 'gpt-5.4'), plain);
    assert.ok(countTokens({ role: ROLE.assistant, content: [thinking, call] }, 'deepseek-v4-flash') > plain + 500);
  });

  it('gives a tool without a schema an empty object schema', () => {
    assert.deepEqual(toToolDefinitions([{ name: 'x', description: 'd' }]), [{ name: 'x', description: 'd', parameters: { type: 'object', properties: {} } }]);
  });
});

describe('VS Code chat: model facts', () => {
  it('reads limits under the names gateways use, and leaves absent ones out', () => {
    assert.deepEqual(modelInfo({ id: 'a', context_length: 200_000, top_provider: { max_completion_tokens: 64_000 } }), { id: 'a', contextWindow: 200_000, maxOutputTokens: 64_000 });
    assert.deepEqual(modelInfo({ id: 'b' }), { id: 'b' });
    assert.deepEqual(modelInfo({ id: 'c', architecture: { input_modalities: ['text', 'image'] } }), { id: 'c', inputModalities: ['text', 'image'] });
  });

  it('derives family, budgets and capabilities', () => {
    assert.equal(familyOf('openai/gpt-4o-2024-08-06'), 'gpt-4o');
    const claude = nativeModelInfo({ id: 'claude-sonnet-4-5', contextWindow: 200_000, maxOutputTokens: 64_000 }, context.baseUrl);
    assert.equal(claude.maxInputTokens, 150_000, 'the reported output room, at most a quarter of the window as in the panel');
    assert.deepEqual(claude.capabilities, { toolCalling: true, imageInput: true });
    assert.deepEqual(nativeModelInfo({ id: 'deepseek-chat' }, context.baseUrl).capabilities, { toolCalling: true, imageInput: false });
    assert.equal(nativeModelInfo({ id: 'qwen-max', inputModalities: ['text', 'image'] }, context.baseUrl).capabilities.imageInput, true, 'what the endpoint says wins');
    assert.equal(nativeModelInfo({ id: 'text-embedding-3-small' }, context.baseUrl).capabilities.toolCalling, false);
  });

  it('takes the window as the panel does: the setting for comet.model, else the endpoint\'s, else the known table', () => {
    assert.equal(nativeModelInfo({ id: 'qwen3:8b' }, context.baseUrl).maxInputTokens, 32_768 - 8_192, 'a local model is not told a window it may not have');
    assert.equal(nativeModelInfo({ id: 'claude-sonnet-4-5' }, context.baseUrl).maxInputTokens, 200_000 - 8_192);
    assert.equal(nativeModelInfo({ id: 'qwen3:8b', contextWindow: 40_960 }, context.baseUrl).maxInputTokens, 40_960 - 8_192);
    assert.equal(nativeModelInfo({ id: 'qwen3:8b', contextWindow: 40_960 }, context.baseUrl, 16_384).maxInputTokens, 16_384 - 4_096);
    // Ollama's usual num_ctx: the answer keeps a quarter, the question the rest.
    assert.equal(nativeModelInfo({ id: 'qwen3:8b' }, context.baseUrl, 8_192).maxInputTokens, 6_144);
    assert.equal(nativeModelInfo({ id: 'qwen3:8b' }, context.baseUrl, 4_096).maxInputTokens, 3_072);
    // comet.maxTokens goes with every request: the answer's room is that, as in the panel.
    assert.equal(nativeModelInfo({ id: 'gpt-4o' }, context.baseUrl, undefined, 2_000).maxInputTokens, 128_000 - 2_000);
  });
});

describe('VS Code chat: the models remembered for the startup listing', () => {
  const BASE = 'https://api.cometapi.com/v1';
  const listed = [nativeModelInfo({ id: 'gpt-5.4', contextWindow: 400_000 }, BASE), nativeModelInfo({ id: 'deepseek-chat' }, BASE)];
  // What a Memento hands back: the stored value after a JSON round trip.
  const stored = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

  it('gives back the listing kept for the same endpoint, entry for entry', () => {
    assert.deepEqual(recallModels(stored(rememberModels(BASE, listed)), BASE), listed);
    assert.deepEqual(recallModels(stored(rememberModels(BASE, [])), BASE), [], 'an empty listing (no key) is remembered too');
  });

  it('gives nothing for another endpoint, or with nothing kept', () => {
    assert.equal(recallModels(stored(rememberModels(BASE, listed)), 'http://127.0.0.1:11434/v1'), undefined);
    assert.equal(recallModels(undefined, BASE), undefined);
    assert.equal(recallModels('models', BASE), undefined);
  });

  it('gives nothing when any entry is not whole, so VS Code never gets a broken model', () => {
    const broken = (change: (entry: Record<string, unknown>) => void) => {
      const value = stored(rememberModels(BASE, listed)) as { models: Array<Record<string, unknown>> };
      change(value.models[1]);
      return recallModels(value, BASE);
    };
    assert.equal(broken(entry => delete entry.family), undefined);
    assert.equal(broken(entry => (entry.maxInputTokens = '128000')), undefined);
    assert.equal(broken(entry => (entry.maxOutputTokens = 0)), undefined);
    assert.equal(broken(entry => (entry.capabilities = null)), undefined);
    assert.equal(broken(entry => ((entry.capabilities as Record<string, unknown>).imageInput = 'yes')), undefined);
    assert.equal(recallModels({ endpoint: BASE, models: [null] }, BASE), undefined);
    assert.equal(recallModels({ endpoint: BASE, models: 'gpt-5.4' }, BASE), undefined);
  });

  it(`keeps no listing longer than ${MAX_REMEMBERED_MODELS} models, and recalls none`, () => {
    const many = Array.from({ length: MAX_REMEMBERED_MODELS + 1 }, (_, i) => nativeModelInfo({ id: `m-${i}` }, BASE));
    assert.equal(rememberModels(BASE, many), undefined);
    assert.equal(rememberModels(BASE, many.slice(1))?.models.length, MAX_REMEMBERED_MODELS);
    assert.equal(recallModels({ endpoint: BASE, models: many }, BASE), undefined);
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

  it('reports reasoning as it comes, before the text of the same chunk, and from <think> tags', async () => {
    const parts = await run(backendOf([
      delta({ reasoning_content: 'Plan.' }),
      delta({ reasoning_content: '', content: '<think>More.</think>Answer' }),
      delta({ content: ' here.' }),
    ]));
    assert.deepEqual(parts, [{ kind: 'reasoning', text: 'Plan.' }, { kind: 'reasoning', text: 'More.' }, { kind: 'text', text: 'Answer' }, { kind: 'text', text: ' here.' }]);
  });

  it('asks no second time once reasoning has come (it would be shown twice)', async () => {
    const { backend, bodies } = scripted([delta({ reasoning: 'Thinking.' })], [delta({ content: 'unused' })]);
    const failing: ChatBackend = async function* (body, signal) {
      yield* backend(body, signal);
      throw rejected('temperature');
    };
    await assert.rejects(run(failing, undefined, { body: { model: 'm', messages: [], temperature: 0.2 } }), (error: NativeResponseError) => error.kind === 'bad-parameter');
    assert.equal(bodies.length, 1);
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

  it('drops a rejected parameter and asks once more, learning it for the endpoint and model', async () => {
    const rules = new LearnedRules(memoryRulesStore());
    const { backend, bodies } = scripted(rejected('temperature'), rejected('max_tokens'), [delta({ content: 'Answered' })]);
    const body = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.2, max_tokens: 100 };
    assert.deepEqual(await run(backend, undefined, { rules, body }), [{ kind: 'text', text: 'Answered' }]);
    assert.equal(bodies.length, 3);
    assert.equal(bodies[1].temperature, undefined);
    assert.equal(bodies[2].max_tokens, undefined);
    assert.equal((bodies[2] as { max_completion_tokens?: number }).max_completion_tokens, 100, 'an unknown max_tokens is sent under its other name');
    assert.deepEqual(rules.for(context.baseUrl, 'm').map(rule => rule.param), ['temperature', 'max_tokens']);
    // The next request starts with what was learned: one request, already adapted.
    const next = scripted([delta({ content: 'again' })]);
    await run(next.backend, undefined, { rules, body });
    assert.equal(next.bodies.length, 1);
    assert.equal(next.bodies[0].temperature, undefined);
  });

  it('asks again with tool_choice "auto" when a required tool choice is refused, keeping the tools', async () => {
    const refused = APIError.generate(400, { error: { message: "tool_choice 'required' is not supported by this model", type: 'invalid_request_error', param: 'tool_choice' } }, undefined, new Headers());
    const { backend, bodies } = scripted(refused, [delta({ content: 'ok' })]);
    const tools = [{ type: 'function' as const, function: { name: 'read', description: 'r', parameters: {} } }];
    await run(backend, undefined, { body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'required' } });
    assert.equal(bodies.length, 2);
    assert.equal(bodies[1].tool_choice, 'auto');
    assert.deepEqual(bodies[1].tools, tools);
  });

  it('does not retry the same parameter twice, nor after text arrived', async () => {
    const twice = scripted(rejected('temperature'), rejected('temperature'));
    await assert.rejects(run(twice.backend, undefined, { body: { model: 'm', messages: [], temperature: 1 } }), (error: NativeResponseError) => error.kind === 'bad-parameter');
    assert.equal(twice.bodies.length, 2);
    const late = scripted([delta({ content: 'part' })]);
    const failing: ChatBackend = async function* (body) {
      yield* late.backend(body, new AbortController().signal);
      throw rejected('temperature');
    };
    await assert.rejects(run(failing, undefined, { body: { model: 'm', messages: [], temperature: 1 } }));
    assert.equal(late.bodies.length, 1);
  });

  it('ends a stream that goes quiet as the panel does (comet.requestTimeoutSeconds)', async () => {
    const quiet: ChatBackend = async function* (_body, signal) {
      yield STREAM_OPENED;
      yield delta({ content: 'Hi' });
      await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }));
    };
    await assert.rejects(run(quiet, undefined, { timeoutSeconds: 0.05 }), (error: NativeResponseError) => error.kind === 'timeout' && /comet.requestTimeoutSeconds/.test(error.message));
  });

  it('a cancelled request ends as cancelled', async () => {
    const abort = new AbortController();
    const held: ChatBackend = async function* (_body, signal) {
      yield STREAM_OPENED;
      abort.abort();
      await new Promise(resolve => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true })));
    };
    await assert.rejects(run(held, undefined, { signal: abort.signal }), (error: NativeResponseError) => error.kind === 'cancelled');
  });
});
