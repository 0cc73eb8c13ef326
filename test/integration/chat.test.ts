// The foundation end to end in a real VS Code: commands, the real webview in Chromium, the loopback server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, setSetting, TEST_KEY, useCometSuite, workspaceFile } from './helpers';
import { chatIsShown, click, entries, entrySelector, evaluate, fill, press, screenshot, waitFor, waitForLastAssistant, wheel, workbench } from './webview';

describe('Comet chat in a real VS Code', () => {
  let server: OpenAITestServer;

  useCometSuite(started => (server = started));

  it('runs on the VS Code and the extension host Node of the version under test', () => {
    // The runner says which version it started (test/support/vscodeVersions.ts).
    const expected = { vscode: process.env.COMET_TEST_VSCODE_VERSION, node: process.env.COMET_TEST_NODE_MAJOR };
    assert.ok(expected.vscode && expected.node, 'the runner passes the version under test');
    assert.equal(vscode.version, expected.vscode);
    assert.equal(process.versions.node.split('.')[0], expected.node);
  });

  it('Ask Comet with an argument streams the answer into the panel', async () => {
    server.enqueue(textReply(['Streaming ', '**works**', ' fine.'], { delayMs: 30 }));
    const shown = await askComet('Does streaming work?');
    assert.equal(shown[0].role, 'user');
    assert.equal(shown[0].text.trim(), 'Does streaming work?');
    assert.match(shown[1].text, /Streaming works fine\./);
    assert.equal(await evaluate('document.querySelector("[data-role=assistant] strong")?.textContent'), 'works');

    const [request] = server.chatRequests();
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.stream_options, { include_usage: true });
    assert.equal(request.body.messages[0].role, 'developer');
    assert.deepEqual(request.body.messages[1], { role: 'user', content: 'Does streaming work?' });
    assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
  });

  it('Explain Selection sends the path, language, line range and code', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('src/math.ts'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(5, 0, 8, 1); // fibonacci(), lines 6-9
    await vscode.commands.executeCommand('comet.explainSelection');
    const shown = await waitForLastAssistant('done');
    const content: string = server.chatRequests()[0].body.messages[1].content;
    assert.match(content, /src\/math\.ts \(typescript\), lines 6-9/);
    assert.ok(content.includes('export function fibonacci(n: number): number {'));
    assert.ok(content.includes('```typescript'));
    assert.match(shown[0].text, /src\/math\.ts:6-9/);
  });

  it('Stop mid-stream keeps the partial text and marks it stopped', async () => {
    const answer = [
      '`fibonacci` calls itself twice per step, so its cost grows **exponentially**:\n\n',
      '- `fibonacci(30)` makes ~1.6 million calls\n- each call repeats work done before\n\n',
      'Memoize it, or loop:\n\n```ts\nexport function fibonacci(n: number): number {\n',
      '  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n',
      '  return a;\n}\n```\n\nThis runs in linear time and',
    ];
    server.enqueue(textReply(answer, { hold: true, delayMs: 20 }));
    void vscode.commands.executeCommand('comet.ask', 'Why is fibonacci slow?');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.role === 'assistant' && e.text.includes('linear time and')));
    const spinning = await workbench.evaluate<boolean>(`!!document.querySelector('.statusbar-item .codicon-loading')`);
    assert.ok(spinning, 'the status bar item shows progress while the answer streams');
    await screenshot('chat-mid-answer.png');
    await screenshot('chat-panel-mid-answer.png', '.part.sidebar');
    await click('#stop');
    const shown = await waitForLastAssistant('stopped');
    assert.match(shown[1].text, /This runs in linear time and/);
    assert.match(shown[1].text, /Stopped\./);
  });

  it('a streaming answer keeps the chat at its end until the wheel scrolls up, and again once scrolled back down', async () => {
    // Longer than the test takes on a slow machine (45 s): it stops the answer at its end.
    server.enqueue(textReply(Array.from({ length: 3000 }, (_, i) => `Line ${i} of a long answer.\n\n`), { hold: true, delayMs: 15 }));
    void vscode.commands.executeCommand('comet.ask', 'Tell me at length.');
    type Scroll = { fromEnd: number; top: number; lines: number };
    const scroll = () => evaluate<Scroll>(`(() => {
      const s = document.scrollingElement;
      const answer = Array.from(document.querySelectorAll('${entrySelector('assistant')}')).at(-1);
      return { fromEnd: s.scrollHeight - s.scrollTop - s.clientHeight, top: s.scrollTop, lines: answer ? answer.querySelectorAll('p').length : 0 };
    })()`);
    // Following: at the end again and again while the answer grows (a sample may fall between a redraw and its scroll).
    const atEndWhileGrowing = (what: string, from: Scroll, by: number) => waitFor(what, async () => {
      const now = await scroll();
      return now.lines >= from.lines + by && now.fromEnd < 40 && now;
    });
    const first = await waitFor('an answer taller than the panel', async () => { const s = await scroll(); return s.top > 200 && s.lines > 40 && s; });
    await atEndWhileGrowing('the chat at its end as the answer grows', first, 10);
    await wheel('#messages', -1_000);
    await waitFor('the wheel to scroll up', async () => (await scroll()).fromEnd > 400);
    await new Promise(resolve => setTimeout(resolve, 500)); // the wheel scrolls smoothly: where it came to rest
    const scrolledUp = await scroll();
    const later = await waitFor('40 more lines', async () => { const s = await scroll(); return s.lines >= scrolledUp.lines + 40 && s; });
    assert.ok(Math.abs(later.top - scrolledUp.top) < 2, `the chat stays where the user scrolled: ${scrolledUp.top} then ${later.top}`);
    // As a user does: turn the wheel down until the end is reached (the wheel scrolls smoothly while the answer grows).
    await waitFor('the wheel to reach the end', async () => (await scroll()).fromEnd < 40 || void (await wheel('#messages', 5_000)));
    await atEndWhileGrowing('the chat following again', await scroll(), 20);
    await click('#stop');
    await waitForLastAssistant('stopped');
  });

  it('a 401 shows the error with a Set API Key action, without the key', async () => {
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Invalid token', type: 'authentication_error' } } });
    await askComet('hi', 'error');
    const error = (await entries()).find(e => e.role === 'error');
    assert.ok(error, 'an error entry is shown');
    assert.match(error.text, /rejected the API key \(401: Invalid token\)/);
    assert.deepEqual(error.actions, ['set-api-key']);
    assert.ok(!error.text.includes(TEST_KEY));
  });

  it('without a key for a remote endpoint nothing is sent and the panel offers Set API Key', async () => {
    // An endpoint no key was set for (and no server answers: nothing may be sent anywhere).
    await setSetting('baseUrl', 'http://comet-no-key.invalid/v1');
    try {
      await waitFor('the no-key banner', () => evaluate<boolean>('!document.getElementById("key-banner").hidden'));
      await vscode.commands.executeCommand('comet.ask', 'hi');
      const error = await waitFor('the no-key error', async () => (await entries()).find(e => e.role === 'error'));
      assert.match(error.text, /No API key is set for http:\/\/comet-no-key\.invalid/);
      assert.deepEqual(error.actions, ['set-api-key']);
      assert.equal(server.chatRequests().length, 0);
      // Each fact once: the banner does not repeat the error's Set API Key.
      assert.equal(await evaluate<string>('getComputedStyle(document.getElementById("key-banner")).display'), 'none');
    } finally {
      await setSetting('baseUrl', server.baseUrl);
    }
    await waitFor('the banner to hide', () => evaluate<boolean>('document.getElementById("key-banner").hidden'));
  });

  it('a server on this machine needs no key: without one, the request carries none', async () => {
    await vscode.commands.executeCommand('comet.clearApiKey');
    try {
      await waitFor('no banner for a local server', () => evaluate<boolean>('document.getElementById("key-banner").hidden'));
      server.enqueue(textReply(['Local answer.']));
      await askComet('hi');
      const [request] = server.chatRequests();
      assert.equal(request.headers.authorization, undefined);
    } finally {
      await vscode.commands.executeCommand('comet.setApiKey', TEST_KEY);
    }
  });

  it('a bad setting names the setting and sends nothing', async () => {
    await setSetting('temperature', 9);
    try {
      await vscode.commands.executeCommand('comet.ask', 'hi');
      const error = await waitFor('the settings error', async () => (await entries()).find(e => e.role === 'error'));
      assert.match(error.text, /comet\.temperature must be between 0 and 2, not 9/);
      assert.deepEqual(error.actions, ['open-settings']);
      assert.equal(server.chatRequests().length, 0);
    } finally {
      await setSetting('temperature', undefined);
    }
  });

  it('a question sent from the composer shows in the task its Enter runs in, and the host\'s entry takes its place', async () => {
    server.enqueue(textReply(['Seen.']));
    await fill('#prompt', 'Shown at once?');
    // Enter and a look at the chat in one task of the page: no message from the host can come between them.
    const atOnce = await evaluate<string[]>(`(() => {
      document.getElementById('prompt').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      return Array.from(document.querySelectorAll('${entrySelector('user')}')).map(e => e.querySelector('.user-text').textContent + (e.dataset.sent ? ' (as sent)' : ''));
    })()`);
    assert.equal(atOnce.at(-1), 'Shown at once? (as sent)');
    await waitForLastAssistant('done');
    const users = await evaluate<string[]>(`Array.from(document.querySelectorAll('${entrySelector('user')}')).map(e => e.querySelector('.user-text').textContent + ' ' + e.dataset.id)`);
    assert.equal(users.filter(text => text.startsWith('Shown at once?')).length, 1, `one entry for the question: ${users.join(' | ')}`);
    assert.doesNotMatch(users.at(-1)!, /sent:/, 'the host\'s entry, with the host\'s id');
    assert.equal(await evaluate<number>('document.querySelectorAll("#messages [data-sent]").length'), 0);
  });

  it('Up in an empty composer recalls the last question, and Escape stops the answer', async () => {
    server.enqueue(textReply(['Never ', 'finishes'], { hold: true }));
    await fill('#prompt', 'A question to recall');
    await press('#prompt', 'Enter');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.role === 'assistant' && e.text.includes('finishes')));
    await press('#prompt', 'Escape');
    await waitForLastAssistant('stopped');
    await press('#prompt', 'ArrowUp');
    assert.equal(await evaluate<string>('document.getElementById("prompt").value'), 'A question to recall');
    await fill('#prompt', '');
  });

  it('Ctrl+Alt+; focuses the chat', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    await workbench.evaluate('document.querySelector(".monaco-workbench").focus()');
    await workbench.press('Control+Alt+Semicolon');
    await waitFor('the chat to show', chatIsShown);
    // The panel opens with the keyboard in the composer, ready to type.
    await waitFor('the focus in the composer', () => evaluate<boolean>('document.activeElement?.id === "prompt"'));
  });

  it('Ask Comet from the command palette, with the chat closed, opens the chat on the question and the whole answer, once', async () => {
    // No editor, so no selection rides along (the Explain Selection test above leaves one).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    // Slow enough that the answer is streaming while the panel's page is built anew: the question does not wait for
    // the chat to show, so its first words are posted before the page is there (they reach it in its restore).
    server.enqueue(textReply(['Asked ', 'from ', 'the ', 'palette.'], { delayMs: 60 }));
    await workbench.evaluate('document.querySelector(".monaco-workbench").focus()');
    await workbench.press('F1');
    await workbench.type('Comet: Ask Comet');
    const focusedRow = `document.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent ?? ''`;
    await waitFor('Ask Comet first in the palette', async () => (await workbench.evaluate<string>(focusedRow)).includes('Ask Comet'));
    await workbench.press('Enter');
    await waitFor('the question box', () => workbench.evaluate<boolean>(`document.querySelector('.quick-input-widget input')?.placeholder === 'Ask a question'`));
    await workbench.type('Where does this go?');
    await workbench.press('Enter');

    const shown = await waitForLastAssistant('done');
    assert.deepEqual(shown.map(entry => entry.role), ['user', 'assistant']);
    assert.equal(shown[0].text.trim(), 'Where does this go?');
    assert.match(shown[1].text, /^\s*Asked from the palette\./);
    assert.equal(shown[1].text.split('Asked from').length, 2, `the answer's text shown once: ${shown[1].text}`);
    assert.equal(server.chatRequests().length, 1);
  });

  it('a settings change applies to the next request without a reload', async () => {
    await setSetting('model', 'claude-sonnet-4-5');
    try {
      await askComet('hi');
      const { body } = server.chatRequests()[0];
      assert.equal(body.model, 'claude-sonnet-4-5');
      assert.equal(body.messages[0].role, 'system');
    } finally {
      await setSetting('model', undefined);
    }
  });

  it('the composer sends on Enter and the chat survives hiding and re-showing the panel', async () => {
    server.enqueue(textReply(['Kept ', 'across ', 'reloads.']));
    await waitFor('the composer', () => evaluate<boolean>('!!document.getElementById("prompt")'));
    await fill('#prompt', 'Remember me');
    await press('#prompt', 'Enter');
    await waitForLastAssistant('done');

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    await vscode.commands.executeCommand('comet.chatView.focus');
    const shown = await waitForLastAssistant('done');
    assert.equal(shown[0].text.trim(), 'Remember me');
    assert.match(shown[1].text, /Kept across reloads\./);
  });
});
