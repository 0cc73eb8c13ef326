// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// The one place that talks to the network, through the official `openai` SDK: it parses SSE, retries 429/5xx with
// backoff honouring Retry-After, and raises typed errors. We add the error-envelope fetch, and keep the network's
// own failures apart from the SDK's deadline (networkFailure.ts), and nothing else.
import OpenAI from 'openai';
import type { ChatRequestBody } from './request';
import { bodyExcerpt, createEnvelopingFetch, streamSaidDone } from './envelopingFetch';
import { withNetworkFailuresTyped } from './networkFailure';
import { NotAChatCompletionError } from './streamErrors';

export interface Connection {
  baseUrl: string;
  /** Undefined: send no Authorization header at all (local servers that need no key). */
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/** Yielded once the server has answered with a stream, before its first chunk: from here on, silence is a stall. */
export const STREAM_OPENED = Symbol('stream opened');

/** Yielded after a stream's last chunk when the stream ended without `[DONE]` (the finish reason is the
 *  accumulator's to tell): with neither, a proxy may have closed the connection in the middle of the answer. */
export const STREAM_ENDED_UNSAID = Symbol('stream ended without [DONE]');

/** Yields STREAM_OPENED, then parsed chunks (or, when not streaming, the one whole completion) for the accumulator,
 *  then, for a stream that did not say it was done, STREAM_ENDED_UNSAID. */
export type ChatBackend = (body: ChatRequestBody, signal: AbortSignal) => AsyncIterable<unknown>;

export function createClient(connection: Connection): OpenAI {
  return new OpenAI({
    // The SDK insists on a key; without one, the header it would make is removed instead.
    apiKey: connection.apiKey ?? 'none',
    ...(connection.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
    baseURL: connection.baseUrl,
    timeout: connection.timeoutMs,
    maxRetries: connection.maxRetries,
    // A global fetch looked up per call: VS Code patches it for proxies.
    fetch: createEnvelopingFetch(withNetworkFailuresTyped((input, init) => fetch(input, init)), secretsOf(connection)),
    // The SDK would log through console; our LogOutputChannel gets what matters, without the key.
    logLevel: 'off',
  });
}

export function createChatBackend(connection: Connection, stream: boolean): ChatBackend {
  const client = createClient(connection);
  const secrets = secretsOf(connection);
  return async function* (body, signal) {
    // JSON that is no chat completion (a gateway's own `{"code": …, "msg": …}` with a 200, say) is said, not
    // folded into an empty answer: the stream fails at its end if nothing in it had `choices` or `usage`.
    let first: unknown;
    let recognized = false;
    let unsaid = false;
    if (stream) {
      const { data: chunks, response } = await client.chat.completions.create(
        // Before the body, so that an adaptation that leaves stream_options out (as undefined) overrides it.
        { stream_options: { include_usage: true }, ...body, stream: true },
        { signal },
      ).withResponse();
      yield STREAM_OPENED;
      for await (const chunk of chunks) {
        if (!recognized && !(recognized = isCompletionChunk(chunk))) first ??= chunk;
        yield chunk;
      }
      unsaid = !signal.aborted && !streamSaidDone(response);
    } else {
      const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
      yield STREAM_OPENED;
      recognized = isCompletionChunk(completion);
      first = completion;
      yield completion;
    }
    if (!recognized && first !== undefined) throw notAChatCompletion(first, secrets);
    if (unsaid) yield STREAM_ENDED_UNSAID;
  };
}

/** What must never come back out of an error or an excerpt: the request's key. */
export const secretsOf = (connection: Connection): string[] => (connection.apiKey ? [connection.apiKey] : []);

/** Whether a parsed chunk, or a whole completion, is one: it has `choices`, or at least `usage`. */
export function isCompletionChunk(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { choices, usage } = value as { choices?: unknown; usage?: unknown };
  return Array.isArray(choices) || (typeof usage === 'object' && usage !== null);
}

/** The error for what came instead of a chat completion (the SDK hands a body that is not JSON on as its text). */
export function notAChatCompletion(value: unknown, secrets: readonly string[]): NotAChatCompletionError {
  return new NotAChatCompletionError(bodyExcerpt(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), secrets));
}
