// The walkthrough in VS Code's Welcome page: its VS Code-chat step shows only where VS Code's chat can use Comet's
// models (the Language Model Chat Provider API, VS Code 1.104+), through the context key Comet sets at activation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateComet, EXTENSION_ID } from './helpers';
import { waitFor, workbench } from './webview';

const [major, minor] = vscode.version.split('.').map(Number);
const hasVsCodeChatModels = major > 1 || minor >= 104;
const STEPS = ['Choose an endpoint or set your key', 'Ask something', 'Explain a selection'];
const CHAT_STEP = "Use Comet's models in VS Code's chat";

const shownSteps = () => workbench.evaluate<string[]>(`Array.from(document.querySelectorAll('.getting-started-step .step-title'))
  .filter(el => el.offsetParent !== null).map(el => el.textContent.trim())`);

describe('the walkthrough', () => {
  before(activateComet);
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it(`shows its steps${hasVsCodeChatModels ? ', with' : ', without'} the VS Code chat step on VS Code ${vscode.version}`, async () => {
    // On VS Code 1.139 opening Comet's walkthrough in the first seconds (about 15 s here) shows VS Code's own "Get
    // Started with VS Code for the Web" instead, as for an id it does not know yet, and later opens keep that page:
    // so it is closed and opened again until Comet's shows. 1.100 shows it on the first try.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const titles = await waitFor('the walkthrough\'s steps', async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#comet.gettingStarted`, false);
      const shown = await waitFor('the steps on this try', async () => {
        const steps = await shownSteps();
        return steps.includes(STEPS[0]) ? steps : undefined;
      }, 2_000).catch(() => undefined);
      if (!shown) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      return shown;
    }, 30_000);
    assert.deepEqual(titles, hasVsCodeChatModels ? [...STEPS, CHAT_STEP] : STEPS);
  });
});
