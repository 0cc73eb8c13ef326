// Issue 10, the network half: each bound with its pathological input. These guard complexity, not speed: every input
// is large enough that a quadratic path takes orders of magnitude longer than the linear one (the time guards are
// generous, tens of times what the linear path takes here), and each test asserts the behaviour too.
import * as assert from 'node:assert/strict';
import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import { createChatBackend, STREAM_OPENED, type ChatBackend } from '../../src/llm/chatClient';
import { CompletionAccumulator } from '../../src/llm/completionAccumulator';
import { describeFailure, type RequestContext } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';

// The panel's wording of whatever a request threw, as the chat shows it.
const describeError = (error: unknown, request: RequestContext) => describeFailure(toFailure(error), request);
import { createEnvelopingFetch, plainText, toErrorEnvelope } from '../../src/llm/errorResponse';
import { ResponseTooLargeError, StreamIdleTimeoutError, StreamLineTooLongError, StreamNotStartedError } from '../../src/llm/streamErrors';
import { chunkAnswers } from '../../src/llm/streamProgress';
import { runTurn } from '../../src/core/chatTurn';
import { chunk, OpenAITestServer, usageChunk } from '../support/openaiTestServer';

const KB = 1024;
const MB = 1024 * KB;
const REQUEST = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-5.4-mini', timeoutSeconds: 1, maxRetries: 0 };

/** A body made on demand, piece by piece, that counts what was read and notes a cancel. */
class LazyBody {
  pulled = 0;
  cancelled = false;
  constructor(private readonly pieces: () => Iterator<Uint8Array>) {}
  stream(): ReadableStream<Uint8Array> {
    const pieces = this.pieces();
    return new ReadableStream<Uint8Array>(
      {
        pull: controller => {
          const next = pieces.next();
          if (next.done) return controller.close();
          this.pulled += next.value.byteLength;
          controller.enqueue(next.value);
        },
        cancel: () => {
          this.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
  }
}

/** `head`, then `fill` repeated up to `bytes` bytes in pieces of `size`, then `tail`. */
function* repeated(head: string, fill: string, bytes: number, size: number, tail = ''): Iterator<Uint8Array> {
  if (head) yield Buffer.from(head);
  const piece = Buffer.from(fill.repeat(Math.ceil(size / fill.length)).slice(0, size));
  for (let sent = 0; sent < bytes; sent += size) yield piece.subarray(0, Math.min(size, bytes - sent));
  if (tail) yield Buffer.from(tail);
}

/** `text` cut into consecutive pieces of `size` bytes. */
function* cut(text: string, size: number): Iterator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const event = (data: object | string) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

function sdkOver(respond: () => Response): { client: OpenAI; calls: () => number } {
  let calls = 0;
  const inner = (async () => {
    calls++;
    return respond();
  }) as typeof fetch;
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: createEnvelopingFetch(inner), logLevel: 'off' });
  return { client, calls: () => calls };
}

/** Streams a request through the SDK and the accumulator; returns what arrived and what was thrown. */
async function streamThrough(client: OpenAI): Promise<{ reply: CompletionAccumulator; error: unknown }> {
  const reply = new CompletionAccumulator();
  let error: unknown;
  try {
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const part of stream) reply.add(part);
  } catch (thrown) {
    error = thrown;
  }
  return { reply, error };
}

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const sse = (body: ReadableStream<Uint8Array> | string) => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });

