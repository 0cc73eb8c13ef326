// Issue 10 in a real VS Code, the tools half: a reply with dozens of tool calls runs a bounded number of ripgrep
// processes, and a minified one-line file comes back to the model in bounded pieces.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setUpComet, workspaceFile } from './helpers';


/**
 * Samples, from a process of its own (the extension host's timers would starve while it works), how many of Comet's
 * ripgrep searches the extension host runs at once, until `stop` is called; resolves to the most seen, with their
 * command lines. VS Code's own searches run ripgrep from the extension host too (in one run on 1.100 a `--files`
 * listing of the tsconfig files was a fifth): Comet's search passes `--context-separator`, which they never do.
 */
function sampleRipgrepProcesses(): { stop(): Promise<{ most: number; commands: string[] }> } {
  const script = `
    const fs = require('fs');
    let most = 0;
    let commands = [];
    const count = () => {
      const seen = [];
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\\d+$/.test(pid)) continue;
        try {
          const m = /^\\d+ \\((.*)\\) \\S+ (\\d+)/.exec(fs.readFileSync('/proc/' + pid + '/stat', 'utf8'));
          if (!m || m[1] !== 'rg' || Number(m[2]) !== ${process.pid}) continue;
          const args = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
          if (args.includes('--context-separator')) seen.push(args.join(' ').slice(0, 300));
        } catch {}
      }
      if (seen.length > most) {
        most = seen.length;
        commands = seen;
      }
    };
    const timer = setInterval(count, 1);
    process.stdin.on('data', () => { clearInterval(timer); process.stdout.write(JSON.stringify({ most, commands })); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  let out = '';
  child.stdout.on('data', part => (out += part));
  return {
    stop: () => new Promise(resolve => {
      child.on('exit', () => resolve(out ? JSON.parse(out) : { most: 0, commands: [] }));
      child.stdin.write('stop\n');
    }),
  };
}

describe('tool bounds in a real VS Code', function () {
  this.timeout(180_000);
  let server: OpenAITestServer;
  const made: string[] = [];

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    for (const item of made) fs.rmSync(item, { recursive: true, force: true });
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  it('runs 16 of the 40 searches a reply asks for, never more than 4 ripgrep processes at once', async () => {
    // Enough files that each search takes a moment, so the sampling can see the processes.
    const tree = workspaceFile('generated-tree').fsPath;
    made.push(tree);
    for (let d = 0; d < 40; d++) {
      fs.mkdirSync(path.join(tree, `d${d}`), { recursive: true });
      for (let f = 0; f < 50; f++) fs.writeFileSync(path.join(tree, `d${d}`, `f${f}.txt`), `line ${d} ${f}\n`.repeat(2000));
    }
    const calls = Array.from({ length: 40 }, (_, i) => ({ id: `call_${i}`, name: 'search', args: { query: `line ${i} 49`, include: 'generated-tree/**' } }));
    server.enqueue(toolCallReply(calls), textReply(['Searched.']));
    const sampler = sampleRipgrepProcesses();
    let most = 0;
    let commands: string[] = [];
    try {
      await askComet('Search for all of these', 'done', 120_000);
    } finally {
      ({ most, commands } = await sampler.stop());
    }
    const tools = server.chatRequests()[1].body.messages.filter((m: { role: string }) => m.role === 'tool');
    assert.equal(tools.length, 40, 'every call got an answer');
    assert.equal(tools.filter((m: { content: string }) => !m.content.startsWith('Error:')).length, 16);
    assert.ok(most >= 1 && most <= 4, `${most} ripgrep processes at once:\n${commands.join('\n')}`);
  });

  it('reads and searches a minified one-line file in bounded pieces', async () => {
    const file = workspaceFile('dist-min/app.min.js').fsPath;
    made.push(path.dirname(file));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 1.4 MB on one line: under ripgrep's 2 MB file limit, far over any line bound.
    fs.writeFileSync(file, `!function(){${'var q=1;'.repeat(180_000)}/*needle*/}();`);
    server.enqueue(
      toolCallReply([
        { id: 'call_read', name: 'read_file', args: { path: 'dist-min/app.min.js' } },
        { id: 'call_search', name: 'search', args: { query: 'needle', include: 'dist-min/**' } },
      ]),
      textReply(['Bounded.']),
    );
    await askComet('Look at the bundle', 'done', 120_000);
    const tools: Array<{ tool_call_id: string; content: string }> = server.chatRequests()[1].body.messages.filter((m: { role: string }) => m.role === 'tool');
    const read = tools.find(m => m.tool_call_id === 'call_read')!;
    const search = tools.find(m => m.tool_call_id === 'call_search')!;
    assert.ok(read.content.length < 5000 && /more characters on this line/.test(read.content), read.content.slice(0, 300));
    assert.ok(search.content.length < 2000 && /app\.min\.js:1:/.test(search.content), search.content.slice(0, 300));
  });
});
