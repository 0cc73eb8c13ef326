// The walkthrough in VS Code's Welcome page: its VS Code-chat step shows only where VS Code's chat can use Comet's
// models (the Language Model Chat Provider API, VS Code 1.104+), through the context key Comet sets at activation.
// It runs in the before-reload window load, where VS Code's chat has not been used: on 1.139, once the chat view has
// answered (nativeChatView.test.ts), the Welcome list leaves out extensions' walkthroughs (Comet's and the built-in
// Copilot Chat's alike) for the rest of that window, and openWalkthrough shows VS Code's own; not understood.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateComet } from './helpers';
import { waitFor, workbench } from './webview';

const [major, minor] = vscode.version.split('.').map(Number);
const hasVsCodeChatModels = major > 1 || minor >= 104;
const STEPS = ['Choose an endpoint or set your key', 'Ask something', 'Explain a selection'];
const CHAT_STEP = "Use Comet's models in VS Code's chat";
const TITLE = 'Get Started with Comet';

const shownSteps = () => workbench.evaluate<string[]>(`Array.from(document.querySelectorAll('.getting-started-step .step-title'))
  .filter(el => el.offsetParent !== null).map(el => el.textContent.trim())`);

describe('the walkthrough', () => {
  before(activateComet);
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it(`shows its steps${hasVsCodeChatModels ? ', with' : ', without'} the VS Code chat step on VS Code ${vscode.version}`, async () => {
    // Opened as a user does, from Welcome: Open Walkthrough….
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const quickInput = () => workbench.evaluate<string>(`document.querySelector('.quick-input-widget')?.innerText ?? ''`);
    void vscode.commands.executeCommand('welcome.showAllWalkthroughs');
    await waitFor('Comet\'s walkthrough in the list', async () => (await quickInput()).includes(TITLE));
    await workbench.type('Comet');
    await waitFor('the list focused on it', async () =>
      (await workbench.evaluate<string>(`document.querySelector('.quick-input-widget .monaco-list-row.focused')?.innerText ?? ''`)).includes(TITLE));
    await workbench.press('Enter');
    const titles = await waitFor('the walkthrough\'s steps', async () => {
      const steps = await shownSteps();
      return steps.includes(STEPS[0]) ? steps : undefined;
    });
    assert.deepEqual(titles, hasVsCodeChatModels ? [...STEPS, CHAT_STEP] : STEPS);
  });
});
