// The `fetch` the SDK is given: every non-2xx body becomes the `{"error": ...}` envelope (errorResponse.ts), a 5xx
// that no backoff will fix (an unknown model, a bad request, a refusal) is marked `x-should-retry: false`, errors
// hidden in event streams surface, and what a server can make Comet read is bounded before the SDK sees a byte.

import {
  boundedEventStream,
  failingBody,
  limitedBody,
  MAX_ERROR_BODY_BYTES,
  MAX_JSON_BODY_BYTES,
  peekFirstByte,
  putBack,
  readAtMost,
  sourceOf,
  type ChunkSource,
  type EventRewriter,
} from './boundedBody';
import { categorize, toErrorEnvelope } from './errorResponse';
import { recognizeRejection } from './rejection';
import { SdkEvents } from './sseEvents';
import { NotAChatCompletionError, ResponseTooLargeError } from './streamErrors';

function requestedStream(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && /"stream"\s*:\s*true/.test(init.body);
}

// Events that are not JSON chunks (keep-alives, errors in other shapes) are dropped or made into the error event the
// SDK raises, and a body with no SSE in it fails (sseEvents.ts): mid-stream errors are JSON of the envelope, and what
// is not SSE is read as an error body would be.
const sdkEvents = (secrets: readonly string[]) =>
  new SdkEvents(text => JSON.stringify(toErrorEnvelope(withoutSecrets(text, secrets), 200)), (text, cut) => bodyExcerpt(text, secrets, cut));

/**
 * A `fetch` for the SDK: rewrites error bodies into the envelope, surfaces errors hidden in event streams, and bounds
 * what a server can make Comet read (an error body, a line, an event, a whole answer) before the SDK sees a byte.
 * `secrets`: what must never come back out of an error body (the request's own key, which gateways echo); removed
 * before anything is clipped, so no part of it survives a cut.
 */
export function createEnvelopingFetch(inner: typeof fetch = fetch, secrets: readonly string[] = []): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const rebuilt = (body: ConstructorParameters<typeof Response>[0], headers = new Headers(response.headers)) => {
      headers.delete('content-length');
      headers.delete('content-encoding');
      return new Response(body, { status: response.status, statusText: response.statusText, headers });
    };
    if (response.ok) return boundedSuccess(response, init, rebuilt, secrets, isChatRequest(input));
    const read = response.body ? await readAtMost(sourceOf(response.body), MAX_ERROR_BODY_BYTES) : undefined;
    const envelope = toErrorEnvelope(withoutSecrets(read ? read.bytes.toString('utf8') : '', secrets, read ? !read.complete : false), response.status);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    // The same request would be refused the same way: an overflow or a refused parameter is no passing fault.
    if (response.status >= 500 && (categorize(envelope) !== 'other' || recognizeRejection(response.status, envelope.error))) headers.set('x-should-retry', 'false');
    return rebuilt(JSON.stringify(envelope), headers);
  };
}

function isChatRequest(input: Parameters<typeof fetch>[0]): boolean {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return /\/chat\/completions(?:[?#]|$)/.test(url);
}

/** The start of a body that is no chat completion, as the user should read it (a page's title and text, an error's
 *  message, or the text itself), with the request's key removed before anything is cut. `cut`: the body was cut off
 *  at its end, where part of a key may be. */
export function bodyExcerpt(body: string, secrets: readonly string[], cut = false): string {
  return toErrorEnvelope(withoutSecrets(body, secrets, cut), 200).error.message;
}

/** `cut`: the text was cut off at its end, so a key's first characters there go too. */
function withoutSecrets(text: string, secrets: readonly string[], cut = false): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    if (cut) out = out.slice(0, out.length - partialAtEnd(out, secret));
  }
  return out;
}

/** How many characters at the end of `text` begin `secret` (at least 4 of them, and fewer than all). */
function partialAtEnd(text: string, secret: string): number {
  for (let length = Math.min(secret.length - 1, text.length); length >= 4; length--) if (text.endsWith(secret.slice(0, length))) return length;
  return 0;
}

type Rebuild = (body: ConstructorParameters<typeof Response>[0], headers?: Headers) => Response;

/** A 2xx answer, bounded by what it is: an event stream, a JSON completion standing in for one, JSON, or (to a chat
 *  request) a web page, which fails as one. What comes first says what it is, whatever the label: `{` is one JSON
 *  completion (a server that ignores `stream: true`, or mislabels JSON), `<` a web page where the API should be (a base
 *  URL without its /v1, a login portal). */
// The streamed answers this fetch made, and whether each said it was complete: the SDK hands on the response, not
// what its stream saw.
const STREAM_ENDS = new WeakMap<Response, () => boolean>();

