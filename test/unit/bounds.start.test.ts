// The network bounds (issue 10), the answer must start: keep-alives, comments and empty chunks end after the
// request timeout, naming the setting; an answer that keeps moving runs on.
// Each input is large enough that a quadratic path would take orders of magnitude longer than the linear one (the
// time guards are generous, tens of times what the linear path takes here), and each test asserts the behaviour too.
import * as assert from 'node:assert/strict';
import { createChatBackend, STREAM_OPENED, type ChatBackend } from '../../src/llm/chatClient';
import { describeFailure } from '../../src/core/describeFailure';
import { chunkAnswers } from '../../src/llm/streamProgress';
import { runTurn } from '../../src/core/chatTurn';
import { chunk, OpenAITestServer, usageChunk } from '../support/openaiTestServer';
import { REQUEST } from '../support/boundedBodies';

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
