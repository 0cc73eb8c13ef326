// The packaged VSIX, installed with `code-server --install-extension` into a fresh extensions folder: it activates
// from its own folder (not this repository), and the main paths work there: Ask Comet streams an answer into the
// panel, Explain Selection sends the selection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { EXTENSION_ID, newChat, setUpComet, workspaceFile } from '../integration/helpers';
import { chatIsShown, entries, evaluate, screenshot, waitFor, waitForLastAssistant } from '../integration/webview';

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('the installed VSIX', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    server.reset();
    await newChat();
    await waitFor('an empty chat', async () => (await entries()).length === 0);
  });

  it('is the copy installed from the VSIX, not this repository', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const extensionsDir = process.env.COMET_TEST_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'the runner passes the extensions folder');
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(path.dirname(extension.extensionPath), fs.realpathSync(extensionsDir));
    assert.equal(path.basename(extension.extensionPath), `${EXTENSION_ID}-${manifest.version}`);
    assert.ok(!extension.extensionPath.startsWith(REPO_ROOT + path.sep), extension.extensionPath);
    // Only what the VSIX carries: the bundles, no sources and no node_modules.
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'extension.js')));
    // The chat bundle, which the entry loads on first use (src/host/lazyComet.ts).
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'chat.js')));
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'src')));
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'node_modules')));
    assert.ok(extension.isActive);
    // The test driver is the extension under development, and it is not Comet.
    assert.ok(vscode.extensions.getExtension('comet-test.comet-smoke-driver'), 'the driver extension is loaded');
  });

  it('Ask Comet streams the answer into the panel', async () => {
    server.enqueue(textReply(['Installed ', 'and **streaming**', '.'], { delayMs: 30 }));
    await vscode.commands.executeCommand('comet.ask', 'Are you the installed copy?');
    await waitFor('the chat view', async () => (await chatIsShown()) || undefined);
    const shown = await waitForLastAssistant('done');
    assert.deepEqual(shown.map(e => e.role), ['user', 'assistant'], JSON.stringify(shown));
    assert.equal(shown[0].text.trim(), 'Are you the installed copy?');
    assert.match(shown[1].text, /Installed and streaming\./);
    assert.equal(await evaluate('document.querySelector("[data-role=assistant] strong")?.textContent'), 'streaming');
    const [request] = server.chatRequests();
    assert.equal(request.body.stream, true);
    await screenshot('vsix-ask.png');
  });

  it('Explain Selection sends the selected code', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('src/math.ts'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(5, 0, 8, 1);
    server.enqueue(textReply(['It recurses.']));
    await vscode.commands.executeCommand('comet.explainSelection');
    const shown = await waitForLastAssistant('done');
    const content: string = server.chatRequests()[0].body.messages[1].content;
    assert.match(content, /src\/math\.ts \(typescript\), lines 6-9/);
    assert.ok(content.includes('export function fibonacci(n: number): number {'));
    assert.match(shown.at(-1)!.text, /It recurses\./);
    assert.equal((await entries()).length, 2);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
