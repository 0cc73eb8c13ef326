import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { createEnvelopingFetch } from '../../src/llm/envelopingFetch';
import { categorize, toErrorEnvelope } from '../../src/llm/errorResponse';
import { toFailure } from '../../src/llm/failure';

describe('toErrorEnvelope', () => {
  const cases: Array<[string, string, number, object]> = [
    ['the OpenAI envelope', '{"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}}', 401,
      { message: 'Incorrect API key', type: 'invalid_request_error', code: 'invalid_api_key' }],
    ['a string error (Ollama)', '{"error":"model \\"x\\" not found, try pulling it first"}', 404, { message: 'model "x" not found, try pulling it first' }],
    ['FastAPI detail', '{"detail":"Not Found"}', 404, { message: 'Not Found' }],
    ['FastAPI validation list', '{"detail":[{"loc":["body","messages"],"msg":"field required","type":"missing"}]}', 422, { message: 'field required', param: 'messages' }],
    ['a bare message with code', '{"message":"No available channel for model x","code":"model_not_found"}', 503, { message: 'No available channel for model x', code: 'model_not_found' }],
    ['an errors array', '{"errors":[{"message":"bad thing"}]}', 400, { message: 'bad thing' }],
    ['plain text', 'upstream connect error', 502, { message: 'upstream connect error' }],
    ['an HTML page', '<html><head><style>x{}</style></head><body><h1>502 Bad Gateway</h1></body></html>', 502, { message: '502 Bad Gateway' }],
    ['an empty body', '', 500, { message: 'HTTP 500 with an empty body' }],
    // OpenRouter: its own message says little; the upstream's error is text in metadata.raw.
    ['a gateway error with the upstream one in metadata.raw', JSON.stringify({ error: { message: 'Provider returned error', code: 400, metadata: { raw: '{"error":{"message":"Unsupported parameter: temperature","type":"invalid_request_error","param":"temperature"}}', provider_name: 'OpenAI' } } }), 400,
      { message: 'Provider returned error. OpenAI: Unsupported parameter: temperature', code: 400, type: 'invalid_request_error', param: 'temperature' }],
    ['a gateway error whose metadata.raw is plain text', JSON.stringify({ error: { message: 'Provider returned error', code: 502, metadata: { raw: 'upstream connect error', provider_name: 'Chutes' } } }), 502,
      { message: 'Provider returned error. Chutes: upstream connect error', code: 502 }],
    // Pydantic validation: the item that blames a parameter Comet sends, inside an object-valued message too; a path
    // deep in one tool's schema blames no parameter.
    ['a validation error whose message holds the items', '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted"},{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted"}]},"type":"invalid_request_message_error","param":null}', 422,
      { message: 'Extra inputs are not permitted; Extra inputs are not permitted', type: 'invalid_request_message_error', param: 'max_completion_tokens' }],
    ['a validation error deep in a tool schema', '{"detail":[{"type":"missing","loc":["body","tools",0,"function","name"],"msg":"Field required"}]}', 422, { message: 'Field required' }],
  ];
  for (const [name, body, status, expected] of cases) {
    it(`reads ${name}`, () => assert.deepEqual(toErrorEnvelope(body, status).error, expected));
  }
});

describe('categorize', () => {
  it('spots an unknown model whatever the status', () => {
    assert.equal(categorize({ error: { message: 'x', code: 'model_not_found' } }), 'model_not_found');
    assert.equal(categorize({ error: { message: 'The model `gpt-9` does not exist or you do not have access to it.' } }), 'model_not_found');
    assert.equal(categorize({ error: { message: 'No available channel for model foo under group default' } }), 'model_not_found');
  });
  it('spots a bad request by its type or code', () => {
    assert.equal(categorize({ error: { message: 'oops', type: 'invalid_request_error' } }), 'bad_request');
    assert.equal(categorize({ error: { message: 'Internal error' } }), 'other');
  });
});

