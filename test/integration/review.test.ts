// Review into the Problems panel, in a real VS Code against the loopback server: Review Selection's findings as
// diagnostics on the reviewed lines, its quick fixes run the way the lightbulb runs them, a reply that is not JSON,
// Cancel in the progress notification, and Fix with Comet on another source's diagnostic.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completionReply, unsupportedFormatReply, type OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setUpComet, workspaceFile } from './helpers';
import { waitFor, waitForLastAssistant, workbench } from './webview';

const FIXTURE = 'src/review-fixture.ts';
const CODE = [
  '// Review fixture.', //                            1
  'export function total(items: number[]): number {', // 2
  '  let sum = 0;', //                                3
  '  for (let i = 0; i <= items.length; i++) {', //   4
  '    sum += items[i];', //                          5
  '  }', //                                           6
  '  return sum;', //                                 7
  '}', //                                             8
  '', //                                              9
].join('\n');

interface Outcome {
  state: string;
  message: string;
  findings: number;
}

const review = (findings: object[]) => JSON.stringify({ findings });

describe('Comet review in a real VS Code', function () {
  this.timeout(180_000);
  let server: OpenAITestServer;
  let uri: vscode.Uri;
  let editor: vscode.TextEditor;

  before(async () => {
    server = await setUpComet();
    uri = workspaceFile(FIXTURE);
  });
  after(async () => {
    await vscode.commands.executeCommand('comet.clearReview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    await vscode.commands.executeCommand('comet.clearReview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Earlier notifications would crowd the toasts these tests read and click.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(CODE));
    const document = await vscode.workspace.openTextDocument(uri);
    // A fix applied by an earlier test left the open document edited; put the fixture back and save it.
    if (document.getText() !== CODE) {
      const reset = new vscode.WorkspaceEdit();
      reset.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), CODE);
      await vscode.workspace.applyEdit(reset);
    }
    if (document.isDirty) await document.save();
    editor = await vscode.window.showTextDocument(document);
    // Lines 3-7, the body of total().
    editor.selection = new vscode.Selection(2, 0, 6, 13);
  });

  const cometDiagnostics = () => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'Comet');
  const actionsAt = (range: vscode.Range) => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);

  it('puts the findings in the Problems panel on the reviewed lines, from a strict json_schema request', async () => {
    server.enqueue(
      completionReply(
        review([
          { startLine: 4, endLine: 4, severity: 'error', message: 'Off by one: i <= items.length reads past the end.', replacement: '  for (let i = 0; i < items.length; i++) {' },
          { startLine: 3, endLine: 7, severity: 'info', message: 'reduce() would say this in one line.', replacement: null },
          { startLine: 1, endLine: 1, severity: 'warning', message: 'Outside the selection.', replacement: null },
        ]),
      ),
    );
    const outcome = await vscode.commands.executeCommand<Outcome>('comet.reviewSelection');
    assert.equal(outcome.state, 'done');
    assert.equal(outcome.findings, 2);
    assert.match(outcome.message, /1 finding pointed outside lines 3-7 and was left out/);

    const diagnostics = cometDiagnostics().sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(diagnostics.map(d => [d.range.start.line, d.range.end.line, d.severity]), [
      [2, 6, vscode.DiagnosticSeverity.Information],
      [3, 3, vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(diagnostics[1].message, /Off by one/);

    const [request] = server.chatRequests();
    assert.equal(request.body.stream, false);
    assert.equal(request.body.response_format.type, 'json_schema');
    assert.equal(request.body.response_format.json_schema.strict, true);
    assert.match(request.body.messages.at(-1).content, /Review lines 3-7 of src\/review-fixture\.ts \(typescript\)/);
  });

  it("applies a one-line fix from the quick fix, and the finding's diagnostic goes with the edit", async () => {
    server.enqueue(completionReply(review([{ startLine: 4, endLine: 4, severity: 'error', message: 'Off by one.', replacement: '  for (let i = 0; i < items.length; i++) {' }])));
    await vscode.commands.executeCommand('comet.reviewSelection');
    const [diagnostic] = cometDiagnostics();
    const actions = await actionsAt(diagnostic.range);
    const apply = actions.find(a => a.title === "Apply Comet's fix");
    assert.ok(apply?.edit, `the quick fixes offered: ${actions.map(a => a.title).join(', ')}`);
    assert.ok(actions.some(a => a.title === 'Ask Comet about this'));
    assert.ok(!actions.some(a => a.title === 'Fix with Comet'), "Comet's own findings get their own fixes");
    assert.ok(await vscode.workspace.applyEdit(apply.edit));

    assert.equal(editor.document.lineAt(3).text, '  for (let i = 0; i < items.length; i++) {');
    assert.equal(editor.document.lineAt(4).text, '    sum += items[i];', 'the other lines are as they were');
    await waitFor('the fixed finding to leave the Problems panel', async () => cometDiagnostics().length === 0);
  });

  it('Ask Comet about this opens the chat with the finding and its code', async () => {
    await newChat();
    server.enqueue(completionReply(review([{ startLine: 5, endLine: 5, severity: 'warning', message: 'items[i] is undefined on the last round.', replacement: null }])));
    await vscode.commands.executeCommand('comet.reviewSelection');
    const [diagnostic] = cometDiagnostics();
    const actions = await actionsAt(diagnostic.range);
    assert.ok(!actions.some(a => a.title === "Apply Comet's fix"), 'a finding without a fix offers none');
    const ask = actions.find(a => a.title === 'Ask Comet about this');
    assert.ok(ask?.command);
    await vscode.commands.executeCommand(ask.command.command, ...(ask.command.arguments ?? []));
    await waitForLastAssistant('done', 60_000);
    const content: string = server.chatRequests()[1].body.messages.at(-1).content;
    assert.match(content, /flagged line 5 \(warning\): items\[i\] is undefined on the last round\./);
    assert.match(content, /src\/review-fixture\.ts \(typescript\), lines 5-5/);
    assert.ok(content.includes('    sum += items[i];'));
  });

  it('applies a fix of several lines through a diff that the user accepts', async () => {
    const replacement = '  for (const item of items) {\n    sum += item;';
    server.enqueue(completionReply(review([
      { startLine: 4, endLine: 5, severity: 'warning', message: 'Index loop reads past the end.', replacement },
      { startLine: 7, endLine: 7, severity: 'info', message: 'Elsewhere.', replacement: null },
    ])));
    await vscode.commands.executeCommand('comet.reviewSelection');
    const diagnostic = cometDiagnostics().find(d => d.message.startsWith('Index loop'))!;
    const apply = (await actionsAt(diagnostic.range)).find(a => a.title === "Apply Comet's fix");
    assert.ok(apply?.command && !apply.edit, 'a multi-line fix goes through the diff, not straight into the file');
    await vscode.commands.executeCommand(apply.command.command, ...(apply.command.arguments ?? []));
    await waitFor('the diff of the fix', async () => vscode.window.activeTextEditor?.document.uri.scheme === 'comet-proposed');
    assert.ok(editor.document.getText().includes('i <= items.length'), 'nothing changes before Accept');
    await vscode.commands.executeCommand('comet.acceptProposedChange');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.ok(text.includes('  for (const item of items) {\n    sum += item;\n  }\n  return sum;'), text);
    await waitFor('the finding to go with its lines', async () => cometDiagnostics().length === 1);
    assert.deepEqual(cometDiagnostics().map(d => [d.message, d.range.start.line]), [['Elsewhere.', 6]], 'a finding on other lines stays');
  });

  it('falls back to json_object when the endpoint refuses json_schema', async () => {
    server.enqueue(unsupportedFormatReply('json_schema'), completionReply(review([{ startLine: 7, endLine: 7, severity: 'info', message: 'Fine.', replacement: null }])));
    const outcome = await vscode.commands.executeCommand<Outcome>('comet.reviewSelection');
    assert.equal(outcome.findings, 1);
    assert.deepEqual(server.chatRequests().map(r => r.body.response_format?.type), ['json_schema', 'json_object']);
  });

  it('says clearly that a reply which is not JSON could not be used, and shows no findings', async () => {
    server.enqueue(completionReply('The code looks fine to me!'));
    const outcome = await vscode.commands.executeCommand<Outcome>('comet.reviewSelection');
    assert.equal(outcome.state, 'failed');
    assert.match(outcome.message, /could not be used: the reply is not JSON/);
    assert.equal(cometDiagnostics().length, 0);
    // The notification center lists it whether or not its toast is still on screen.
    await vscode.commands.executeCommand('notifications.showList');
    try {
      await waitFor('the error notification', async () =>
        (await workbench.evaluate<string>(`document.querySelector('.notifications-center')?.textContent ?? ''`)).includes('Comet: The review could not be used'));
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('Cancel in the progress notification stops the request and leaves nothing behind', async () => {
    server.enqueue({ kind: 'silent' });
    const running = vscode.commands.executeCommand<Outcome>('comet.reviewSelection');
    await server.waitForChatRequests(1, 60_000);
    // The notification as a toast, or in the notification center where a crowded screen puts it.
    const clicked = async () => {
      const found = await workbench.evaluate<boolean>(`(() => {
        const item = Array.from(document.querySelectorAll('.notification-list-item')).find(t => t.textContent.includes('Comet: reviewing'));
        const button = item && Array.from(item.querySelectorAll('.monaco-button')).find(b => b.textContent.trim() === 'Cancel');
        if (button) button.click();
        return !!button;
      })()`);
      if (!found) await vscode.commands.executeCommand('notifications.showList');
      return found;
    };
    await waitFor('the Cancel button of the review notification', clicked, 60_000);
    await vscode.commands.executeCommand('notifications.hideList');
    const outcome = await running;
    assert.equal(outcome.state, 'cancelled', outcome.message);
    assert.equal(cometDiagnostics().length, 0);
    await waitFor('the notification to close', async () =>
      !(await workbench.evaluate<boolean>(`Array.from(document.querySelectorAll('.notification-list-item')).some(t => t.textContent.includes('Comet: reviewing'))`)));
    assert.equal(server.chatRequests().length, 1, 'no other mode was tried after Cancel');
  });

  it('Review File reviews every line, and Clear takes all findings away', async () => {
    server.enqueue(completionReply(review([{ startLine: 1, endLine: 1, severity: 'info', message: 'A comment that says nothing.', replacement: null }])));
    const outcome = await vscode.commands.executeCommand<Outcome>('comet.reviewFile');
    assert.equal(outcome.findings, 1);
    assert.match(server.chatRequests()[0].body.messages.at(-1).content, /Review lines 1-9 of/);
    await vscode.commands.executeCommand('comet.clearReview');
    assert.equal(cometDiagnostics().length, 0);
  });

  it("Fix with Comet on another tool's diagnostic asks the chat with the problem, the code around it and the path", async () => {
    await newChat();
    const lint = vscode.languages.createDiagnosticCollection('test-lint');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(4, 4, 4, 20), "Index may be out of bounds.", vscode.DiagnosticSeverity.Warning);
      problem.source = 'testlint';
      problem.code = 'no-oob';
      lint.set(uri, [problem]);
      const fix = (await actionsAt(problem.range)).find(a => a.title === 'Fix with Comet');
      assert.ok(fix?.command);
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      await waitForLastAssistant('done', 60_000);
      const content: string = server.chatRequests()[0].body.messages.at(-1).content;
      assert.match(content, /Fix this problem at line 5 \(reported by testlint no-oob\): Index may be out of bounds\./);
      assert.match(content, /src\/review-fixture\.ts \(typescript\), lines 1-9/);
      assert.ok(content.includes('    sum += items[i];'));
    } finally {
      lint.dispose();
    }
  });
});
