// Whatever a request threw, as one typed failure: what went wrong, with the status, the provider's own message and
// the request id where there are any. llm/ says what happened on the wire; the front ends (the chat panel, VS Code's
// chat) decide what the user reads and which fix they offer.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { categorize, streamedErrorMessage } from './errorResponse';
import { errorCode } from './networkFailure';
import { recognizeRejection, type WireParameter } from './rejection';
import { NotAChatCompletionError, ResponseTooLargeError, StreamIdleTimeoutError, StreamLineTooLongError, StreamNotStartedError, StreamPayloadError } from './streamErrors';

interface FailureFacts {
  /** The HTTP status, when the server answered with one. */
  status?: number;
  /** The provider's own message, or the error's text; never the request's key (callers redact anyway). */
  message: string;
  /** The provider's request id (`x-request-id`), for support tickets. */
  requestId?: string;
}

export type LlmFailure = FailureFacts &
  (
    | { kind: 'auth' }
    | { kind: 'model-not-found' }
    /** The URL itself is wrong: no chat/completions there. */
    | { kind: 'endpoint-not-found' }
    /** The request was rejected as invalid; `param` is the wire parameter blamed, where it can be told, and `reason`
     *  whether the parameter itself or only its value is not taken. */
    | { kind: 'bad-parameter'; param?: WireParameter; reason?: 'unsupported' | 'value' }
    /** The request did not fit the model's context window, whatever the provider's wording. */
    | { kind: 'context-length' }
    | { kind: 'rate-limit' }
    | { kind: 'quota' }
    /** The server could not be reached; `cause` is the socket error code. */
    | { kind: 'network'; cause?: string }
    /**
     * `connect`: no response headers in time; `start`: the stream opened but sent only keep-alives (or nothing) for
     * `idleMs`; `idle`: the answer had started, then went quiet for `idleMs`.
     */
    | { kind: 'timeout'; phase: 'connect' | 'start' | 'idle'; idleMs?: number }
    /** A stream line, event or whole answer passed its bound (`limitBytes`); what came before is kept. */
    | { kind: 'too-large'; limitBytes: number }
    | { kind: 'server' }
    /** The connection dropped mid-answer. */
    | { kind: 'stream-broken'; cause?: string }
    /** The provider reported an error inside a stream that had started. */
    | { kind: 'provider-error' }
    /** A stream event that is not valid JSON. */
    | { kind: 'malformed-stream' }
    /** A 2xx answer that is not a chat completion at all (`message` is the start of it): most often a wrong base URL. */
    | { kind: 'not-chat-completion' }
    /** Any other HTTP status. */
    | { kind: 'http' }
    | { kind: 'unknown' }
  );

export type FailureKind = LlmFailure['kind'];

export { WIRE_PARAMETERS, type WireParameter } from './rejection';

/** `answerStarted`: some of the answer had arrived before the error (an overflow then is only a stream that failed). */
export function toFailure(error: unknown, { answerStarted = false }: { answerStarted?: boolean } = {}): LlmFailure {
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout', phase: 'connect', message: error.message };
  if (error instanceof StreamNotStartedError) return { kind: 'timeout', phase: 'start', idleMs: error.idleMs, message: error.message };
  if (error instanceof StreamIdleTimeoutError) return { kind: 'timeout', phase: 'idle', idleMs: error.idleMs, message: error.message };
  if (error instanceof StreamLineTooLongError || error instanceof ResponseTooLargeError) return { kind: 'too-large', limitBytes: error.limitBytes, message: error.message };
  if (error instanceof APIConnectionError) return { kind: 'network', cause: errorCode(error.cause), message: error.message };
  if (error instanceof APIError && error.status !== undefined) return httpFailure(error);
  if (error instanceof APIError) return streamedFailure(answerStarted, providerMessage(error), error.type, error.code ?? undefined, requestId(error));
  if (error instanceof StreamPayloadError) return streamedFailure(answerStarted, error.message);
  if (error instanceof NotAChatCompletionError) return { kind: 'not-chat-completion', message: error.excerpt };
  if (error instanceof Error && isDroppedConnection(error)) return { kind: 'stream-broken', cause: errorCode(error.cause), message: error.message };
  if (error instanceof SyntaxError) return { kind: 'malformed-stream', message: error.message };
  return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

function httpFailure(error: APIError): LlmFailure {
  const status = error.status as number;
  const facts = { status, message: providerMessage(error), ...requestId(error) };
  const category = categorize({ error: { message: facts.message, type: error.type, code: error.code ?? undefined } });
  if (status === 401 || status === 403) return { kind: 'auth', ...facts };
  if (category === 'model_not_found') return { kind: 'model-not-found', ...facts };
  const rejection = recognizeRejection(status, { message: facts.message, type: error.type, code: error.code ?? undefined, param: error.param ?? undefined });
  // A 404 is a wrong address, unless a gateway says no provider it routes to takes a parameter the request carried.
  if (status === 404 && rejection?.kind !== 'parameter') return { kind: 'endpoint-not-found', ...facts };
  if (status === 402 || isQuota(status, `${error.code ?? ''} ${error.type ?? ''}`, facts.message)) return { kind: 'quota', ...facts };
  if (status === 429) return { kind: 'rate-limit', ...facts };
  if (rejection?.kind === 'context-length') return { kind: 'context-length', ...facts };
  // A 5xx that refuses a parameter by name (llama.cpp: 500 "Cannot use tools with stream") is a bad request too.
  if (status === 400 || status === 404 || status === 422 || category === 'bad_request' || rejection?.kind === 'parameter') {
    return { kind: 'bad-parameter', ...(rejection ? { param: rejection.param, reason: rejection.reason } : {}), ...facts };
  }
  if (status >= 500) return { kind: 'server', ...facts };
  return { kind: 'http', ...facts };
}

// A quota by code or type, unless a 429 says it is counted per second, minute or hour (Cerebras: code
// "request_quota_exceeded", "Requests per minute limit exceeded"): that passes, and is a rate limit.
const PER_SHORT_TIME = /\bper (?:second|minute|hour)\b|\b[RT]P[SM]\b/i;

function isQuota(status: number, codeAndType: string, message: string): boolean {
  if (/insufficient_quota|billing|credit/i.test(codeAndType)) return true;
  return /quota/i.test(codeAndType) && !(status === 429 && PER_SHORT_TIME.test(message));
}

// An error inside a 200 stream before any of the answer (SGLang and vLLM report an overflow so) is still an
// overflow, and goes to the context budget as a 400's would.
function streamedFailure(answerStarted: boolean, message: string, type?: string, code?: string | number, id: { requestId?: string } = {}): LlmFailure {
  if (!answerStarted && recognizeRejection(undefined, { message, type, code })?.kind === 'context-length') return { kind: 'context-length', message, ...id };
  return { kind: 'provider-error', message, ...id };
}

function providerMessage(error: APIError): string {
  // An error body was made into the envelope already (its upstream's reason in its message); an error inside a
  // stream reaches here as the provider sent it.
  const message = streamedErrorMessage(error.error);
  if (message) return message;
  // The SDK prefixes its message with the status; drop it, the caller says the status itself.
  return error.message.replace(/^\d{3}\s+/, '') || 'no details';
}

function requestId(error: APIError): { requestId?: string } {
  return error.requestID ? { requestId: error.requestID } : {};
}

// undici reports a body cut off mid-read as TypeError "terminated", with the socket error as its cause.
function isDroppedConnection(error: Error): boolean {
  return error.message === 'terminated' || /^(?:ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_ABORTED)$/.test(errorCode(error.cause) ?? '');
}
