// Why this exists: the SDK reads any fetch rejection whose text says "timeout" or "timed out" (its own text or its
// cause's) as its own deadline passing, and throws APIConnectionTimeoutError without the cause. The network layer's
// own connect timeout (undici gives up after 10 s, as it does on a DNS server that never answers; a proxy can too)
// would then be told as "no answer within comet.requestTimeoutSeconds", which is false. A rejection while the
// request's signal is not aborted is the network's, so it is handed on as a NetworkFailure: it keeps the socket error
// code, and its text names no timeout.

/** fetch rejected before any response, and not because the request was aborted (by its deadline or the user). */
export class NetworkFailure extends Error {
  /** `code`: the socket error code (ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT, ...), where there is one. */
  constructor(readonly code: string | undefined) {
    super('could not connect');
    this.name = 'NetworkFailure';
  }
}

export function withNetworkFailuresTyped(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      throw new NetworkFailure(errorCode(error));
    }
  };
}

/** The first string `code` on the error or its causes. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
