// Stream failures that the SDK does not raise itself.

/** A stream event that is an error in a shape the SDK does not recognise (no `error` key), e.g. `event: error`. */
export class StreamPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamPayloadError';
  }
}

/** A 2xx answer that is not a chat completion: a web page (a base URL without its /v1, say), text that is not SSE,
 *  or JSON with no `choices`. `excerpt` is the start of what came, for the user to recognise. */
export class NotAChatCompletionError extends Error {
  constructor(readonly excerpt: string) {
    super(`The server answered, but not with a chat completion: ${excerpt}`);
    this.name = 'NotAChatCompletionError';
  }
}

/** The stream went quiet for too long (the SDK's timeout covers only the wait for the response headers). */
export class StreamIdleTimeoutError extends Error {
  constructor(readonly idleMs: number) {
    super(`The stream sent nothing for ${Math.round(idleMs / 1000)} s`);
    this.name = 'StreamIdleTimeoutError';
  }
}

/** The stream sent only keep-alives (comments, chunks with no choices, empty deltas) or nothing, for too long. */
export class StreamNotStartedError extends StreamIdleTimeoutError {
  constructor(idleMs: number) {
    super(idleMs);
    this.message = `The server sent no answer for ${Math.round(idleMs / 1000)} s, only keep-alives or nothing`;
    this.name = 'StreamNotStartedError';
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** One SSE line (or one event, the lines up to a blank line) passed the bound: no real chunk is that long. */
export class StreamLineTooLongError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly unit: 'line' | 'event',
  ) {
    super(`The server sent a single stream ${unit} longer than ${megabytes(limitBytes)}, so the answer was cut off there.`);
    this.name = 'StreamLineTooLongError';
  }
}

/** A whole answer (a stream, or one JSON body) passed the bound. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The server's answer passed ${megabytes(limitBytes)}, so it was cut off there.`);
    this.name = 'ResponseTooLargeError';
  }
}
