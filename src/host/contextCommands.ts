// The learned model rules in VS Code: kept in globalState (they concern endpoints, not one workspace), and the
// "Comet: Reset Learned Model Rules" command, which writes what it forgets to the Comet log and says how many.
// Beside it the other context command: "Comet: Condense Conversation" asks the model for a summary of the chat so far;
// the summary is then the newest turn, so it goes with later requests while the older turns are the first left out.
import * as vscode from 'vscode';
import { LearnedRules, type LearnedRuleMap } from '../core/learnedRules';
import type { ChatSession } from '../core/chatSession';
import type { CommandHandlers } from './commandIds';

export const CONDENSE_PROMPT =
  'Condense our conversation so far into a compact summary I can keep working from: the goal, the decisions made, ' +
  'the code and files involved (with paths), and what is still open. Leave out pleasantries and anything superseded.';

const STATE_KEY = 'comet.learnedModelRules';

export function learnedModelRules(state: vscode.Memento, log: vscode.LogOutputChannel): LearnedRules {
  const rules = new LearnedRules(
    { read: () => state.get<LearnedRuleMap>(STATE_KEY) ?? {}, write: async value => state.update(STATE_KEY, value) },
    message => log.info(message),
  );
  for (const line of rules.describe()) log.info(`learned model rule: ${line}`);
  return rules;
}

export function contextCommands(session: ChatSession, rules: LearnedRules, log: vscode.LogOutputChannel): Pick<CommandHandlers, 'resetLearnedModelRules' | 'condenseConversation'> {
  return {
    condenseConversation: () => session.ask({ text: CONDENSE_PROMPT }),
    resetLearnedModelRules: async () => {
      const lines = rules.describe();
      await rules.clear();
      for (const line of lines) log.info(`forgot: ${line}`);
      const said = lines.length
        ? lines.length === 1 ? vscode.l10n.t('Comet forgot {0} learned model rule: {1}', lines.length, lines.join('; ')) : vscode.l10n.t('Comet forgot {0} learned model rules: {1}', lines.length, lines.join('; '))
        : vscode.l10n.t('Comet has learned no model rules.');
      void vscode.window.showInformationMessage(said);
      return lines;
    },
  };
}
