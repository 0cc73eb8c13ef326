// The recorded rejections (test/fixtures/rejections) replayed through the whole answer flow, as the panel asks: a
// request that carries every parameter a provider may refuse, the real SDK and the loopback server. A refused
// parameter the request carried is adapted once and the answer arrives; an overflow is sent again with fewer earlier
// messages; anything else ends as an error, asked once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatSession } from '../../src/core/chatSession';
import { LearnedRules, memoryRulesStore } from '../../src/core/learnedRules';
import { validateSettings } from '../../src/core/settings';
import { PathPolicy, Toolbox } from '../../src/core/tools/toolbox';
import { createChatBackend } from '../../src/llm/chatClient';
import { ConversationStore } from '../../src/node/conversationStore';
import type { AssistantEntry, ErrorEntry } from '../../src/shared/domain';
import { makeFolder, NodeWorkspace } from '../support/nodeWorkspace';
import { chunk, OpenAITestServer, textReply, type Reply } from '../support/openaiTestServer';
import { rejectionRecordings } from '../support/wireRecordings';


const IMAGE = { name: 'a.png', mimeType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' };

type WireBody = { messages: Array<{ role: string; content: unknown }> } & Record<string, unknown>;

/** Whether the request as it went over the wire carries `param` (a role and image parts live in the messages). */
function onWire(body: WireBody, param: string): boolean {
  if (param === 'developer') return body.messages.some(message => message.role === 'developer');
  if (param === 'image_url') return body.messages.some(message => Array.isArray(message.content) && message.content.some((part: { type?: string }) => part.type === 'image_url'));
  if (param === 'reasoning_content') return body.messages.some(message => 'reasoning_content' in message);
  return body[param] !== undefined;
}

/** A thinking model's reply that thinks, then calls read_file on the workspace's src/a.ts. */
const thinkThenCall = (id: string): Reply => ({
  kind: 'stream',
  chunks: [
    chunk({ role: 'assistant', reasoning_content: 'Need the file.' }),
    chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }] }),
    chunk({}, 'tool_calls'),
  ],
});

