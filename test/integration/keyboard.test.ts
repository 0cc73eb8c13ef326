// Comet with the keyboard alone: send and stay in the composer, Tab through an answer to its code block and scroll it
// with the arrow keys, the arrow keys between messages, Escape stops, and Stop leaves the focus in the composer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { newChat, setUpComet } from './helpers';
import { chatIsShown, click, entries, evaluate, fill, press, waitFor, waitForLastAssistant, workbench } from './webview';

const LONG_LINE = `const wide = [${Array.from({ length: 40 }, (_, i) => i * 1000).join(', ')}];`;
const ANSWER = ['Try this:\n\n', '```ts\n', `${LONG_LINE}\n`, '```\n\nThat is all.'];

/** Which message has the focus itself (its index in the conversation), or -1. */
const focusedMessage = () => evaluate<number>('Array.from(document.getElementById("messages").children).indexOf(document.activeElement)');
const tabStops = () => evaluate<number[]>('Array.from(document.getElementById("messages").children).flatMap((el, i) => el.tabIndex === 0 ? [i] : [])');

async function ask(question: string): Promise<void> {
  await fill('#prompt', question);
  await press('#prompt', 'Enter');
  await waitFor(`the answer to "${question}"`, async () => {
    const all = await entries();
    return all.at(-2)?.text.includes(question) && all.at(-1)?.state === 'done';
  });
}

const focused = () => evaluate<string>(`(() => { const el = document.activeElement; return el ? el.id || el.dataset.action || el.tagName.toLowerCase() : ''; })()`);

