// Which SSE events reach the SDK: keep-alives that are not JSON are dropped (the SDK would end the answer on them),
// errors in other shapes become the error event it raises, and everything else passes byte for byte.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { SdkEvents } from '../../src/llm/sseEvents';
import { chunk, usageChunk } from '../support/openaiTestServer';
import { LazyBody, cut, event, sdkOver, sse, streamThrough } from '../support/boundedBodies';

const errorData = (text: string) => JSON.stringify({ error: { message: text } });
/** One group through a stream's filter of its own. */
const chunkEventsOnly = (bytes: Buffer, starts: number[]) => new SdkEvents(errorData, text => text).rewrite({ bytes, starts });

/** Events back to back, and where each begins. */
function group(events: string[]): { bytes: Buffer; starts: number[] } {
  const starts: number[] = [];
  let at = 0;
  for (const text of events) {
    starts.push(at);
    at += Buffer.byteLength(text);
  }
  return { bytes: Buffer.from(events.join('')), starts };
}

const KEEP_ALIVES = ['data:\n\n', 'data: \n\n', 'event: ping\n\n', 'event: message\r\n\r\n', 'data: : OPENROUTER PROCESSING\n\n', 'data: 2024-04-27 01:35:43.686476\n\n', 'event: ping\ndata:\n\n'];

describe('SSE events handed to the SDK', () => {
  it('hands on a group of JSON chunks as the very same bytes, without a copy, and decodes none of them', () => {
    const { bytes, starts } = group([
      event(chunk({ content: 'a' })),
      `data:${JSON.stringify(chunk({ content: 'b' }))}\r\n\r\n`,
      `data: ${JSON.stringify(chunk({ content: 'c' }))}\r\n\r\n`,
      `data: ${JSON.stringify(chunk({ content: 'd' }))}\r\r`,
      'data: [DONE]\n\n',
    ]);
    const events = new SdkEvents(errorData, text => text);
    // The slow path gives equal bytes back too: only its not being called shows the fast path was taken.
    (events as unknown as { rewriteEvent: () => never }).rewriteEvent = () => assert.fail('an event of JSON data was decoded');
    assert.equal(events.rewrite({ bytes, starts }), bytes);
  });

  it('drops the keep-alives that are not JSON, and keeps every other event byte for byte', () => {
    const kept = [
      event(chunk({ content: 'a' })),
      ': a comment\n\n',
      'id: 3\nretry: 1000\n\n',
      '\n\n',
      `event: message\nid: 4\ndata: ${JSON.stringify(chunk({ content: 'b' }))}\n\n`,
      `data:\ndata:  ${JSON.stringify(chunk({ content: 'c' }))}\r\n\r\n`,
      `\uFEFFdata: ${JSON.stringify(chunk({ content: 'd' }))}\n\n`,
    ];
    const events = kept.flatMap((text, i) => [text, KEEP_ALIVES[i % KEEP_ALIVES.length]]);
    const { bytes, starts } = group(events);
    assert.equal(Buffer.from(chunkEventsOnly(bytes, starts)).toString('utf8'), kept.join(''));
  });

  it('judges each of the events the SDK will see in one, where a blank line is `\\n\\r\\n` or `\\r\\n\\r`', async () => {
    const hello = JSON.stringify(chunk({ content: 'Hello' }));
    const texts = [
      `data: ping\n\r\ndata: ${hello}\n\n`,
      // A JSON chunk first: what follows it in the same reader's event is still looked at.
      `data: ${hello}\n\r\ndata: ping\n\n`,
      `data: ${hello}\r\n\rdata: ping\r\n\r\n`,
      `data: ${hello}\r\n\r\n`,
    ].map(head => `${head}${event(chunk({}, 'stop'))}data: [DONE]\n\n`);
    for (const text of texts) {
      for (const size of [1, 5, text.length]) {
        const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, size)).stream()));
        const { reply, error } = await streamThrough(client);
        assert.equal(error, undefined, `${JSON.stringify(text.slice(0, 40))}, reads of ${size}: ${String(error)}`);
        assert.equal(reply.text, 'Hello', `reads of ${size}`);
      }
    }
  });

  it('keeps an event whose data is JSON that does not parse, so that the SDK reports it', () => {
    const { bytes, starts } = group(["data: {'error': 'not json'}\n\n"]);
    assert.equal(chunkEventsOnly(bytes, starts), bytes);
  });

  it('makes `event: error` with a plain-text message, and an `error:` field, into the error the SDK raises', async () => {
    for (const failure of ['event: error\ndata: upstream timed out\n\n', 'error: upstream timed out\n\n', `data: ${JSON.stringify(chunk({ content: '!' }))}\nerror: upstream timed out\n\n`]) {
      const text = event(chunk({ content: 'Partial' })) + failure + event(chunk({ content: ' never' }));
      const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, 5)).stream()));
      const { reply, error } = await streamThrough(client);
      assert.equal(reply.text, 'Partial', failure);
      assert.ok(error instanceof APIError && /upstream timed out/.test(error.message), `${JSON.stringify(failure)}: ${String(error)}`);
    }
  });

  it('gives the SDK the whole answer around keep-alives, however the reads cut the stream', async () => {
    const deltas = Array.from({ length: 500 }, (_, i) => `w${i} `);
    // More events than one of the SDK's chunks takes, with a keep-alive of each kind in every group, some first.
    const text = KEEP_ALIVES[0] + deltas.map((content, i) => event(chunk({ content })) + (i % 5 === 0 ? KEEP_ALIVES[i % KEEP_ALIVES.length] : '')).join('')
      + event(chunk({}, 'stop')) + KEEP_ALIVES[2] + event(usageChunk(3, 500)) + 'data: [DONE]\n\n';
    for (const size of [1, 7, 100, 4096, text.length]) {
      const { client } = sdkOver(() => sse(new LazyBody(() => cut(text, size)).stream()));
      const { reply, error } = await streamThrough(client);
      assert.equal(error, undefined, `reads of ${size}: ${String(error)}`);
      assert.equal(reply.text, deltas.join(''), `reads of ${size}`);
      assert.equal(reply.finishReason, 'stop');
      assert.equal(reply.usage?.completionTokens, 500);
    }
  });
});
