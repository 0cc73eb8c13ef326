// The chat session end to end under plain mocha: the real openai SDK against the real loopback test server. Only
// VS Code is absent; the ports it would fill are plain functions here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../../src/node/conversationStore';

import { ChatSession } from '../../src/core/chatSession';
import { validateSettings } from '../../src/core/settings';
import { createChatBackend } from '../../src/llm/chatClient';
import type { AssistantEntry, ChatEntry, ErrorEntry, HostToWebview } from '../../src/shared/protocol';
import { chunk, OpenAITestServer, textReply, usageChunk } from '../support/openaiTestServer';

// No redaction pattern knows this shape: only the key's own value can hide it.
const KEY = 'Cq7-unit-key-of-no-known-shape-41';

describe('ChatSession against the loopback server', () => {
  let server: OpenAITestServer;
  let posted: HostToWebview[];
  let settingsOverride: Record<string, unknown>;
  let apiKey: string | undefined;
  let session: ChatSession;
  let logged: string[];

  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());

  beforeEach(() => {
    server.reset();
    posted = [];
    logged = [];
    settingsOverride = {};
    apiKey = KEY;
    session = new ChatSession({
      readSettings: () => validateSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...settingsOverride }),
      credentials: async baseUrl => (apiKey ? { kind: 'key', apiKey } : { kind: 'missing', origin: new URL(baseUrl).origin }),
      hasApiKey: async () => apiKey !== undefined,
      createBackend: (settings, key) =>
        createChatBackend({ baseUrl: settings.baseUrl, apiKey: key, timeoutMs: settings.requestTimeoutSeconds * 1000, maxRetries: settings.maxRetries }, settings.stream),
      post: message => posted.push(message),
      log: { info: m => logged.push(m), warn: m => logged.push(m), error: m => logged.push(m) },
      library: new ConversationStore(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-session-')), { warn: () => undefined }),
    });
  });

  const entries = () => session.conversation.entries;
  const assistant = (): AssistantEntry => entries().filter((e): e is AssistantEntry => e.kind === 'assistant').at(-1)!;
  const errorEntry = (): ErrorEntry | undefined => entries().filter((e): e is ErrorEntry => e.kind === 'error').at(-1);
  const streamedText = () => posted.flatMap(m => (m.type === 'assistantDelta' ? [m.text] : [])).join('');

  it('streams an answer and sends the instruction, the question, stream and include_usage', async () => {
    server.enqueue(textReply(['Hello', ', ', 'world']));
    await session.ask({ text: 'Say hello' });

    assert.equal(assistant().text, 'Hello, world');
    assert.equal(assistant().state, 'done');
    assert.equal(assistant().finishReason, 'stop');
    assert.deepEqual(assistant().usage, { promptTokens: 29, completionTokens: 3 });
    assert.equal(streamedText(), 'Hello, world');
    const last = posted.filter(m => m.type === 'entryUpdated').at(-1);
    assert.equal(last?.type === 'entryUpdated' && last.entry.kind === 'assistant' && last.entry.state, 'done');

    const [request] = server.chatRequests();
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.stream_options, { include_usage: true });
    assert.equal(request.body.messages[0].role, 'developer');
    assert.match(request.body.messages[0].content, /You are Comet/);
    assert.deepEqual(request.body.messages[1], { role: 'user', content: 'Say hello' });
  });

  it("echoes the panel's id for a question it drew as sent, on the entry or on the notice that refuses it", async () => {
    server.enqueue(textReply(['Fine.']));
    await session.ask({ text: 'Drawn already', sentId: '7' });
    const added = posted.filter(m => m.type === 'entryAdded');
    assert.deepEqual(added.map(m => m.type === 'entryAdded' && [m.entry.kind, m.sentId]), [['user', '7'], ['assistant', undefined]]);

    posted = [];
    await session.ask({ text: 'With a fake image', images: [{ name: 'x.png', mimeType: 'image/png', dataUrl: 'data:text/html;base64,PHA+' }], sentId: '8' });
    assert.deepEqual(posted.map(m => m.type), ['composerNotice']);
    assert.equal(posted[0].type === 'composerNotice' && posted[0].sentId, '8');
    assert.equal(server.chatRequests().length, 1, 'the refused question is not sent');
  });

  it('sends the history with the next question', async () => {
    server.enqueue(textReply(['First answer']), textReply(['Second']));
    await session.ask({ text: 'one' });
    await session.ask({ text: 'two' });
    const second = server.chatRequests()[1].body.messages;
    assert.deepEqual(second.slice(1), [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('sends the selection with path, language and lines, and appends the user instructions', async () => {
    settingsOverride = { instructions: 'Answer in French.' };
    await session.ask({
      text: 'Explain',
      selection: { path: 'src/a.ts', languageId: 'typescript', startLine: 2, endLine: 3, text: 'let x = 1;\nx++;' },
    });
    const { messages } = server.chatRequests()[0].body;
    assert.match(messages[0].content, /Answer in French\.$/);
    assert.equal(messages[1].content, 'Explain\n\nSelected code from src/a.ts (typescript), lines 2-3:\n```typescript\nlet x = 1;\nx++;\n```');
    const user = entries()[0];
    assert.equal(user.kind === 'user' && user.text, 'Explain');
  });

  it('keeps the partial text when stopped mid-stream', async () => {
    server.enqueue(textReply(['partial ', 'answer'], { hold: true }));
    const done = session.ask({ text: 'long' });
    while (assistant()?.text !== 'partial answer') await new Promise(r => setTimeout(r, 10));
    session.stop();
    await done;
    assert.equal(assistant().state, 'stopped');
    assert.equal(assistant().text, 'partial answer');
    assert.equal(errorEntry(), undefined);
    assert.equal(session.busy, false);
  });

  it('a second question stops the first, even before its request went out: one answer streams at a time', async () => {
    server.enqueue(textReply(['Second answer.']));
    const first = session.ask({ text: 'A' });
    const second = session.ask({ text: 'B' });
    await Promise.all([first, second]);
    const lastRequest = server.chatRequests().at(-1)!.body.messages;
    assert.deepEqual(lastRequest.at(-1), { role: 'user', content: 'B' });
    assert.equal(assistant().text, 'Second answer.');
    assert.equal(assistant().state, 'done');
    assert.equal(server.chatRequests().length, 1, 'the first question was stopped before it was sent');
    assert.deepEqual(entries().map(e => e.kind), ['user', 'user', 'assistant']);
    assert.equal(session.busy, false);
  });

  it('Edit and resend keeps the selection that went with the question', async () => {
    await session.ask({ text: 'Explain', selection: { path: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 1, text: 'let x = 1;' } });
    await session.editAndResend('Explain briefly');
    const sent = server.chatRequests().at(-1)!.body.messages;
    assert.equal(sent.length, 2);
    assert.equal(sent[1].content, 'Explain briefly\n\nSelected code from a.ts (typescript), lines 1-1:\n```typescript\nlet x = 1;\n```');
    const user = entries()[0];
    assert.equal(user.kind === 'user' && user.context?.path, 'a.ts');
  });

  it('a restore in the middle of a stream does not repeat text', async () => {
    server.enqueue(textReply(['one ', 'two ', 'three'], { hold: true, delayMs: 5 }));
    const done = session.ask({ text: 'count' });
    while (!assistant()?.text.includes('three')) await new Promise(r => setTimeout(r, 2));
    const restore = session.snapshot(true);
    const afterRestore = posted.length;
    session.stop();
    await done;
    const later = posted.slice(afterRestore).flatMap(m => (m.type === 'assistantDelta' ? [m.text] : [])).join('');
    assert.ok(restore.type === 'restore');
    const restored = restore.entries.at(-1);
    assert.equal((restored?.kind === 'assistant' ? restored.text : '') + later, 'one two three');
  });

  it('sends nothing without a key and offers Set API Key', async () => {
    apiKey = undefined;
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests().length, 0);
    assert.equal(errorEntry()?.action, 'setApiKey');
  });

  it('names a bad setting and sends nothing', async () => {
    settingsOverride = { temperature: 7 };
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests().length, 0);
    assert.equal(errorEntry()?.setting, 'comet.temperature');
    assert.match(errorEntry()!.message, /comet\.temperature must be between 0 and 2, not 7/);
  });

  it('shows a rejected key with Set API Key and never echoes the key', async () => {
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } } });
    await session.ask({ text: 'hi' });
    assert.equal(errorEntry()?.action, 'setApiKey');
    assert.match(errorEntry()!.message, /rejected the API key \(401/);
    assert.ok(!JSON.stringify(posted).includes(KEY), 'the key reached the webview');
    assert.ok(logged.some(line => line.includes('401')), 'the failure was logged');
    assert.ok(!logged.join('\n').includes(KEY), 'the key reached the log');
    assert.ok(!JSON.stringify(session.conversation.toJSON()).includes(KEY), 'the key reached the stored conversation');
    assert.equal(assistant().state, 'error');
  });

  it('answers an unknown model sent as 503 model_not_found at once, without retries', async () => {
    settingsOverride = { maxRetries: 2, model: 'gpt-9' };
    server.enqueue({ kind: 'json', status: 503, body: { error: { message: 'No available channel for model gpt-9', type: 'new_api_error', code: 'model_not_found' } } });
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests().length, 1);
    assert.equal(errorEntry()?.setting, 'comet.model');
    assert.match(errorEntry()!.message, /does not know the model "gpt-9"/);
  });

  it('retries a 429 (honouring retry-after) and then streams', async () => {
    settingsOverride = { maxRetries: 2 };
    server.enqueue({ kind: 'json', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after-ms': '10' } }, textReply(['ok']));
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests().length, 2);
    assert.equal(assistant().text, 'ok');
    assert.equal(assistant().state, 'done');
  });

  it('reports rate limiting after the retries are used up', async () => {
    server.enqueue({ kind: 'json', status: 429, body: { detail: 'Too many requests' } });
    await session.ask({ text: 'hi' });
    assert.match(errorEntry()!.message, /rate-limiting requests \(429: Too many requests\)/);
    assert.equal(errorEntry()!.action, 'retry');
  });

  it('names comet.baseUrl when the server cannot be reached', async () => {
    settingsOverride = { baseUrl: 'http://127.0.0.1:9/v1' };
    await session.ask({ text: 'hi' });
    assert.equal(errorEntry()?.setting, 'comet.baseUrl');
    assert.match(errorEntry()!.message, /Could not reach http:\/\/127\.0\.0\.1:9\/v1/);
  });

  it('keeps the partial answer and marks it interrupted when the connection drops', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant' }), chunk({ content: 'half an ' }), chunk({ content: 'answer' }), chunk({ content: 'never' })], dropAfter: 3 });
    await session.ask({ text: 'hi' });
    assert.equal(assistant().text, 'half an answer');
    assert.equal(assistant().state, 'error');
    assert.equal(assistant().interrupted, true);
    assert.match(errorEntry()!.message, /connection .* dropped mid-answer.*partial answer above is kept/);
  });

  it('keeps the partial answer when the provider sends an error mid-stream', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ content: 'Some text' }), { error: { message: 'Upstream overloaded', type: 'server_error' } }] });
    await session.ask({ text: 'hi' });
    assert.equal(assistant().text, 'Some text');
    assert.equal(assistant().state, 'error');
    assert.match(errorEntry()!.message, /mid-stream: Upstream overloaded/);
  });

  it('ends a stream that goes silent as an error, keeping what came', async () => {
    settingsOverride = { requestTimeoutSeconds: 1 };
    server.enqueue(textReply(['so far'], { hold: true }));
    await session.ask({ text: 'hi' });
    assert.equal(assistant().text, 'so far');
    assert.equal(assistant().state, 'error');
    assert.match(errorEntry()!.message, /stopped sending for 1 s/);
  });

  it('records finish_reason length and reasoning deltas', async () => {
    server.enqueue({
      kind: 'stream',
      chunks: [chunk({ reasoning_content: 'Thinking…' }), chunk({ content: 'Cut' }), chunk({}, 'length'), usageChunk(10, 20, 15)],
    });
    await session.ask({ text: 'hi' });
    assert.equal(assistant().finishReason, 'length');
    assert.equal(assistant().reasoning, 'Thinking…');
    assert.deepEqual(assistant().usage, { promptTokens: 10, completionTokens: 20, reasoningTokens: 15 });
  });

  it('says so when the model sends an empty answer', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({}, 'stop')] });
    await session.ask({ text: 'hi' });
    assert.equal(assistant().state, 'done');
    assert.equal(assistant().notice, 'The model sent an empty answer (finish_reason: stop).');
  });

  it('shows a refusal as the answer, marked as a refusal', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: null, refusal: '' }), chunk({ refusal: 'I won’t do that.' }), chunk({}, 'stop')] });
    await session.ask({ text: 'hi' });
    assert.equal(assistant().text, 'I won’t do that.');
    assert.equal(assistant().refusal, true);
    assert.match(assistant().notice ?? '', /refused this request.*Rephrase/);
  });

  it("lists a search model's numbered sources after its answer, as links, and keeps them with the answer", async () => {
    const citations = ['https://en.wikipedia.org/wiki/San_Francisco', 'javascript:alert(1)', 'https://example.com/a b(c)'];
    server.enqueue({ kind: 'stream', chunks: [
      chunk({ role: 'assistant', content: 'About 808,000[1]' }, null, { citations: citations.slice(0, 1) }),
      chunk({ content: ' people[3].' }, null, { citations }),
      chunk({}, 'stop', { citations }),
    ] });
    await session.ask({ text: 'population?' });
    assert.equal(assistant().text, [
      'About 808,000[1] people[3].',
      '',
      '**Sources**',
      '',
      '1. [en\\.wikipedia\\.org](<https://en.wikipedia.org/wiki/San_Francisco>)',
      '2. —',
      '3. [example\\.com](<https://example.com/a%20b(c)>)',
      '',
    ].join('\n'));
  });

  it('lists no sources after an answer cut at the token limit, which may stop inside a code block', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: '```py\nprint(1)' }, null, { citations: ['https://a.example/'] }), chunk({}, 'length')] });
    await session.ask({ text: 'code?' });
    assert.equal(assistant().text, '```py\nprint(1)');
  });

  it('ends a filtered or cut answer with a line saying what happened and what to do', async () => {
    server.enqueue({ kind: 'stream', chunks: [chunk({ content: 'Partial' }), chunk({}, 'content_filter')] });
    await session.ask({ text: 'one' });
    assert.match(assistant().notice ?? '', /content filter stopped this answer.*rephrase/);
    server.enqueue({ kind: 'stream', chunks: [chunk({ content: 'Cut' }), chunk({}, 'length')] });
    await session.ask({ text: 'two' });
    assert.match(assistant().notice ?? '', /cut off at the token limit.*Continue.*comet\.maxTokens/);
  });

  it('reads a JSON completion from a server that ignores stream: true', async () => {
    server.enqueue({
      kind: 'json',
      status: 200,
      body: { id: 'x', object: 'chat.completion', model: 'local', choices: [{ index: 0, message: { role: 'assistant', content: 'Not streamed.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } },
    });
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests()[0].body.stream, true);
    assert.equal(assistant().text, 'Not streamed.');
    assert.equal(assistant().state, 'done');
    assert.deepEqual(assistant().usage, { promptTokens: 3, completionTokens: 2 });
  });

  it('works without streaming when comet.stream is off', async () => {
    settingsOverride = { stream: false };
    server.enqueue({
      kind: 'json',
      status: 200,
      body: { id: 'x', object: 'chat.completion', model: 'gpt-5.4-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Four' }, finish_reason: 'stop' }], usage: { prompt_tokens: 29, completion_tokens: 2 } },
    });
    await session.ask({ text: '2+2?' });
    assert.equal(server.chatRequests()[0].body.stream, false);
    assert.equal(assistant().text, 'Four');
    assert.equal(assistant().state, 'done');
  });

  it('Retry answers the last question again in place of the failed answer', async () => {
    server.enqueue({ kind: 'json', status: 500, body: { error: { message: 'boom' } } }, textReply(['Recovered']));
    await session.ask({ text: 'hi' });
    assert.equal(errorEntry()?.action, 'retry');
    await session.retry();
    assert.deepEqual(entries().map((e: ChatEntry) => e.kind), ['user', 'assistant']);
    assert.equal(assistant().text, 'Recovered');
    assert.ok(posted.some(m => m.type === 'entriesRemoved' && m.ids.length === 2));
  });

  it('New Chat empties the view and keeps the old conversation in the list', async () => {
    await session.ask({ text: 'first conversation' });
    const first = session.conversation.id;
    await session.conversations.newChat();
    assert.equal(entries().length, 0);
    assert.ok(posted.some(m => m.type === 'cleared'));
    const list = posted.filter(m => m.type === 'conversations').at(-1);
    assert.ok(list?.type === 'conversations');
    assert.deepEqual(list.items.map(i => i.title), ['New chat', 'first conversation']);
    assert.notEqual(list.activeId, first);
  });

  it('switches, renames, deletes and exports conversations', async () => {
    server.enqueue(textReply(['Answer A']), textReply(['Answer B']));
    await session.ask({ text: 'Question A' });
    const a = session.conversation.id;
    await session.conversations.newChat();
    await session.ask({ text: 'Question B' });
    const b = session.conversation.id;

    await session.conversations.switchTo(a);
    assert.equal(session.conversation.id, a);
    const restore = posted.filter(m => m.type === 'restore').at(-1);
    assert.ok(restore?.type === 'restore');
    assert.deepEqual(restore.entries.map(e => (e.kind === 'assistant' ? e.text : e.kind === 'user' ? e.text : '')), ['Question A', 'Answer A']);

    await session.conversations.rename(a, 'Renamed A');
    assert.deepEqual((await session.conversations.summaries()).map(c => c.title).sort(), ['Question B', 'Renamed A']);

    const markdown = session.conversations.exportMarkdown();
    assert.equal(markdown, '# Renamed A\n\n## You\n\n> Question A\n\n## Comet (gpt-5.4-mini-2026-03-01)\n\nAnswer A\n');

    await session.conversations.remove(a);
    assert.equal(session.conversation.id, b, 'deleting the open conversation opens the next one');
    assert.deepEqual((await session.conversations.summaries()).map(c => c.id), [b]);
  });
});