/** Whether a streamed answer sent `[DONE]` (read when its stream has ended); true for any other response. */
export function streamSaidDone(response: Response): boolean {
  return STREAM_ENDS.get(response)?.() ?? true;
}

async function boundedSuccess(response: Response, init: RequestInit | undefined, rebuilt: Rebuild, secrets: readonly string[], chat: boolean): Promise<Response> {
  if (!response.body) return response;
  const type = response.headers.get('content-type') ?? '';
  const isEventStream = type.includes('text/event-stream');
  let source = sourceOf(response.body);
  if (requestedStream(init)) {
    // Looked at on the body's first read, not before the response is handed on: the wait for a stream's first bytes
    // is the stream's (its idle rules), not the request's timeout, which would send it again.
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/event-stream');
    const sdk = sdkEvents(secrets);
    let readInstead = false;
    const events: EventRewriter = {
      rewrite: group => sdk.rewrite(group),
      lastEvent: rest => sdk.lastEvent(rest),
      end: () => sdk.end(),
      open: async opened => {
        const answer = await streamedAnswerAsItIs(opened, secrets);
        readInstead = answer.instead !== undefined;
        return answer;
      },
    };
    const streamed = rebuilt(boundedEventStream(source, events), headers);
    // A whole completion (or error) read instead of a stream is whole by itself.
    STREAM_ENDS.set(streamed, () => readInstead || sdk.sawDone);
    return streamed;
  }
  let json = !isEventStream && type.includes('json');
  if (chat) {
    // A whole answer is read whole anyway, within the request's timeout.
    const peeked = await peekFirstByte(source, MAX_JSON_BODY_BYTES);
    if (peeked.tooLarge) return rebuilt(failingBody(new ResponseTooLargeError(MAX_JSON_BODY_BYTES)));
    source = putBack(source, peeked.read);
    if (peeked.first === 0x3c /* < */) return rebuilt(failingBody(await pageError(source, secrets)));
    json ||= peeked.first === 0x7b;
  }
  if (json) {
    // Read whole here, inside the SDK's timeout: a server that sends headers and then only whitespace has not
    // started answering either.
    const read = await readAtMost(source, MAX_JSON_BODY_BYTES);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    return rebuilt(read.complete ? new Uint8Array(read.bytes) : failingBody(new ResponseTooLargeError(MAX_JSON_BODY_BYTES)), headers);
  }
  // The SDK reads an event stream as one, and gets its bounds.
  if (isEventStream) return rebuilt(boundedEventStream(source, sdkEvents(secrets)));
  return rebuilt(limitedBody(source, MAX_JSON_BODY_BYTES));
}

/** The answer to a streamed request, by its first bytes: an event stream goes on as one (the source given back with
 *  them put in front); a JSON completion or a page is read instead. */
async function streamedAnswerAsItIs(source: ChunkSource, secrets: readonly string[]): Promise<{ source: ChunkSource; instead?: ReadableStream<Uint8Array> }> {
  const peeked = await peekFirstByte(source, MAX_JSON_BODY_BYTES);
  if (peeked.tooLarge) return { source, instead: failingBody(new ResponseTooLargeError(MAX_JSON_BODY_BYTES)) };
  const rest = putBack(source, peeked.read);
  if (peeked.first === 0x3c /* < */) return { source: rest, instead: failingBody(await pageError(rest, secrets)) };
  if (peeked.first === 0x7b /* { */) return { source: rest, instead: await completionAsEvent(rest) };
  return { source: rest };
}

async function pageError(source: ChunkSource, secrets: readonly string[]): Promise<NotAChatCompletionError> {
  const read = await readAtMost(source, MAX_ERROR_BODY_BYTES);
  return new NotAChatCompletionError(bodyExcerpt(read.bytes.toString('utf8'), secrets, !read.complete));
}

/**
 * One JSON completion as a one-event stream, re-serialised so that it is one line however the server formatted it
 * (pretty-printed JSON has line breaks, and an SSE `data:` field ends at one). Bounded in size; a body too large or
 * not JSON becomes a stream that fails with that error.
 */
async function completionAsEvent(source: ChunkSource): Promise<ReadableStream<Uint8Array>> {
  const read = await readAtMost(source, MAX_JSON_BODY_BYTES);
  if (!read.complete) return failingBody(new ResponseTooLargeError(MAX_JSON_BODY_BYTES));
  let completion: unknown;
  try {
    completion = JSON.parse(read.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return failingBody(error);
  }
  return new Response(`data: ${JSON.stringify(completion)}\n\ndata: [DONE]\n\n`).body as ReadableStream<Uint8Array>;
}
