// Each bound on tool output and tool calls, with its pathological input: large enough that an unbounded or quadratic
// path would be caught (a 15 MB one-line file, a 600 KB match, 22,000 included files, 120 calls, a catastrophic regex).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_TOOL_CALLS_PER_REPLY, runTurn, TOOL_CONCURRENCY } from '../../../src/core/chatTurn';
import { MAX_TOOL_OUTPUT_CHARS } from '../../../src/core/tools/outputLimits';
import { defineTool } from '../../../src/core/tools/tool';
import { PathPolicy, Toolbox } from '../../../src/core/tools/toolbox';
import { STREAM_OPENED, type ChatBackend } from '../../../src/llm/chatClient';
import { RegexWorker } from '../../../src/node/regexWorker';
import { makeFolder, NodeWorkspace } from '../../support/nodeWorkspace';

const never = new AbortController().signal;

describe('bounds on tool output and tool calls', function () {
  this.timeout(120_000);
  let root: string;
  let toolbox: Toolbox;
  const call = (name: string, args: object) => toolbox.run({ id: 'c', name, arguments: JSON.stringify(args) }, never);

  before(async () => {
    root = await makeFolder({
      'dist/bundle.min.js': `var a=1;${'x=x+1;'.repeat(2_500_000)}/*needle*/`,
      'wide.txt': `start ${'y'.repeat(600_000)} needle ${'z'.repeat(10_000)}\nshort line\n`,
    });
    const workspace = new NodeWorkspace([{ name: 'ws', path: root }]);
    toolbox = new Toolbox(workspace, new PathPolicy(workspace));
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  it('read_file cuts even the first line of a 15 MB one-line file, and says how to find more', async () => {
    const result = await call('read_file', { path: 'dist/bundle.min.js' });
    assert.equal(result.ok, true);
    assert.ok(result.content.length < 5000, `${result.content.length} characters`);
    assert.match(result.content, /more characters on this line/);
    assert.match(result.content, /longer than 2000 characters and cut.*Use search/);
  });

  it('search cuts a 600 KB matching line', async () => {
    const result = await call('search', { query: 'needle', include: 'wide.txt' });
    assert.equal(result.ok, true);
    assert.ok(result.content.length < 2000, `${result.content.length} characters`);
    assert.match(result.content, /^wide\.txt:1: start y+… \[more characters on this line\]$/m);
  });

  it('no tool result is longer than the cap, whatever the tool returns', async () => {
    const workspace = new NodeWorkspace([{ name: 'ws', path: root }]);
    const flood = defineTool({
      name: 'flood',
      description: '',
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      run: async () => ({ content: 'line of output\n'.repeat(400_000), summary: 'a lot' }),
    });
    const box = new Toolbox(workspace, new PathPolicy(workspace), [flood]);
    const result = await box.run({ id: 'f', name: 'flood', arguments: '{}' }, never);
    assert.ok(result.content.length <= MAX_TOOL_OUTPUT_CHARS + 200, `${result.content.length} characters`);
    assert.match(result.content, /\[Output cut at \d+ of 6000000 characters\. Ask for less/);
  });

  it('search takes an include that matches 22,000 files, far past a command line, and finds the last one', async () => {
    const many = await fs.mkdtemp(path.join(os.tmpdir(), 'comet-many-'));
    try {
      const deep = 'a-rather-long-folder-name-to-fill-the-command-line/another-long-folder-name-for-good-measure';
      await fs.mkdir(path.join(many, deep), { recursive: true });
      for (let i = 0; i < 22_000; i += 1000) {
        await Promise.all(Array.from({ length: 1000 }, (_, j) => fs.writeFile(path.join(many, deep, `file-${String(i + j).padStart(6, '0')}.txt`), i + j === 21_999 ? 'the needle' : 'hay')));
      }
      const workspace = new NodeWorkspace([{ name: 'many', path: many }]);
      const box = new Toolbox(workspace, new PathPolicy(workspace));
      const result = await box.run({ id: 's', name: 'search', arguments: JSON.stringify({ query: 'needle', include: '**/*.txt' }) }, never);
      assert.equal(result.ok, true, result.content);
      assert.match(result.content, /file-021999\.txt:1: the needle/);
    } finally {
      await fs.rm(many, { recursive: true, force: true });
    }
  });

  it('runs at most 16 of 120 tool calls in one reply, 4 at a time, and answers every call', async () => {
    let running = 0;
    let most = 0;
    const calls = Array.from({ length: 120 }, (_, i) => ({ index: i, id: `call_${i}`, type: 'function', function: { name: 'search', arguments: '{"query":"x"}' } }));
    let round = 0;
    const backend: ChatBackend = async function* () {
      yield STREAM_OPENED;
      if (round++ === 0) yield { choices: [{ index: 0, delta: { tool_calls: calls }, finish_reason: 'tool_calls' }] };
      else yield { choices: [{ index: 0, delta: { content: 'done' }, finish_reason: 'stop' }] };
    };
    const result = await runTurn({
      backend,
      body: { model: 'm', messages: [{ role: 'user', content: 'go' }] },
      signal: never,
      idleTimeoutMs: 10_000,
      onDelta: () => undefined,
      onToolCall: () => undefined,
      tools: {
        maxRounds: 4,
        run: async () => {
          most = Math.max(most, ++running);
          await new Promise(resolve => setTimeout(resolve, 10));
          running--;
          return { ok: true, content: 'ok', summary: 'ok' };
        },
      },
    });
    const toolMessages = result.transcript.filter(m => m.role === 'tool');
    assert.equal(toolMessages.length, 120, 'every call has an answer');
    assert.deepEqual(toolMessages.map(m => (m.role === 'tool' ? m.tool_call_id : '')), calls.map(c => c.id));
    assert.equal(toolMessages.filter(m => m.content === 'ok').length, MAX_TOOL_CALLS_PER_REPLY);
    assert.match(String(toolMessages.at(-1)?.content), /asked for 120 tool calls; only the first 16 ran/);
    assert.ok(most <= TOOL_CONCURRENCY && most > 1, `${most} at once`);
  });

  it('stops a catastrophic regex in its worker, and the host thread stays free meanwhile', async () => {
    const worker = new RegexWorker(/(a+)+$/, 500);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    try {
      await assert.rejects(worker.search([{ path: '/w/evil.txt', text: `${'a'.repeat(40)}!` }], 1, 10), /took longer than 0\.5 s and was stopped/);
      assert.ok(ticks >= 10, `the host thread ticked ${ticks} times`);
      const ok = new RegexWorker(/ne+dle/);
      assert.deepEqual((await ok.search([{ path: '/w/a.txt', text: 'hay\nneedle\nhay' }], 1, 10)).map(m => [m.line, m.text, m.before, m.after]), [[2, 'needle', ['hay'], ['hay']]]);
      ok.dispose();
    } finally {
      clearInterval(ticker);
      worker.dispose();
    }
  });
});
