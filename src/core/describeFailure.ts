// What the chat panel says about a failed request: one sentence naming the cause and the fix, and the button that
// applies it (with the setting it opens). The failure itself comes typed from llm/; the wording and the settings
// are the panel's.
import * as l10n from '@vscode/l10n';
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
        message: l10n.t('Could not reach {0}{1}. Check comet.baseUrl and your network.', request.baseUrl, failure.cause ? ` (${failure.cause})` : ''),
        action: 'openSettings',
        setting: 'comet.baseUrl',
      };
    case 'auth':
      return { message: l10n.t('{0} rejected the API key ({1}). Set a valid key.', host, said), action: 'setApiKey' };
    case 'model-not-found':
      return {
        message: l10n.t('{0} does not know the model "{1}" ({2}). Choose another model in comet.model.', host, request.model, said),
        action: 'openSettings',
        setting: 'comet.model',
      };
    case 'endpoint-not-found':
      return {
        message: l10n.t('{0}/chat/completions was not found ({1}). Check comet.baseUrl; OpenAI-compatible URLs usually end in /v1.', request.baseUrl, said),
        action: 'openSettings',
        setting: 'comet.baseUrl',
      };
    case 'rate-limit':
      return { message: l10n.t('{0} is rate-limiting requests ({1}), still after {2} retries. Wait a moment, then retry.', host, said, request.maxRetries), action: 'retry' };
    case 'quota':
      return { message: l10n.t('{0} says the account is out of quota or credit ({1}). Check your plan or billing, then retry.', host, said), action: 'retry' };
    case 'bad-parameter': {
      const setting = failure.param && PARAMETER_SETTINGS[failure.param];
      return {
        message: l10n.t('{0} rejected the request ({1}).', host, said) + (setting ? l10n.t(' Check {0}.', setting) : ''),
        ...(setting ? { action: 'openSettings' as const, setting } : {}),
      };
    }
    case 'context-length':
      return {
        message: l10n.t("The request is longer than the model's context window ({0}). Start a New Chat, send a shorter question or selection, or set comet.contextWindow to the model's real window.", said),
        action: 'openSettings',
        setting: 'comet.contextWindow',
      };
    case 'server':
      return { message: l10n.t('{0} failed ({1}) after {2} retries. Try again later.', host, said, request.maxRetries), action: 'retry' };
    case 'http':
      return { message: l10n.t('{0} answered {1}', host, said), action: 'retry' };
    case 'provider-error':
      return { message: l10n.t('The provider sent an error mid-stream: {0}', failure.message), action: 'retry' };
    case 'stream-broken':
      return { message: l10n.t('The connection to {0} dropped mid-answer{1}.', host, failure.cause ? ` (${failure.cause})` : ''), action: 'retry' };
    case 'not-chat-completion':
      return {
        message: l10n.t('{0} answered with something other than a chat completion ({1}). Unless that is the provider’s own error, check comet.baseUrl: OpenAI-compatible URLs usually end in /v1.', request.baseUrl, failure.message),
        action: 'openSettings',
        setting: 'comet.baseUrl',
      };
    case 'malformed-stream':
      return { message: l10n.t('{0} sent a stream event that is not valid JSON ({1}).', host, failure.message), action: 'retry' };
    case 'unknown':
      return { message: failure.message, action: 'retry' };
  }
}

function describeTimeout(phase: 'connect' | 'start' | 'idle', idleMs: number, host: string, request: RequestContext): FailureDescription {
  const seconds = Math.round(idleMs / 1000);
  if (phase === 'connect') {
    return {
      message: l10n.t('No answer from {0} within {1} s. Try again, or raise comet.requestTimeoutSeconds for slow models.', host, request.timeoutSeconds),
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  if (phase === 'start') {
    return {
      message: l10n.t('{0} did not start answering within {1} s (it sent only keep-alives, or nothing). Slow reasoning models behind gateways can need more: raise comet.requestTimeoutSeconds, or retry.', host, seconds),
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  return { message: l10n.t('{0} stopped sending for {1} s, so the answer was cut off here. Retry, or raise comet.requestTimeoutSeconds.', host, seconds), action: 'retry' };
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
  const kept = keptPartialText ? l10n.t(' The partial answer above is kept.') : '';
  return { ...description, message: redactSecrets(description.message + kept, apiKey) };
}
