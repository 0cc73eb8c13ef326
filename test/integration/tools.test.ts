// Workspace tools in a real VS Code: the model's streamed tool calls run against the real workspace through the
// VS Code adapter (workspace.fs, open editors, the ripgrep VS Code ships), and the results go back to the model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PathPolicy } from '../../src/core/tools/pathPolicy';
import { bundledRipgrep, VsCodeWorkspace } from '../../src/host/vscodeWorkspace';
import { textReply, toolCallReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setSetting, setUpComet, workspaceFile } from './helpers';
import { click, entries, evaluate, waitFor, waitForLastAssistant } from './webview';

type Message = { role: string; content: string | null; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };

describe('workspace tools in a real VS Code', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await setSetting('tools.approval', undefined);
    await setSetting('tools.useRipgrep', undefined);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  const secondRequestMessages = (): Message[] => server.chatRequests()[1].body.messages;
  const toolLines = () => evaluate<Array<{ state: string; text: string }>>(
    `Array.from(document.querySelectorAll('[data-role=tool]')).map(el => ({ state: el.dataset.state, text: el.innerText }))`,
  );

  it('runs a streamed read_file call and sends the file back with its tool_call_id', async () => {
    server.enqueue(toolCallReply([{ id: 'call_read', name: 'read_file', args: { path: 'src/math.ts' } }]), textReply(['fibonacci is ', 'recursive.']));
    const shown = await askComet('What is in math.ts?');
    assert.match(shown.at(-1)!.text, /fibonacci is recursive\./);

    const messages = secondRequestMessages();
    const assistant = messages.at(-2)!;
    assert.equal(assistant.role, 'assistant');
    assert.deepEqual(assistant.tool_calls?.map(c => [c.id, c.function.name, c.function.arguments]), [['call_read', 'read_file', '{"path":"src/math.ts"}']]);
    const tool = messages.at(-1)!;
    assert.equal(tool.role, 'tool');
    assert.equal(tool.tool_call_id, 'call_read');
    assert.match(tool.content ?? '', /6\texport function fibonacci\(n: number\): number \{/);

    const lines = await toolLines();
    assert.equal(lines.length, 1);
    assert.equal(lines[0].state, 'done');
    assert.match(lines[0].text, /read_file/);
    assert.match(lines[0].text, /9 lines/);
  });

  it('runs read_file and search in parallel; search uses VS Code ripgrep and honours .gitignore and secrets', async () => {
    server.enqueue(
      toolCallReply([
        { id: 'call_a', name: 'read_file', args: { path: 'README.md' } },
        { id: 'call_b', name: 'search', args: { query: 'fibonacci' } },
      ]),
      textReply(['Both done.']),
    );
    await askComet('Look around');
    const tools = secondRequestMessages().filter(m => m.role === 'tool');
    assert.deepEqual(tools.map(m => m.tool_call_id), ['call_a', 'call_b']);
    assert.match(tools[0].content ?? '', /# Fixture workspace/);
    assert.match(tools[1].content ?? '', /src\/math\.ts:6: export function fibonacci/);
    assert.doesNotMatch(tools[1].content ?? '', /generated\/out\.js/);
    assert.equal((await toolLines()).length, 2);
  });

  it('finds the ripgrep this VS Code version ships, searches with it, and logs which search runs', async () => {
    const rg = bundledRipgrep();
    const expected = process.env.COMET_TEST_RIPGREP_PACKAGE;
    assert.ok(expected, 'the runner says where this version keeps ripgrep');
    assert.ok(rg, `ripgrep found under ${vscode.env.appRoot}`);
    assert.ok(rg.startsWith(vscode.env.appRoot + path.sep), rg);
    assert.ok(rg.includes(`${path.sep}${expected}${path.sep}bin${path.sep}`), `${rg} is in ${expected}`);
    const logged: string[] = [];
    const logger = { info: (m: string) => logged.push(`info ${m}`), warn: (m: string) => logged.push(`warn ${m}`) };
    const folder = { name: 'workspace', path: vscode.workspace.workspaceFolders![0].uri.fsPath };
    const options = { query: 'fibonacci', isRegex: false, maxResults: 5, contextLines: 0, hidden: await new PathPolicy(new VsCodeWorkspace(rg)).hiddenFiles(folder) };
    const outcome = await new VsCodeWorkspace(rg, logger).search(folder, options, new AbortController().signal);
    assert.equal(outcome.engine, 'ripgrep');
    assert.ok(outcome.matches.some(m => m.path.endsWith(path.join('src', 'math.ts'))));
    await setSetting('tools.useRipgrep', false);
    try {
      assert.equal((await new VsCodeWorkspace(undefined, logger).search(folder, options, new AbortController().signal)).engine, 'fallback');
    } finally {
      await setSetting('tools.useRipgrep', undefined);
    }
    assert.deepEqual(logged, [
      `info search: ripgrep at ${rg}`,
      'info search: the fallback (workspace.findFiles + reads: slower, no .gitignore), because comet.tools.useRipgrep is off',
    ]);
  });

  it('the search tool in the extension runs ripgrep: it honours .gitignore, which the fallback does not', async () => {
    // The fixture's .gitignore lists generated/; only ripgrep reads .gitignore.
    const ignored = workspaceFile('generated/out.js').fsPath;
    fs.mkdirSync(path.dirname(ignored), { recursive: true });
    fs.writeFileSync(ignored, 'export const GITIGNORED_MARKER_7F3 = 1;\n');
    try {
      const search = async (useRipgrep: boolean) => {
        await setSetting('tools.useRipgrep', useRipgrep);
        server.reset();
        server.enqueue(toolCallReply([{ id: 's', name: 'search', args: { query: 'GITIGNORED_MARKER_7F3' } }]), textReply(['ok']));
        await askComet(`gitignore ${useRipgrep}`);
        return secondRequestMessages().at(-1)?.content ?? '';
      };
      assert.match(await search(false), /generated\/out\.js:1: export const GITIGNORED_MARKER_7F3/, 'the fallback finds the ignored file');
      assert.match(await search(true), /^No matches/, 'the tool searched with ripgrep');
    } finally {
      fs.rmSync(path.dirname(ignored), { recursive: true, force: true });
      await setSetting('tools.useRipgrep', undefined);
    }
  });

  it('reads an open editor with its unsaved changes', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('README.md'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit(edit => edit.insert(new vscode.Position(0, 0), 'UNSAVED LINE\n'));
    try {
      server.enqueue(toolCallReply([{ id: 'c', name: 'read_file', args: { path: 'README.md' } }]), textReply(['ok']));
      await askComet('read README');
      assert.match(secondRequestMessages().at(-1)?.content ?? '', /1\tUNSAVED LINE/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('refuses ../../etc/passwd and secret files with a tool error', async () => {
    server.enqueue(
      toolCallReply([
        { id: 'evil', name: 'read_file', args: { path: '../../etc/passwd' } },
        { id: 'env', name: 'read_file', args: { path: '.env' } },
      ]),
      textReply(['I cannot read those.']),
    );
    await askComet('read secrets');
    const [evil, env] = secondRequestMessages().filter(m => m.role === 'tool');
    assert.match(evil.content ?? '', /^Error: .*leaves the workspace/);
    assert.doesNotMatch(evil.content ?? '', /root:/);
    assert.match(env.content ?? '', /may hold secrets/);
    assert.doesNotMatch(env.content ?? '', /do-not-read/);
    assert.deepEqual((await toolLines()).map(l => l.state), ['error', 'error']);
  });

  it('with approval ask, runs the call only after Allow is clicked in the webview', async () => {
    await setSetting('tools.approval', 'ask');
    try {
      server.enqueue(toolCallReply([{ id: 'ask', name: 'list_files', args: { glob: 'src/*' } }]), textReply(['Listed.']));
      void vscode.commands.executeCommand('comet.ask', 'list src');
      await waitFor('the approval buttons', async () => (await entries()).some(e => e.actions.includes('allow')));
      assert.equal(server.chatRequests().length, 1);
      await click('[data-action=allow]');
      await waitForLastAssistant('done');
      assert.equal(secondRequestMessages().at(-1)?.content, 'src/math.ts\nsrc/notes.md');
    } finally {
      await setSetting('tools.approval', undefined);
    }
  });

  it('Stop during a tool round ends the turn as stopped', async () => {
    await setSetting('tools.approval', 'ask');
    try {
      server.enqueue(toolCallReply([{ id: 'wait', name: 'read_file', args: { path: 'src/math.ts' } }]));
      void vscode.commands.executeCommand('comet.ask', 'read and wait');
      await waitFor('the approval buttons', async () => (await entries()).some(e => e.actions.includes('allow')));
      await click('#stop');
      await waitForLastAssistant('stopped');
      assert.deepEqual((await toolLines()).map(l => l.state), ['cancelled']);
      assert.equal(server.chatRequests().length, 1);
    } finally {
      await setSetting('tools.approval', undefined);
    }
  });

  it('honours search.exclude and files.exclude', async () => {
    const search = vscode.workspace.getConfiguration('search');
    const files = vscode.workspace.getConfiguration('files');
    await search.update('exclude', { '**/README.md': true }, vscode.ConfigurationTarget.Global);
    await files.update('exclude', { '**/math.ts': true }, vscode.ConfigurationTarget.Global);
    try {
      server.enqueue(
        toolCallReply([{ id: 's', name: 'search', args: { query: 'fixture' } }, { id: 'l', name: 'list_files', args: {} }]),
        textReply(['ok']),
      );
      await askComet('search excluded');
      const [found, listed] = secondRequestMessages().filter(m => m.role === 'tool');
      assert.match(found.content ?? '', /src\/notes\.md:1: Notes about the fixture/);
      assert.doesNotMatch(found.content ?? '', /README\.md|math\.ts/);
      assert.doesNotMatch(listed.content ?? '', /math\.ts/);
      assert.match(listed.content ?? '', /README\.md/, 'search.exclude applies to searches, not to listing');
    } finally {
      await search.update('exclude', undefined, vscode.ConfigurationTarget.Global);
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('never follows a symlink out of the workspace, with or without ripgrep', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'comet-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'OUTSIDE-SECRET-TOKEN');
    const link = workspaceFile('linked-secret.txt').fsPath;
    const folderLink = workspaceFile('linked-folder').fsPath;
    fs.symlinkSync(path.join(outside, 'secret.txt'), link);
    fs.symlinkSync(outside, folderLink);
    try {
      for (const useRipgrep of [true, false]) {
        await setSetting('tools.useRipgrep', useRipgrep);
        // A chat of its own: in the same chat, the second round's request would also carry the first round's results.
        await newChat();
        server.reset();
        server.enqueue(
          toolCallReply([
            { id: 's', name: 'search', args: { query: 'OUTSIDE-SECRET-TOKEN' } }, { id: 'r', name: 'read_file', args: { path: 'linked-secret.txt' } },
            { id: 'l', name: 'list_files', args: { glob: '**/*secret*' } },
          ]),
          textReply(['ok']),
        );
        await askComet(`symlink ${useRipgrep}`);
        const [found, read, listed] = secondRequestMessages().filter(m => m.role === 'tool');
        assert.match(found.content ?? '', /^No matches/, `search with useRipgrep=${useRipgrep}`);
        assert.match(read.content ?? '', /leads outside the workspace/);
        assert.match(listed.content ?? '', /^No files match/, `list_files with useRipgrep=${useRipgrep}`);
      }
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(folderLink, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
      await setSetting('tools.useRipgrep', undefined);
    }
  });

  it('searches through workspace.findFiles when ripgrep is switched off', async () => {
    await setSetting('tools.useRipgrep', false);
    try {
      server.enqueue(toolCallReply([{ id: 's', name: 'search', args: { query: 'return a + b' } }]), textReply(['found']));
      await askComet('find it');
      assert.match(secondRequestMessages().at(-1)?.content ?? '', /src\/math\.ts:3:   return a \+ b;/);
    } finally {
      await setSetting('tools.useRipgrep', undefined);
    }
  });
});
