// The worst case of each bounded network path (issue 10), through the real SDK and Comet's fetch wrapper, with bodies
// made on demand in memory (no sockets, so the numbers are Comet's and the SDK's CPU time, not loopback's).
import OpenAI from 'openai';
import { runTurn } from '../../src/core/chatTurn';
import { STREAM_OPENED, type ChatBackend } from '../../src/llm/chatClient';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';
import { toErrorEnvelope } from '../../src/llm/errorResponse';
import { cut, KB, MB, repeated } from '../support/boundedBodies';
import { chunk } from '../support/openaiTestServer';
import { median, ms } from './timing';

function lazy(pieces: Iterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull: controller => {
        const next = pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    },
    { highWaterMark: 0 },
  );
}

function client(respond: () => Response): OpenAI {
  return new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: createEnvelopingFetch(async () => respond()), logLevel: 'off' });
}

async function streamTime(respond: () => Response): Promise<{ ms: number; error: string }> {
  const started = performance.now();
  let error = 'none';
  try {
    const stream = await client(respond).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const part of stream) void part;
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.name : String(thrown);
  }
  return { ms: performance.now() - started, error };
}

async function worst(runs: number, work: () => Promise<{ ms: number; error: string }>): Promise<{ median: number; max: number; error: string }> {
  const times: number[] = [];
  let error = '';
  for (let i = 0; i < runs; i++) {
    const result = await work();
    times.push(result.ms);
    error = result.error;
  }
  return { median: median(times), max: Math.max(...times), error };
}

const sse = (body: ReadableStream<Uint8Array>) => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });

export async function boundsBench(report: (name: string, value: string) => void, results: Record<string, unknown>): Promise<void> {
  const line = (value: { median: number; max: number; error: string }) => `${ms(value.median)} median, ${ms(value.max)} worst (${value.error})`;

  // Error bodies: endless bodies of each shape that made the old regexes quadratic, through the wrapper.
  const shapes: Array<[string, string]> = [['<', '<'], ['<a ', '<a '], ['<script>', '<script>'], ['<!--', '<!--'], ['<div <span ', '<div class="x" <span ']];
  let errorWorst = 0;
  for (const [name, fill] of shapes) {
    const fetcher = createEnvelopingFetch(async () => new Response(lazy(repeated('', fill, 512 * MB, 16 * KB)), { status: 502 }));
    const value = await worst(5, async () => {
      const started = performance.now();
      await (await fetcher('http://x')).json();
      return { ms: performance.now() - started, error: '502 envelope' };
    });
    errorWorst = Math.max(errorWorst, value.max);
    report(`error body: endless "${name}", read 64 KB + message`, line(value));
  }
  const direct: number[] = [];
  for (const [, fill] of shapes) {
    const body = fill.repeat(Math.ceil((64 * KB) / fill.length));
    const started = performance.now();
    toErrorEnvelope(body, 502);
    direct.push(performance.now() - started);
  }
  results['bounds:errorBodyWorstMs'] = errorWorst;
  report('error body: toErrorEnvelope on 64 KB, worst shape', ms(Math.max(...direct)));

  // SSE lines: a 40 MB line in 16 KB pieces (ends at the 1 MB cap), a line just under the cap in 100-byte pieces
  // (the most work a line can cost), an event of short lines to the 2 MB cap, a stream of events to the 64 MB cap.
  const head = `data: ${JSON.stringify(chunk({ content: 'Partial.' }))}\n\n`;
  const longLine = await worst(5, () => streamTime(() => sse(lazy(repeated(`${head}data: {"choices":[{"delta":{"content":"`, 'a', 40 * MB, 16 * KB, '"}}]}\n\n')))));
  report('SSE: a 40 MB line in 16 KB pieces, to the 1 MB cap', line(longLine));
  const underCap = await worst(5, () => streamTime(() => sse(lazy(repeated('data: {"choices":[{"delta":{"content":"', 'c', 1000 * KB, 100, '"}}]}\n\ndata: [DONE]\n\n')))));
  report('SSE: a 1000 KB line (under the cap) in 100-byte pieces', line(underCap));
  const longEvent = await worst(5, () => streamTime(() => sse(lazy(repeated(head, 'data: x\n', 8 * MB, 4 * KB)))));
  report('SSE: an event of 8-byte lines in 4 KB pieces, to the 2 MB cap', line(longEvent));
  const bigStream = await worst(3, () => streamTime(() => sse(lazy(repeated(head, `: ${'x'.repeat(4 * KB - 5)}\n\n`, 80 * MB, 64 * KB)))));
  report('SSE: 80 MB of 4 KB events in 64 KB pieces, to the 64 MB cap', line(bigStream));
  results['bounds:longLineWorstMs'] = Math.max(longLine.max, underCap.max, longEvent.max);
  results['bounds:streamCapWorstMs'] = bigStream.max;

  // JSON answers to streamed requests: 15 MB of pretty-printed completion, re-serialised.
  const completion = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'y'.repeat(15 * MB) }, finish_reason: 'stop' }] }, null, 2);
  const json = await worst(3, () => streamTime(() => new Response(lazy(cut(completion, 64 * KB)), { status: 200, headers: { 'content-type': 'application/json' } })));
  report('JSON: a 15 MB pretty-printed completion to a streamed request', line(json));
  results['bounds:jsonWorstMs'] = json.max;

  // Keep-alives: a keep-alive every millisecond against a 500 ms timeout; how far past the timeout the answer ends.
  const keepAlive: ChatBackend = async function* (_body, signal) {
    yield STREAM_OPENED;
    for (let i = 0; !signal.aborted; i++) {
      yield i % 2 ? chunk({}) : { ...chunk({}), choices: [] };
      await new Promise(resolve => setTimeout(resolve, 1));
    }
  };
  const overshoot: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await runTurn({ backend: keepAlive, body: { model: 'm', messages: [] }, signal: new AbortController().signal, idleTimeoutMs: 500, onDelta: () => {}, onToolCall: () => {} });
    overshoot.push(performance.now() - started - 500);
  }
  results['bounds:keepAliveOvershootMs'] = Math.max(...overshoot);
  report('keep-alives every 1 ms, 500 ms timeout: ends after the timeout by', `${ms(median(overshoot))} median, ${ms(Math.max(...overshoot))} worst`);
}
