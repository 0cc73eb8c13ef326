// The panel works for everyone: axe-core (WCAG 2.1 A and AA), run inside the real webview frame, finds no serious or
// critical violation in each default theme of the VS Code under test, on a conversation with every kind of entry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { chunk, textReply, toolCallReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setUpComet } from './helpers';
import { click, evaluate, screenshot, waitFor, waitForLastAssistant } from './webview';

const MARKDOWN = [
  'Here is what I found:\n\n',
  '- a **list** item with `inline code`\n- a [link to the docs](https://example.com/docs)\n\n',
  '| Name | Kind |\n| --- | --- |\n| add | function |\n| Point | interface |\n\n',
  '```ts\nexport function add(a: number, b: number): number { return a + b; } // a line long enough to scroll sideways in a narrow panel\n',
  'const text = "string"; let n = 42; class Point { x = 0 }\n```\n\nDone.',
];

const KIND = { light: 'vscode-light', dark: 'vscode-dark', highContrast: 'vscode-high-contrast', highContrastLight: 'vscode-high-contrast-light' };

interface Violation { id: string; impact: string; help: string; nodes: string[] }

/** Runs axe-core inside the chat frame (evaluated through the bridge, so the webview's CSP does not apply). */
async function axeViolations(): Promise<Violation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return evaluate<Violation[]>(`(() => {
    ${source}
    return window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
      .then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').slice(0, 200)) })));
  })()`);
}

async function buildConversation(server: OpenAITestServer): Promise<void> {
  server.enqueue(
    toolCallReply([{ id: 'call_list', name: 'list_files', args: { path: 'src' } }]),
    { kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({ reasoning_content: 'Thinking about the files.' }), ...(textReply(MARKDOWN) as { chunks: object[] }).chunks.slice(1)] },
  );
  await askComet('What is in src?');
  await waitFor('highlighting', () => evaluate<boolean>('!!document.querySelector("pre code.hljs")'));
  server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Invalid token', type: 'authentication_error' } } });
  await askComet('and again?', 'error');
  server.enqueue(textReply(['A partial answer that ', 'is cut off'], { hold: true }));
  void vscode.commands.executeCommand('comet.ask', 'one more');
  await waitFor('the partial answer', () => evaluate<boolean>('document.body.innerText.includes("is cut off")'));
  await click('#stop');
  await waitForLastAssistant('stopped');
}

describe('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  let server: OpenAITestServer;
  const themes = JSON.parse(process.env.COMET_TEST_THEMES ?? 'null') as Record<string, string> | null;

  before(async () => {
    server = await setUpComet();
    await newChat();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    server.close();
  });

  // Mocha runs a suite's own tests before its nested suites: this sees the empty chat.
  it('finds none in the first-run empty state, whose actions and examples are all reachable', async () => {
    await waitFor('the empty state', () => evaluate<boolean>('getComputedStyle(document.getElementById("empty-state")).display !== "none"'));
    assert.deepEqual(await axeViolations(), []);
    const reachable = await evaluate<string[]>('Array.from(document.querySelectorAll("#empty-state button")).filter(b => b.offsetParent && b.tabIndex >= 0).map(b => b.textContent)');
    assert.ok(reachable.includes('Choose Endpoint…') && reachable.filter(text => text.endsWith('?') || text.endsWith('.')).length === 3, JSON.stringify(reachable));
  });

  describe('on a conversation with every kind of entry', () => {
    before(() => buildConversation(server));

    for (const which of ['light', 'dark', 'highContrast', 'highContrastLight'] as const) {
      it(`finds no serious or critical violation in the default ${which} theme`, async function () {
        this.timeout(120_000);
        assert.ok(themes, 'the runner passes the theme names of the version under test');
        const name = themes[which];
        await vscode.workspace.getConfiguration('workbench').update('colorTheme', name, vscode.ConfigurationTarget.Global);
        // Each step changes the kind of theme (the body's class), and VS Code keeps the current theme for a name it does
        // not know, so a wrong name fails here.
        await waitFor(`the webview in ${name}`, () => evaluate<boolean>(`${JSON.stringify(KIND[which])} === ['vscode-light', 'vscode-dark', 'vscode-high-contrast-light', 'vscode-high-contrast'].find(c => document.body.classList.contains(c))`));
        const violations = await axeViolations();
        await screenshot(`accessibility-${which}.png`, '.part.sidebar');
        assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
      });
    }
  });
});

