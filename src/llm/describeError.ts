// Turns whatever a request threw into one sentence naming the cause and the fix, plus the button that applies it.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ErrorAction } from '../shared/protocol';
import { categorize } from './errorResponse';
import { StreamIdleTimeoutError, StreamNotStartedError, StreamPayloadError } from './streamErrors';

export interface ErrorDescription {
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

// The request parameter a provider complains about -> the setting that produced it.
const PARAM_SETTINGS: Record<string, string> = {
  temperature: 'comet.temperature',
  top_p: 'comet.topP',
  max_tokens: 'comet.maxTokens',
  max_completion_tokens: 'comet.maxTokens',
  reasoning_effort: 'comet.reasoningEffort',
  developer: 'comet.instructionRole',
};

export function describeError(error: unknown, request: RequestContext): ErrorDescription {
  const host = hostOf(request.baseUrl);
  if (error instanceof APIConnectionTimeoutError) {
    return {
      message: `No answer from ${host} within ${request.timeoutSeconds} s. Try again, or raise comet.requestTimeoutSeconds for slow models.`,
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  if (error instanceof StreamNotStartedError) {
    return {
      message: `${host} did not start answering within ${Math.round(error.idleMs / 1000)} s (it sent only keep-alives, or nothing). Slow reasoning models behind gateways can need more: raise comet.requestTimeoutSeconds, or retry.`,
      action: 'openSettings',
      setting: 'comet.requestTimeoutSeconds',
    };
  }
  if (error instanceof StreamIdleTimeoutError) {
    return {
      message: `${host} stopped sending for ${Math.round(error.idleMs / 1000)} s, so the answer was cut off here. Retry, or raise comet.requestTimeoutSeconds.`,
      action: 'retry',
    };
  }
  if (error instanceof APIConnectionError) {
    const cause = causeCode(error);
    return {
      message: `Could not reach ${request.baseUrl}${cause ? ` (${cause})` : ''}. Check comet.baseUrl and your network.`,
      action: 'openSettings',
      setting: 'comet.baseUrl',
    };
  }
  if (error instanceof APIError && error.status !== undefined) return describeHttpError(error, request, host);
  if (error instanceof APIError || error instanceof StreamPayloadError) {
    const detail = error instanceof APIError ? providerMessage(error) : error.message;
    return { message: `The provider sent an error mid-stream: ${detail}`, action: 'retry' };
  }
  if (error instanceof Error && !(error instanceof APIError) && isDroppedConnection(error)) {
    const cause = causeCode(error);
    return { message: `The connection to ${host} dropped mid-answer${cause ? ` (${cause})` : ''}.`, action: 'retry' };
  }
  if (error instanceof SyntaxError) {
    return { message: `${host} sent a stream event that is not valid JSON (${error.message}).`, action: 'retry' };
  }
  return { message: error instanceof Error ? error.message : String(error), action: 'retry' };
}

function describeHttpError(error: APIError, request: RequestContext, host: string): ErrorDescription {
  const status = error.status as number;
  const detail = providerMessage(error);
  const category = categorize({ error: { message: detail, type: error.type, code: error.code ?? undefined } });
  if (status === 401 || status === 403) {
    return { message: `${host} rejected the API key (${status}: ${detail}). Set a valid key.`, action: 'setApiKey' };
  }
  if (category === 'model_not_found') {
    return {
      message: `${host} does not know the model "${request.model}" (${status}: ${detail}). Choose another model in comet.model.`,
      action: 'openSettings',
      setting: 'comet.model',
    };
  }
  if (status === 404) {
    return {
      message: `${request.baseUrl}/chat/completions was not found (404: ${detail}). Check comet.baseUrl; OpenAI-compatible URLs usually end in /v1.`,
      action: 'openSettings',
      setting: 'comet.baseUrl',
    };
  }
  if (status === 429) {
    return {
      message: `${host} is rate-limiting requests (429: ${detail}), still after ${request.maxRetries} retries. Wait a moment, then retry.`,
      action: 'retry',
    };
  }
  if (status === 400 || status === 422 || category === 'bad_request') {
    const setting = settingBehind(error, detail);
    return {
      message: `${host} rejected the request (${status}: ${detail}).${setting ? ` Check ${setting}.` : ''}`,
      ...(setting ? { action: 'openSettings' as const, setting } : {}),
    };
  }
  if (status >= 500) {
    return { message: `${host} failed (${status}: ${detail}) after ${request.maxRetries} retries. Try again later.`, action: 'retry' };
  }
  return { message: `${host} answered ${status}: ${detail}`, action: 'retry' };
}

function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  // The SDK prefixes its message with the status; drop it, the caller says the status itself.
  return error.message.replace(/^\d{3}\s+/, '') || 'no details';
}

function settingBehind(error: APIError, detail: string): string | undefined {
  if (error.param && PARAM_SETTINGS[error.param]) return PARAM_SETTINGS[error.param];
  for (const [param, setting] of Object.entries(PARAM_SETTINGS)) {
    if (new RegExp(`\\b${param}\\b`).test(detail)) return setting;
  }
  return undefined;
}

// undici reports a body cut off mid-read as TypeError "terminated", with the socket error as its cause.
function isDroppedConnection(error: Error): boolean {
  return error.message === 'terminated' || /^(?:ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_ABORTED)$/.test(causeCode(error) ?? '');
}

function causeCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
