// The recorded real traffic of test/fixtures/wire (many providers and gateways), replayed byte for byte into the chat
// panel of a real VS Code and read back as the user sees it: the answer's words, the reasoning, each tool call, the
// usage and finish reason in the footer, and the error, with the partial answer kept. The llm layer's own replay is
// test/unit/wireCorpus.test.ts; this one covers everything between the stream and the screen.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenAITestServer } from '../support/openaiTestServer';
import { nativeExpectation, replayOf, wireRecordings } from '../support/wireRecordings';
import { askComet, hasProviderApi, setUpComet, useCometSuite } from './helpers';
import { entries, evaluate, waitFor } from './webview';

const recordings = wireRecordings();

/** The newest answer as drawn: its body's text, reasoning, tool lines, footer and marks. */
interface ShownAnswer {
  body: string;
  reasoning: string;
  tools: string[];
  footer: string;
  refusal: boolean;
}

const SHOWN_ANSWER = `(() => {
  const answers = document.querySelectorAll('#messages [data-role=assistant]');
  const entry = answers[answers.length - 1];
  // An entry or block off screen skips rendering (content-visibility: auto), and its innerText is then empty: lay
  // them out for the read.
  const skipped = [entry, ...entry.querySelectorAll('.md-block')];
  const before = skipped.map(element => element.style.contentVisibility);
  skipped.forEach(element => (element.style.contentVisibility = 'visible'));
  const shown = {
    body: entry.querySelector('.markdown').innerText,
    reasoning: entry.querySelector('.reasoning').hidden ? '' : entry.querySelector('.reasoning-text').textContent,
    tools: Array.from(entry.querySelectorAll('[data-role=tool] .tool-name')).map(name => name.textContent),
    footer: entry.querySelector('.entry-footer').innerText,
    refusal: entry.classList.contains('refusal'),
  };
  skipped.forEach((element, at) => (element.style.contentVisibility = before[at]));
  return shown;
})()`;

/** Words (letters and digits) in order: markdown drops its syntax when drawn, and with it the numbers of an ordered
 *  list, a link's address and the tags of raw HTML (sanitized, their text kept), never the words. */
const words = (text: string): string[] => text.match(/[\p{L}\p{N}]+/gu) ?? [];
const drawnWords = (markdown: string): string[] => words(markdown
  .replace(/^ {0,3}\d{1,9}[.)](?=\s)/gm, '')
  .replace(/\]\([^)\s]*(?:\s+"[^"]*")?\)/g, ']')
  .replace(/<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?>/g, ' '));

/** The first of `wanted`'s words that `shown` lacks, in order (one pass over each), or undefined. */
function firstMissingWord(wanted: string, shown: string): string | undefined {
  const have = words(shown);
  let at = 0;
  for (const word of drawnWords(wanted)) {
    while (at < have.length && have[at] !== word) at++;
    if (at === have.length) return word;
    at++;
  }
  return undefined;
}

describe('recorded real traffic in the chat panel', () => {
  let server: OpenAITestServer;
  useCometSuite(started => (server = started), { closeEditors: true });

  for (const [index, { name, fixture }] of recordings.entries()) {
    const want = fixture.expect;
    const calls = want.toolCalls ?? [];
    it(name, async () => {
      server.enqueue(replayOf(fixture));
      // Comet answers the calls (none of these tools is Comet's, so each gets an error) and asks again.
      if (calls.length && !want.error) server.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body: AFTER_TOOLS, chunkSize: 64 });
      const question = `Recording ${index}`;
      await askComet(question, want.error ? 'error' : 'done');
      // A failure is an entry of its own after the answer's end.
      const failure = want.error && await waitFor('the error entry', async () => {
        const all = await entries();
        return all.slice(all.findLastIndex(entry => entry.role === 'user') + 1).find(entry => entry.role === 'error')?.text;
      });
      const shown = await evaluate<ShownAnswer>(SHOWN_ANSWER);
      const missing = firstMissingWord(want.text ?? '', shown.body);
      assert.equal(missing, undefined, `the answer lacks "${missing}": ${JSON.stringify(shown.body.slice(0, 400))}`);
      if (!want.text && !calls.length) assert.equal(shown.body.trim(), '', 'no answer arrived, so none is drawn');
      assert.equal(shown.reasoning, want.reasoning ?? '');
      assert.equal(shown.refusal, Boolean(want.refusal));
      assert.deepEqual(shown.tools, calls.map(call => call.name));
      if (want.error) {
        assert.ok(failure?.includes(want.error.messageIncludes), `"${failure}" should include "${want.error.messageIncludes}"`);
        return;
      }
      if (calls.length) return; // The footer tells of the last round's request.
      assert.equal(shown.footer.includes('may be cut off'), Boolean(want.mayBeCut), shown.footer);
      if (want.usage) assert.ok(shown.footer.includes(`${want.usage.prompt_tokens} in · ${want.usage.completion_tokens} out`), shown.footer);
      const finish = want.finishReason;
      assert.equal(/finish: (\S+)/.exec(shown.footer)?.[1], finish && finish !== 'stop' ? finish : undefined, shown.footer);
    });
  }
});

// VS Code 1.104+: the same recordings through vscode.lm, as VS Code's chat (or any extension) gets them from Comet's
// model provider: the text parts exactly, the reasoning as thinking parts, each tool call once with its input
// parsed, a failure as the request's error.
describe('recorded real traffic in VS Code\'s chat (vscode.lm)', function () {
  let server: OpenAITestServer;
  let model: vscode.LanguageModelChat;
  // A proposal in @types/vscode, there at run time wherever the provider API is.
  let thinkingPart: new (...args: never[]) => { value: string | string[] };
  before(async function () {
    if (!hasProviderApi()) return this.skip();
    thinkingPart = (vscode as unknown as { LanguageModelThinkingPart: typeof thinkingPart }).LanguageModelThinkingPart;
    assert.equal(typeof thinkingPart, 'function', 'VS Code has LanguageModelThinkingPart');
    server = await setUpComet();
    model = await waitFor('the Comet model gpt-5.4-mini', async () => (await vscode.lm.selectChatModels({ vendor: 'comet', id: 'gpt-5.4-mini' }))[0]);
  });
  after(() => server?.close());
  beforeEach(() => server?.reset());

  for (const { name, fixture } of recordings) {
    it(name, async () => {
      server.enqueue(replayOf(fixture));
      const want = nativeExpectation(fixture.expect);
      let text = '';
      let reasoning = '';
      const calls: Array<{ id: string; name: string; input: object }> = [];
      let error: unknown;
      try {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {});
        for await (const part of response.stream) {
          if (part instanceof vscode.LanguageModelTextPart) text += part.value;
          else if (part instanceof vscode.LanguageModelToolCallPart) calls.push({ id: part.callId, name: part.name, input: part.input });
          else if (part instanceof thinkingPart) reasoning += [part.value].flat().join('');
        }
      } catch (thrown) {
        error = thrown;
      }
      assert.equal(text, want.text);
      assert.equal(reasoning, want.reasoning);
      if (want.error) {
        assert.ok(error instanceof Error && error.message.includes(want.error), `"${String(error)}" should include "${want.error}"`);
        return;
      }
      assert.equal(error, undefined, `unexpected error: ${String(error)}`);
      assert.deepEqual(calls, want.calls);
    });
  }
});

const AFTER_TOOLS = [
  'data: {"id":"after","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Tools answered."},"finish_reason":null}]}',
  'data: {"id":"after","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
  'data: [DONE]',
  '',
].join('\n\n');
