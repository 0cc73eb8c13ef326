// Whether a stream said it was done: one that ends with neither a finish reason nor `data: [DONE]` may have been cut
// off by a proxy, and says so; every other ending, however it is framed, does not. A last event that no blank line
// closes is still read, when it is whole. Through the real SDK and the
// loopback server, as the panel's turn reads a stream (streamReply).
import * as assert from 'node:assert/strict';
import { streamReply, type StreamedReply } from '../../src/core/chatTurn';
import { createChatBackend } from '../../src/llm/chatClient';
import { OpenAITestServer, type Reply } from '../support/openaiTestServer';

const chunkJson = (delta: object, finishReason: string | null = null) =>
  JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] });
const WORDS = `data: ${chunkJson({ role: 'assistant', content: 'Hel' })}\n\ndata: ${chunkJson({ content: 'lo' })}\n\n`;
const sse = (body: string, chunkSize = 64): Reply => ({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body, chunkSize });
const WHOLE = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: null }] };

describe('a stream that did not say it was done', () => {
  let server: OpenAITestServer;
  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  async function streamed(replies: Reply[], options: { stream?: boolean; maxRetries?: number; idleTimeoutMs?: number } = {}): Promise<StreamedReply> {
    server.enqueue(...replies);
    const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: options.maxRetries ?? 0 }, options.stream ?? true);
    return streamReply({ backend, signal: new AbortController().signal, idleTimeoutMs: options.idleTimeoutMs ?? 5000 }, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, () => undefined);
  }
  const mayBeCut = async (replies: Reply[], options: Parameters<typeof streamed>[1] = {}) => (await streamed(replies, options)).mayBeCut === true;

  it('says so when neither a finish reason nor [DONE] came', async () => {
    assert.equal(await mayBeCut([sse(WORDS)]), true);
  });

  const said: Array<[string, string, number?]> = [
    ['[DONE] read a byte at a time', `${WORDS}data: [DONE]\n\n`, 1],
    ['[DONE] without a space', `${WORDS}data:[DONE]\n\n`],
    ['CRLF framing', `${WORDS}data: [DONE]\n\n`.replace(/\n/g, '\r\n'), 7],
    ['CR framing', `${WORDS}data: [DONE]\n\n`.replace(/\n/g, '\r'), 7],
    ['[DONE] after an event: line (the slow path)', `${WORDS}event: done\ndata: [DONE]\n\n`],
    ['[DONE] after a comment in its event', `${WORDS}: bye\ndata: [DONE]\n\n`],
    ['[DONE] in an event the SDK splits at \\n\\r', `${WORDS}data: [DONE]\n\r\n`],
    ['[DONE] then more events', `${WORDS}data: [DONE]\n\ndata: ${chunkJson({ content: '!' })}\n\n`],
    ['a finish reason and no [DONE]', `${WORDS}data: ${chunkJson({}, 'stop')}\n\n`],
    ['a whole completion sent as the event stream', JSON.stringify(WHOLE)],
  ];
  for (const [name, body, chunkSize] of said) {
    it(`does not with ${name}`, async () => {
      assert.equal(await mayBeCut([sse(body, chunkSize)]), false);
    });
  }

  // The SDK dispatches no event that no blank line closes (the SSE spec's rule): a server's last chunk written without
  // one would be lost, with its text, finish reason and usage.
  for (const ending of ['', '\n', '\r\n']) {
    for (const chunkSize of [1, 64]) {
      it(`keeps a last chunk that ends the body with ${JSON.stringify(ending)} instead of a blank line, read ${chunkSize} bytes at a time`, async () => {
        const last = `data: ${JSON.stringify({ ...JSON.parse(chunkJson({ content: '!' }, 'stop')), usage: { prompt_tokens: 3, completion_tokens: 2 } })}`;
        const reply = await streamed([sse(`${WORDS}${last}${ending}`, chunkSize)]);
        assert.equal(reply.accumulator.text, 'Hello!');
        assert.equal(reply.accumulator.finishReason, 'stop');
        assert.equal(reply.accumulator.usage?.completionTokens, 2);
        assert.equal(reply.mayBeCut, undefined);
        assert.equal(reply.error, undefined);
      });
    }
  }

  it('leaves out a last event cut off inside its JSON, and says the answer may be cut off', async () => {
    const reply = await streamed([sse(`${WORDS}data: {"id":"x","choices":[{"index":0,"delta":{"content":" wor`)]);
    assert.equal(reply.accumulator.text, 'Hello');
    assert.equal(reply.error, undefined);
    assert.equal(reply.mayBeCut, true);
  });

  it('reads the open event after the last empty line the SDK sees, as the SDK reads it', async () => {
    const stop = `data: ${chunkJson({ content: '!' }, 'stop')}`;
    // The SDK ends an event at \n\r\n, where the reader does not cut: two events, the last one open.
    const split = await streamed([sse(`${WORDS}data: ${chunkJson({ content: ' you' })}\n\r\n${stop}`)]);
    assert.equal(split.accumulator.text, 'Hello you!');
    assert.equal(split.accumulator.finishReason, 'stop');
    // A byte order mark before a body of one open event.
    const marked = await streamed([sse(`\uFEFF${stop}`)]);
    assert.equal(marked.accumulator.text, '!');
    // Two spaces: the SDK reads " [DONE]", which is neither [DONE] nor JSON; left open, as before, it is no error.
    const spaced = await streamed([sse(`${WORDS}data:  [DONE]`)]);
    assert.equal(spaced.error, undefined);
    assert.equal(spaced.accumulator.text, 'Hello');
    // A cut event after a keep-alive the SDK drops stays cut: no error, and the answer may be cut off.
    const cut = await streamed([sse(`${WORDS}event: ping\n\r\ndata: {"id":"x","choices":[{"index":0,"delta":{"content":" wor`)]);
    assert.equal(cut.error, undefined);
    assert.equal(cut.accumulator.text, 'Hello');
    assert.equal(cut.mayBeCut, true);
  });

  it('does not for a whole completion, asked streamed or not', async () => {
    assert.equal(await mayBeCut([{ kind: 'json', status: 200, body: WHOLE }]), false);
    assert.equal(await mayBeCut([{ kind: 'json', status: 200, body: WHOLE }], { stream: false }), false);
  });

  it('judges the stream that the SDK\'s retry got', async () => {
    const overloaded: Reply = { kind: 'json', status: 503, body: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '10' } };
    assert.equal(await mayBeCut([overloaded, sse(`${WORDS}data: [DONE]\n\n`)], { maxRetries: 1 }), false);
    assert.equal(await mayBeCut([overloaded, sse(WORDS)], { maxRetries: 1 }), true);
  });

  it('does not when the stream failed: the failure says what happened', async () => {
    assert.equal(await mayBeCut([{ kind: 'stream', chunks: [JSON.parse(chunkJson({ content: 'a' }))], hold: true }], { idleTimeoutMs: 300 }), false);
  });
});
