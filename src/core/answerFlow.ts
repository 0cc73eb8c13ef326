// One answer from request to end, around the turn: the request is fitted to the model's context window and to what
// the endpoint is known to take, and a rejection gets one fix each: a context overflow one retry with a tighter
// budget, a rejected parameter one retry with it dropped or changed (learned for that endpoint and model). A retry
// happens only when nothing of the answer (or of a later tool round's) had arrived, and never twice for the same
// parameter, so it cannot loop.
import * as l10n from '@vscode/l10n';
import type { ChatBackend } from '../llm/chatClient';
import { adaptationForFailure, applyAdaptation, carries, type Adaptation } from '../llm/adaptation';
import { buildChatRequest, samplingFor, toolCallIdsFor, type ChatMessage, type ChatRequestBody, type SamplingChange } from '../llm/request';
import { reasoningForModel } from '../llm/reasoningHistory';
import { WIRE_PARAMETERS } from '../llm/rejection';
import type { ContextUse, ToolCallView } from '../shared/domain';
import { runTurn, type TurnResult, type TurnTools } from './chatTurn';
import { fitHistory } from './contextBudget';
import { answerReserve, contextWindowFor, shortTokens, type ContextWindow } from './contextWindow';
import { adaptationNote, type LearnedRules } from './learnedRules';
import type { Settings } from './settings';
import { estimateTokens, type TokenCalibration } from './tokenEstimate';

/** The overflow retry sends at most this share of the first budget. */
const TIGHTER_BUDGET = 0.5;
const MAX_ATTEMPTS = 2 + WIRE_PARAMETERS.length;

export interface AnswerRequest {
  settings: Settings;
  instruction: string;
  history: readonly ChatMessage[];
  backend: ChatBackend;
  signal: AbortSignal;
  offered?: { definitions: import('../shared/domain').ToolDefinition[]; tools: TurnTools };
  rules: LearnedRules;
  calibration: TokenCalibration;
  /** The window GET /models reported for this model, if it did. */
  reportedWindow?: number;
  log(message: string): void;
  onDelta(text: string, reasoning: string): void;
  onToolCall(call: ToolCallView): void;
}

export interface AnswerOutcome extends TurnResult {
  notes: string[];
  context: ContextUse;
}

interface Plan {
  body: ChatRequestBody;
  estimated: number;
  omitted: number;
  learned: Adaptation[];
}

export async function answerQuestion(request: AnswerRequest): Promise<AnswerOutcome> {
  const { settings } = request;
  const window = contextWindowFor(settings.model, settings.contextWindow, request.reportedWindow);
  const adapted: Adaptation[] = [];
  const notes: string[] = [];
  let scale = 1;
  let plan = planRequest(request, window, scale, adapted);
  const adapt = async (fix: Adaptation) => {
    adapted.push(fix);
    notes.push(adaptationNote(fix, false));
    await request.rules.learn(settings.baseUrl, settings.model, fix);
  };
  for (let attempt = 1; ; attempt++) {
    request.log(`request: model=${settings.model} baseUrl=${settings.baseUrl} messages=${plan.body.messages.length} context≈${shortTokens(plan.estimated)}/${shortTokens(window.tokens)} (${window.source})${plan.omitted ? ` omitted=${plan.omitted}` : ''}`);
    const result = await runTurn({
      backend: request.backend,
      body: plan.body,
      signal: request.signal,
      idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
      tools: plan.body.tools ? request.offered?.tools : undefined,
      laterRounds: {
        // A later round's messages are the first round's and the tool rounds since, whose ids Comet may have made.
        shape: body => {
          const shaped = adapted.reduce(applyAdaptation, request.rules.apply(settings.baseUrl, settings.model, body, { streaming: settings.stream }).body);
          return { ...shaped, messages: toolCallIdsFor(settings.model, shaped.messages) };
        },
        recover: async (failure, body) => {
          const fix = adaptationForFailure(failure, body, adapted, { streaming: settings.stream });
          // Only what the first round did not carry (an earlier round's reasoning_content): a parameter that round
          // was answered with is no parameter the endpoint refuses, whatever a later round's error says.
          if (!fix || carries(plan.body, fix.param, { streaming: settings.stream })) return undefined;
          await adapt(fix);
          return applyAdaptation(body, fix);
        },
      },
      onToolCall: request.onToolCall,
      onDelta: request.onDelta,
    });
    const fix = attempt < MAX_ATTEMPTS ? nextFix(result, plan, settings, adapted, scale) : undefined;
    if (fix === 'tighter') {
      // Only a retry that leaves out more is worth sending: with nothing earlier to drop (a first question, or one
      // whose selection alone is too long), the same request would fail the same way.
      const tighter = planRequest(request, window, scale * TIGHTER_BUDGET, adapted);
      request.log(`context overflow (${result.failure?.message ?? ''}): ${tighter.omitted > plan.omitted ? 'retrying with a tighter budget' : 'nothing earlier to leave out'}`);
      if (tighter.omitted > plan.omitted) {
        scale *= TIGHTER_BUDGET;
        plan = tighter;
        notes.push(l10n.t("The request was longer than the model's context window: sent again with fewer earlier messages."));
        continue;
      }
    } else if (fix) {
      await adapt(fix);
      plan = planRequest(request, window, scale, adapted);
      continue;
    }
    return finish(request, result, plan, window, adapted, notes);
  }
}

