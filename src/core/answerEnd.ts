// Pure: how an answer's entry ends, from what its turn returned. The end state, usage and finish reason; the speed
// figures; and the one-line notice for an ending the user should hear about.
import * as l10n from '@vscode/l10n';
import type { AssistantEntry } from '../shared/domain';
import type { TurnResult } from './chatTurn';

export interface AnswerTiming {
  startedAt: number;
  /** When the first text or reasoning arrived, if any did. */
  firstTokenAt?: number;
  endedAt: number;
}

/** What an ending by finish reason means, and what the user can do about it. */
const ENDINGS: Readonly<Record<string, string>> = {
  length: l10n.t('The answer was cut off at the token limit (comet.maxTokens or the model’s maximum). Click Continue to have it go on, or raise comet.maxTokens.'),
  content_filter: l10n.t('The provider’s content filter stopped this answer (finish_reason: content_filter). What arrived is above; rephrase the question to try again.'),
};

/** The fields an entry takes when its turn ends (its text and reasoning are already whole: written as they streamed). */
export function answerEnd(result: TurnResult, timing: AnswerTiming, maxToolRounds: number, hadToolCalls: boolean): Partial<AssistantEntry> {
  const end: Partial<AssistantEntry> = { state: result.end };
  if (result.finishReason) end.finishReason = result.finishReason;
  if (result.usage) end.usage = result.usage;
  if (result.model) end.model = result.model;
  if (timing.firstTokenAt !== undefined) {
    end.timeToFirstTokenMs = timing.firstTokenAt - timing.startedAt;
    const generatingSeconds = (timing.endedAt - timing.firstTokenAt) / 1000;
    if (result.usage && generatingSeconds > 0.05) end.tokensPerSecond = Math.round(result.usage.completionTokens / generatingSeconds);
  }
  if (result.end === 'error' && result.text) end.interrupted = true;
  if (result.refused) end.refusal = true;
  if (result.roundLimitHit) {
    end.notice = l10n.t('Stopped after {0} tool rounds (comet.tools.maxRounds); the model still wanted more. Ask it to continue, or raise the limit.', maxToolRounds);
  } else if (result.refused) {
    end.notice = l10n.t('The model refused this request; its answer above is the refusal. Rephrase the question, or ask another model.');
  } else if (result.end === 'done' && result.finishReason && ENDINGS[result.finishReason]) {
    end.notice = ENDINGS[result.finishReason];
  } else if (result.end === 'done' && result.mayBeCut) {
    // A proxy that closes the connection cleanly (a read timeout, say) leaves an answer that looks whole, or empty.
    end.notice = l10n.t('The stream ended without a finish reason or [DONE], so this answer may be cut off. Regenerate it to try again.');
  } else if (result.end === 'done' && !result.text && !hadToolCalls) {
    // Say so rather than show a blank answer: some gateways end a refused or failed request this way.
    end.notice = result.finishReason ? l10n.t('The model sent an empty answer (finish_reason: {0}).', result.finishReason) : l10n.t('The model sent an empty answer and no finish reason.');
  }
  return end;
}