describe('keyboard only', () => {
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
    // Run alone (COMET_TEST_GREP), no earlier suite has opened the panel.
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the chat', chatIsShown);
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    await newChat();
  });

  it('Enter sends and the focus stays in the composer; Tab reaches the code block, and arrow keys scroll it', async () => {
    server.enqueue(textReply(ANSWER));
    await click('#prompt');
    await fill('#prompt', 'Give me a wide line');
    await press('#prompt', 'Enter');
    await waitForLastAssistant('done');
    assert.equal(await focused(), 'prompt', 'the composer keeps the focus after sending');
    await waitFor('the code block toolbar', () => evaluate<boolean>('!!document.querySelector("[data-action=copy]")'));

    // From the code block's first action, Tab walks its actions in order and then into the block itself.
    await evaluate('document.querySelector("[data-action=copy]").focus()');
    const order = [await focused()];
    for (let i = 0; i < 8 && order.at(-1) !== 'pre'; i++) {
      await workbench.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['copy', 'insert', 'new-file', 'apply-diff', 'wrap', 'pre']);
    const label = await evaluate<string>('document.activeElement.getAttribute("aria-label")');
    assert.equal(label, 'Code, ts');
    const width = await evaluate<{ scroll: number; client: number }>('({ scroll: document.activeElement.scrollWidth, client: document.activeElement.clientWidth })');
    assert.ok(width.scroll > width.client, `the line is wider than the panel (${width.scroll} > ${width.client})`);
    for (let i = 0; i < 5; i++) await workbench.press('ArrowRight');
    await waitFor('the block to scroll sideways', () => evaluate<boolean>('document.activeElement.scrollLeft > 0'));

    // The wrap toggle, by keyboard: the block stops scrolling, and the toggle says it is on.
    await evaluate('document.querySelector("[data-action=wrap]").focus()');
    await workbench.press('Enter');
    assert.equal(await evaluate<string>('document.querySelector("[data-action=wrap]").getAttribute("aria-pressed")'), 'true');
    await waitFor('the wrapped block', () => evaluate<boolean>('(p => p.scrollWidth <= p.clientWidth + 1)(document.querySelector("pre"))'));
    await workbench.press('Enter');
  });

  it('the messages are one list: ↑/↓, Home and End move between them, Tab goes on to their actions and the composer', async () => {
    server.enqueue(textReply(ANSWER), textReply(['The second answer.']));
    await click('#prompt');
    await ask('First question');
    await ask('Second question');
    assert.equal(await evaluate<string>('document.getElementById("messages").getAttribute("role")'), 'list');
    assert.deepEqual(await evaluate<string[]>('Array.from(document.getElementById("messages").children).map(el => el.getAttribute("role"))'), ['listitem', 'listitem', 'listitem', 'listitem']);
    assert.deepEqual(await tabStops(), [3], 'one Tab stop for the messages: the newest');

    // Back from the composer: the last answer's action, then the answer itself.
    await workbench.press('Shift+Tab');
    assert.equal(await focused(), 'regenerate');
    await workbench.press('Shift+Tab');
    assert.equal(await focusedMessage(), 3);

    const walk: number[] = [];
    for (const key of ['ArrowUp', 'ArrowUp', 'Home', 'ArrowUp', 'End', 'ArrowDown', 'ArrowUp', 'ArrowUp']) {
      await workbench.press(key);
      walk.push(await focusedMessage());
    }
    assert.deepEqual(walk, [2, 1, 0, 0, 3, 3, 2, 1]);
    assert.deepEqual(await tabStops(), [1], 'the Tab stop moves with the focus');

    // Tab from the first answer goes into it (its code block's actions), Shift+Tab back to the answer.
    await workbench.press('Tab');
    assert.equal(await focused(), 'copy');
    await workbench.press('Shift+Tab');
    assert.equal(await focusedMessage(), 1);

    // From the last answer, Tab leaves through its action to the composer: no trap.
    await workbench.press('End');
    await workbench.press('Tab');
    assert.equal(await focused(), 'regenerate');
    await workbench.press('Tab');
    assert.equal(await focused(), 'prompt');
  });

  it('the wrap choice is kept when the panel is hidden and shown again', async () => {
    server.enqueue(textReply(ANSWER));
    await click('#prompt');
    await ask('A wide line, please');
    const wrapped = () => evaluate<boolean>('document.body.classList.contains("wrap-code") && document.querySelector("[data-action=wrap]")?.getAttribute("aria-pressed") === "true"');
    assert.equal(await wrapped(), false);
    await click('[data-action=wrap]');
    assert.equal(await wrapped(), true);

    // The panel's page is thrown away when hidden (the marker goes with it) and built anew when shown.
    await evaluate('window.__beforeHiding = true');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the webview to go away', async () => !(await chatIsShown()));
    await vscode.commands.executeCommand('comet.chatView.focus');
    await waitFor('the answer again', async () => (await entries()).at(-1)?.state === 'done');
    assert.equal(await evaluate<boolean>('window.__beforeHiding === true'), false, 'the panel was rebuilt');
    await waitFor('the code block toolbar', () => evaluate<boolean>('!!document.querySelector("[data-action=wrap]")'));
    assert.equal(await wrapped(), true, 'still wrapped after hiding and showing');
    await click('[data-action=wrap]');
    assert.equal(await wrapped(), false);
  });

  it('Escape in the composer stops the answer, and the focus stays there', async () => {
    server.enqueue(textReply(['Streaming ', 'slowly'], { hold: true }));
    await click('#prompt');
    await fill('#prompt', 'Tell me a long story');
    await press('#prompt', 'Enter');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.role === 'assistant' && e.text.includes('slowly')));
    await press('#prompt', 'Escape');
    await waitForLastAssistant('stopped');
    assert.equal(await focused(), 'prompt');
  });

  it('Stop pressed with the keyboard gives the focus back to the composer', async () => {
    server.enqueue(textReply(['Streaming ', 'on and on'], { hold: true }));
    void vscode.commands.executeCommand('comet.ask', 'Another long story');
    await waitFor('the partial answer', async () => (await entries()).some(e => e.role === 'assistant' && e.text.includes('on and on')));
    await waitFor('the Stop button', () => evaluate<boolean>('!document.getElementById("stop").hidden'));
    await press('#stop', 'Enter');
    await waitForLastAssistant('stopped');
    await waitFor('the focus in the composer', async () => (await focused()) === 'prompt');
  });
});
