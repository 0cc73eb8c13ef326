// Two windows (two code-server tabs) on one workspace each start a conversation; a third window opened afterwards
// lists both, and so do the first two: the store is the workspace's, not the window's. Runs in a window load of its
// own (the runner's "two-windows" phase, a fresh profile).
import * as assert from 'node:assert/strict';
import { textReply, type OpenAITestServer } from '../support/openaiTestServer';
import { askComet, newChat, setUpComet } from './helpers';
import { closeWindows, evaluate, openWindow, type OtherWindow, waitFor } from './webview';

const LIST = `Array.from(document.querySelectorAll('#conversation-select option')).map(o => o.textContent)`;
const BOTH = ['Asked in the first window', 'Asked in the second window'];

describe('two windows on one workspace in a real VS Code', function () {
  this.timeout(300_000);
  let server: OpenAITestServer;

  before(async () => {
    server = await setUpComet();
  });
  after(async () => {
    await closeWindows();
    await server.close();
  });

  /** Opens a window and its chat view (Ctrl+Alt+; focuses it), waiting generously: the machine is shared. */
  async function chatWindow(): Promise<OtherWindow> {
    const other = await openWindow();
    await waitFor('the chat view in the new window', async () => {
      if (await other.hasChat().catch(() => false)) return true;
      await other.workbenchPress('Control+Alt+;').catch(() => undefined);
      return false;
    }, 180_000);
    return other;
  }

  it('every window lists the conversations each window started', async () => {
    server.reset();
    await newChat();
    server.enqueue(textReply(['First answer.']));
    await askComet(BOTH[0]);

    const second = await chatWindow();
    // The second window opens on the newest conversation (the first window's), restored once its list arrives. Only
    // then does it start a new one: a New Chat clicked before the restore would be undone by it, and the second
    // question would land in the first window's conversation.
    await waitFor('the first conversation restored in the second window', () => second.evaluate<boolean>(
      `${LIST}.includes(${JSON.stringify(BOTH[0])}) && document.querySelectorAll('[data-role=assistant]').length > 0`), 120_000);
    await second.click('#new-chat');
    await waitFor('an empty chat in the second window', () => second.evaluate<boolean>(`document.querySelectorAll('[data-role=user], [data-role=assistant]').length === 0`), 60_000);
    server.enqueue(textReply(['Second answer.']));
    await second.fill('#prompt', BOTH[1]);
    await second.press('#prompt', 'Enter');
    await waitFor('the answer in the second window', () => second.evaluate<boolean>(`Array.from(document.querySelectorAll('[data-role=assistant]')).some(el => el.dataset.state === 'done' && el.innerText.includes('Second answer.'))`), 120_000);
    await waitFor('the second conversation listed in the second window', () => second.evaluate<boolean>(`${LIST}.includes(${JSON.stringify(BOTH[1])})`), 60_000);

    const third = await chatWindow();
    const listsBoth = async (list: () => Promise<string[]>) => {
      const titles = await list();
      return BOTH.every(title => titles.includes(title)) ? titles : undefined;
    };
    await waitFor('both conversations in the third window', () => listsBoth(() => third.evaluate<string[]>(LIST)), 120_000);
    await waitFor('both conversations in the second window', () => listsBoth(() => second.evaluate<string[]>(LIST)), 60_000);
    const first = await waitFor('both conversations in the first window', () => listsBoth(() => evaluate<string[]>(LIST)), 60_000);
    assert.equal(first.filter(title => BOTH.includes(title)).length, 2);
  });
});
