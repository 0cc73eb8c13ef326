// The network bounds (issue 10), SSE: a line, an event or a stream past its cap ends with a typed error, keeping
// what came before, and every byte under the caps is handed on unchanged.
// Each input is large enough that a quadratic path would take orders of magnitude longer than the linear one (the
// time guards are generous, tens of times what the linear path takes here), and each test asserts the behaviour too.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { describeFailure, type RequestContext } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';
import { EVENTS_PER_SDK_CHUNK } from '../../src/llm/boundedBody';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';
import { ResponseTooLargeError, StreamLineTooLongError } from '../../src/llm/streamErrors';
import { chunk, usageChunk } from '../support/openaiTestServer';
import { KB, MB, REQUEST, LazyBody, repeated, cut, event, sdkOver, streamThrough, timed, sse } from '../support/boundedBodies';

// The panel's wording of whatever a request threw, as the chat shows it.
const describeError = (error: unknown, request: RequestContext) => describeFailure(toFailure(error), request);

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

  // The SDK copies what is left of a chunk after each event it takes: 20,000 events in one read cost it seconds.
  it('takes 20,000 events that arrive in one read in linear time, every delta in order', async () => {
    const deltas = Array.from({ length: 20_000 }, (_, i) => `w${i} `);
    const text = deltas.map(content => event(chunk({ content }))).join('') + event(chunk({}, 'stop')) + 'data: [DONE]\n\n';
    const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, text.length)).stream()));
    const { value, ms } = await timed(() => streamThrough(client));
    assert.equal(value.error, undefined, String(value.error));
    assert.equal(value.reply.text, deltas.join(''));
    assert.equal(value.reply.finishReason, 'stop');
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  it('hands the SDK whole events, at most EVENTS_PER_SDK_CHUNK to a chunk, however the reads cut them and whatever ends them', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const end = eol + eol;
      const text = Array.from({ length: 1000 }, (_, i) => `data: ${JSON.stringify(chunk({ content: `w${i}` }))}${end}`).join('');
      for (const size of [text.length, 4 * KB, 100, 7]) {
        const at = `${JSON.stringify(eol)}, reads of ${size}`;
        const response = await createEnvelopingFetch(async () => sse(new LazyBody(() => cut(text, size)).stream()))('http://127.0.0.1:9/v1/chat/completions', {});
        const handed: string[] = [];
        for await (const piece of response.body!) handed.push(Buffer.from(piece).toString('utf8'));
        assert.equal(handed.join(''), text, at);
        for (const piece of handed) {
          assert.ok(piece.endsWith(end), `${at}: a chunk that is not whole events`);
          assert.ok(piece.split(end).length - 1 <= EVENTS_PER_SDK_CHUNK, `${at}: ${piece.split(end).length - 1} events in one chunk`);
        }
      }
    }
  });

  it('hands on the events that came in the same piece as the line past the cap before its error', async () => {
    // More events than go to one of the SDK's chunks: every group of them comes before the error.
    const kept = Array.from({ length: 3 * EVENTS_PER_SDK_CHUNK + 1 }, (_, i) => `w${i} `);
    const text = `${kept.map(content => event(chunk({ content }))).join('')}data: "${'f'.repeat(3 * MB)}"\n\n${event(chunk({ content: 'never' }))}`;
    const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, text.length)).stream()));
    const { reply, error } = await streamThrough(client);
    assert.equal(reply.text, kept.join(''));
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

  it('hands every byte on unchanged, however the stream is cut and whatever its line breaks (a whole last event that no blank line closes gets one)', async () => {
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
        const closed = text.endsWith('[DONE]') ? `${text}\n\n` : text;
        assert.equal(await (await fetcher('http://x')).text(), closed, `cut every ${size} bytes: ${JSON.stringify(text.slice(0, 40))}`);
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
