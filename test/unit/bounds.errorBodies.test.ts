// The network bounds (issue 10), error bodies: an endless or hostile body is read to a bound and worded briefly.
// Each input is large enough that a quadratic path would take orders of magnitude longer than the linear one (the
// time guards are generous, tens of times what the linear path takes here), and each test asserts the behaviour too.
import * as assert from 'node:assert/strict';
import OpenAI, { APIError } from 'openai';
import { describeFailure, type RequestContext } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';
import { plainText, toErrorEnvelope } from '../../src/llm/errorResponse';
import { chunk } from '../support/openaiTestServer';
import { KB, MB, REQUEST, LazyBody, repeated, cut, event, sdkOver, streamThrough, timed, sse } from '../support/boundedBodies';

// The panel's wording of whatever a request threw, as the chat shows it.
const describeError = (error: unknown, request: RequestContext) => describeFailure(toFailure(error), request);

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
