// `@comet`'s answer through the chat's model (`request.model.sendRequest`), with Comet's read-only workspace tools
// (read_file, search, list_files) offered as LanguageModelChatTools. The model's tool calls run through Comet's
// toolbox, behind the same path policy and secret-file deny list as the panel, at most MAX_TOOL_CALLS_PER_REPLY per
// reply and comet.tools.maxRounds rounds; the results go back as tool-result parts until the model stops calling.
import * as vscode from 'vscode';
import { MAX_TOOL_CALLS_PER_REPLY } from '../core/chatTurn';
import type { Settings } from '../core/settings';
import type { Toolbox } from '../core/tools/toolbox';

export interface ParticipantTools {
  toolbox: Toolbox;
  settings: Settings;
}

const PREVIEW = 80;

/** Streams the model's answer into the chat, running its tool calls; resolves when the model has answered. */
export async function answerWithTools(
  model: vscode.LanguageModelChat,
  messages: vscode.LanguageModelChatMessage[],
  tools: ParticipantTools | undefined,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<void> {
  const offered: vscode.LanguageModelChatTool[] = (tools?.toolbox.definitions() ?? []).map(tool => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters }));
  const abort = new AbortController();
  const onCancel = token.onCancellationRequested(() => abort.abort());
  try {
    for (let round = 0; ; round++) {
      const response = await model.sendRequest(messages, offered.length ? { tools: offered } : {}, token);
      let text = '';
      const calls: vscode.LanguageModelToolCallPart[] = [];
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          stream.markdown(part.value);
          text += part.value;
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls.push(part);
        }
      }
      if (!calls.length || !tools || token.isCancellationRequested) return;
      if (round >= tools.settings.tools.maxRounds) {
        stream.markdown(`\n\n_${vscode.l10n.t('Stopped after {0} tool rounds (comet.tools.maxRounds).', round)}_`);
        return;
      }
      messages.push(vscode.LanguageModelChatMessage.Assistant([...(text ? [new vscode.LanguageModelTextPart(text)] : []), ...calls]));
      const results: vscode.LanguageModelToolResultPart[] = [];
      for (const [i, call] of calls.entries()) {
        const content = i < MAX_TOOL_CALLS_PER_REPLY
          ? await runCall(call, tools, stream, abort.signal)
          : `Error: this reply asked for ${calls.length} tool calls; only the first ${MAX_TOOL_CALLS_PER_REPLY} ran. Call this one again in your next reply if you still need it.`;
        if (token.isCancellationRequested) return;
        results.push(new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart(content)]));
      }
      messages.push(vscode.LanguageModelChatMessage.User(results));
    }
  } finally {
    onCancel.dispose();
  }
}

async function runCall(call: vscode.LanguageModelToolCallPart, tools: ParticipantTools, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<string> {
  const args = JSON.stringify(call.input ?? {});
  const shown = `${call.name} ${args.length > PREVIEW ? `${args.slice(0, PREVIEW)}…` : args}`;
  if (tools.settings.tools.approval === 'ask' && !(await allowed(shown))) {
    stream.progress(vscode.l10n.t('Denied: {0}', shown));
    return 'Error: the user denied this tool call. Do not retry it; answer with what you have or ask the user.';
  }
  stream.progress(`Comet: ${shown}`);
  try {
    const outcome = await tools.toolbox.run({ id: call.callId, name: call.name, arguments: args }, signal);
    if (!outcome.ok) stream.progress(`${call.name}: ${outcome.summary}`);
    return outcome.content;
  } catch {
    // Only a cancellation gets here (the toolbox turns every other failure into a result).
    return 'Error: the user stopped this tool call.';
  }
}

/** comet.tools.approval = ask: the chat has no Allow button for a participant's own tools, so a modal asks. */
async function allowed(shown: string): Promise<boolean> {
  const allow = vscode.l10n.t('Allow');
  return (await vscode.window.showInformationMessage(vscode.l10n.t('Comet wants to run {0}', shown), { modal: true }, allow)) === allow;
}
