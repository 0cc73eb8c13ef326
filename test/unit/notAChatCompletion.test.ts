// A 2xx answer that is no chat completion at all is said, naming what came and comet.baseUrl, instead of an empty
// answer: a web page where the API should be (a base URL without its /v1: openclaw#84697, utsuwa#67), text that is
// not SSE, JSON with no `choices` (a gateway's own `{"code", "msg"}` with a 200). An event stream that is only empty
// stays an empty answer, and a real one is untouched.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatBackend, createClient } from '../../src/llm/chatClient';
import { createCompletionBackend } from '../../src/llm/completionClient';
import { NotAChatCompletionError, StreamNotStartedError } from '../../src/llm/streamErrors';
import { streamReply } from '../../src/core/chatTurn';
import { describeFailure } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';
import { chunk, OpenAITestServer } from '../support/openaiTestServer';

const PAGE = '<!DOCTYPE html>\n<html><head><title>Span Agent</title>\n<meta name="viewport" content="width=device-width"></head>\n\n<body><a href="https://example.com/login">Sign in</a></body></html>\n';

describe('answers that are not chat completions', () => {
  let server: OpenAITestServer;
  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());

  async function ask(type: string, body: string, stream = true): Promise<{ text: string; shown?: string; action?: string; setting?: string }> {
    server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': type }, body, chunkSize: 23 });
    const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 }, stream);
    const reply = await streamReply({ backend, signal: new AbortController().signal, idleTimeoutMs: 5000 }, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, () => undefined);
    if (!reply.error) return { text: reply.accumulator.text };
    const shown = describeFailure(toFailure(reply.error), { baseUrl: server.baseUrl, model: 'm', timeoutSeconds: 5, maxRetries: 0 });
    return { text: reply.accumulator.text, shown: shown.message, action: shown.action, setting: shown.setting };
  }

  it('says that a web page answered, with its title, and points at comet.baseUrl, streamed or not', async () => {
    for (const stream of [true, false]) {
      const got = await ask('text/html; charset=utf-8', PAGE, stream);
      assert.match(got.shown ?? '', /answered with something other than a chat completion \(Span Agent Sign in\).*check comet\.baseUrl.*\/v1/, `stream: ${stream}`);
      assert.equal(got.setting, 'comet.baseUrl');
    }
  });

  it('says so of text that is not SSE, whatever its label', async () => {
    for (const type of ['text/plain', 'text/event-stream', '']) {
      const got = await ask(type, 'Unauthorized: this token is not valid for this route\n');
      assert.match(got.shown ?? '', /other than a chat completion \(Unauthorized: this token is not valid for this route\)/, JSON.stringify(type));
    }
  });

  it('says so of JSON with no choices, as a body or as events, naming what it said', async () => {
    const gateway = '{"code":40001,"msg":"余额不足 (balance too low)","data":null}';
    for (const [type, body, stream] of [['application/json', gateway, true], ['application/json', gateway, false], ['text/event-stream', `data: ${gateway}\n\ndata: [DONE]\n\n`, true], ['text/plain', gateway, true]] as const) {
      const got = await ask(type, body, stream);
      assert.ok(got.shown?.includes('(余额不足 (balance too low))'), `${type}, stream ${stream}: ${got.shown}`);
    }
  });

  it('takes what the body is, not its label: an event stream labelled text/html, a whole completion labelled anything', async () => {
    const stream = `data: ${JSON.stringify(chunk({ content: 'Hi' }, 'stop'))}\n\ndata: [DONE]\n\n`;
    assert.deepEqual(await ask('text/html; charset=utf-8', stream), { text: 'Hi' });
    const completion = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] });
    for (const [type, body] of [['text/plain', completion], ['', completion], ['text/event-stream', `\n${' '.repeat(40)}\n${completion}`], ['application/json', `\uFEFF${completion}`]]) {
      assert.deepEqual(await ask(type, body), { text: 'Hi' }, JSON.stringify(type));
    }
  });

  it('never shows any part of the key a page or a gateway echoes, however the excerpt is cut', async () => {
    const key = 'azk0123456789abcdefghijklmnopqrstuvwxyz';
    const cases: Array<[string, string, string]> = [];
    // Around the 500 characters an excerpt shows.
    for (const at of [480, 490, 499, 520]) {
      cases.push(
        [`a page, key at ${at}`, 'text/html', `<html><body>${'w '.repeat(at / 2)} your key ${key} is not valid here</body></html>`],
        [`text, key at ${at}`, 'text/plain', `${'w '.repeat(at / 2)} key ${key}`],
        [`JSON, key at ${at}`, 'application/json', JSON.stringify({ code: 1, note: `${'w '.repeat(at / 2)} key ${key}` })],
      );
    }
    // Cut where the body is read no further (64 KB of a page, 4 KB of text that is not SSE), in the key, with white
    // space before it that the excerpt folds away.
    cases.push(
      ['a page cut at 64 KB', 'text/html', `<html><body>${' '.repeat(64 * 1024 - 12 - 10 - 10)} your key ${key} is not valid here</body></html>`],
      ['text cut at 4 KB', 'text/plain', `a${' '.repeat(4082)} key ${key}`],
    );
    for (const [what, type, body] of cases) {
      server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': type }, body, chunkSize: 509 });
      const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: key, timeoutMs: 5000, maxRetries: 0 }, true);
      const reply = await streamReply({ backend, signal: new AbortController().signal, idleTimeoutMs: 5000 }, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, () => undefined);
      const shown = describeFailure(toFailure(reply.error), { baseUrl: server.baseUrl, model: 'm', timeoutSeconds: 5, maxRetries: 0 }).message;
      assert.match(shown, /other than a chat completion/, what);
      assert.ok(!shown.includes(key.slice(0, 4)), `${what}: ${shown.slice(-160)}`);
    }
  });

  it('reads a whole completion labelled anything, as the answer to a request that was not streamed', async () => {
    const completion = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] });
    for (const type of ['text/plain', '', 'text/event-stream']) assert.deepEqual(await ask(type, completion, false), { text: 'Hi' }, JSON.stringify(type));
    const got = await ask('text/plain', 'Unauthorized: this token is not valid for this route\n', false);
    assert.match(got.shown ?? '', /other than a chat completion \(Unauthorized: this token is not valid for this route\)/);
  });

  it('waits for a slow first byte as for any stream: once, under the stream idle rules, not the request timeout', async () => {
    let requests = 0;
    const site = http.createServer((_, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
      const later = setTimeout(() => res.end(`data: ${JSON.stringify(chunk({ content: 'Late.' }, 'stop'))}\n\ndata: [DONE]\n\n`), 1500);
      res.on('close', () => clearTimeout(later));
    });
    await new Promise<void>(resolve => site.listen(0, '127.0.0.1', resolve));
    try {
      const backend = createChatBackend({ baseUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}/v1`, apiKey: 'sk-test-0000000000000000', timeoutMs: 500, maxRetries: 2 }, true);
      const reply = await streamReply({ backend, signal: new AbortController().signal, idleTimeoutMs: 5000 }, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, () => undefined);
      assert.equal(reply.error, undefined, String(reply.error));
      assert.equal(reply.accumulator.text, 'Late.');
      assert.equal(requests, 1);
    } finally {
      site.closeAllConnections();
      site.close();
    }
  });

  it('leaves a model list that is a web page to the listing, which is not a chat completion', async () => {
    // A site that answers every path with its page.
    const site = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>(resolve => site.listen(0, '127.0.0.1', resolve));
    try {
      const client = createClient({ baseUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}/v1`, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 });
      const failure = await client.models.list().then(() => undefined, (error: unknown) => error);
      // The SDK hands on a listing that is not JSON as it is; what the catalog makes of it is the catalog's.
      assert.ok(!(failure instanceof NotAChatCompletionError), String(failure));
    } finally {
      site.close();
    }
  });

  it('leaves an event stream that opens with white space keep-alives to the stream idle rules, not the request timeout', async () => {
    const types = ['text/event-stream', 'text/plain', ''];
    const site = http.createServer((_, res) => {
      res.writeHead(200, types.length ? { 'content-type': types.shift() as string } : {});
      const beat = setInterval(() => res.write('\n'), 50);
      res.on('close', () => clearInterval(beat));
    });
    await new Promise<void>(resolve => site.listen(0, '127.0.0.1', resolve));
    try {
      for (let i = 0; i < 3; i++) {
        const backend = createChatBackend({ baseUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}/v1`, apiKey: 'sk-test-0000000000000000', timeoutMs: 20_000, maxRetries: 0 }, true);
        const started = Date.now();
        const reply = await streamReply({ backend, signal: new AbortController().signal, idleTimeoutMs: 500 }, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, () => undefined);
        assert.ok(reply.error instanceof StreamNotStartedError, String(reply.error));
        assert.ok(Date.now() - started < 10_000);
      }
    } finally {
      site.closeAllConnections();
      site.close();
    }
  });

  it('reads a structured (whole) completion the same way: no choices is said, <think> is left out of the text', async () => {
    const backend = createCompletionBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 });
    server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: '{"code":40001,"msg":"quota exceeded"}' });
    await assert.rejects(backend({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal), NotAChatCompletionError);
    server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: '<think>Plan.</think>{"findings":[]}' }, finish_reason: 'stop' }] }) });
    assert.equal((await backend({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal)).text, '{"findings":[]}');
  });

  it('leaves an event stream that is only keep-alives or empty as an empty answer, and a real one as it is', async () => {
    for (const body of ['', ': keep-alive\n\n', 'data: [DONE]\n\n', `: ping\n\nretry: 3000\n\n${'\n'.repeat(10)}`]) {
      assert.deepEqual(await ask('text/event-stream', body), { text: '' }, JSON.stringify(body));
    }
    const real = `: OPENROUTER PROCESSING\n\n<not sse>\n\ndata: ${JSON.stringify({ type: 'ping' })}\n\ndata: ${JSON.stringify(chunk({ content: 'Fine.' }, 'stop'))}\n\ndata: [DONE]\n\n`;
    assert.deepEqual(await ask('text/event-stream', real), { text: 'Fine.' });
  });
});
