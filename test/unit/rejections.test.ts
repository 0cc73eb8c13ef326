// Real error bodies from many providers (test/fixtures/rejections, sources in its README), replayed by the loopback
// server through the real SDK and error envelope: the failure says whether the context overflowed or which parameter
// was rejected, and the adaptation that follows changes only a parameter the request carried.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { adaptationFor, applyAdaptation, IMAGE_NOT_SENT } from '../../src/llm/adaptation';
import { createChatBackend } from '../../src/llm/chatClient';
import { toFailure, type LlmFailure } from '../../src/llm/failure';
import { recognizeRejection } from '../../src/llm/rejection';
import type { ChatRequestBody } from '../../src/llm/request';
import { OpenAITestServer } from '../support/openaiTestServer';
import { rejectionRecordings, type RejectionFixture } from '../support/wireRecordings';



async function failureFor(server: OpenAITestServer, fixture: Pick<RejectionFixture, 'status' | 'headers' | 'body'>): Promise<LlmFailure> {
  server.enqueue({ kind: 'raw', status: fixture.status, headers: fixture.headers, body: fixture.body });
  const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 }, true);
  try {
    for await (const _ of backend({ model: 'gpt-5.4-mini', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal)) void _;
  } catch (error) {
    return toFailure(error);
  }
  throw new Error('the request was expected to fail');
}

describe('rejection recognizer on real error bodies', () => {
  let server: OpenAITestServer;
  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());

  const recorded = rejectionRecordings();
  it('has bodies from many providers, envelope-less ones included', () => {
    assert.ok(recorded.length >= 25);
    const bodies = recorded.map(({ fixture }) => fixture.body);
    const enveloped = (body: string) => {
      try {
        const parsed = JSON.parse(body);
        return typeof parsed?.error === 'object' && parsed.error !== null;
      } catch {
        return false;
      }
    };
    assert.ok(bodies.filter(body => !enveloped(body)).length >= 5, 'several bodies have no {"error": {...}} envelope');
  });

  for (const { name, fixture } of recorded) {
    it(`${name}: ${fixture.description}`, async () => {
      const failure = await failureFor(server, fixture);
      assert.equal(failure.kind, fixture.expect.kind, `${failure.kind}: ${failure.message}`);
      if (failure.kind === 'bad-parameter') {
        assert.equal(failure.param, fixture.expect.param);
        if (fixture.expect.reason) assert.equal(failure.reason, fixture.expect.reason);
      }
    });
  }
});

describe('adaptation of a rejected parameter', () => {
  const body: ChatRequestBody = {
    model: 'gpt-5.4',
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    ],
    temperature: 0.3,
    max_tokens: 100,
    tools: [{ type: 'function', function: { name: 'read_file', parameters: {} } }],
    tool_choice: 'auto',
  };

  it('drops or changes only a parameter the request carried', () => {
    assert.deepEqual(adaptationFor(body, 'temperature', 'value', { streaming: true }), { param: 'temperature', action: 'drop' });
    assert.deepEqual(adaptationFor(body, 'max_tokens', 'unsupported', { streaming: true }), { param: 'max_tokens', action: 'rename' });
    assert.deepEqual(adaptationFor(body, 'max_tokens', 'value', { streaming: true }), { param: 'max_tokens', action: 'drop' });
    assert.deepEqual(adaptationFor(body, 'developer', 'unsupported', { streaming: true }), { param: 'developer', action: 'system-role' });
    assert.deepEqual(adaptationFor(body, 'image_url', 'unsupported', { streaming: true }), { param: 'image_url', action: 'text-only' });
    assert.deepEqual(adaptationFor(body, 'stream_options', 'unsupported', { streaming: true }), { param: 'stream_options', action: 'drop' });
    // Not sent, so nothing to change: the user's own setting is never dropped for another parameter's sake.
    assert.equal(adaptationFor(body, 'top_p', 'value', { streaming: true }), undefined);
    assert.equal(adaptationFor(body, 'reasoning_effort', 'value', { streaming: true }), undefined);
    assert.equal(adaptationFor(body, 'stream_options', 'unsupported', { streaming: false }), undefined);
  });

  it('answers a refused forced tool choice with "auto", keeping the tools; a refused "auto" goes with the tools', () => {
    const required: ChatRequestBody = { ...body, tool_choice: 'required' };
    const fix = adaptationFor(required, 'tool_choice', 'value', { streaming: true });
    assert.deepEqual(fix, { param: 'tool_choice', action: 'auto-tool-choice' });
    const retried = applyAdaptation(required, fix!);
    assert.equal(retried.tool_choice, 'auto');
    assert.equal(retried.tools?.length, 1);
    assert.deepEqual(adaptationFor(body, 'tool_choice', 'value', { streaming: true }), { param: 'tool_choice', action: 'drop' });
    assert.deepEqual(applyAdaptation(body, fix!), body, 'learned, it leaves a request that asks "auto" as it is');
  });

  it('applies each change to the body alone', () => {
    const noTools = applyAdaptation(body, { param: 'tools', action: 'drop' });
    assert.equal('tools' in noTools || 'tool_choice' in noTools, false);
    assert.equal(noTools.temperature, 0.3);
    const renamed = applyAdaptation(body, { param: 'max_tokens', action: 'rename' });
    assert.equal(renamed.max_completion_tokens, 100);
    assert.equal('max_tokens' in renamed, false);
    assert.equal(applyAdaptation(body, { param: 'developer', action: 'system-role' }).messages[0].role, 'system');
    // Text alone goes as one string (a text-only model may take no content parts).
    assert.equal(applyAdaptation(body, { param: 'image_url', action: 'text-only' }).messages[1].content, `What is this?\n\n${IMAGE_NOT_SENT}`);
    assert.equal(body.messages[0].role, 'developer', 'the original body is not changed');
  });
});

