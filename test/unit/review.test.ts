// The review's structured output: the schema, the check of what a model sends back, where findings land in the file,
// and the fallback chain json_schema -> json_object -> text against the real loopback server and the real SDK.
import * as assert from 'node:assert/strict';
import { parseReview, REVIEW_SCHEMA, type Finding } from '../../src/core/review/findingSchema';
import { afterEdit, placeFindings } from '../../src/core/review/findingRanges';
import { requestReview, type ReviewDeps } from '../../src/core/review/reviewRequest';
import { validateSettings, type Settings } from '../../src/core/settings';
import { createCompletionBackend } from '../../src/llm/completionClient';
import { completionReply, OpenAITestServer, unsupportedFormatReply } from '../support/openaiTestServer';

const finding = (over: Partial<Finding> = {}): Finding => ({ startLine: 3, endLine: 3, severity: 'warning', message: 'Off by one.', replacement: 'i <= n', ...over });
const reply = (findings: unknown[]) => JSON.stringify({ findings });

describe('the review schema', () => {
  it('is strict: every property required, nothing else allowed, a missing fix is null', () => {
    const item = REVIEW_SCHEMA.properties.findings.items;
    assert.deepEqual([...item.required].sort(), Object.keys(item.properties).sort());
    assert.equal(item.additionalProperties, false);
    assert.equal(REVIEW_SCHEMA.additionalProperties, false);
    assert.deepEqual(item.properties.replacement.type, ['string', 'null']);
    assert.deepEqual([...item.properties.severity.enum], ['error', 'warning', 'info']);
  });

  it('accepts a reply that fits, with and without fixes', () => {
    const parsed = parseReview(reply([finding(), finding({ startLine: 5, endLine: 6, severity: 'error', replacement: null })]));
    assert.ok(parsed.ok);
    assert.equal(parsed.findings.length, 2);
    assert.equal(parsed.findings[1].replacement, null);
  });

  it('finds the JSON inside a fence or a sentence (text mode)', () => {
    const fenced = parseReview('Here is the review:\n```json\n' + reply([finding()]) + '\n```\nHope it helps.');
    assert.ok(fenced.ok && fenced.findings.length === 1);
    const inline = parseReview('Sure! ' + reply([]) + ' Done.');
    assert.ok(inline.ok && inline.findings.length === 0);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['prose', 'The code looks fine to me.', /not JSON/],
    ['broken JSON', '{"findings": [', /not valid JSON/],
    ['an array', '[]', /not JSON|not a JSON object/],
    ['no findings', '{"issues": []}', /unexpected properties|"findings" is missing/],
    ['a missing field', reply([{ startLine: 1, endLine: 1, severity: 'info', message: 'x' }]), /finding 1 lacks replacement/],
    ['an extra field', reply([{ ...finding(), column: 4 }]), /unexpected properties \(column\)/],
    ['line 0', reply([finding({ startLine: 0 })]), /not a positive integer/],
    ['a fractional line', reply([finding({ endLine: 3.5 })]), /not a positive integer/],
    ['an inverted range', reply([finding({ startLine: 6, endLine: 4 })]), /ends \(line 4\) before it starts \(line 6\)/],
    ['an unknown severity', reply([{ ...finding(), severity: 'critical' }]), /severity "critical"/],
    ['an empty message', reply([finding({ message: ' ' })]), /no message/],
    ['a numeric fix', reply([{ ...finding(), replacement: 42 }]), /neither text nor null/],
  ];
  for (const [what, text, problem] of invalid) {
    it(`refuses ${what}, saying why`, () => {
      const parsed = parseReview(text);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { problem: string }).problem, problem);
    });
  }
});

describe('placing findings in the reviewed lines', () => {
  const reviewed = { startLine: 3, endLine: 10 };

  it('leaves out findings outside the reviewed lines, and those that straddle its edges', () => {
    const placed = placeFindings([finding(), finding({ startLine: 1, endLine: 1 }), finding({ startLine: 9, endLine: 12 }), finding({ startLine: 10, endLine: 10 })], reviewed);
    assert.deepEqual(placed.findings.map(f => f.startLine), [3, 10]);
    assert.deepEqual(placed.outside.map(f => f.startLine), [1, 9]);
  });

  it('keeps overlapping findings as diagnostics, but only the first fix of lines that overlap', () => {
    const placed = placeFindings(
      [finding({ startLine: 5, endLine: 7, message: 'Second', replacement: 'b' }), finding({ startLine: 4, endLine: 5, message: 'First', replacement: 'a' }), finding({ startLine: 6, endLine: 6, message: 'No fix', replacement: null })],
      reviewed,
    );
    assert.deepEqual(placed.findings.map(f => [f.message, f.replacement]), [['First', 'a'], ['Second', null], ['No fix', null]]);
    assert.equal(placed.conflictingFixes, 1);
  });

  it('drops a finding repeated on the same lines', () => {
    assert.equal(placeFindings([finding(), finding()], reviewed).findings.length, 1);
  });

  it('forgets findings whose lines are edited and moves those below with their lines', () => {
    const findings = [finding({ startLine: 2, endLine: 2 }), finding({ startLine: 5, endLine: 6 }), finding({ startLine: 9, endLine: 9 })];
    // Line 6 edited and two lines inserted there.
    const after = afterEdit(findings, { fromLine: 6, toLine: 6, insertedLineBreaks: 2 });
    assert.deepEqual(after.map(f => [f.startLine, f.endLine]), [[2, 2], [11, 11]]);
    // Lines 3-4 deleted (their text and one line break): the finding at 11 moves to 10.
    assert.deepEqual(afterEdit(after, { fromLine: 3, toLine: 4, insertedLineBreaks: 0 }).map(f => f.startLine), [2, 10]);
  });
});

