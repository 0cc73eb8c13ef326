// Stream failures that the SDK does not raise itself.

/** A stream event that is an error in a shape the SDK does not recognise (no `error` key), e.g. `event: error`. */
export class StreamPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamPayloadError';
  }
}

/** The stream went quiet for too long (the SDK's timeout covers only the wait for the response headers). */
export class StreamIdleTimeoutError extends Error {
  constructor(readonly idleMs: number) {
    super(`The stream sent nothing for ${Math.round(idleMs / 1000)} s`);
    this.name = 'StreamIdleTimeoutError';
  }
}
