// The tool loop end to end under mocha: the real SDK streams tool calls from the loopback server, the real tools run
// on a temporary folder, and the results go back as `tool` messages until the model answers in text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../../src/node/conversationStore';

import { ChatSession } from '../../src/core/chatSession';
import { UNFINISHED_ANSWER } from '../../src/core/conversation';
import { validateSettings } from '../../src/core/settings';
import { PathPolicy, Toolbox } from '../../src/core/tools/toolbox';
import { createChatBackend } from '../../src/llm/chatClient';
import type { AssistantEntry, HostToWebview } from '../../src/shared/protocol';
import { chunk, OpenAITestServer, textReply, toolCallReply } from '../support/openaiTestServer';
import { makeFolder, NodeWorkspace } from '../support/nodeWorkspace';

describe('tool loop against the loopback server', () => {
  let server: OpenAITestServer;
  let root: string;
  let posted: HostToWebview[];
  let overrides: Record<string, unknown>;
  let session: ChatSession;

  before(async () => {
    server = await OpenAITestServer.start();
    root = await makeFolder({ 'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n', 'docs/guide.md': 'Use add() to add.\n' });
  });
  after(async () => {
    await server.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.reset();
    posted = [];
    overrides = {};
    const workspace = new NodeWorkspace([{ name: 'ws', path: root }]);
    session = new ChatSession({
      readSettings: () => validateSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...overrides }),
      credentials: async () => ({ kind: 'key', apiKey: 'sk-test-key-000000000000' }),
      hasApiKey: async () => true,
      createBackend: (settings, key) => createChatBackend({ baseUrl: settings.baseUrl, apiKey: key, timeoutMs: 10_000, maxRetries: 0 }, settings.stream),
      createToolbox: settings => new Toolbox(workspace, new PathPolicy(workspace, settings.tools.extraDeniedFiles)),
      post: message => posted.push(message),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      library: new ConversationStore(fs.mkdtempSync(path.join(os.tmpdir(), 'comet-session-')), { warn: () => undefined }),
    });
  });

  const assistant = () => session.conversation.entries.filter((e): e is AssistantEntry => e.kind === 'assistant').at(-1)!;
  const toolUpdates = () => posted.flatMap(m => (m.type === 'toolCallUpdated' ? [m.call] : []));

  it('offers the tools, runs a read_file call and sends the result back with its tool_call_id', async () => {
    server.enqueue(toolCallReply([{ id: 'call_read', name: 'read_file', args: { path: 'src/math.ts' } }]), textReply(['add() sums ', 'two numbers.']));
    await session.ask({ text: 'What does add do?' });

    const [first, second] = server.chatRequests().map(r => r.body);
    assert.deepEqual(first.tools.map((t: { function: { name: string } }) => t.function.name), ['read_file', 'search', 'list_files']);
    assert.equal(first.tool_choice, 'auto');
    const tail = second.messages.slice(-2);
    assert.deepEqual(tail[0], {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_read', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/math.ts"}' } }],
    });
    assert.equal(tail[1].role, 'tool');
    assert.equal(tail[1].tool_call_id, 'call_read');
    assert.match(tail[1].content, /1\texport const add = \(a: number, b: number\) => a \+ b;/);
    assert.equal(assistant().text, 'add() sums two numbers.');
    assert.equal(assistant().state, 'done');
    assert.deepEqual(assistant().tools?.map(t => [t.name, t.state, t.summary]), [['read_file', 'done', '1 line']]);
  });

  it('runs parallel calls and answers each by its id', async () => {
    server.enqueue(
      toolCallReply([{ id: 'call_a', name: 'read_file', args: { path: 'docs/guide.md' } }, { id: 'call_b', name: 'search', args: { query: 'add' } }]),
      textReply(['Done.']),
    );
    await session.ask({ text: 'Look around' });
    const messages = server.chatRequests()[1].body.messages;
    const tools = messages.filter((m: { role: string }) => m.role === 'tool');
    assert.deepEqual(tools.map((m: { tool_call_id: string }) => m.tool_call_id), ['call_a', 'call_b']);
    assert.match(tools[0].content, /Use add\(\) to add\./);
    assert.match(tools[1].content, /src\/math\.ts:1:/);
  });

  it('keeps the tool rounds in the history of the next question', async () => {
    server.enqueue(toolCallReply([{ id: 'c1', name: 'list_files', args: {} }]), textReply(['Two files.']), textReply(['Sure.']));
    await session.ask({ text: 'What is here?' });
    await session.ask({ text: 'Thanks' });
    const roles = server.chatRequests()[2].body.messages.map((m: { role: string }) => m.role);
    assert.deepEqual(roles, ['developer', 'user', 'assistant', 'tool', 'assistant', 'user']);
  });

  it('returns an error to the model for an escape attempt and reads nothing outside', async () => {
    server.enqueue(toolCallReply([{ id: 'evil', name: 'read_file', args: { path: '../../etc/passwd' } }]), textReply(['I cannot.']));
    await session.ask({ text: 'read passwd' });
    const tool = server.chatRequests()[1].body.messages.at(-1);
    assert.equal(tool.tool_call_id, 'evil');
    assert.match(tool.content, /^Error: .*leaves the workspace/);
    assert.doesNotMatch(tool.content, /root:/);
    assert.equal(toolUpdates().at(-1)?.state, 'error');
  });

  it('gives calls without ids ids of their own across rounds, so every result answers its call', async () => {
    const noId = (name: string, args: object) => ({
      kind: 'stream' as const,
      chunks: [chunk({ tool_calls: [{ type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls')],
    });
    server.enqueue(noId('list_files', {}), noId('read_file', { path: 'docs/guide.md' }), textReply(['Done.']));
    await session.ask({ text: 'two rounds' });
    const messages = server.chatRequests()[2].body.messages;
    const callIds = messages.flatMap((m: { tool_calls?: Array<{ id: string }> }) => (m.tool_calls ?? []).map(c => c.id));
    const answered = messages.filter((m: { role: string }) => m.role === 'tool').map((m: { tool_call_id: string }) => m.tool_call_id);
    assert.equal(new Set(callIds).size, 2);
    assert.deepEqual(answered, callIds);
    assert.deepEqual(assistant().tools?.map(t => t.name), ['list_files', 'read_file']);
  });

  it('gives a Mistral model the calls Comet named itself, in a later round, in its nine-character form', async () => {
    overrides = { model: 'mistral-small-latest' };
    server.enqueue(toolCallReply([{ id: '', name: 'list_files', args: {} }]), textReply(['Two files.']));
    await session.ask({ text: 'What is here?' });
    const [assistantMessage, toolMessage] = (server.chatRequests()[1].body.messages as Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string }>).slice(-2);
    const id = assistantMessage.tool_calls?.[0].id ?? '';
    assert.match(id, /^[a-zA-Z0-9]{9}$/);
    assert.equal(toolMessage.tool_call_id, id, 'the result answers the same call');
    assert.equal(assistant().text, 'Two files.');
  });

  it('ends with a visible note when the round limit is hit', async () => {
    overrides = { 'tools.maxRounds': 2 };
    const again = () => toolCallReply([{ id: `c${Math.random()}`, name: 'list_files', args: {} }]);
    server.enqueue(again(), again(), again(), again());
    await session.ask({ text: 'loop forever' });
    assert.equal(server.chatRequests().length, 3);
    assert.equal(assistant().state, 'done');
    assert.match(assistant().notice ?? '', /Stopped after 2 tool rounds \(comet\.tools\.maxRounds\)/);
    // The next question does not follow the tool results directly (Mistral refuses a user message after a tool's).
    server.reset();
    server.enqueue(textReply(['Fine.']));
    await session.ask({ text: 'Stop looping' });
    const messages = server.chatRequests()[0].body.messages as Array<{ role: string; content: unknown }>;
    assert.deepEqual(messages.slice(-3).map(m => m.role), ['tool', 'assistant', 'user']);
    assert.equal(messages.at(-2)?.content, UNFINISHED_ANSWER);
    assert.equal(messages.filter(m => m.content === UNFINISHED_ANSWER).length, 1);
  });

  it('sends no tools when comet.tools.enabled is off', async () => {
    overrides = { 'tools.enabled': false };
    await session.ask({ text: 'hi' });
    assert.equal('tools' in server.chatRequests()[0].body, false);
  });

  it('with approval ask, waits for the user, and a denial goes back to the model', async () => {
    overrides = { 'tools.approval': 'ask' };
    server.enqueue(toolCallReply([{ id: 'ask1', name: 'read_file', args: { path: 'src/math.ts' } }]), textReply(['OK, I will not.']));
    const done = session.ask({ text: 'read it' });
    const waiting = await until(() => toolUpdates().find(c => c.state === 'awaiting-approval'));
    assert.equal(server.chatRequests().length, 1, 'nothing runs before the decision');
    session.decideTool(waiting.id, false);
    await done;
    const tool = server.chatRequests()[1].body.messages.at(-1);
    assert.match(tool.content, /^Error: the user denied this tool call/);
    assert.equal(toolUpdates().at(-1)?.state, 'denied');
  });

  it('Stop while a call awaits approval ends the turn as stopped', async () => {
    overrides = { 'tools.approval': 'ask' };
    server.enqueue(toolCallReply([{ id: 'ask2', name: 'read_file', args: { path: 'src/math.ts' } }]));
    const done = session.ask({ text: 'read it' });
    await until(() => toolUpdates().find(c => c.state === 'awaiting-approval'));
    session.stop();
    await done;
    assert.equal(assistant().state, 'stopped');
    assert.equal(toolUpdates().at(-1)?.state, 'cancelled');
    assert.equal(server.chatRequests().length, 1);
  });
});

async function until<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