describe('recorded rejections through the answer flow', () => {
  let server: OpenAITestServer;
  let root: string;
  let settings: Record<string, unknown>;
  let session: ChatSession;

  before(async () => {
    server = await OpenAITestServer.start();
    root = await makeFolder({ 'src/a.ts': 'export const a = 1;\n' });
  });
  after(async () => {
    await server.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.reset();
    const workspace = new NodeWorkspace([{ name: 'ws', path: root }]);
    session = new ChatSession({
      readSettings: () => validateSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...settings }),
      credentials: async () => ({ kind: 'key', apiKey: 'sk-unit-0000000000000000' }),
      hasApiKey: async () => true,
      createBackend: (s, key) => createChatBackend({ baseUrl: s.baseUrl, apiKey: key, timeoutMs: 5000, maxRetries: 0 }, s.stream),
      createToolbox: s => new Toolbox(workspace, new PathPolicy(workspace, s.tools.extraDeniedFiles)),
      post: () => undefined,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      library: new ConversationStore(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-rejections-')), { warn: () => undefined }),
      learnedRules: new LearnedRules(memoryRulesStore()),
    });
  });

  const last = (): AssistantEntry => session.conversation.entries.filter((e): e is AssistantEntry => e.kind === 'assistant').at(-1)!;
  const errors = () => session.conversation.entries.filter((e): e is ErrorEntry => e.kind === 'error');

  for (const { name, fixture } of rejectionRecordings()) {
    const { kind, param } = fixture.expect;
    it(name, async () => {
      // Only GPT-5.1+ and the o-series are sent reasoning_effort, and only DeepSeek, Kimi and GLM their thinking back
      // (after an earlier tool round); any other name is a gateway's model, sent max_tokens.
      const model = param === 'reasoning_effort' ? 'gpt-5.4' : param === 'reasoning_content' ? 'deepseek-v4-flash' : 'gateway-model';
      settings = { model, temperature: 0.3, topP: 0.9, maxTokens: 100, reasoningEffort: 'low', instructionRole: 'developer', contextWindow: 100_000 };
      if (param === 'reasoning_content') {
        server.enqueue(thinkThenCall('call_1'), textReply(['It exports a.']));
        await session.ask({ text: 'Read src/a.ts' });
        server.reset();
      }
      if (kind === 'context-length') {
        // Earlier turns to leave out: six long ones, then a window they no longer fit.
        for (let i = 0; i < 6; i++) {
          server.enqueue(textReply([`answer ${i} `.repeat(400)]));
          await session.ask({ text: `question ${i} `.repeat(400) });
        }
        server.reset();
        settings.contextWindow = 12_000;
      }
      server.enqueue({ kind: 'raw', status: fixture.status, headers: fixture.headers, body: fixture.body }, textReply(['fine']));
      await session.ask({ text: 'What is this?', images: param === 'image_url' ? [IMAGE] : [] });
      const [first, retry] = server.chatRequests() as Array<{ body: WireBody } | undefined>;
      assert.ok(first);

      if (kind === 'context-length') {
        assert.ok(retry, 'sent again');
        assert.ok(retry.body.messages.length < first.body.messages.length, 'with fewer earlier messages');
        assert.equal(last().text, 'fine');
        return;
      }
      // Comet never sends parallel_tool_calls; every other parameter the corpus names must be on the first request,
      // or this replay would test nothing.
      const carried = param !== undefined && onWire(first.body, param);
      assert.equal(carried, param !== undefined && param !== 'parallel_tool_calls', `the request carried ${param}`);
      if (kind === 'bad-parameter' && carried) {
        assert.ok(retry, `sent again without ${param}`);
        assert.equal(onWire(retry.body, param), false, `the retry no longer carries ${param}`);
        if (param === 'max_tokens') assert.equal(retry.body.max_completion_tokens, fixture.expect.reason === 'unsupported' ? 100 : undefined, 'renamed only when the name is refused');
        // Only the refused parameter changes (tools take their tool_choice along).
        const kept = ['temperature', 'top_p', 'max_tokens', 'reasoning_effort', 'tools', 'developer', 'reasoning_content'].filter(other => other !== param && !(param === 'tool_choice' && other === 'tools') && onWire(first.body, other));
        assert.deepEqual(kept.filter(other => !onWire(retry.body, other)), [], 'every other parameter is sent again');
        assert.equal(last().text, 'fine');
        assert.ok(last().notes?.length, 'the answer says what was changed');
        return;
      }
      assert.equal(retry, undefined, 'asked once');
      assert.equal(errors().length, 1);
    });
  }

  it('sends a later tool round refused for the thinking sent back again without it, and later answers\' rounds too', async () => {
    settings = { model: 'deepseek-v4-flash', contextWindow: 100_000 };
    const refusal = rejectionRecordings().find(({ fixture }) => fixture.expect.param === 'reasoning_content');
    assert.ok(refusal, 'the corpus has such a refusal');
    const refused: Reply = { kind: 'raw', status: refusal.fixture.status, headers: refusal.fixture.headers, body: refusal.fixture.body };
    server.enqueue(thinkThenCall('call_1'), refused, textReply(['It exports a.']));
    await session.ask({ text: 'Read src/a.ts' });
    const bodies = server.chatRequests().map(request => request.body as WireBody);
    assert.equal(bodies.length, 3);
    assert.equal(onWire(bodies[1], 'reasoning_content'), true, 'the second round carried the thinking');
    assert.equal(onWire(bodies[2], 'reasoning_content'), false, 'sent again without it');
    assert.deepEqual(bodies[2].messages.map(message => message.role), bodies[1].messages.map(message => message.role), 'the same round, sent again');
    assert.equal(last().text, 'It exports a.');
    assert.match(last().notes?.join(' ') ?? '', /reasoning_content/);
    assert.equal(errors().length, 0);

    server.reset();
    server.enqueue(thinkThenCall('call_2'), textReply(['Still a.']));
    await session.ask({ text: 'Read it again' });
    const next = server.chatRequests().map(request => request.body as WireBody);
    assert.equal(next.length, 2, 'learned: asked once per round');
    assert.equal(next.some(body => onWire(body, 'reasoning_content')), false);
    assert.equal(last().text, 'Still a.');
  });

  it('leaves a later round refused for what the first round carried and was answered with as the error it is', async () => {
    settings = { model: 'gateway-model', maxTokens: 100, contextWindow: 100_000 };
    const refusal = rejectionRecordings().find(({ fixture }) => fixture.expect.param === 'max_tokens' && fixture.expect.reason === 'unsupported');
    assert.ok(refusal, 'the corpus has such a refusal');
    server.enqueue(thinkThenCall('call_1'), { kind: 'raw', status: refusal.fixture.status, headers: refusal.fixture.headers, body: refusal.fixture.body });
    await session.ask({ text: 'Read src/a.ts' });
    assert.equal(server.chatRequests().length, 2, 'not sent again');
    assert.equal(errors().length, 1);
    server.reset();
    server.enqueue(textReply(['Fine.']));
    await session.ask({ text: 'And now?' });
    assert.equal(onWire(server.chatRequests()[0].body as WireBody, 'max_tokens'), true, 'nothing was learned');
  });
});
