// The context budget and parameter adaptation as a user meets them in a real VS Code, against the loopback server:
// a long chat under a small configured window (every request measured by characters / 4, not Comet's estimator),
// and 400s for temperature, max_tokens and the developer role, each followed by one successful retry with a note.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { OpenAITestServer, textReply, type RecordedRequest } from '../support/openaiTestServer';
import { newChat, setSetting, setUpComet } from './helpers';
import { entries, evaluate, screenshot, waitFor } from './webview';

const reject = (error: object) => ({ kind: 'json' as const, status: 400, body: { error } });

/** Tokens of a recorded request by a measure Comet does not use: its messages and tools as JSON, 4 characters a token. */
function charsOver4(request: RecordedRequest): number {
  return Math.ceil(JSON.stringify({ messages: request.body.messages, tools: request.body.tools ?? [] }).length / 4);
}

async function askAndWait(question: string): Promise<string> {
  const before = (await entries()).filter(e => e.role === 'assistant').length;
  await vscode.commands.executeCommand('comet.ask', question);
  await waitFor('the answer', async () => (await entries()).filter(e => e.role === 'assistant' && e.state === 'done').length > before, 60_000);
  return (await entries()).filter(e => e.role === 'assistant').at(-1)?.text ?? '';
}

describe('Context window and parameter adaptation in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    for (const key of ['contextWindow', 'temperature', 'maxTokens', 'instructionRole', 'model']) await setSetting(key, undefined);
    await vscode.commands.executeCommand('comet.resetLearnedModelRules');
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await vscode.commands.executeCommand('comet.resetLearnedModelRules');
    await newChat();
    await waitFor('an empty chat', async () => (await entries()).length === 0);
  });

  it('a long chat under a small window: every request fits, and the answer says how many earlier messages were not sent', async () => {
    const window = 3000;
    await setSetting('contextWindow', window);
    let last = '';
    for (let i = 0; i < 8; i++) {
      server.enqueue(textReply([`Answer ${i}: ${'details of the answer '.repeat(40)}`]));
      last = await askAndWait(`Question ${i}: ${'tell me more about this part '.repeat(30)}`);
    }
    const requests = server.chatRequests();
    assert.equal(requests.length, 8);
    for (const request of requests) assert.ok(charsOver4(request) <= window, `a request of ~${charsOver4(request)} tokens for a ${window}-token window`);
    assert.ok(requests.at(-1)!.body.messages.length < 2 * 8, 'older turns were left out');
    assert.match(last, /\d+ earlier messages not sent/);
    assert.match(last, /\/ 3k context/);
    await screenshot('chat-context-marker.png', '.part.sidebar');
    await setSetting('contextWindow', undefined);
  });

  it('Condense Conversation asks for a summary, which then goes with later requests', async () => {
    server.enqueue(textReply(['First answer.']), textReply(['Summary: we talked about X.']), textReply(['Later.']));
    await askAndWait('Tell me about X');
    const before = (await entries()).filter(e => e.role === 'assistant').length;
    await vscode.commands.executeCommand('comet.condenseConversation');
    await waitFor('the summary', async () => (await entries()).filter(e => e.role === 'assistant' && e.state === 'done').length > before, 60_000);
    assert.match(server.chatRequests()[1].body.messages.at(-1).content, /^Condense our conversation so far/);
    await askAndWait('And now?');
    const later = server.chatRequests()[2].body.messages.map((m: { content: string }) => m.content);
    assert.ok(later.includes('Summary: we talked about X.'));
  });

  it("takes the window from the endpoint's GET /models and says so beside the answer's usage, without holding the first question for the listing", async () => {
    const gateway = await OpenAITestServer.start();
    try {
      gateway.modelFields = { 'gpt-5.4-mini': { top_provider: { context_length: 64_000 } } };
      // Slow to list, but within the 3 s a question could wait: a question that waited would show 64k already.
      gateway.modelsDelayMs = 1500;
      await setSetting('baseUrl', gateway.baseUrl);
      const metricsTitle = () => evaluate<string>(`Array.from(document.querySelectorAll('[data-role=assistant] [data-role=metrics]')).at(-1)?.title ?? ''`);
      gateway.enqueue(textReply(['Hello.']));
      const first = await askAndWait('Hi');
      assert.match(first, /\/ 272k context/, 'the first question went on with the window of its model family');
      assert.match(await metricsTitle(), /272000 tokens, from the table of known models/);

      await waitFor('the listing', async () => gateway.listingsServed > 0, 10_000);
      gateway.enqueue(textReply(['Hello again.']));
      const second = await askAndWait('Hi again');
      assert.match(second, /\/ 64k context/);
      assert.match(await metricsTitle(), /64000 tokens, from the endpoint's GET \/models/);
    } finally {
      await setSetting('baseUrl', server.baseUrl);
      await gateway.close();
    }
  });

  it('a 400 for temperature: one retry without it, a note, and the next request goes without it from the start', async () => {
    await setSetting('temperature', 0.2);
    server.enqueue(
      reject({ message: "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' }),
      textReply(['Answered without temperature.']),
      textReply(['Second answer.']),
      textReply(['Third answer.']),
    );
    const first = await askAndWait('First question');
    assert.match(first, /Answered without temperature\./);
    assert.match(first, /This model doesn't take temperature: sent without it/);
    const [rejected, retried] = server.chatRequests();
    assert.equal(rejected.body.temperature, 0.2);
    assert.equal('temperature' in retried.body, false);
    assert.equal((await entries()).filter(e => e.role === 'error').length, 0);
    await screenshot('chat-adaptation-note.png', '.part.sidebar');

    await askAndWait('Second question');
    assert.equal(server.chatRequests().length, 3);
    assert.equal('temperature' in server.chatRequests()[2].body, false);

    const forgotten = (await vscode.commands.executeCommand('comet.resetLearnedModelRules')) as string[];
    assert.equal(forgotten.length, 1);
    assert.match(forgotten[0], /send no temperature/);
    await askAndWait('Third question');
    assert.equal(server.chatRequests()[3].body.temperature, 0.2, 'after the reset the setting goes again');
    await setSetting('temperature', undefined);
  });

  it('a 400 for max_tokens: the retry sends max_completion_tokens, and so does the next request', async () => {
    await setSetting('model', 'gateway-alias-of-a-new-model');
    await setSetting('maxTokens', 300);
    server.enqueue(
      reject({ message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' }),
      textReply(['Fine.']),
      textReply(['Again fine.']),
    );
    const first = await askAndWait('Question');
    assert.match(first, /This model doesn't take max_tokens: sent max_completion_tokens instead/);
    const [rejected, retried] = server.chatRequests();
    assert.equal(rejected.body.max_tokens, 300);
    assert.equal(retried.body.max_completion_tokens, 300);
    assert.equal('max_tokens' in retried.body, false);
    await askAndWait('Next question');
    assert.equal(server.chatRequests().length, 3);
    assert.equal(server.chatRequests()[2].body.max_completion_tokens, 300);
    await setSetting('maxTokens', undefined);
    await setSetting('model', undefined);
  });

  it('a 400 for the developer role: the retry sends the instruction as system, and so does the next request', async () => {
    await setSetting('instructionRole', 'developer');
    server.enqueue(
      reject({ message: "invalid parameter 'messages[0].role': invalid role 'developer', must be one of: system, user, assistant, tool", type: 'gateway_error', param: '', code: '400002' }),
      textReply(['Fine.']),
      textReply(['Again fine.']),
    );
    const first = await askAndWait('Question');
    assert.match(first, /doesn't take the developer role: the instruction went as a system message/);
    const [rejected, retried] = server.chatRequests();
    assert.equal(rejected.body.messages[0].role, 'developer');
    assert.equal(retried.body.messages[0].role, 'system');
    await askAndWait('Next question');
    assert.equal(server.chatRequests().length, 3);
    assert.equal(server.chatRequests()[2].body.messages[0].role, 'system');
    await setSetting('instructionRole', undefined);
  });
});
