// The chat session's side of an answer: it holds what outlives one question (the learned rules, the token
// calibration), hands the turn's deltas and tool calls to the live answer, and logs the request and the reply.
import type { ChatEntry } from '../shared/domain';
import { answerQuestion, type AnswerOutcome } from './answerFlow';
import type { Conversation } from './conversation';
import { LearnedRules, memoryRulesStore } from './learnedRules';
import type { LiveAnswer } from './liveAnswer';
import type { ChatSessionPorts } from './ports';
import { ReportedWindows } from './reportedWindows';
import type { Settings } from './settings';
import { estimateTokens, TokenCalibration } from './tokenEstimate';
import { offerTools, type ToolApprovals } from './toolApprovals';

export const BASE_INSTRUCTION =
  'You are Comet, an AI coding assistant inside VS Code. Answer precisely and concisely in Markdown. ' +
  'Put code in fenced blocks with a language tag. When the user shares code, refer to it by file and line.';

export class AnswerRunner {
  private readonly calibration = new TokenCalibration();
  private readonly windows: ReportedWindows | undefined;
  readonly rules: LearnedRules;

  constructor(private readonly ports: ChatSessionPorts, private readonly approvals: ToolApprovals) {
    this.rules = ports.learnedRules ?? new LearnedRules(memoryRulesStore(), message => ports.log.info(message));
    this.windows = ports.listModels && new ReportedWindows(ports.listModels);
  }

  /** Streams the answer into `live` and returns how it ended, with its notes and context use set on the entry. */
  async run(settings: Settings, apiKey: string | undefined, signal: AbortSignal, conversation: Conversation, live: LiveAnswer): Promise<AnswerOutcome> {
    const history = conversation.history();
    const earlier = conversationTokens(conversation.entries);
    const log = this.ports.log;
    const started = Date.now();
    const instruction = settings.instructions.trim() ? `${BASE_INSTRUCTION}\n\n${settings.instructions.trim()}` : BASE_INSTRUCTION;
    const result = await answerQuestion({
      settings,
      instruction,
      history,
      backend: this.ports.createBackend(settings, apiKey),
      signal,
      offered: offerTools(settings, this.ports.createToolbox, this.approvals),
      rules: this.rules,
      calibration: this.calibration,
      reportedWindow: settings.contextWindow ? undefined : await this.windows?.windowFor(settings, apiKey, estimateTokens(history, instruction)),
      log: message => log.info(message),
      onToolCall: call => {
        live.updateToolCall(call);
        log.info(`tool ${call.name} ${call.state}${call.summary ? `: ${call.summary}` : ''}`);
      },
      onDelta: (text, reasoning) => live.addDelta(text, reasoning),
    });
    const totals = { in: earlier.in + (result.usage?.promptTokens ?? 0), out: earlier.out + (result.usage?.completionTokens ?? 0) };
    Object.assign(live.entry, { context: { ...result.context, conversationTokens: totals }, ...(result.notes.length ? { notes: result.notes } : {}) });
    for (const note of result.notes) log.info(`note: ${note}`);
    log.info(
      `reply ${result.end} in ${Date.now() - started} ms: finish=${result.finishReason ?? '-'} chars=${result.text.length}` +
        (result.usage ? ` tokens=${result.usage.promptTokens}/${result.usage.completionTokens}` : ''),
    );
    return result;
  }
}

/** Tokens in and out of the answers so far. */
function conversationTokens(entries: readonly ChatEntry[]): { in: number; out: number } {
  let tokensIn = 0;
  let tokensOut = 0;
  for (const entry of entries) {
    if (entry.kind !== 'assistant' || !entry.usage) continue;
    tokensIn += entry.usage.promptTokens;
    tokensOut += entry.usage.completionTokens;
  }
  return { in: tokensIn, out: tokensOut };
}
