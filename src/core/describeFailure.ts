// What the chat panel says about a failed request: one sentence naming the cause and the fix, and the button that
// applies it (with the setting it opens). The failure itself comes typed from llm/; the wording and the settings
// are the panel's.
import type { ErrorAction, ErrorEntry } from '../shared/domain';
import type { LlmFailure, WireParameter } from '../llm/failure';
import { redactSecrets } from './redact';
import { hostOf } from './credentials';

export interface FailureDescription {
  message: string;
  action?: ErrorAction;
  setting?: string;
}

export interface RequestContext {
  baseUrl: string;
  model: string;
  timeoutSeconds: number;
  maxRetries: number;
}

/** The setting behind each request parameter a provider may reject. */
export const PARAMETER_SETTINGS: Partial<Record<WireParameter, string>> = {
  temperature: 'comet.temperature',
  top_p: 'comet.topP',
  max_tokens: 'comet.maxTokens',
  max_completion_tokens: 'comet.maxTokens',
  reasoning_effort: 'comet.reasoningEffort',
  developer: 'comet.instructionRole',
  stream_options: 'comet.stream',
  tools: 'comet.tools.enabled',
  tool_choice: 'comet.tools.enabled',
  parallel_tool_calls: 'comet.tools.enabled',
};

export function describeFailure(failure: LlmFailure, request: RequestContext): FailureDescription {
  const host = hostOf(request.baseUrl);
  const said = failure.status !== undefined ? `${failure.status}: ${failure.message}` : failure.message;
  switch (failure.kind) {
    case 'timeout':
      return describeTimeout(failure.phase, failure.idleMs ?? 0, host, request);
    case 'too-large':
      // Retrying would get the same oversized answer: no button.
      return { message: `${host}: ${failure.message}` };
    case 'network':
      return {
        message: `Could not reach ${request.baseUrl}${failure.cause ? ` (${failure.cause})` : ''}. Check comet.baseUrl and your network.`,
        action: 'openSettings',
        setting: 'comet.baseUrl',
      };
    case 'auth':
      return { message: `${host} rejected the API key (${said}). Set a valid key.`, action: 'setApiKey' };
    case 'model-not-found':
      return {
        message: `${host} does not know the model "${request.model}" (${said}). Choose another model in comet.model.`,
        action: 'openSettings',
        setting: 'comet.model',
      };
    case 'endpoint-not-found':
      return {
        message: `${request.baseUrl}/chat/completions was not found (${said}). Check comet.baseUrl; OpenAI-compatible URLs usually end in /v1.`,
        action: 'openSettings',
        setting: 'comet.baseUrl',
      };
    case 'rate-limit':
      return { message: `${host} is rate-limiting requests (${said}), still after ${request.maxRetries} retries. Wait a moment, then retry.`, action: 'retry' };
    case 'quota':
      return { message: `${host} says the account is out of quota or credit (${said}). Check your plan or billing, then retry.`, action: 'retry' };
    case 'bad-parameter': {
      const setting = failure.param && PARAMETER_SETTINGS[failure.param];
      return {
        message: `${host} rejected the request (${said}).${setting ? ` Check ${setting}.` : ''}`,
        ...(setting ? { action: 'openSettings' as const, setting } : {}),
      };
    }
    case 'context-length':
      return {
        message: `The conversation is longer than the model's context window, even with fewer earlier messages (${said}). Start a New Chat, or set comet.contextWindow to the model's real window.`,
        action: 'openSettings',
        setting: 'comet.contextWindow',
      };
    case 'server':
      return { message: `${host} failed (${said}) after ${request.maxRetries} retries. Try again later.`, action: 'retry' };
    case 'http':
      return { message: `${host} answered ${said}`, action: 'retry' };
    case 'provider-error':
      return { message: `The provider sent an error mid-stream: ${failure.message}`, action: 'retry' };
    case 'stream-broken':
      return { message: `The connection to ${host} dropped mid-answer${failure.cause ? ` (${failure.cause})` : ''}.`, action: 'retry' };
    case 'malformed-stream':
      return { message: `${host} sent a stream event that is not valid JSON (${failure.message}).`, action: 'retry' };
    case 'unknown':
      return { message: failure.message, action: 'retry' };
  }
}

function describeTimeout(phase: 'connect' | 'start' | 'idle', idleMs: number, host: string, request: RequestContext): FailureDescription {
  const seconds = Math.round(idleMs / 1000);
  if (phase === 'connect') {
    return {
      message: `No answer from ${host} within ${request.timeoutSeconds} s. Try again, or raise comet.requestTimeoutSeconds for slow models.`,
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  if (phase === 'start') {
    return {
      message: `${host} did not start answering within ${seconds} s (it sent only keep-alives, or nothing). Slow reasoning models behind gateways can need more: raise comet.requestTimeoutSeconds, or retry.`,
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  return { message: `${host} stopped sending for ${seconds} s, so the answer was cut off here. Retry, or raise comet.requestTimeoutSeconds.`, action: 'retry' };
}

/** The error entry that follows a failed answer: the description, redacted, and whether the partial text stays. */
export function failureEntry(
  failure: LlmFailure,
  settings: { baseUrl: string; model: string; requestTimeoutSeconds: number; maxRetries: number },
  apiKey: string | undefined,
  keptPartialText: boolean,
): Omit<ErrorEntry, 'kind' | 'id'> {
  const description = describeFailure(failure, {
    baseUrl: settings.baseUrl,
    model: settings.model,
    timeoutSeconds: settings.requestTimeoutSeconds,
    maxRetries: settings.maxRetries,
  });
  const kept = keptPartialText ? ' The partial answer above is kept.' : '';
  return { ...description, message: redactSecrets(description.message + kept, apiKey) };
}