describe('a 404', () => {
  it('is a parameter only when a gateway says no provider supports it; any other 404 is a wrong address', () => {
    const failure = (body: object) => toFailure(new APIError(404, body, undefined, new Headers()));
    assert.equal(failure({ error: { message: 'No endpoints found that support tool use.', code: 404 } }).kind, 'bad-parameter');
    assert.equal(failure({ error: { message: 'Not Found: invalid path /v1/tools/chat/completions' } }).kind, 'endpoint-not-found');
    assert.equal(failure({ message: '404 page not found' }).kind, 'endpoint-not-found');
    assert.equal(failure({ message: 'Not Found', param: 'tools' }).kind, 'endpoint-not-found');
    const image = failure({ error: { message: 'No endpoints found that support image input', code: 404 } });
    assert.deepEqual([image.kind, image.kind === 'bad-parameter' && image.param], ['bad-parameter', 'image_url']);
  });

  it('takes a capability for refused only when it is denied, not when a message says it is there', () => {
    const failure = toFailure(new APIError(400, { error: { message: 'This model supports tool calling, but the value of tool_choice is invalid' } }, undefined, new Headers()));
    assert.deepEqual([failure.kind, failure.kind === 'bad-parameter' && failure.param], ['bad-parameter', 'tool_choice']);
  });
});