describe('bounds: error bodies', () => {
  // Each with what the text must be: a `<` that nothing closes is text, a tag is a space.
  const pathological: Array<[string, string, (text: string) => boolean]> = [
    ['unclosed <', '<'.repeat(2 * MB), text => text.length === 2 * MB],
    ['unclosed tags', '<a '.repeat(700 * KB), text => text.startsWith('<a <a ')],
    ['unclosed <script>', '<script>'.repeat(256 * KB), text => text === ''],
    ['unclosed <style', '<style'.repeat(350 * KB), text => text.startsWith('<style<style')],
    ['unclosed comments', '<!--'.repeat(512 * KB), text => text.startsWith('<!--<!--')],
    ['a closed tag after 1 MB of <', `${'<'.repeat(MB)}<b>x</b>`, text => text === `${'<'.repeat(MB)} x`],
  ];
  for (const [name, body, expected] of pathological) {
    it(`turns ${body.length >> 10} KB of ${name} into text in linear time`, async () => {
      const { value, ms } = await timed(() => plainText(body));
      assert.ok(expected(value), value.slice(0, 40));
      assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
      const envelope = await timed(() => toErrorEnvelope(body, 502));
      assert.ok(envelope.value.error.message.length <= 501, 'the message is clipped');
      assert.ok(envelope.ms < 1000, `${envelope.ms.toFixed(0)} ms`);
    });
  }

  it('reads HTML as text: tags, scripts, styles and comments go, entities are decoded, a lone < stays', () => {
    assert.equal(
      plainText('<html><head><title>Bad</title><STYLE>p{}</STYLE><script>if (a<b) x("<i>")</script></head><body><!-- c > d -->' +
        '<h1>502 &amp; &lt;gone&gt;&#33;</h1><p>a < b and c > d</p></body></html>'),
      'Bad 502 & <gone>! a < b and c > d',
    );
    assert.equal(plainText('<script>alert(1)'), 'alert(1)');
    assert.equal(plainText('plain   text\n\nhere'), 'plain text here');
  });

  it('finds the message of a JSON error body cut at the read limit', async () => {
    const body = new LazyBody(() => repeated('{"error": {"message": "Context too long \\"x\\"", "traceback": "', 'at frame\\n', 8 * MB, 16 * KB, '"}}'));
    const fetcher = createEnvelopingFetch(async () => new Response(body.stream(), { status: 500, headers: { 'content-type': 'application/json' } }));
    const envelope = (await (await fetcher('http://x')).json()) as { error: { message: string } };
    assert.equal(envelope.error.message, 'Context too long "x"');
    assert.ok(body.cancelled);
  });

  it('reads at most about 64 KB of an endless error body and cancels the rest', async () => {
    const body = new LazyBody(() => repeated('<html><body>', '<div <span ', 512 * MB, 16 * KB));
    const fetcher = createEnvelopingFetch(async () => new Response(body.stream(), { status: 502, headers: { 'content-type': 'text/html' } }));
    const { value: response, ms } = await timed(() => fetcher('http://x'));
    assert.equal(response.status, 502);
    const envelope = (await response.json()) as { error: { message: string } };
    assert.ok(envelope.error.message.startsWith('<div <span'), envelope.error.message.slice(0, 40));
    assert.ok(envelope.error.message.length <= 501);
    assert.ok(body.pulled <= 64 * KB + 32 * KB, `read ${body.pulled} bytes`);
    assert.ok(body.cancelled, 'the rest of the body is cancelled');
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });

  it('bounds the error body on every retry', async () => {
    const bodies: LazyBody[] = [];
    let calls = 0;
    const inner = (async () => {
      calls++;
      const body = new LazyBody(() => repeated('', '<', 64 * MB, 16 * KB));
      bodies.push(body);
      return new Response(body.stream(), { status: 503, headers: { 'content-type': 'text/html', 'retry-after-ms': '1' } });
    }) as typeof fetch;
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 2, fetch: createEnvelopingFetch(inner), logLevel: 'off' });
    const { error } = await streamThrough(client);
    assert.ok(error instanceof APIError && error.status === 503, String(error));
    assert.equal(calls, 3);
    for (const body of bodies) assert.ok(body.pulled <= 96 * KB && body.cancelled, `read ${body.pulled} bytes`);
    assert.match(describeError(error, { ...REQUEST, maxRetries: 2 }).message, /failed \(503: <<<<.*\) after 2 retries/);
  });

  it('bounds an llama.cpp "error:" line: a 900 KB one of < becomes a short message, fast, after the text before', async () => {
    const body = new LazyBody(() => repeated(`${event(chunk({ content: 'Before.' }))}error: `, '<', 900 * KB, KB, '\n\n'));
    const { client } = sdkOver(() => sse(body.stream()));
    const { value, ms } = await timed(() => streamThrough(client));
    assert.equal(value.reply.text, 'Before.');
    assert.ok(value.error instanceof APIError, String(value.error));
    const shown = describeError(value.error, REQUEST).message;
    assert.match(shown, /^The provider sent an error mid-stream: <<<</);
    assert.ok(shown.length < 600);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
});

