// A model's window from GET /models under the names gateways use, and the answer that says where its number came from.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSession } from '../../src/core/chatSession';
import { ModelCatalog } from '../../src/core/modelCatalog';
import { connectionFor, validateSettings } from '../../src/core/settings';
import { createChatBackend } from '../../src/llm/chatClient';
import { listModelInfo, modelInfo } from '../../src/llm/models';
import { ConversationStore } from '../../src/node/conversationStore';
import type { AssistantEntry } from '../../src/shared/domain';
import { OpenAITestServer, textReply } from '../support/openaiTestServer';

const KEY = 'sk-unit-000000000000';

describe('model info from GET /models', () => {
  // Shapes as each server documents its list entries.
  const shapes: Array<[string, Record<string, unknown>, number | undefined, number | undefined]> = [
    ['OpenRouter', { id: 'a', context_length: 200000, top_provider: { context_length: 200000, max_completion_tokens: 64000 } }, 200000, 64000],
    ['Groq', { id: 'a', context_window: 131072, max_completion_tokens: 32768 }, 131072, 32768],
    ['LiteLLM model_info', { id: 'a', model_info: { max_input_tokens: 128000, max_output_tokens: 16384 } }, 128000, 16384],
    ['vLLM', { id: 'a', max_model_len: 32768 }, 32768, undefined],
    ['GitHub Copilot', { id: 'a', capabilities: { limits: { max_context_window_tokens: 128000, max_prompt_tokens: 64000, max_output_tokens: 4096 } } }, 128000, 4096],
    ['Gemini', { id: 'a', inputTokenLimit: 1048576, outputTokenLimit: 65536 }, 1048576, 65536],
    ['llama.cpp', { id: 'a', meta: { n_ctx_train: 8192 } }, 8192, undefined],
    ['a string number', { id: 'a', context_length: '65536' }, 65536, undefined],
    ['OpenAI (none)', { id: 'a', object: 'model', created: 0, owned_by: 'openai' }, undefined, undefined],
  ];
  for (const [name, raw, window, output] of shapes) {
    it(`${name}: window ${window ?? '-'}, output ${output ?? '-'}`, () => {
      const info = modelInfo(raw);
      assert.equal(info.contextWindow, window);
      assert.equal(info.maxOutputTokens, output);
    });
  }

  describe('in an answer', () => {
    let server: OpenAITestServer;
    before(async () => {
      server = await OpenAITestServer.start();
    });
    after(() => server.close());

    it('uses the reported window once it is in, and says where each answer\'s window came from', async () => {
      server.modelFields = { 'gpt-5.4-mini': { context_length: 5000 } };
      // A listing slower than the first, small question, which does not wait for it.
      server.modelsDelayMs = 200;
      server.enqueue(textReply(['hi']));
      server.enqueue(textReply(['hi again']));
      const settings = validateSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
      assert.ok(settings.ok);
      const catalog = new ModelCatalog((_, key) => listModelInfo(connectionFor(settings.settings, key)));
      const session = new ChatSession({
        readSettings: () => settings,
        credentials: async () => ({ kind: 'key', apiKey: KEY }),
        hasApiKey: async () => true,
        createBackend: (s, key) => createChatBackend(connectionFor(s, key), s.stream),
        listModels: (s, key) => catalog.list(s.baseUrl, key),
        post: () => undefined,
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        library: new ConversationStore(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-models-')), { warn: () => undefined }),
      });
      const answers = () => session.conversation.entries.filter((e): e is AssistantEntry => e.kind === 'assistant');
      await session.ask({ text: 'hello' });
      assert.deepEqual(answers()[0].context, { used: 29, window: 272_000, source: 'known model', conversationTokens: { in: 29, out: 1 } });
      // The listing the first question started, still on its way; the second question finds it in the cache.
      await catalog.list(server.baseUrl, KEY);
      await session.ask({ text: 'hello' });
      assert.equal(answers()[1].context?.window, 5000);
      assert.equal(answers()[1].context?.source, 'endpoint');
    });
  });
});
