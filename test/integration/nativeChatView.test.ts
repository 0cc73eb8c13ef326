// VS Code's own chat view (1.139): a Comet model picked in the chat's model picker answers a message there;
// `@comet /explain` explains the editor selection with that model; `@comet` runs Comet's read-only tools (read_file
// of a file, a secret file refused); `@comet /review` puts findings in the Problems panel and sums them up in the
// chat. Skipped where the provider API does not exist.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completionReply, textReply, toolCallReply, type OpenAITestServer, type RecordedRequest } from '../support/openaiTestServer';
import { hasProviderApi, setSetting, setUpComet, workspaceFile } from './helpers';
import { screenshot, waitFor, workbench } from './webview';

const ANSWER = 'Comet answered in VS Code chat.';

describe('VS Code\'s chat view with a Comet model', function () {
  let server: OpenAITestServer;

  before(async function () {
    if (!hasProviderApi()) return this.skip();
    server = await setUpComet();
    server.models = ['gpt-5.4', 'claude-sonnet-4-5'];
    // VS Code's utility requests (titles) go to the picked model too: every request gets the same answer.
    server.fallback = textReply([ANSWER.slice(0, 10), ANSWER.slice(10)]);
    await waitFor('the Comet models', async () => (await vscode.lm.selectChatModels({ vendor: 'comet', id: 'gpt-5.4' })).length > 0);
  });
  afterEach(() => {
    if (server) server.route = undefined;
  });
  after(async () => {
    if (!server) return;
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined);
    await server.close();
  });

  const inputText = () => workbench.evaluate<string>(`(() => { const p = document.querySelector('.interactive-input-part'); return p ? p.innerText : 'NO INPUT PART'; })()`);
  const answers = () => workbench.evaluate<string[]>(`Array.from(document.querySelectorAll('.interactive-item-container')).map(e => e.innerText)`);

  const pickerLabel = () => workbench.evaluate<string>(`document.querySelector('.interactive-input-part .model-picker-split')?.getAttribute('aria-label') ?? ''`);
  const rowSelector = (label: string) => `.action-widget .monaco-list-row[aria-label^="${label}"]`;
  const rowShown = (label: string) => workbench.evaluate<boolean>(`!!document.querySelector(${JSON.stringify(rowSelector(label))})`);
  // The chat keeps the last participant in the input ("@comet "), so what was there is cleared first.
  const send = async (text: string) => {
    await workbench.click('.interactive-input-part .monaco-editor');
    await workbench.press('Control+A');
    await workbench.press('Backspace');
    await workbench.type(text);
    await workbench.press('Enter');
  };

  it('picks a Comet model in the model picker, sends a message and shows the answer', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.open');
    await waitFor('the chat input', async () => !(await inputText()).includes('NO INPUT PART'));
    await workbench.click('.interactive-input-part .model-picker-split');
    await waitFor('the model picker', async () => (await rowShown('gpt-5.4,')) || rowShown('Other Models'));
    // Models other than the current one may sit in a folded "Other Models" section.
    if (!(await rowShown('gpt-5.4,'))) await workbench.click(rowSelector('Other Models'));
    await waitFor('gpt-5.4 in the picker', () => rowShown('gpt-5.4,'));
    await workbench.click(rowSelector('gpt-5.4,'));
    await waitFor('the picker to show gpt-5.4', async () => (await pickerLabel()).includes('gpt-5.4'));
    await send('Hello from the chat view');
    await waitFor('the answer in the chat view', async () => (await answers()).some(a => a.includes(ANSWER)), 40_000);
    const asked = server.chatRequests().find(r => JSON.stringify(r.body.messages).includes('Hello from the chat view'));
    assert.ok(asked, 'the message reached the loopback server');
    assert.equal(asked.body.model, 'gpt-5.4');
    await screenshot('vscode-chat-comet-model.png');
  });

  it('@comet /explain explains the editor selection with the picked model', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('src/math.ts')));
    editor.selection = new vscode.Selection(0, 0, Math.min(3, editor.document.lineCount - 1), 0);
    await vscode.commands.executeCommand('workbench.action.chat.open');
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
    const before = server.chatRequests().length;
    await send('@comet /explain ');
    await waitFor('the answer to /explain', async () => (await answers()).some(a => a.includes(ANSWER) && /comet/i.test(a)), 40_000);
    const explained = server.chatRequests().slice(before).find(r => JSON.stringify(r.body.messages).includes('Explain what the selected code does'));
    assert.ok(explained, 'the explain request reached the server');
    assert.match(JSON.stringify(explained.body.messages), /src\/math\.ts/);
    assert.equal(explained.body.model, 'gpt-5.4', 'it answered with the model picked in the chat');
    await screenshot('vscode-chat-comet-participant.png');
    await setSetting('model', undefined);
  });

  type Message = { role: string; content: string | null; tool_call_id?: string };
  const toolNames = (request: RecordedRequest): string[] => (request.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name);
  const toolMessages = (request: RecordedRequest): Message[] => (request.body.messages as Message[]).filter(m => m.role === 'tool');

  it('@comet runs Comet\'s read_file for the chat\'s model, and the secret file is refused', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.open');
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
    // Only @comet's requests offer read_file (VS Code's own, such as titles, do not): the first asks for two reads,
    // the one with their results answers.
    server.route = request => {
      if (!toolNames(request).includes('read_file')) return undefined;
      if (!toolMessages(request).length) return toolCallReply([{ id: 'call_math', name: 'read_file', args: { path: 'src/math.ts' } }, { id: 'call_env', name: 'read_file', args: { path: '.env' } }]);
      return textReply(['math.ts adds numbers; ', 'the env file was refused.']);
    };
    const before = server.chatRequests().length;
    await send('@comet What does src/math.ts do?');
    await waitFor('the answer after the tool calls', async () => (await answers()).some(a => a.includes('the env file was refused.')), 60_000);
    const mine = server.chatRequests().slice(before).filter(r => toolNames(r).includes('read_file'));
    assert.deepEqual(toolNames(mine[0]).sort(), ['list_files', 'read_file', 'search'], 'Comet\'s read-only tools, and only those');
    assert.equal(mine[0].body.model, 'gpt-5.4', 'with the model picked in the chat');
    const results = toolMessages(mine[1]);
    assert.deepEqual(results.map(m => m.tool_call_id), ['call_math', 'call_env']);
    assert.match(String(results[0].content), /export function add/);
    assert.ok(!String(results[1].content).includes('do-not-read'), 'the secret never reached the model');
    assert.match(String(results[1].content), /secret|credential|not read|refus/i);
  });

  it('@comet /review puts the findings in the Problems panel and sums them up in the chat', async () => {
    const uri = workspaceFile('src/math.ts');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    await vscode.commands.executeCommand('comet.clearReview');
    await vscode.commands.executeCommand('workbench.action.chat.open');
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
    const finding = 'Adds without checking for NaN.';
    server.route = request => (request.body.response_format
      ? completionReply(JSON.stringify({ findings: [{ startLine: 3, endLine: 3, severity: 'warning', message: finding, replacement: null }] }))
      : undefined);
    const before = server.chatRequests().length;
    try {
      await send('@comet /review ');
      await waitFor('the review summary in the chat', async () => (await answers()).some(a => a.includes(finding) && /1 finding in the Problems panel/.test(a)), 40_000);
      const reviewed = server.chatRequests().slice(before).find(r => r.body.response_format);
      assert.ok(reviewed, 'the review went to Comet\'s endpoint with a response format');
      assert.equal(reviewed.body.model, 'gpt-5.4', 'with the Comet model picked in the chat');
      const diagnostics = vscode.languages.getDiagnostics(uri).filter(d => d.source === 'Comet');
      assert.deepEqual(diagnostics.map(d => [d.range.start.line, d.message]), [[2, finding]]);
    } finally {
      await vscode.commands.executeCommand('comet.clearReview');
    }
  });
});