describe('bounds: SSE lines, events and streams', () => {
  it('ends a 40 MB single line, sent in 16 KB pieces, with a typed error and keeps the text before', async () => {
    const head = event(chunk({ role: 'assistant', content: '' })) + event(chunk({ content: 'Partial ' })) + event(chunk({ content: 'answer.' }));
    const body = new LazyBody(() => repeated(`${head}data: {"choices":[{"delta":{"content":"`, 'a', 40 * MB, 16 * KB, '"}}]}\n\n'));
    const { client } = sdkOver(() => sse(body.stream()));
    const { value, ms } = await timed(() => streamThrough(client));
    assert.equal(value.reply.text, 'Partial answer.');
    assert.ok(value.error instanceof StreamLineTooLongError, String(value.error));
    assert.equal(value.error.unit, 'line');
    assert.match(describeError(value.error, REQUEST).message, /single stream line longer than 1 MB.*cut off/);
    assert.ok(body.pulled < 2 * MB, `read ${body.pulled} bytes of 40 MB`);
    assert.ok(body.cancelled);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  for (const type of ['text/plain', 'application/octet-stream', '']) {
    it(`bounds the answer to a streamed request labelled ${JSON.stringify(type)} as a stream, since the SDK reads it as one`, async () => {
      const body = new LazyBody(() => repeated(`${event(chunk({ content: 'Kept.' }))}data: "`, 'e', 40 * MB, 16 * KB));
      const { client } = sdkOver(() => new Response(body.stream(), { status: 200, headers: type ? { 'content-type': type } : {} }));
      const { value, ms } = await timed(() => streamThrough(client));
      assert.equal(value.reply.text, 'Kept.');
      assert.ok(value.error instanceof StreamLineTooLongError, String(value.error));
      assert.ok(body.pulled < 2 * MB);
      assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
    });
  }

  it('ends a line over 1 MB that does end, too', async () => {
    const body = new LazyBody(() => repeated(`${event(chunk({ content: 'Kept.' }))}data: "`, 'b', 3 * MB, 64 * KB, '"\n\n'));
    const { client } = sdkOver(() => sse(body.stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, 'Kept.');
    assert.ok(error instanceof StreamLineTooLongError);
  });

  it('passes a 1000 KB line sent in 8-byte pieces, whole and in linear time', async () => {
    const body = new LazyBody(() => repeated('data: {"choices":[{"index":0,"delta":{"content":"', 'c', 1000 * KB, 8, `"}}]}\n\n${event(chunk({}, 'stop'))}data: [DONE]\n\n`));
    const { client } = sdkOver(() => sse(body.stream()));
    const { value, ms } = await timed(() => streamThrough(client));
    assert.equal(value.error, undefined, String(value.error));
    assert.equal(value.reply.text.length, 1000 * KB);
    assert.equal(value.reply.finishReason, 'stop');
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  it('hands on the events that came in the same piece as the line past the cap before its error', async () => {
    const text = `${event(chunk({ content: 'Same ' }))}${event(chunk({ content: 'piece.' }))}data: "${'f'.repeat(3 * MB)}"\n\n${event(chunk({ content: 'never' }))}`;
    const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, text.length)).stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, 'Same piece.');
    assert.ok(error instanceof StreamLineTooLongError, String(error));
  });

  it('ends an event of 3 MB of short lines with no blank line', async () => {
    const body = new LazyBody(() => repeated(event(chunk({ content: 'Kept.' })), 'data: x\n', 3 * MB, 8 * KB));
    const { client } = sdkOver(() => sse(body.stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, 'Kept.');
    assert.ok(error instanceof StreamLineTooLongError && error.unit === 'event', String(error));
    assert.ok(body.pulled < 3 * MB);
  });

  it('ends a stream past 64 MB with a typed error, keeping the text before', async function () {
    this.timeout(30_000);
    const padding = `: ${'x'.repeat(4 * KB - 5)}\n\n`; // an SSE comment, 4 KB
    const body = new LazyBody(() => repeated(event(chunk({ content: 'Kept.' })), padding, 80 * MB, 64 * KB));
    const { client } = sdkOver(() => sse(body.stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, 'Kept.');
    assert.ok(error instanceof ResponseTooLargeError, String(error));
    assert.match(describeError(error, REQUEST).message, /passed 64 MB/);
    assert.ok(body.pulled <= 64 * MB + 64 * KB + 1024, `read ${body.pulled} bytes`);
    assert.ok(body.cancelled);
  });

  it('hands every byte on unchanged, however the stream is cut and whatever its line breaks', async () => {
    const events = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'a\nb' }), chunk({}, 'stop'), usageChunk(3, 2)].map(c => JSON.stringify(c));
    const bodies = [
      events.map(e => `data: ${e}\n\n`).join('') + 'data: [DONE]\n\n',
      events.map(e => `data: ${e}\r\n\r\n`).join('') + 'data: [DONE]\r\n\r\n',
      events.map(e => `data: ${e}\r\r`).join('') + 'data: [DONE]\r\r',
      `: comment\n\nevent: message\nid: 1\n${events.map(e => `data: ${e}\n\n`).join('')}\n\n\ndata: [DONE]`,
    ];
    for (const text of bodies) {
      for (const size of [1, 2, 3, 5, 64, 4096]) {
        const fetcher = createEnvelopingFetch(async () => sse(new LazyBody(() => cut(text, size)).stream()));
        assert.equal(await (await fetcher('http://x')).text(), text, `cut every ${size} bytes: ${JSON.stringify(text.slice(0, 40))}`);
        const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, size)).stream()));
        const { reply, error } = await streamThrough(client);
        assert.equal(error, undefined);
        assert.equal(reply.text, 'a\nb');
        assert.equal(reply.usage?.completionTokens, 2);
      }
    }
  });

  it('still rewrites an "error:" line cut into one-byte pieces', async () => {
    const text = `${event(chunk({ content: 'Hi' }))}error: {"code":500,"message":"slot failed"}\r\n\r\n`;
    const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, 1)).stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, 'Hi');
    assert.ok(error instanceof APIError && /slot failed/.test(error.message), String(error));
  });
});

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

  for (const stream of [true, false]) {
    it(`holds a JSON answer${stream ? ' to a streamed request' : ''} that sends only whitespace to the timeout`, async () => {
      const inner = (async (_url: unknown, init?: RequestInit) => {
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
      const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeout: 300, maxRetries: 0, fetch: createEnvelopingFetch(inner), logLevel: 'off' });
      const started = Date.now();
      await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream }), APIConnectionTimeoutError);
      assert.ok(Date.now() - started < 5000);
    });
  }

  it('bounds a completion that was not streamed', async () => {
    const body = new LazyBody(() => repeated('{"choices":[{"message":{"content":"', 'd', 40 * MB, 64 * KB, '"}}]}'));
    const { client } = sdkOver(() => json(body.stream()));
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), ResponseTooLargeError);
    assert.ok(body.pulled <= 16 * MB + 64 * KB + 64);
  });
});

