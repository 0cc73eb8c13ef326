// read_file, search and list_files against a real temporary folder and the system's ripgrep.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { linesOf } from '../../../src/core/tools/readFileTool';
import { defineTool } from '../../../src/core/tools/tool';
import { PathPolicy, Toolbox } from '../../../src/core/tools/toolbox';
import { makeFolder, NodeWorkspace } from '../../support/nodeWorkspace';
import { SECRET_PATHS, secretToken } from '../../support/secretFixtures';

describe('workspace tools', () => {
  let root: string;
  let workspace: NodeWorkspace;
  let toolbox: Toolbox;
  const never = new AbortController().signal;
  const call = (name: string, args: unknown, id = 'call_1') =>
    toolbox.run({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }, never);

  before(async () => {
    const big = Array.from({ length: 1000 }, (_, i) => `line ${i + 1} of the big file`).join('\n');
    root = await makeFolder({
      'src/math.ts': 'export function add(a: number, b: number) {\n  return a + b;\n}\n\nexport const TOTAL = add(1, 2);\n',
      'src/util.ts': 'import { add } from "./math";\nexport const twice = (x: number) => add(x, x);\n',
      'big.txt': big,
      'wide.txt': Array.from({ length: 50 }, () => 'x'.repeat(5000)).join('\n'),
      'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]),
      '.gitignore': 'build/\n',
      'build/out.js': 'function add() {}',
      '.env': 'API_KEY=add-secret',
      'many/a.txt': Array.from({ length: 300 }, () => 'needle').join('\n'),
    });
    workspace = new NodeWorkspace([{ name: 'ws', path: root }]);
    toolbox = new Toolbox(workspace, new PathPolicy(workspace));
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  describe('read_file', () => {
    it('returns the text with line numbers', async () => {
      const result = await call('read_file', { path: 'src/math.ts' });
      assert.equal(result.ok, true);
      assert.match(result.content, /^src\/math\.ts \(lines 1-5 of 5\)\n1\texport function add/);
      assert.match(result.content, /\n5\texport const TOTAL = add\(1, 2\);$/);
      assert.equal(result.summary, '5 lines');
    });

    it('reads a line range', async () => {
      const result = await call('read_file', { path: 'big.txt', start_line: 10, end_line: 12 });
      assert.deepEqual(result.content.split('\n').slice(1), ['10\tline 10 of the big file', '11\tline 11 of the big file', '12\tline 12 of the big file', '[Showing lines 10-12 of 1000. Call read_file with start_line=13 to read more.]']);
    });

    it('caps a large file and says how to ask for more', async () => {
      const result = await call('read_file', { path: 'big.txt' });
      assert.equal(result.content.split('\n').length, 1 + 400 + 1);
      assert.match(result.content, /\[Showing lines 1-400 of 1000\. Call read_file with start_line=401 to read more\.\]$/);
    });

    it('finds a window of lines as splitting the whole text would (LF, CRLF, lone CR, empty lines, no final break)', () => {
      const reference = (text: string) => {
        const lines = text.split(/\r?\n/);
        if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
        return lines;
      };
      const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\r\n', '\r\n', '\r', 'a\rb\n', 'a\r\r\nb', '\r\n\r\nx', 'x\n\n', 'one\ntwo\r\nthree'];
      let seed = 5;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let i = 0; i < 300; i++) texts.push(Array.from({ length: Math.floor(random() * 30) }, () => 'ab\r\n'[Math.floor(random() * 4)]).join(''));
      for (const text of texts) {
        const lines = reference(text);
        for (const [first, count] of [[1, 400], [1, 1], [2, 3], [lines.length, 2], [lines.length + 1, 5]]) {
          assert.deepEqual(linesOf(text, first, count), { lines: lines.slice(first - 1, first - 1 + count), total: lines.length }, JSON.stringify([text, first, count]));
        }
      }
    });

    it('caps by size as well as by lines', async () => {
      const result = await call('read_file', { path: 'wide.txt' });
      assert.ok(result.content.length < 110_000, `${result.content.length} chars`);
      assert.match(result.content, /Call read_file with start_line=\d+ to read more/);
    });

    it('reports a binary file instead of dumping it', async () => {
      const result = await call('read_file', { path: 'image.png' });
      assert.equal(result.content, '"image.png" is a binary file (11 bytes); its content is not shown.');
    });

    it('reads an open editor with unsaved changes as the user sees it', async () => {
      workspace.unsaved.set(path.join(root, 'src', 'util.ts'), 'unsaved edit');
      try {
        assert.match((await call('read_file', { path: 'src/util.ts' })).content, /1\tunsaved edit$/);
      } finally {
        workspace.unsaved.clear();
      }
    });

    it('explains missing files, folders and ranges past the end', async () => {
      assert.match((await call('read_file', { path: 'nope.ts' })).content, /^Error: "nope\.ts" does not exist/);
      assert.match((await call('read_file', { path: 'src' })).content, /^Error: "src" is a folder/);
      assert.match((await call('read_file', { path: 'src/math.ts', start_line: 99 })).content, /has 5 lines; start_line 99 is past the end/);
    });

    it('refuses escapes and secrets with an error the model can read', async () => {
      const escape = await call('read_file', { path: '../../etc/passwd' });
      assert.equal(escape.ok, false);
      assert.match(escape.content, /^Error: .*leaves the workspace/);
      assert.match((await call('read_file', { path: '.env' })).content, /may hold secrets/);
    });
  });

  describe('search', () => {
    it('finds text with a line of context, as path:line: text', async () => {
      const result = await call('search', { query: 'return a + b' });
      assert.equal(result.content, 'src/math.ts-1- export function add(a: number, b: number) {\nsrc/math.ts:2:   return a + b;\nsrc/math.ts-3- }');
      assert.equal(result.summary, '1 match in 1 file');
    });

    it('searches by regex and narrows by include glob', async () => {
      const result = await call('search', { query: 'add\\(\\w', is_regex: true, include: 'src/util.ts' });
      assert.match(result.content, /^src\/util\.ts:2: export const twice/m);
      assert.doesNotMatch(result.content, /math\.ts/);
    });

    it('respects .gitignore and never shows secret files', async () => {
      const result = await call('search', { query: 'add' });
      assert.doesNotMatch(result.content, /build\/out\.js/);
      assert.doesNotMatch(result.content, /\.env|add-secret/);
    });

    it('caps the results and says so', async () => {
      const result = await call('search', { query: 'needle', max_results: 5 });
      assert.equal(result.content.split('\n').filter(l => /^many\/a\.txt:\d+:/.test(l)).length, 5);
      assert.match(result.content, /\[Stopped at 5 matches; there are more\./);
      assert.equal(result.summary, '5+ matches in 1 file');
    });

    it('reads ripgrep\'s lines whatever a file holds or is called: separators, NULs, line breaks in a name, wide text', async () => {
      const odd = await makeFolder({
        'src/a.ts': 'first\nneedle in a\nlast\n',
        // A line of text that looks like ripgrep's own separator or path, and a file whose name holds a line break.
        'src/b.ts': '--\nneedle:1:b\n--\n',
        'notes\nsrc/a.ts': 'needle under a broken name\n',
        'src/nul.bin': 'needle\0 in binary\n',
        'src/cjk.txt': `needle ${'界'.repeat(3000)}\n`,
      });
      try {
        const oddWorkspace = new NodeWorkspace([{ name: 'ws', path: odd }]);
        const result = await new Toolbox(oddWorkspace, new PathPolicy(oddWorkspace)).run({ id: 'o', name: 'search', arguments: JSON.stringify({ query: 'needle' }) }, never);
        const lines = result.content.split('\n');
        assert.ok(lines.includes('src/a.ts:2: needle in a'), result.content);
        assert.ok(lines.includes('src/a.ts-1- first') && lines.includes('src/a.ts-3- last'), result.content);
        assert.ok(lines.includes('src/b.ts-1- --') && lines.includes('src/b.ts:2: needle:1:b') && lines.includes('src/b.ts-3- --'), result.content);
        // The broken name's text is never put under another file's name.
        assert.doesNotMatch(result.content, /broken name/);
        assert.doesNotMatch(result.content, /binary/);
        const cjk = lines.find(line => line.startsWith('src/cjk.txt:1: needle '));
        assert.ok(cjk && cjk.length < 500 && cjk.endsWith('… [more characters on this line]'), cjk);
        assert.equal(result.summary, '3 matches in 3 files');
      } finally {
        await fs.rm(odd, { recursive: true, force: true });
      }
    });

    it('says when nothing matches, and explains a bad regex', async () => {
      assert.equal((await call('search', { query: 'zzzz-not-there' })).content, 'No matches for "zzzz-not-there".');
      assert.match((await call('search', { query: '(', is_regex: true })).content, /^Error: The regular expression is invalid/);
    });
  });

  describe('secrets, .cometignore and escapes', () => {
    let secretRoot: string;
    let secrets: Toolbox;
    const secretCall = (name: string, args: unknown) => secrets.run({ id: 's', name, arguments: JSON.stringify(args) }, never);

    before(async () => {
      const files: Record<string, string> = Object.fromEntries(SECRET_PATHS.map((file, i) => [file, `token = ${secretToken(i)}\n`]));
      secretRoot = await makeFolder({
        ...files,
        'src/app.ts': 'export const app = 1;\n',
        'private/plan.md': 'IGNORED-PLAN\n',
        'notes/Draft.TXT': 'IGNORED-DRAFT\n',
        '.cometignore': '# hidden from every tool\nprivate/\n*.txt\n',
      });
      const secretWorkspace = new NodeWorkspace([{ name: 'ws', path: secretRoot }]);
      secrets = new Toolbox(secretWorkspace, new PathPolicy(secretWorkspace, ['extra-*.cfg']));
    });
    after(() => fs.rm(secretRoot, { recursive: true, force: true }));

    it('read_file, search and list_files show nothing of fifty secret files', async () => {
      for (const file of SECRET_PATHS) assert.match((await secretCall('read_file', { path: file })).content, /^Error: .*may hold secrets/, file);
      const found = await secretCall('search', { query: 'SECRETTOKEN', max_results: 200 });
      assert.match(found.content, /^No matches/);
      const listed = (await secretCall('list_files', { max_results: 1000 })).content;
      assert.equal(listed, '.cometignore\nsrc/app.ts');
      for (const file of SECRET_PATHS) {
        const glob = `**/${file.slice(file.lastIndexOf('/') + 1)}`;
        assert.match((await secretCall('list_files', { glob })).content, /^No files match/, glob);
      }
    });

    // The tools resolve no listed path (the policy trusts the engines to follow no link): this is what holds it.
    it('search and list_files reach nothing through a symlink (out of the workspace, to a secret, or inside it), whatever a name holds', async () => {
      const outside = await makeFolder({ 'loot.cfg': 'LINKED-TOKEN outside\n', 'deep/more.cfg': 'LINKED-TOKEN deeper\n' });
      const links: Array<[string, string]> = [
        [path.join(outside, 'loot.cfg'), 'linked/loot.cfg'], [outside, 'linked-dir'], [path.join(secretRoot, '.env'), 'linked/innocent.md'],
        [path.join(secretRoot, 'src'), 'linked/src-again'],
      ];
      await fs.mkdir(path.join(secretRoot, 'linked'));
      await fs.writeFile(path.join(secretRoot, 'src/linked-token.ts'), 'export const t = "LINKED-TOKEN inside";\n');
      try {
        for (const [target, link] of links) await fs.symlink(target, path.join(secretRoot, link));
        const listed = (await secretCall('list_files', { max_results: 1000 })).content.split('\n');
        assert.deepEqual(listed, ['.cometignore', 'src/app.ts', 'src/linked-token.ts']);
        assert.match((await secretCall('list_files', { glob: '**/*.md' })).content, /^No files match/);
        const found = (await secretCall('search', { query: 'LINKED-TOKEN', max_results: 200 })).content;
        assert.deepEqual(found.split('\n').filter(line => line.includes(': ')), ['src/linked-token.ts:1: export const t = "LINKED-TOKEN inside";']);
        const secret = SECRET_PATHS.indexOf('.env');
        assert.match((await secretCall('search', { query: secretToken(secret) })).content, /^No matches/);
        assert.match((await secretCall('search', { query: 'LINKED-TOKEN', include: 'linked/**' })).content, /^No matches/);
        // Names with a line break: read one path a line, "x\nlink.cfg" would list "link.cfg" (the link beside it, then
        // searched by name, which ripgrep follows), and a folder "a\n.." would list a path one level up, outside.
        await fs.writeFile(path.join(secretRoot, 'x\nlink.cfg'), 'decoy\n');
        await fs.symlink(path.join(outside, 'loot.cfg'), path.join(secretRoot, 'link.cfg'));
        await fs.mkdir(path.join(secretRoot, 'a\n..', path.basename(outside)), { recursive: true });
        await fs.writeFile(path.join(secretRoot, 'a\n..', path.basename(outside), 'loot.cfg'), 'decoy\n');
        assert.match((await secretCall('search', { query: 'LINKED-TOKEN', include: '**/*.cfg' })).content, /^No matches/);
        assert.match((await secretCall('list_files', { glob: '**/*.cfg' })).content, /^No files match/);
      } finally {
        await fs.rm(path.join(secretRoot, 'x\nlink.cfg'), { force: true });
        await fs.rm(path.join(secretRoot, 'link.cfg'), { force: true });
        await fs.rm(path.join(secretRoot, 'a\n..'), { recursive: true, force: true });
        await fs.rm(path.join(secretRoot, 'linked'), { recursive: true, force: true });
        await fs.rm(path.join(secretRoot, 'linked-dir'), { force: true });
        await fs.rm(path.join(secretRoot, 'src/linked-token.ts'), { force: true });
        await fs.rm(outside, { recursive: true, force: true });
      }
    });

    it('.cometignore hides paths from every tool, in gitignore syntax and any case', async () => {
      assert.match((await secretCall('read_file', { path: 'private/plan.md' })).content, /^Error: .*\.cometignore/);
      assert.match((await secretCall('read_file', { path: 'notes/draft.txt' })).content, /^Error: /);
      assert.match((await secretCall('search', { query: 'IGNORED' })).content, /^No matches/);
    });

    it('refuses globs that reach outside the workspace, naming the rule', async () => {
      const cases: Array<[string, object, RegExp]> = [
        ['search', { query: 'x', include: '../**' }, /"include" "\.\.\/\*\*" leaves the workspace/],
        ['search', { query: 'x', include: 'src/{a,../../etc}/*' }, /leaves the workspace/],
        ['search', { query: 'x', include: '/etc/**' }, /absolute/],
        ['search', { query: 'x', include: '{src,/etc}/*' }, /absolute/],
        ['search', { query: 'x', include: '~/.ssh/*' }, /home folder/],
        ['list_files', { glob: 'C:\\Users\\*' }, /drive/],
        ['list_files', { glob: '..\\other\\*' }, /leaves the workspace/],
        ['list_files', { glob: '{~root,src}/*' }, /home folder/],
      ];
      for (const [name, args, why] of cases) {
        const result = await secretCall(name, args);
        assert.match(result.content, /^Error: /, JSON.stringify(args));
        assert.match(result.content, why, JSON.stringify(args));
      }
      assert.equal((await secretCall('list_files', { glob: 'src/*.{ts,js}' })).content, 'src/app.ts');
    });
  });

  describe('hidden files never take the places of visible ones (the deny list is applied before max_results)', () => {
    let capRoot: string;
    let capped: Toolbox;
    const capCall = (name: string, args: unknown) => capped.run({ id: 'c', name, arguments: JSON.stringify(args) }, never);
    // Each hidden file sorts and is found before the visible ones, and has more matches than max_results.
    const many = Array.from({ length: 40 }, (_, i) => `needle ${i}`).join('\n');

    before(async () => {
      capRoot = await makeFolder({
        'a/.env': many, 'a/.ENV.local': many, 'a/Server.PEM': many, 'a/.aws/credentials': many, 'a/.AWS/config': many,
        'a/private/notes.md': many, 'a/extra-prod.cfg': many, 'a/EXTRA-dev.CFG': many,
        'z/visible1.ts': 'needle one\n', 'z/visible2.ts': 'needle two\n', 'z/visible3.ts': 'needle three\n',
        '.cometignore': 'PRIVATE/\n',
      });
      const port = new NodeWorkspace([{ name: 'ws', path: capRoot }]);
      capped = new Toolbox(port, new PathPolicy(port, ['extra-*.cfg']));
    });
    after(() => fs.rm(capRoot, { recursive: true, force: true }));

    const hiddenNames = /\.env|\.ENV|Server\.PEM|\.aws|\.AWS|private|extra-|EXTRA-/;

    it('search: every visible match within max_results, no hidden name, no "there are more" hint', async () => {
      const result = await capCall('search', { query: 'needle', max_results: 3 });
      assert.equal(result.summary, '3 matches in 3 files', result.content);
      assert.doesNotMatch(result.content, hiddenNames);
      assert.doesNotMatch(result.content, /Stopped at|there are more/);
      assert.match(result.content, /z\/visible3\.ts:1: needle three/);
    });

    it('search: the cap and its hint count visible matches only', async () => {
      const result = await capCall('search', { query: 'needle', max_results: 2 });
      assert.equal(result.summary, '2+ matches in 2 files');
      assert.match(result.content, /\[Stopped at 2 matches; there are more\./);
      assert.doesNotMatch(result.content, hiddenNames);
      const within = await capCall('search', { query: 'needle', include: 'a/**', max_results: 5 });
      assert.match(within.content, /^No matches/, within.content);
    });

    it('list_files: every visible file within max_results, no hidden name, no "more match" hint', async () => {
      const result = await capCall('list_files', { max_results: 4 });
      assert.equal(result.content, '.cometignore\nz/visible1.ts\nz/visible2.ts\nz/visible3.ts');
      const fewer = await capCall('list_files', { glob: '**/*.*', max_results: 2 });
      assert.match(fewer.content, /\[Showing the first 2 files; more match/);
      assert.doesNotMatch(fewer.content, hiddenNames);
    });
  });

  describe('list_files', () => {
    it('lists files matching a glob, sorted, without ignored or secret files', async () => {
      assert.equal((await call('list_files', { glob: 'src/*.ts' })).content, 'src/math.ts\nsrc/util.ts');
      const all = (await call('list_files', {})).content.split('\n');
      assert.ok(all.includes('big.txt'));
      assert.ok(!all.some(f => f.startsWith('build/') || f === '.env'), all.join(','));
    });

    it('a glob by file name (ripgrep narrows by the name) reaches no ignored folder and no secret file', async () => {
      assert.equal((await call('list_files', { glob: '**/out.js' })).content, 'No files match "**/out.js".');
      assert.equal((await call('list_files', { glob: '**/*.js' })).content, 'No files match "**/*.js".');
      assert.equal((await call('list_files', { glob: '**/.env' })).content, 'No files match "**/.env".');
      assert.equal((await call('list_files', { glob: '**/*.ts' })).content, 'src/math.ts\nsrc/util.ts');
      assert.equal((await call('list_files', { glob: '**/u*l.ts' })).content, 'src/util.ts');
      // The name part narrows; the whole glob still decides.
      assert.equal((await call('list_files', { glob: 'many/*.ts' })).content, 'No files match "many/*.ts".');
      assert.equal((await call('list_files', { glob: 'src/m*.ts' })).content, 'src/math.ts');
    });

    it('caps the list and says so', async () => {
      const result = await call('list_files', { max_results: 2 });
      assert.equal(result.content.split('\n').length, 3);
      assert.match(result.content, /\[Showing the first 2 files; more match/);
    });
  });

  describe('bad calls come back as errors for the model', () => {
    it('arguments that are not JSON', async () => {
      const result = await call('read_file', '{"path": "src/math.ts"');
      assert.equal(result.ok, false);
      assert.match(result.content, /^Error: The arguments are not valid JSON/);
    });
    it('a missing field, a wrong type, an unknown field', async () => {
      assert.match((await call('read_file', {})).content, /^Error: Missing required argument: path\./);
      assert.match((await call('read_file', { path: 'src/math.ts', start_line: 'first' })).content, /"start_line" must be a whole number/);
      assert.match((await call('read_file', { path: 'src/math.ts', lines: 3 })).content, /Unknown argument "lines"/);
    });
    it('accepts numbers sent as strings', async () => {
      assert.match((await call('read_file', { path: 'big.txt', start_line: '2', end_line: '2' })).content, /\n2\tline 2 of the big file\n/);
    });
    it('a tool that does not exist', async () => {
      assert.match((await call('write_file', {})).content, /^Error: There is no tool named "write_file"\. Available tools: read_file, search, list_files\./);
    });
    it('a tool that throws or hangs', async () => {
      const hanging = new Toolbox(workspace, new PathPolicy(workspace), [
        defineTool({ name: 'boom', description: '', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, run: async () => { throw new Error('disk on fire'); } }),
        defineTool({ name: 'hang', description: '', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, run: () => new Promise(() => undefined) }),
      ], 50);
      assert.equal((await hanging.run({ id: 'a', name: 'boom', arguments: '{}' }, never)).content, 'Error: boom failed: disk on fire');
      assert.equal((await hanging.run({ id: 'b', name: 'hang', arguments: '' }, never)).content, 'Error: hang took longer than 0.05 s and was stopped.');
    });
    it('a Stop cancels a running tool', async () => {
      const stop = new AbortController();
      const running = toolbox.run({ id: 'c', name: 'search', arguments: '{"query":"needle"}' }, stop.signal);
      stop.abort();
      await assert.rejects(running);
    });
  });
});
