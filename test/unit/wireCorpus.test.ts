// Real recorded traffic from many providers and gateways (test/fixtures/wire, sources in its README), replayed byte
// for byte by the loopback server in small pieces, through the real SDK, the error envelope and the accumulator.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { createChatBackend, STREAM_ENDED_UNSAID } from '../../src/llm/chatClient';
import { CompletionAccumulator } from '../../src/llm/completionAccumulator';
import { describeFailure } from '../../src/core/describeFailure';
import { toFailure } from '../../src/llm/failure';
import { LearnedRules, memoryRulesStore } from '../../src/core/learnedRules';
import { streamNativeResponse, type NativePart } from '../../src/core/native/response';
import { OpenAITestServer } from '../support/openaiTestServer';
import { nativeExpectation, replayOf, wireRecordings } from '../support/wireRecordings';

const fixtures = wireRecordings();
const MODEL = 'gpt-5.4-mini';

describe('recorded wire traffic', () => {
  let server: OpenAITestServer;
  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());

  describe('through the llm layer and the panel\'s accumulator', () => {
    for (const { name, fixture } of fixtures) {
      it(`${name}: ${fixture.description}`, async () => {
        server.enqueue(replayOf(fixture));
        const backend = createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 }, true);
        const reply = new CompletionAccumulator();
        let error: unknown;
        let endedUnsaid = false;
        try {
          for await (const chunk of backend({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal)) {
            if (chunk === STREAM_ENDED_UNSAID) endedUnsaid = true;
            reply.add(chunk);
          }
        } catch (thrown) {
          error = thrown;
        }
        reply.end();
        const want = fixture.expect;
        // A key left out of `expect` is one that did not arrive: none of it may be made up.
        assert.equal(reply.text, want.text ?? '');
        assert.equal(reply.reasoning, want.reasoning ?? '');
        assert.equal(reply.refusal, want.refusal ?? '');
        assert.deepEqual(reply.sources.map(source => source.url), want.sources ?? []);
        assert.deepEqual(reply.toolCalls, want.toolCalls ?? []);
        // A provider error ends the stream where it stands; the finish reason sent with it is not read.
        if (want.finishReason !== undefined && !want.error) assert.equal(reply.finishReason ?? null, want.finishReason);
        if (want.usage) {
          assert.equal(reply.usage?.promptTokens, want.usage.prompt_tokens);
          assert.equal(reply.usage?.completionTokens, want.usage.completion_tokens);
        }
        assert.equal(endedUnsaid && !error && !reply.finishReason, Boolean(want.mayBeCut), 'said to be maybe cut off');
        if (want.error) {
          assert.ok(error, 'an error was expected');
          if (want.error.status !== undefined) assert.equal(error instanceof APIError ? error.status : undefined, want.error.status);
          const shown = describeFailure(toFailure(error), { baseUrl: server.baseUrl, model: MODEL, timeoutSeconds: 5, maxRetries: 0 });
          assert.ok(shown.message.includes(want.error.messageIncludes), `"${shown.message}" should include "${want.error.messageIncludes}"`);
        } else {
          assert.equal(error, undefined, `unexpected error: ${String(error)}`);
        }
      });
    }
  });

  // The same recordings as VS Code's chat gets them from Comet's model provider: the text and the reasoning as they
  // streamed, each tool call once with its arguments parsed, and a failure as one error in the panel's words.
  describe('answered to VS Code\'s chat', () => {
    for (const { name, fixture } of fixtures) {
      it(`${name}`, async () => {
        server.enqueue(replayOf(fixture));
        const parts: NativePart[] = [];
        let error: unknown;
        try {
          await streamNativeResponse({
            backend: createChatBackend({ baseUrl: server.baseUrl, apiKey: 'sk-test-0000000000000000', timeoutMs: 5000, maxRetries: 0 }, true),
            body: { model: MODEL, messages: [{ role: 'user', content: 'hi' }] },
            signal: new AbortController().signal,
            context: { baseUrl: server.baseUrl, model: MODEL, timeoutSeconds: 5, maxRetries: 0 },
            apiKey: 'sk-test-0000000000000000',
            rules: new LearnedRules(memoryRulesStore()),
          }, part => parts.push(part));
        } catch (thrown) {
          error = thrown;
        }
        const want = nativeExpectation(fixture.expect);
        const of = (kind: NativePart['kind']) => parts.map(part => (part.kind === kind && 'text' in part ? part.text : '')).join('');
        assert.equal(of('text'), want.text);
        assert.equal(of('reasoning'), want.reasoning);
        if (want.error) {
          assert.ok(error instanceof Error, 'an error was expected');
          assert.ok(error.message.includes(want.error), `"${error.message}" should include "${want.error}"`);
          return;
        }
        assert.equal(error, undefined, `unexpected error: ${String(error)}`);
        assert.deepEqual(parts.flatMap(part => (part.kind === 'toolCall' ? [{ id: part.id, name: part.name, input: part.input }] : [])), want.calls);
      });
    }
  });
});