describe('createEnvelopingFetch', () => {
  it('takes the request key out of an echoing error body before the message is clipped, so no part of it survives', async () => {
    const key = 'Kx9-echoed-key-with-no-known-shape-0042';
    for (const at of [470, 480, 490, 495, 499]) {
      const message = `${'x'.repeat(at)}${key} is not valid`;
      const enveloping = createEnvelopingFetch(async () => new Response(JSON.stringify({ error: { message } }), { status: 401 }), [key]);
      const text = await (await enveloping('http://127.0.0.1/v1/chat/completions')).text();
      for (let length = 6; length <= key.length; length++) assert.ok(!text.includes(key.slice(0, length)), `at ${at}: "${key.slice(0, length)}" survived`);
    }
  });

  const respond = (body: string, status: number) => createEnvelopingFetch(async () => new Response(body, { status }));

  it('passes successful responses through untouched', async () => {
    const response = await respond('{"ok":1}', 200)('http://x');
    assert.equal(await response.text(), '{"ok":1}');
  });

  it('rewrites an error body into the envelope and stops retries of a 503 unknown model', async () => {
    const response = await respond('{"message":"model not found","code":"model_not_found"}', 503)('http://x');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('x-should-retry'), 'false');
    assert.deepEqual(await response.json(), { error: { message: 'model not found', code: 'model_not_found' } });
  });

  it('turns a JSON completion answering a streamed request into a one-event stream, and leaves mislabelled SSE alone', async () => {
    const streamed = { method: 'POST', body: JSON.stringify({ model: 'm', stream: true }) };
    const json = createEnvelopingFetch(async () => new Response('{"choices":[]}', { status: 200, headers: { 'content-type': 'application/json' } }));
    assert.equal(await (await json('http://x', streamed)).text(), 'data: {"choices":[]}\n\ndata: [DONE]\n\n');
    const sse = createEnvelopingFetch(async () => new Response('data: {"choices":[]}\n\n', { status: 200, headers: { 'content-type': 'application/json' } }));
    assert.equal(await (await sse('http://x', streamed)).text(), 'data: {"choices":[]}\n\n');
    const notStreamed = createEnvelopingFetch(async () => new Response('{"a":1}', { status: 200, headers: { 'content-type': 'application/json' } }));
    assert.equal(await (await notStreamed('http://x', { method: 'POST', body: '{"stream":false}' })).text(), '{"a":1}');
  });

  it('rewrites an llama.cpp "error:" SSE field into a data event the SDK raises', async () => {
    const body = 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\nerror: {"code":500,"message":"slot failed"}\n\ndata: [DONE]\n\n';
    const stream = createEnvelopingFetch(async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
    const text = await (await stream('http://x')).text();
    assert.match(text, /^data: \{"choices".*\n\ndata: \{"error":\{"code":500,"message":"slot failed"\}\}\n\ndata: \[DONE\]/s);
  });

  it('leaves a plain 500 retryable', async () => {
    const response = await respond('Internal Server Error', 500)('http://x');
    assert.equal(response.headers.get('x-should-retry'), null);
  });

  it('stops retries of a 5xx that refuses a parameter or the length, which the same request would meet again', async () => {
    for (const message of ['Cannot use tools with stream', 'Context size has been exceeded.']) {
      const response = await respond(JSON.stringify({ error: { code: 500, message, type: 'server_error' } }), 500)('http://x');
      assert.equal(response.headers.get('x-should-retry'), 'false', message);
    }
    const busy = await respond(JSON.stringify({ error: { code: 500, message: 'slot unavailable, try again', type: 'server_error' } }), 500)('http://x');
    assert.equal(busy.headers.get('x-should-retry'), null);
  });
});

describe('an error inside a stream', () => {
  it("names the upstream's reason a gateway carries in metadata.raw", () => {
    const error = new APIError(undefined, { message: 'Provider returned error', code: 400, metadata: { raw: '{"error":{"message":"Token limit reached"}}', provider_name: 'Minimax' } }, undefined, new Headers());
    assert.equal(toFailure(error).message, 'Provider returned error. Minimax: Token limit reached');
  });

  it("reads an upstream error that is Gemini's array of one, and one with no gateway message of its own", () => {
    const gemini = '[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]';
    assert.equal(toFailure(new APIError(undefined, { message: 'Provider returned error', metadata: { raw: gemini, provider_name: 'Google' } }, undefined, new Headers())).message, 'Provider returned error. Google: API key not valid');
    assert.equal(toFailure(new APIError(undefined, { metadata: { raw: 'boom', provider_name: 'X' } }, undefined, new Headers())).message, 'X: boom');
  });
});