// A retry only when the request failed before anything of the answer arrived.
function nextFix(result: TurnResult, plan: Plan, settings: Settings, adapted: Adaptation[], scale: number): Adaptation | 'tighter' | undefined {
  const failure = result.failure;
  if (result.end !== 'error' || !failure || result.text || result.reasoning || result.transcript.length) return undefined;
  if (failure.kind === 'context-length') return scale === 1 ? 'tighter' : undefined;
  return adaptationForFailure(failure, plan.body, adapted, { streaming: settings.stream });
}

function planRequest(request: AnswerRequest, window: ContextWindow, scale: number, adapted: readonly Adaptation[]): Plan {
  const { settings, calibration } = request;
  const calibrated = (messages: readonly ChatMessage[], extra = '') => calibration.calibrated(settings.model, estimateTokens(messages, extra));
  const toolsText = request.offered ? JSON.stringify(request.offered.definitions) : '';
  const fixed = calibrated([{ role: 'system', content: request.instruction }], toolsText);
  const budget = Math.floor((window.tokens - answerReserve(window.tokens, settings.maxTokens)) * scale) - fixed;
  const history = reasoningForModel(settings.model, request.history);
  const fit = fitHistory({ history, budget, estimate: messages => calibrated(messages) });
  const built = buildChatRequest(settings, request.instruction, fit.messages, request.offered?.definitions);
  const learned = request.rules.apply(settings.baseUrl, settings.model, built, { streaming: settings.stream });
  const body = adapted.reduce(applyAdaptation, learned.body);
  return { body, estimated: fit.estimatedTokens + fixed, omitted: fit.omittedMessages, learned: learned.applied };
}

function finish(request: AnswerRequest, result: TurnResult, plan: Plan, window: ContextWindow, adapted: Adaptation[], notes: string[]): AnswerOutcome {
  const { settings } = request;
  const learnedNotes = plan.learned.filter(rule => !adapted.some(done => done.param === rule.param)).map(rule => adaptationNote(rule, true));
  const omitted = plan.omitted
    ? [plan.omitted === 1
      ? l10n.t("{0} earlier message not sent: they don't fit the {1} context window ({2}).", plan.omitted, shortTokens(window.tokens), window.source)
      : l10n.t("{0} earlier messages not sent: they don't fit the {1} context window ({2}).", plan.omitted, shortTokens(window.tokens), window.source)]
    : [];
  // Prompt tokens add up over tool rounds; only a one-round answer measures the request that was fitted.
  const oneRound = !result.transcript.some(message => message.role === 'tool');
  if (oneRound && result.usage?.promptTokens) {
    const toolsText = plan.body.tools ? JSON.stringify(plan.body.tools) : '';
    request.calibration.record(settings.model, estimateTokens(plan.body.messages, toolsText), result.usage.promptTokens);
  }
  const used = oneRound && result.usage?.promptTokens ? result.usage.promptTokens : plan.estimated;
  const sampling = samplingFor(settings).changes.map(samplingNote);
  return { ...result, notes: [...omitted, ...sampling, ...learnedNotes, ...notes], context: { used, window: window.tokens, source: window.source } };
}

function samplingNote(change: SamplingChange): string {
  const setting = change.param === 'temperature' ? 'comet.temperature' : 'comet.topP';
  return change.sent === undefined
    ? l10n.t("This model doesn't take {0} (a reasoning model): {1} was not sent.", change.param, setting)
    : l10n.t("{0} {1} is above this model's range (0–{2}): sent {3}.", setting, change.asked, String(change.max), String(change.sent));
}