describe('the review request and its fallbacks', () => {
  let server: OpenAITestServer;
  let settings: Settings;
  let deps: ReviewDeps;
  const KEY = 'Zq9-review-key-no-shape-77';
  const target = { path: 'src/math.ts', languageId: 'typescript', startLine: 3, endLine: 5, text: 'a\nb\nc\n' };
  const signal = () => new AbortController().signal;

  before(async () => {
    server = await OpenAITestServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    const result = validateSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    assert.ok(result.ok);
    settings = result.settings;
    deps = { settings, apiKey: KEY, backend: createCompletionBackend({ baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 10_000, maxRetries: 0 }) };
  });

  const formats = () => server.chatRequests().map(r => r.body.response_format?.type ?? 'none');

  it('asks for a strict json_schema, not streamed, with the numbered lines', async () => {
    server.enqueue(completionReply(reply([finding({ startLine: 4, endLine: 4 })])));
    const result = await requestReview(target, deps, signal());
    assert.ok(result.ok);
    assert.equal(result.mode, 'json_schema');
    assert.equal(result.findings[0].startLine, 4);
    const [request] = server.chatRequests();
    assert.equal(request.body.stream, false);
    assert.equal(request.body.response_format.json_schema.strict, true);
    assert.deepEqual(request.body.response_format.json_schema.schema, JSON.parse(JSON.stringify(REVIEW_SCHEMA)));
    const prompt: string = request.body.messages.at(-1).content;
    assert.match(prompt, /lines 3-5 of src\/math\.ts \(typescript\)/);
    assert.match(prompt, /3\| a\n4\| b\n5\| c\n/);
  });

  it('falls back to json_object with the schema in the instruction when json_schema is refused', async () => {
    server.enqueue(unsupportedFormatReply('json_schema'), completionReply(reply([])));
    const result = await requestReview(target, deps, signal());
    assert.ok(result.ok);
    assert.equal(result.mode, 'json_object');
    assert.deepEqual(formats(), ['json_schema', 'json_object']);
    assert.ok(server.chatRequests()[1].body.messages[0].content.includes('"additionalProperties":false'));
  });

  it('falls back to text, and checks the text against the schema, when json_object is refused too', async () => {
    server.enqueue(unsupportedFormatReply('json_schema'), unsupportedFormatReply('json_object'), completionReply('```json\n' + reply([finding()]) + '\n```'));
    const result = await requestReview(target, deps, signal());
    assert.ok(result.ok);
    assert.equal(result.mode, 'text');
    assert.deepEqual(formats(), ['json_schema', 'json_object', 'none']);
    assert.ok(server.chatRequests()[2].body.messages[0].content.includes('JSON schema'));
  });

  it('says what was wrong when every mode is refused', async () => {
    server.enqueue(unsupportedFormatReply('json_schema'), unsupportedFormatReply('json_object'), unsupportedFormatReply('text'));
    const result = await requestReview(target, deps, signal());
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /rejected the request/);
    assert.equal(server.chatRequests().length, 3);
  });

  it('ends with a clear message, and no findings, on a reply that is not JSON', async () => {
    server.enqueue(completionReply('Looks good to me!'));
    const result = await requestReview(target, deps, signal());
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /could not be used: the reply is not JSON.*Looks good to me!/);
    assert.equal(server.chatRequests().length, 1, 'invalid output is not retried in another mode');
  });

  it('names the token limit when the JSON was cut off there', async () => {
    server.enqueue(completionReply('{"findings": [{"startLine": 3,', { finishReason: 'length' }));
    const result = await requestReview(target, deps, signal());
    assert.match((result as { message: string }).message, /not valid JSON.*token limit/);
  });

  it('does not fall back on a failure that a plainer mode would not fix', async () => {
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Invalid token' } } });
    const result = await requestReview(target, deps, signal());
    assert.equal(result.ok, false);
    assert.equal(server.chatRequests().length, 1);
    assert.ok(!(result as { message: string }).message.includes(KEY));
  });

  it('ends cancelled when aborted mid-request', async () => {
    server.enqueue({ kind: 'silent' });
    const controller = new AbortController();
    const pending = requestReview(target, deps, controller.signal);
    await server.waitForChatRequests(1);
    controller.abort();
    const result = await pending;
    assert.deepEqual([result.ok, (result as { cancelled?: boolean }).cancelled], [false, true]);
  });
});
