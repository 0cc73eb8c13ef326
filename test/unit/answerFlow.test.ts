// The answer flow against the loopback server through the real SDK: a rejected parameter is adapted once and
// learned for that endpoint and model only; a context overflow is retried once with fewer earlier messages.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSession } from '../../src/core/chatSession';
import { LearnedRules, memoryRulesStore } from '../../src/core/learnedRules';
import { validateSettings } from '../../src/core/settings';
import { createChatBackend } from '../../src/llm/chatClient';
import { IMAGE_NOT_SENT } from '../../src/llm/adaptation';
import { ConversationStore } from '../../src/node/conversationStore';
import type { AssistantEntry, ErrorEntry } from '../../src/shared/domain';
import { OpenAITestServer, textReply } from '../support/openaiTestServer';

const reject = (body: object) => ({ kind: 'json' as const, status: 400, body });
const TEMPERATURE_400 = reject({ error: { message: "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } });
// SGLang's way: an overflow as the only event of a 200 stream; `before` is content sent ahead of it.
const overflowInStream = (before = '') => ({
  kind: 'raw' as const,
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: `${before ? `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: before } }] })}\n\n` : ''}data: {"error": {"object": "error", "message": "Requested token count exceeds the model's maximum context length of 4096 tokens.", "type": "BadRequestError", "param": null, "code": 400}}\n\n`,
});
const OVERFLOW_400 = reject({ error: { message: "This model's maximum context length is 4097 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });

describe('answer flow: adaptation and context budget', () => {
  let server: OpenAITestServer;
  let settings: Record<string, unknown>;
  let rules: LearnedRules;
  let session: ChatSession;

  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    settings = { model: 'gpt-5.4', temperature: 0.2 };
    rules = new LearnedRules(memoryRulesStore());
    session = new ChatSession({
      readSettings: () => validateSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...settings }),
      credentials: async () => ({ kind: 'key', apiKey: 'sk-unit-0000000000000000' }),
      hasApiKey: async () => true,
      createBackend: (s, key) => createChatBackend({ baseUrl: s.baseUrl, apiKey: key, timeoutMs: 5000, maxRetries: 0 }, s.stream),
      post: () => undefined,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      library: new ConversationStore(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-flow-')), { warn: () => undefined }),
      learnedRules: rules,
    });
  });

  /** Long turns asked first, so that a smaller window leaves some of them out. */
  async function longTurns(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      server.enqueue(textReply([`answer ${i} `.repeat(400)]));
      await session.ask({ text: `question ${i} `.repeat(400) });
    }
    server.reset();
  }

  const last = (): AssistantEntry => session.conversation.entries.filter((e): e is AssistantEntry => e.kind === 'assistant').at(-1)!;
  const errors = () => session.conversation.entries.filter((e): e is ErrorEntry => e.kind === 'error');

  it('retries once without a rejected temperature, says so, and leaves it out from the start next time', async () => {
    server.enqueue(TEMPERATURE_400, textReply(['fine']), textReply(['again']));
    await session.ask({ text: 'one' });
    const [first, retry] = server.chatRequests();
    assert.equal(first.body.temperature, 0.2);
    assert.equal('temperature' in retry.body, false);
    assert.equal(last().text, 'fine');
    assert.deepEqual(last().notes, ["This model doesn't take temperature: sent without it."]);
    assert.equal(errors().length, 0);

    await session.ask({ text: 'two' });
    assert.equal(server.chatRequests().length, 3, 'no rejected first try this time');
    assert.equal('temperature' in server.chatRequests()[2].body, false);
    assert.match(last().notes?.[0] ?? '', /temperature: sent without it \(learned earlier/);
    assert.deepEqual(last().context?.conversationTokens, { in: 58, out: 2 }, 'totals of the whole conversation so far');

    settings.model = 'gpt-5.4-mini'; // what one model rejected still goes to another
    await session.ask({ text: 'three' });
    assert.equal(server.chatRequests()[3].body.temperature, 0.2);
  });

  it('renames max_tokens to max_completion_tokens and sends the developer role as system, one fix per rejection', async () => {
    settings = { model: 'my-gateway-alias', maxTokens: 100, instructionRole: 'developer' };
    server.enqueue(
      reject({ error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } }),
      reject({ error: { message: "developer is not one of ['system', 'assistant', 'user', 'tool', 'function']", type: 'invalid_request_error', param: null } }),
      textReply(['ok']),
    );
    await session.ask({ text: 'hi' });
    const [a, b, c] = server.chatRequests();
    assert.equal(a.body.max_tokens, 100);
    assert.equal(b.body.max_completion_tokens, 100);
    assert.equal('max_tokens' in b.body, false);
    assert.equal(b.body.messages[0].role, 'developer');
    assert.equal(c.body.messages[0].role, 'system');
    assert.equal(c.body.max_completion_tokens, 100);
    assert.equal(last().text, 'ok');
    assert.equal(last().notes?.length, 2);
  });

  it('leaves out stream_options and image parts when those are rejected, each with its note', async () => {
    settings = { model: 'old-server-model' };
    server.enqueue(
      { kind: 'json', status: 400, body: { detail: "Extra parameters ['stream_options'] are not allowed when extra-parameters is not set or set to be 'error'." } },
      reject({ message: 'Invalid content type. image_url is only supported by certain models.', type: 'invalid_request_error', param: 'messages.[1].content.[1].type' }),
      textReply(['A text-only answer.']),
    );
    await session.ask({ text: 'What is this?', images: [{ name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }] });
    const [first, second, third] = server.chatRequests();
    assert.deepEqual(first.body.stream_options, { include_usage: true });
    assert.equal('stream_options' in second.body, false);
    assert.equal(second.body.messages[1].content[1].type, 'image_url');
    assert.equal(third.body.messages[1].content, `What is this?\n\n${IMAGE_NOT_SENT}`, 'as one string: a text-only model may take no parts');
    assert.equal(last().text, 'A text-only answer.');
    assert.deepEqual(last().notes, ["This model doesn't take stream_options: sent without it.", "This model doesn't take images: sent without them."]);
  });

  it('never drops a parameter it did not send, and never adapts the same parameter twice', async () => {
    settings = { model: 'gpt-5.4' };
    server.enqueue(reject({ error: { message: 'top_p is not supported', type: 'invalid_request_error', param: 'top_p' } }));
    await session.ask({ text: 'hi' });
    assert.equal(server.chatRequests().length, 1);
    assert.equal(errors().length, 1);

    settings = { model: 'gpt-5.4', temperature: 0.2 };
    server.enqueue(TEMPERATURE_400, TEMPERATURE_400);
    await session.ask({ text: 'again' });
    assert.equal(server.chatRequests().length, 3, 'one retry, not a loop');
    assert.equal(errors().length, 2);
  });

  it('on a context overflow retries once with fewer earlier messages and says so; a second overflow is the error', async () => {
    settings = { model: 'gpt-5.4', contextWindow: 100_000 };
    await longTurns(6);
    server.enqueue(OVERFLOW_400, textReply(['short']));
    settings = { model: 'gpt-5.4', contextWindow: 12_000 };
    await session.ask({ text: 'now' });
    const [tooLong, retry] = server.chatRequests();
    assert.ok(retry.body.messages.length < tooLong.body.messages.length, 'the retry carries fewer earlier messages');
    assert.equal(retry.body.messages.at(-1).content, 'now');
    assert.ok(last().notes?.some(note => /sent again with fewer earlier messages/.test(note)));
    assert.ok(last().notes?.some(note => /^\d+ earlier messages not sent/.test(note)));
    assert.equal(last().context?.window, 12_000);
    assert.equal(last().context?.source, 'setting');

    server.enqueue(OVERFLOW_400, OVERFLOW_400);
    await session.ask({ text: 'and now' });
    assert.equal(server.chatRequests().length, 4);
    assert.match(errors().at(-1)?.message ?? '', /longer than the model's context window/);
  });

  it('takes an overflow inside a stream for one before any of the answer, and for a failed stream after it', async () => {
    settings = { model: 'gpt-5.4', contextWindow: 100_000 };
    await longTurns(4);
    settings = { model: 'gpt-5.4', contextWindow: 8_000 };
    server.enqueue(overflowInStream(), textReply(['short']));
    await session.ask({ text: 'now' });
    assert.equal(server.chatRequests().length, 2, 'sent again with fewer earlier messages');
    assert.equal(last().text, 'short');

    server.reset();
    server.enqueue(overflowInStream('Partial words'), textReply(['never asked for']));
    await session.ask({ text: 'and now' });
    assert.equal(server.chatRequests().length, 1, 'an answer that had started is not asked again');
    assert.equal(last().text, 'Partial words');
    assert.match(errors().at(-1)?.message ?? '', /mid-stream/);
    assert.doesNotMatch(errors().at(-1)?.message ?? '', /context window/);
  });

  it('does not send an overflowing first question again: there is nothing earlier to leave out', async () => {
    settings = { model: 'gpt-5.4' };
    server.enqueue(OVERFLOW_400, textReply(['never asked for']));
    await session.ask({ text: 'a question too long for a small server' });
    assert.equal(server.chatRequests().length, 1);
    assert.match(errors().at(-1)?.message ?? '', /longer than the model's context window/);
    assert.ok(!last().notes?.some(note => /sent again/.test(note)), 'no retry is claimed');
  });
});
