// Bodies for the network bounds' tests and bench: made on demand, piece by piece, so a pathological input of many
// megabytes costs no memory up front, and the SDK wired over them as a fetch.
import OpenAI from 'openai';
import { CompletionAccumulator } from '../../src/llm/completionAccumulator';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';

export const KB = 1024;
export const MB = 1024 * KB;
/** A request's settings as the chat passes them, to an address where nothing listens. */
export const REQUEST = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-5.4-mini', timeoutSeconds: 1, maxRetries: 0 };

/** A body made on demand, piece by piece, that counts what was read and notes a cancel. */
export class LazyBody {
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
export function* repeated(head: string, fill: string, bytes: number, size: number, tail = ''): Iterator<Uint8Array> {
  if (head) yield Buffer.from(head);
  const piece = Buffer.from(fill.repeat(Math.ceil(size / fill.length)).slice(0, size));
  for (let sent = 0; sent < bytes; sent += size) yield piece.subarray(0, Math.min(size, bytes - sent));
  if (tail) yield Buffer.from(tail);
}

/** `text` cut into consecutive pieces of `size` bytes. */
export function* cut(text: string, size: number): Iterator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** One SSE event. */
export const event = (data: object | string) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** The real SDK over `respond`, through Comet's enveloping fetch; counts the calls. */
export function sdkOver(respond: () => Response): { client: OpenAI; calls: () => number } {
  let calls = 0;
  const inner = (async () => {
    calls++;
    return respond();
  }) as typeof fetch;
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: createEnvelopingFetch(inner), logLevel: 'off' });
  return { client, calls: () => calls };
}

/** Streams a request through the SDK and the accumulator; returns what arrived and what was thrown. */
export async function streamThrough(client: OpenAI): Promise<{ reply: CompletionAccumulator; error: unknown }> {
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

/** How long `work` took, with its value. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** A 200 text/event-stream response of `body`. */
export const sse = (body: ReadableStream<Uint8Array> | string) => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
