// Secret files, .cometignore and escapes through the real tools in a real VS Code: fifty files where common tools keep
// credentials are put in the workspace, and neither read_file, search nor list_files shows a byte or a name of them,
// with VS Code's ripgrep or with the findFiles fallback. Globs that reach outside are refused by name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_TOOL_CALLS_PER_REPLY } from '../../src/core/chatTurn';
import { textReply, toolCallReply, type OpenAITestServer } from '../support/openaiTestServer';
import { SECRET_PATHS, secretToken } from '../support/secretFixtures';
import { askComet, newChat, setSetting, setUpComet, workspaceFile } from './helpers';


type Message = { role: string; content: string | null; tool_call_id?: string };
// A .git folder would wake VS Code's git extension; the unit tests cover .git/config.
// A top-level name the fixture workspace already has (its .env) is left as it is.
const secretsToMake = () =>
  SECRET_PATHS.map((file, index) => ({ file, token: secretToken(index) })).filter(
    s => !s.file.startsWith('.git/') && !fs.existsSync(workspaceFile(s.file.split('/')[0]).fsPath),
  );

describe('secret files and escapes in a real VS Code', () => {
  let server: OpenAITestServer;
  const made: string[] = [];
  let outside: string;
  let SECRETS: Array<{ file: string; token: string }> = [];

  const put = (relative: string, text: string) => {
    const file = workspaceFile(relative).fsPath;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    made.push(relative.split('/')[0]);
  };

  before(async () => {
    server = await setUpComet();
    SECRETS = secretsToMake();
    assert.ok(SECRETS.length >= 45, `${SECRETS.length} secret files to make`);
    for (const { file, token } of SECRETS) put(file, `password = ${token}\n`);
    put('.cometignore', '# hidden from every tool\nprivate-notes/\n');
    put('private-notes/plan.md', 'COMETIGNORED-PLAN\n');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-outside-dir-'));
    fs.writeFileSync(path.join(outside, 'loot.txt'), 'OUTSIDE-DIR-TOKEN\n');
    // A folder that is a link: one out of the workspace, one to the secret .aws folder under an innocent name.
    fs.symlinkSync(outside, workspaceFile('linked-out').fsPath);
    fs.symlinkSync(workspaceFile('.aws').fsPath, workspaceFile('innocent-dir').fsPath);
    made.push('linked-out', 'innocent-dir');
  });
  after(async () => {
    for (const top of new Set(made)) fs.rmSync(workspaceFile(top).fsPath, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await setSetting('tools.useRipgrep', undefined);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  /** Asks once with these tool calls; returns the tool messages the model got back, in call order. */
  // A reply runs at most MAX_TOOL_CALLS_PER_REPLY calls (issue 10's bound), so longer lists go as several questions.
  async function toolResults(calls: Array<{ name: string; args: object }>): Promise<string[]> {
    const results: string[] = [];
    for (let at = 0; at < calls.length; at += MAX_TOOL_CALLS_PER_REPLY) {
      server.reset();
      const batch = calls.slice(at, at + MAX_TOOL_CALLS_PER_REPLY);
      server.enqueue(toolCallReply(batch.map((call, i) => ({ id: `c${at + i}`, ...call }))), textReply(['done']));
      await askComet('look', 'done', 120_000);
      const messages: Message[] = server.chatRequests()[1].body.messages;
      results.push(...messages.filter(m => m.role === 'tool' && batch.some((_, i) => m.tool_call_id === `c${at + i}`)).map(m => m.content ?? ''));
    }
    return results;
  }

  const leaked = (text: string) => SECRETS.filter(s => text.includes(s.token) || text.includes(s.file)).map(s => s.file);

  for (const useRipgrep of [true, false]) {
    it(`read_file, search and list_files show nothing of fifty secret files (useRipgrep ${useRipgrep})`, async () => {
      await setSetting('tools.useRipgrep', useRipgrep);
      const results = await toolResults([
        { name: 'search', args: { query: 'SECRETTOKEN', max_results: 200 } },
        { name: 'search', args: { query: 'password =', max_results: 200 } },
        { name: 'list_files', args: { max_results: 1000 } },
        { name: 'search', args: { query: 'COMETIGNORED' } },
        { name: 'search', args: { query: 'OUTSIDE-DIR-TOKEN' } },
      ]);
      for (const [i, text] of results.entries()) assert.deepEqual(leaked(text), [], `result ${i}: ${text.slice(0, 300)}`);
      assert.match(results[0], /^No matches/);
      assert.match(results[2], /src\/math\.ts/);
      assert.doesNotMatch(results[2], /private-notes|linked-out|innocent-dir/);
      assert.match(results[3], /^No matches/);
      assert.match(results[4], /^No matches/, 'a symlinked folder out of the workspace is not searched');
    });
  }

  for (const useRipgrep of [true, false]) {
    it(`hidden files never take the places of visible ones under max_results (useRipgrep ${useRipgrep})`, async () => {
      await setSetting('tools.useRipgrep', useRipgrep);
      const many = Array.from({ length: 60 }, (_, i) => `CAPNEEDLE ${i}`).join('\n');
      // Secret by the list (in odd case too), by .cometignore, and three visible files after them in name order.
      for (const hidden of ['cap-area/.env.cap', 'cap-area/Keys.PEM', 'cap-area/.aws/credentials', 'cap-area/.AWS/config', 'private-notes/cap.md']) put(hidden, many);
      for (const visible of ['cap-area/z1.txt', 'cap-area/z2.txt', 'cap-area/z3.txt']) put(visible, 'CAPNEEDLE visible\n');
      const [search, capped, listed] = await toolResults([
        { name: 'search', args: { query: 'CAPNEEDLE', max_results: 3 } },
        { name: 'search', args: { query: 'CAPNEEDLE', max_results: 2 } },
        { name: 'list_files', args: { glob: 'cap-area/**', max_results: 3 } },
      ]);
      const hiddenNames = /\.env\.cap|Keys\.PEM|\.aws|\.AWS|private-notes/;
      assert.equal(search.split('\n').filter(line => /:1: CAPNEEDLE visible/.test(line)).length, 3, search);
      assert.doesNotMatch(search, /Stopped at|there are more/, search);
      assert.match(capped, /\[Stopped at 2 matches; there are more\./, capped);
      assert.equal(listed, 'cap-area/z1.txt\ncap-area/z2.txt\ncap-area/z3.txt');
      for (const text of [search, capped, listed]) assert.doesNotMatch(text, hiddenNames, text);
    });
  }

  it('read_file refuses each secret file by name, and a file hidden by .cometignore', async () => {
    const results = await toolResults([...SECRETS.map(s => ({ name: 'read_file', args: { path: s.file } })), { name: 'read_file', args: { path: 'private-notes/plan.md' } }]);
    assert.equal(results.length, SECRETS.length + 1);
    for (const [i, text] of results.entries()) {
      assert.match(text, /^Error: .*may hold secrets/, SECRETS[i]?.file ?? '.cometignore');
      assert.doesNotMatch(text, /SECRETTOKEN|COMETIGNORED/);
    }
  });

  it('refuses globs and paths that reach outside the workspace, naming the rule, with or without ripgrep', async () => {
    for (const useRipgrep of [true, false]) {
      await setSetting('tools.useRipgrep', useRipgrep);
      server.reset();
      const results = await toolResults([
        { name: 'search', args: { query: 'root', include: '../../**' } },
        { name: 'search', args: { query: 'root', include: '/etc/*' } },
        { name: 'search', args: { query: 'root', include: '~/**' } },
        { name: 'search', args: { query: 'root', include: '{src,../..}/**' } },
        { name: 'list_files', args: { glob: 'C:/Windows/*' } },
        { name: 'read_file', args: { path: 'linked-out/loot.txt' } },
        { name: 'read_file', args: { path: 'innocent-dir/credentials' } },
      ]);
      const rules = [/leaves the workspace/, /absolute/, /home folder/, /leaves the workspace/, /drive/, /leads outside the workspace/, /may hold secrets/];
      for (const [i, rule] of rules.entries()) {
        assert.match(results[i], /^Error: /, `call ${i} (useRipgrep ${useRipgrep}): ${results[i]}`);
        assert.match(results[i], rule, `call ${i} (useRipgrep ${useRipgrep}): ${results[i]}`);
        assert.doesNotMatch(results[i], /OUTSIDE-DIR-TOKEN|SECRETTOKEN|root:x:/);
      }
    }
  });
});