describe('bounds: the answer must start', () => {
  const keepAlives: object[] = [
    { ...chunk({}), choices: [] },
    chunk({}),
    chunk({ content: '' }),
    chunk({ role: 'assistant', content: '' }),
    chunk({ role: 'assistant', content: null, refusal: null }),
    chunk({ content: [] }),
    chunk({ tool_calls: [] }),
    { ...chunk({}), usage: null },
  ];

  it('tells keep-alives from chunks that answer', () => {
    for (const alive of keepAlives) assert.equal(chunkAnswers(alive), false, JSON.stringify(alive));
    const answers: object[] = [
      chunk({ content: 'x' }),
      chunk({ reasoning_content: 'hm' }),
      chunk({ reasoning: 'hm' }),
      chunk({ content: [{ type: 'text', text: 'x' }] }),
      chunk({ content: [{ type: 'thinking', thinking: 'hm' }] }),
      chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{' } }] }),
      chunk({}, 'stop'),
      usageChunk(1, 2),
      { choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] },
    ];
    for (const answer of answers) assert.equal(chunkAnswers(answer), true, JSON.stringify(answer));
  });

  /** A backend that opens the stream, sends `first`, then keep-alives every 5 ms until it is aborted. */
  const keepAliveBackend = (first: object[] = []): ChatBackend =>
    async function* (_body, signal) {
      yield STREAM_OPENED;
      yield* first;
      for (let i = 0; !signal.aborted; i++) {
        yield keepAlives[i % keepAlives.length];
        await new Promise(resolve => setTimeout(resolve, 5));
      }
    };
  const turn = (backend: ChatBackend, idleTimeoutMs: number) =>
    runTurn({ backend, body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, signal: new AbortController().signal, idleTimeoutMs, onDelta: () => {}, onToolCall: () => {} });

  it('ends a stream of keep-alives after comet.requestTimeoutSeconds, naming the setting', async () => {
    const result = await turn(keepAliveBackend(), 300);
    assert.equal(result.end, 'error');
    assert.ok(result.failure?.kind === 'timeout' && result.failure.phase === 'start', JSON.stringify(result.failure));
    const shown = describeFailure(result.failure, REQUEST);
    assert.match(shown.message, /did not start answering within 0 s.*comet\.requestTimeoutSeconds/);
    assert.equal(shown.setting, 'comet.requestTimeoutSeconds');
    assert.equal(shown.action, 'openSettings');
  });

  it('ends keep-alives after an answer began as a stall, keeping the text', async () => {
    const result = await turn(keepAliveBackend([chunk({ content: 'Half an ' }), chunk({ content: 'answer' })]), 300);
    assert.equal(result.end, 'error');
    assert.equal(result.text, 'Half an answer');
    assert.ok(result.failure?.kind === 'timeout' && result.failure.phase === 'idle', JSON.stringify(result.failure));
    assert.match(describeFailure(result.failure, REQUEST).message, /comet\.requestTimeoutSeconds/);
  });

  it('lets an answer that keeps moving run past the timeout', async () => {
    const backend: ChatBackend = async function* () {
      yield STREAM_OPENED;
      for (let i = 0; i < 12; i++) {
        yield chunk({ content: `${i} ` });
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      yield chunk({}, 'stop');
    };
    const result = await turn(backend, 2000);
    assert.equal(result.end, 'done', JSON.stringify(result.failure));
    assert.match(result.text, /^0 1 .* 11 $/);
  });

  it('ends SSE comments and empty chunks from a real server through the SDK', async () => {
    const server = await OpenAITestServer.start();
    try {
      server.enqueue({ kind: 'keepAlive', everyMs: 20, forMs: 20_000 });
      const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test', timeoutMs: 5000, maxRetries: 0 }, true);
      const result = await turn(backend, 500);
      assert.ok(result.failure?.kind === 'timeout' && result.failure.phase === 'start', JSON.stringify(result.failure));
    } finally {
      await server.close();
    }
  });
});