describe('wordings that look like a rejection but are not one', () => {
  const recognized = (message: string, status: number | undefined = 400) => recognizeRejection(status, { message });
  it('reads a limit that is no context window as no overflow, in a 400 and inside a stream', () => {
    for (const message of [
      'Input image exceeds the maximum allowed size of 20MB',
      'Prompt tokens exceeded your daily limit',
      'input exceeded rate limit',
      'Your input exceeds the free-tier limit of 100 requests per day',
      'The input exceeds the moderation limit',
      'tool call input length must be less than 1000',
    ]) {
      for (const status of [400, undefined]) assert.notEqual(recognized(message, status)?.kind, 'context-length', `${status}: ${message}`);
    }
    assert.equal(recognized('Prompt exceeds max length')?.kind, 'context-length');
  });

  it('lets a parameter named in the text win over words about the prompt\'s length', () => {
    assert.deepEqual(recognized('The sum of prompt length and max_tokens should be less than 8192'), { kind: 'parameter', param: 'max_tokens', reason: 'value' });
  });

  it('reads a Chinese value that is not taken as the value, not the parameter', () => {
    assert.deepEqual(recognized('max_tokens 取值 100000 不支持，最大为 8192'), { kind: 'parameter', param: 'max_tokens', reason: 'value' });
    assert.deepEqual(recognized('参数 max_tokens 不支持'), { kind: 'parameter', param: 'max_tokens', reason: 'unsupported' });
  });

  it('reads a passing server fault that names a parameter, or a rate limit in tokens, as a server fault', () => {
    const failure = (status: number, message: string) => toFailure(new APIError(status, { error: { message, type: 'server_error' } }, undefined, new Headers()));
    for (const [status, message] of [
      [500, 'Unexpected error while rendering the chat template with tools, please retry'],
      [502, 'Upstream returned an invalid response for a request with tools'],
      [503, 'Worker unavailable: invalid state after restart (temperature sampler), try again later'],
      [503, 'Server busy: at most 8 requests with max_tokens over 4096 at a time, retry later'],
      [500, '服务器内部错误，参数 tools 无效，请重试'],
      [503, 'You exceeded your token limit for this minute, retry later'],
      [500, 'upstream exceeded maximum tokens per minute'],
    ] as const) assert.equal(failure(status, message).kind, 'server', `${status}: ${message}`);
    assert.deepEqual(recognized('Cannot use tools with stream', 500), { kind: 'parameter', param: 'tools', reason: 'value' });
    // llama.cpp without --jinja (QwenLM/Qwen3#822), and structure over a plea to retry.
    assert.deepEqual(recognized('Unsupported param: tools', 500), { kind: 'parameter', param: 'tools', reason: 'unsupported' });
    assert.deepEqual(recognized('Unsupported parameter: temperature. Please retry without it', 502), { kind: 'parameter', param: 'temperature', reason: 'unsupported' });
    assert.deepEqual(recognizeRejection(503, { message: "This model's maximum context length is 8192 tokens. Please try again with a shorter prompt.", code: 'context_length_exceeded' }), { kind: 'context-length' });
  });

  it('reads reasoning_content as refused only where the refusal is said of that field', () => {
    const refused = { kind: 'parameter', param: 'reasoning_content', reason: 'unsupported' };
    for (const message of [
      'The reasoning_content field is not supported by this model.',
      'Unrecognized request argument supplied: reasoning_content',
      "Extra inputs are not permitted, field: 'messages.2.reasoning_content'",
      '1 validation error for ChatCompletionRequest\nmessages.2.reasoning_content\n  Extra inputs are not permitted [type=extra_forbidden]',
    ]) assert.deepEqual(recognized(message), refused, message);
    assert.deepEqual(recognizeRejection(400, { message: 'Extra inputs are not permitted', param: 'messages.2.reasoning_content' }), refused);
    assert.deepEqual(recognizeRejection(400, { message: 'Bad request', param: 'messages[2].reasoning_content', code: 'unknown_parameter' }), refused);
    for (const message of [
      'The `reasoning_content` in the thinking mode must be passed back to the API.',
      'Invalid request: reasoning_content is required when thinking is enabled; unknown parameter: foo',
      'Missing `reasoning_content` field in the assistant message at message index 4.',
    ]) {
      const rejection = recognized(message);
      assert.equal(rejection?.kind === 'parameter' && rejection.param === 'reasoning_content', false, message);
    }
    // A message path that ends in it is still an overflow by its code.
    assert.deepEqual(recognizeRejection(400, { message: 'String too long', code: 'string_above_max_length', param: 'messages[2].reasoning_content' }), { kind: 'context-length' });
  });

  it('reads "should be" as a refusal only of the name just before it, never of a path into a tool\'s schema', () => {
    assert.deepEqual(recognized('Range of max_tokens should be [1, 8192]'), { kind: 'parameter', param: 'max_tokens', reason: 'value' });
    assert.deepEqual(recognized('temperature should be between 0 and 1'), { kind: 'parameter', param: 'temperature', reason: 'value' });
    assert.equal(recognized('* GenerateContentRequest.tools[0].function_declarations[0].parameters.properties: should be non-empty for OBJECT type'), undefined);
  });

  it('reads a quota by its code, unless a 429 counts it per second, minute or hour: that is a rate limit', () => {
    const kind = (code: string, message: string) => toFailure(APIError.generate(429, { error: { message, code } }, undefined, new Headers())).kind;
    assert.equal(kind('insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.'), 'quota');
    assert.equal(kind('quota_exceeded', 'Daily quota exceeded: 1000 requests per day.'), 'quota');
    assert.equal(kind('request_quota_exceeded', 'Requests per minute limit exceeded - too many requests sent.'), 'rate-limit');
    assert.equal(kind('token_quota_exceeded', 'Tokens per minute limit exceeded (TPM).'), 'rate-limit');
    assert.equal(kind('insufficient_quota', 'Your credit ran out; per minute limits do not apply.'), 'quota');
    assert.equal(toFailure(APIError.generate(400, { error: { message: 'Requests per minute limit exceeded', code: 'request_quota_exceeded' } }, undefined, new Headers())).kind, 'quota', 'only a 429 passes');
  });

  it('reads an overflow inside a stream as an overflow only before any of the answer', () => {
    const streamed = () => new APIError(undefined, { message: "Requested token count exceeds the model's maximum context length of 196608 tokens." }, undefined, new Headers());
    assert.equal(toFailure(streamed()).kind, 'context-length');
    assert.equal(toFailure(streamed(), { answerStarted: true }).kind, 'provider-error');
  });
});
