// CometAPI's models in VS Code's own chat, through vscode.lm as any extension (or VS Code's chat) uses them: the
// listing with limits and capabilities, streamed text, tool calls and results, cancellation and a 401. VS Code 1.104+
// only: on 1.100 the provider API does not exist and the suite skips.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chunk, textReply, toolCallReply, type OpenAITestServer } from '../support/openaiTestServer';
import { hasProviderApi, setSetting, setUpComet, TEST_KEY } from './helpers';
import { waitFor } from './webview';


describe('CometAPI models in VS Code\'s chat (vscode.lm)', function () {
  let server: OpenAITestServer;
  let listings: OpenAITestServer['requests'] = [];

  before(async function () {
    if (!hasProviderApi()) return this.skip();
    server = await setUpComet();
    server.models = ['gpt-5.4', 'claude-sonnet-4-5', 'deepseek-chat', 'text-embedding-3-small'];
    server.modelFields = { 'gpt-5.4': { context_length: 400_000, max_output_tokens: 128_000 }, 'deepseek-chat': { context_length: 64_000 } };
    // Another base URL clears the provider's cache, and VS Code asks for the models again.
    await setSetting('baseUrl', server.baseUrl.replace('127.0.0.1', 'localhost'));
    await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    await model('gpt-5.4');
    listings = server.requests.filter(r => r.method === 'GET' && r.path === '/v1/models');
  });
  after(async () => {
    if (!server) return;
    await setSetting('baseUrl', server.baseUrl);
    await server.close();
  });
  beforeEach(() => server?.reset());

  const model = async (id: string) => waitFor(`the Comet model ${id}`, async () => (await vscode.lm.selectChatModels({ vendor: 'comet', id }))[0]);
  const parts = async (response: vscode.LanguageModelChatResponse) => {
    const out: unknown[] = [];
    for await (const part of response.stream) out.push(part);
    return out;
  };
  const toolCalls = (all: unknown[]) => all.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart).map(p => ({ id: p.callId, name: p.name, input: p.input }));

  it('lists the server\'s models with their family, limits and capabilities', async () => {
    const gpt = await model('gpt-5.4');
    const all = await vscode.lm.selectChatModels({ vendor: 'comet' });
    assert.deepEqual(all.map(m => m.id).sort(), ['claude-sonnet-4-5', 'deepseek-chat', 'gpt-5.4', 'text-embedding-3-small']);
    assert.equal(gpt.family, 'gpt-5.4');
    // The reported window, less the reported output room, of which the panel keeps at most a quarter of the window.
    assert.equal(gpt.maxInputTokens, 400_000 - 100_000);
    assert.equal((await model('deepseek-chat')).maxInputTokens, 64_000 - 8_192);
    assert.equal((await model('claude-sonnet-4-5')).maxInputTokens, 200_000 - 8_192, 'the known window where nothing is reported');
    const caps = (m: vscode.LanguageModelChat) => (m as unknown as { capabilities: { supportsToolCalling: boolean; supportsImageToText: boolean } }).capabilities;
    assert.equal(caps(gpt).supportsToolCalling, true);
    assert.equal(caps(gpt).supportsImageToText, true);
    assert.equal(caps(await model('deepseek-chat')).supportsImageToText, false);
    assert.equal(caps(await model('text-embedding-3-small')).supportsToolCalling, false);
    assert.ok(listings.some(r => r.headers.host?.startsWith('localhost') && r.headers.authorization === `Bearer ${TEST_KEY}`), 'listed through the panel\'s endpoint and key');
  });

  it('tells VS Code comet.contextWindow as the window of comet.model, and again when it changes', async () => {
    const deepseek = async (tokens: number) => waitFor(`deepseek-chat with ${tokens} input tokens`, async () => {
      const [found] = await vscode.lm.selectChatModels({ vendor: 'comet', id: 'deepseek-chat' });
      return found?.maxInputTokens === tokens ? found : undefined;
    });
    await setSetting('model', 'deepseek-chat');
    try {
      await setSetting('contextWindow', 16_384);
      await deepseek(16_384 - 4_096);
      assert.equal((await model('gpt-5.4')).maxInputTokens, 400_000 - 100_000, 'another model keeps the window its endpoint reported');
      await setSetting('contextWindow', undefined);
      await deepseek(64_000 - 8_192);
    } finally {
      await setSetting('contextWindow', undefined);
      await setSetting('model', undefined);
    }
  });

  it('sendRequest streams the scripted text, with the tools as function tools and toolMode as tool_choice', async () => {
    server.enqueue(textReply(['Hello', ' from', ' VS Code\'s chat.']));
    const gpt = await model('gpt-5.4');
    const tool = { name: 'read', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } };
    const response = await gpt.sendRequest([vscode.LanguageModelChatMessage.User('Say hello')], { tools: [tool], toolMode: vscode.LanguageModelChatToolMode.Required });
    let text = '';
    for await (const piece of response.text) text += piece;
    assert.equal(text, 'Hello from VS Code\'s chat.');
    const [request] = server.chatRequests();
    assert.equal(request.body.model, 'gpt-5.4');
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.messages.at(-1), { role: 'user', content: 'Say hello' });
    assert.deepEqual(request.body.tools, [{ type: 'function', function: { name: 'read', description: 'Reads a file', parameters: tool.inputSchema } }]);
    assert.equal(request.body.tool_choice, 'required');
  });

  it('turns parallel tool calls with split arguments into tool-call parts with parsed input', async () => {
    server.enqueue(toolCallReply([{ id: 'call_a', name: 'read', args: { path: 'src/a.ts' } }, { id: 'call_b', name: 'search', args: { query: 'fib', max: 3 } }]));
    const response = await (await model('gpt-5.4')).sendRequest([vscode.LanguageModelChatMessage.User('Look')], { tools: [{ name: 'read', description: 'r' }, { name: 'search', description: 's' }] });
    assert.deepEqual(toolCalls(await parts(response)), [
      { id: 'call_a', name: 'read', input: { path: 'src/a.ts' } },
      { id: 'call_b', name: 'search', input: { query: 'fib', max: 3 } },
    ]);
  });

  it('reads tool calls streamed without index, and numbered from 1', async () => {
    server.enqueue({ kind: 'stream', chunks: [
      chunk({ role: 'assistant', tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'read', arguments: '{"path":' } }] }),
      chunk({ tool_calls: [{ function: { arguments: '"x.ts"}' } }] }),
      chunk({ tool_calls: [{ id: 'call_y', type: 'function', function: { name: 'list', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ] }, { kind: 'stream', chunks: [
      chunk({ tool_calls: [{ index: 1, id: 'call_z', type: 'function', function: { name: 'read', arguments: '{"pa' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'th":"z.ts"}' } }] }),
      chunk({}, 'tool_calls'),
    ] });
    const gpt = await model('gpt-5.4');
    const ask = async () => toolCalls(await parts(await gpt.sendRequest([vscode.LanguageModelChatMessage.User('Look')], { tools: [{ name: 'read', description: 'r' }, { name: 'list', description: 'l' }] })));
    assert.deepEqual(await ask(), [{ id: 'call_x', name: 'read', input: { path: 'x.ts' } }, { id: 'call_y', name: 'list', input: {} }]);
    assert.deepEqual(await ask(), [{ id: 'call_z', name: 'read', input: { path: 'z.ts' } }]);
  });

  it('reports a tool call whose arguments never parse as an error', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ tool_calls: [{ index: 0, id: 'call_bad', type: 'function', function: { name: 'read', arguments: '{"path": "a.ts"' } }] }), chunk({}, 'tool_calls')] });
    const response = await (await model('gpt-5.4')).sendRequest([vscode.LanguageModelChatMessage.User('Look')], { tools: [{ name: 'read', description: 'r' }] });
    await assert.rejects(parts(response), (error: Error) => /tool "read" with arguments that are not a JSON object/.test(error.message));
  });

  it('feeds a tool result back as a tool message with the same id', async () => {
    server.enqueue(textReply(['The file says hi.']));
    const messages = [
      vscode.LanguageModelChatMessage.User('What is in a.ts?'),
      vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart('call_7', 'read', { path: 'a.ts' })]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_7', [new vscode.LanguageModelTextPart('export const hi = 1;')])]),
    ];
    const response = await (await model('gpt-5.4')).sendRequest(messages, { tools: [{ name: 'read', description: 'r' }] });
    await parts(response);
    assert.deepEqual(server.chatRequests()[0].body.messages, [
      { role: 'user', content: 'What is in a.ts?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'read', arguments: '{"path":"a.ts"}' } }] },
      { role: 'tool', tool_call_id: 'call_7', content: 'export const hi = 1;' },
    ]);
  });

  it('streams reasoning as thinking parts, and sends a tool round\'s thinking back to a model that needs it', async () => {
    const Thinking = (vscode as unknown as { LanguageModelThinkingPart: new (value: string) => { value: string | string[] } }).LanguageModelThinkingPart;
    server.enqueue({ kind: 'stream', chunks: [chunk({ reasoning_content: 'Weigh it. ' }), chunk({ reasoning_content: 'Done.' }), chunk({ content: 'Answer.' }), chunk({}, 'stop')] });
    const all = await parts(await (await model('deepseek-chat')).sendRequest([vscode.LanguageModelChatMessage.User('Think')], {}));
    assert.deepEqual(all.map(part => (part instanceof Thinking ? `thinking:${String(part.value)}` : part instanceof vscode.LanguageModelTextPart ? `text:${part.value}` : 'other')), ['thinking:Weigh it. ', 'thinking:Done.', 'text:Answer.']);

    server.reset();
    server.enqueue(textReply(['Sunny.']), textReply(['Sunny.']));
    const history = [
      vscode.LanguageModelChatMessage.User('Weather?'),
      vscode.LanguageModelChatMessage.Assistant([new Thinking('Need the tool.') as unknown as vscode.LanguageModelTextPart, new vscode.LanguageModelToolCallPart('call_1', 'weather', {})]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_1', [new vscode.LanguageModelTextPart('sunny')])]),
    ];
    const options = { tools: [{ name: 'weather', description: 'w' }] };
    await parts(await (await model('deepseek-chat')).sendRequest(history, options));
    await parts(await (await model('gpt-5.4')).sendRequest(history, options));
    const [deepseek, gpt] = server.chatRequests().map(request => (request.body.messages as Array<Record<string, unknown>>)[1]);
    assert.equal(deepseek.reasoning_content, 'Need the tool.');
    assert.equal(deepseek.content, null, 'the thinking is not the text');
    assert.equal('reasoning_content' in gpt, false);
  });

  it('cancelling through the token closes the connection', async () => {
    server.enqueue(textReply(['Never ', 'ends'], { hold: true }));
    const cancel = new vscode.CancellationTokenSource();
    const response = await (await model('gpt-5.4')).sendRequest([vscode.LanguageModelChatMessage.User('Go on')], {}, cancel.token);
    const iterator = response.text[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value, 'Never ');
    await waitFor('the held stream to be open', async () => server.openResponseCount() === 1);
    cancel.cancel();
    await waitFor('the server to see the connection close', async () => server.openResponseCount() === 0);
  });

  it('a 401 gives an error with a clear message and without the key', async () => {
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${TEST_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const response = (await model('gpt-5.4')).sendRequest([vscode.LanguageModelChatMessage.User('Hi')], {});
    const error = await response.then(r => parts(r)).then(() => undefined, (e: Error) => e);
    assert.ok(error, 'the request failed');
    assert.match(error.message, /401|API key/i);
    assert.ok(!error.message.includes(TEST_KEY), error.message);
  });

  it('a model that rejects temperature and max_tokens with a 400 still answers: each dropped once, as the panel does', async () => {
    await setSetting('temperature', 0.3);
    await setSetting('maxTokens', 500);
    const rejects = (param: string) => ({ kind: 'json' as const, status: 400, body: { error: { message: `Unsupported parameter: '${param}' is not supported with this model.`, type: 'invalid_request_error', param, code: 'unsupported_parameter' } } });
    try {
      server.enqueue(rejects('temperature'), rejects('max_tokens'), textReply(['Answered ', 'anyway.']));
      const deepseek = await model('deepseek-chat');
      let text = '';
      for await (const piece of (await deepseek.sendRequest([vscode.LanguageModelChatMessage.User('Hi')], {})).text) text += piece;
      assert.equal(text, 'Answered anyway.');
      const bodies = server.chatRequests().map(r => r.body);
      assert.equal(bodies.length, 3);
      assert.equal(bodies[0].temperature, 0.3);
      assert.equal(bodies[0].max_tokens, 500);
      assert.equal(bodies[1].temperature, undefined, 'sent again without temperature');
      assert.equal(bodies[2].max_tokens, undefined);
      assert.equal(bodies[2].max_completion_tokens, 500, 'max_tokens went under its other name');
      // Learned for this endpoint and model: the next request goes adapted from the start.
      server.reset();
      server.enqueue(textReply(['Once.']));
      for await (const _ of (await deepseek.sendRequest([vscode.LanguageModelChatMessage.User('Again')], {})).text) { /* drain */ }
      assert.equal(server.chatRequests().length, 1);
      assert.equal(server.chatRequests()[0].body.temperature, undefined);
    } finally {
      await setSetting('temperature', undefined);
      await setSetting('maxTokens', undefined);
      await vscode.commands.executeCommand('comet.resetLearnedModelRules').then(undefined, () => undefined);
    }
  });
});
