// The network bounds (issue 10), JSON answers: a body that was not streamed is read to a bound and must parse.
// Each input is large enough that a quadratic path would take orders of magnitude longer than the linear one (the
// time guards are generous, tens of times what the linear path takes here), and each test asserts the behaviour too.
import * as assert from 'node:assert/strict';
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import { describeFailure, type RequestContext } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';
import { ResponseTooLargeError } from '../../src/llm/streamErrors';
import { KB, MB, REQUEST, LazyBody, repeated, cut, sdkOver, streamThrough } from '../support/boundedBodies';

// The panel's wording of whatever a request threw, as the chat shows it.
const describeError = (error: unknown, request: RequestContext) => describeFailure(toFailure(error), request);

describe('bounds: JSON answers', () => {
  const completion = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Line one.\nLine two.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  };
  const json = (body: ReadableStream<Uint8Array> | string) => new Response(body, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });

  for (const [name, text] of [
    ['pretty-printed', JSON.stringify(completion, null, 2)],
    ['pretty-printed with tabs and CRLF, after blank lines', `\r\n\n  ${JSON.stringify(completion, null, '\t').replace(/\n/g, '\r\n')}\n`],
    ['on one line', JSON.stringify(completion)],
  ] as const) {
    it(`reads a JSON completion ${name} that answers a streamed request, cut into small pieces`, async () => {
      const { client } = sdkOver(() => json(new LazyBody(() => cut(text, 7)).stream()));
      const { reply, error } = await streamThrough(client);
      assert.equal(error, undefined, String(error));
      assert.equal(reply.text, 'Line one.\nLine two.');
      assert.deepEqual(reply.toolCalls, [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }]);
      assert.equal(reply.usage?.completionTokens, 7);
    });
  }

  it('ends a JSON answer past 16 MB with a typed error, having read no more', async () => {
    const body = new LazyBody(() => repeated('{"choices":[{"message":{"content":"', 'd', 40 * MB, 64 * KB, '"}}]}'));
    const { client } = sdkOver(() => json(body.stream()));
    const { error } = await streamThrough(client);
    assert.ok(error instanceof ResponseTooLargeError, String(error));
    assert.ok(body.pulled <= 16 * MB + 64 * KB + 64);
    assert.ok(body.cancelled);
  });

  it('says a JSON answer that does not parse is not valid JSON', async () => {
    const { client } = sdkOver(() => json('{"choices": [ {"message": '));
    const { error } = await streamThrough(client);
    assert.ok(error instanceof SyntaxError, String(error));
    assert.match(describeError(error, REQUEST).message, /not valid JSON/);
  });

  // Headers, then only white space, for ever.
  const whiteSpaceOnly = (async (_url: unknown, init?: RequestInit) => {
    const signal = init?.signal;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise(resolve => setTimeout(resolve, 5));
        if (signal?.aborted) controller.error(signal.reason);
        else controller.enqueue(Buffer.from(' \n'));
      },
    }, { highWaterMark: 0 });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  it('holds a JSON answer that sends only whitespace to the timeout', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeout: 300, maxRetries: 0, fetch: createEnvelopingFetch(whiteSpaceOnly), logLevel: 'off' });
    const started = Date.now();
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), APIConnectionTimeoutError);
    assert.ok(Date.now() - started < 5000);
  });

  it('hands on a streamed answer that sends only whitespace at once: its wait is the stream idle rules, not the request timeout', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeout: 300, maxRetries: 0, fetch: createEnvelopingFetch(whiteSpaceOnly), logLevel: 'off' });
    const stop = new AbortController();
    const started = Date.now();
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: stop.signal });
    assert.ok(Date.now() - started < 300, 'the stream opened before the request timeout');
    setTimeout(() => stop.abort(), 600);
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(chunks, []);
    assert.ok(Date.now() - started >= 550, 'still waiting past the request timeout, until stopped');
  });

  it('bounds a completion that was not streamed', async () => {
    const body = new LazyBody(() => repeated('{"choices":[{"message":{"content":"', 'd', 40 * MB, 64 * KB, '"}}]}'));
    const { client } = sdkOver(() => json(body.stream()));
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), ResponseTooLargeError);
    assert.ok(body.pulled <= 16 * MB + 64 * KB + 64);
  });
});
