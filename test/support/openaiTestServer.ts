// An OpenAI-compatible server on 127.0.0.1 for tests: it answers POST /v1/chat/completions with scripted replies
// (SSE in the exact format of the CometAPI reference, JSON errors, raw recorded bodies, dropped connections) and
// records every request. Tests start and stop it; nothing leaves the machine.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type Reply =
  /** Streams these chunks as `data:` events (strings are sent as the raw event data), then `[DONE]` unless `noDone`. */
  | { kind: 'stream'; chunks: Array<object | string>; delayMs?: number; noDone?: boolean; hold?: boolean; dropAfter?: number }
  /** A JSON body with this status. */
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Bytes exactly as given (recorded wire traffic). */
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string; chunkSize?: number }
  /** Never answers until the client gives up (timeouts). */
  | { kind: 'silent' }
  /**
   * Streams `before` as events, then only keep-alives (SSE comments, chunks with `choices: []`, empty deltas) every
   * `everyMs`, until the client goes or `forMs` (default 60 s) has passed.
   */
  | { kind: 'keepAlive'; before?: object[]; everyMs?: number; forMs?: number }
  /** Streams `before` as events, then one `data:` line of `bytes` bytes that never ends, in pieces of `chunkSize`. */
  | { kind: 'longLine'; before?: object[]; bytes: number; chunkSize?: number }
  /** A body of `bytes` bytes repeating `pattern`, in pieces of `chunkSize`, until the client goes. */
  | { kind: 'huge'; status: number; contentType?: string; pattern: string; bytes: number; chunkSize?: number };

const CHUNK_ID = 'chatcmpl-test';

/** Keep-alives servers send that carry no chunk: a comment, and the frames that are not JSON (test/fixtures/wire, section 11). */
export const KEEP_ALIVES = [': keep-alive\n\n', 'data:\n\n', 'event: ping\n\n', 'data: : OPENROUTER PROCESSING\n\n'];

/** One `chat.completion.chunk` object as the seed shows it. */
export function chunk(delta: object, finishReason: string | null = null, extra: object = {}): object {
  return {
    id: CHUNK_ID,
    object: 'chat.completion.chunk',
    created: 1774412483,
    model: 'gpt-5.4-mini-2026-03-01',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  };
}

export function usageChunk(promptTokens: number, completionTokens: number, reasoningTokens = 0): object {
  return {
    id: CHUNK_ID,
    object: 'chat.completion.chunk',
    created: 1774412483,
    model: 'gpt-5.4-mini-2026-03-01',
    choices: [],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    },
  };
}

/** A whole streamed answer: role chunk, one chunk per piece, finish chunk, usage chunk. */
export function textReply(pieces: string[], options: { finishReason?: string; delayMs?: number; hold?: boolean } = {}): Reply {
  return {
    kind: 'stream',
    delayMs: options.delayMs,
    hold: options.hold,
    chunks: [
      chunk({ role: 'assistant', content: '' }),
      ...pieces.map(piece => chunk({ content: piece })),
      ...(options.hold ? [] : [chunk({}, options.finishReason ?? 'stop'), usageChunk(29, pieces.length)]),
    ],
  };
}

/** A streamed reply that calls tools, arguments split across chunks the way OpenAI streams them. */
export function toolCallReply(calls: Array<{ id: string; name: string; args: object }>): Reply {
  const chunks: object[] = [chunk({ role: 'assistant', content: null })];
  calls.forEach((call, index) => {
    const args = JSON.stringify(call.args);
    const cut = Math.floor(args.length / 2);
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, cut) } }] }));
    chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] }));
  });
  chunks.push(chunk({}, 'tool_calls'));
  return { kind: 'stream', chunks };
}

/** A whole, not streamed, `chat.completion` whose message content is `content` (e.g. a JSON review). */
export function completionReply(content: string, options: { finishReason?: string; delayMs?: number } = {}): Reply {
  return {
    kind: 'json',
    status: 200,
    delayMs: options.delayMs,
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1774412483,
      model: 'gpt-5.4-mini-2026-03-01',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: options.finishReason ?? 'stop' }],
      usage: { prompt_tokens: 40, completion_tokens: 20, total_tokens: 60 },
    },
  };
}

/** The 400 an endpoint without structured outputs gives for this `response_format` type. */
export function unsupportedFormatReply(type: string): Reply {
  return { kind: 'json', status: 400, body: { error: { message: `response_format type '${type}' is not supported by this model`, type: 'invalid_request_error', param: 'response_format' } } };
}

/** The test-only route (under the base URL) that sets what GET /models lists: PUT {"models": [...]}. */
export const LISTED_MODELS_CONTROL = '/test-control/listed-models';

export class OpenAITestServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: Reply[] = [];
  private readonly server: http.Server;
  private readonly openResponses = new Set<http.ServerResponse>();
  private waiters: Array<() => void> = [];
  /** Picks the reply for a chat request by what it carries, before the queue (VS Code's chat sends requests of its own,
   *  such as titles, that would take queued replies); undefined: the queue, then the fallback. */
  route: ((request: RecordedRequest) => Reply | undefined) | undefined;
  /** Used when no reply is queued. */
  fallback: Reply = textReply(['Hello', ' from', ' the test server.']);
  models: string[] | undefined = ['gpt-5.4-mini', 'gpt-5.4', 'claude-sonnet-4-5'];
  /** Extra fields of a model's entry in GET /models (e.g. a gateway's context_length). */
  modelFields: Record<string, object> = {};
  /** How long GET /models takes to answer (a gateway slow to list hundreds of models). */
  modelsDelayMs = 0;
  /** How many GET /models answers were sent. */
  listingsServed = 0;

  private constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<OpenAITestServer> {
    const instance = new OpenAITestServer();
    await new Promise<void>(resolve => instance.server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Queues replies for the next requests, in order. */
  enqueue(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  reset(): void {
    this.route = undefined;
    this.requests.length = 0;
    this.replies.length = 0;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter(r => r.path.endsWith('/chat/completions'));
  }

  /** Resolves once `count` chat requests have arrived. */
  async waitForChatRequests(count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.chatRequests().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} chat requests, got ${this.chatRequests().length}`);
      await new Promise<void>(resolve => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.chatRequests();
  }

  /** Responses still open (a held stream until the client closes its connection). */
  openResponseCount(): number {
    return this.openResponses.size;
  }

  async close(): Promise<void> {
    for (const res of this.openResponses) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const part of req) raw += part;
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep the raw text */
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const recorded: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body };
    this.requests.push(recorded);
    for (const wake of this.waiters.splice(0)) wake();

    // A test in the extension host changes what a server of the harness lists (one that outlives the window loads).
    if (req.method === 'PUT' && path.endsWith(LISTED_MODELS_CONTROL) && Array.isArray((body as { models?: unknown } | undefined)?.models)) {
      this.models = (body as { models: unknown[] }).models.map(String);
      return this.json(res, 200, { models: this.models });
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      if (this.modelsDelayMs) await new Promise(resolve => setTimeout(resolve, this.modelsDelayMs));
      this.listingsServed++;
      if (!this.models) return this.json(res, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });
      return this.json(res, 200, { object: 'list', data: this.models.map(id => ({ id, object: 'model', created: 0, owned_by: 'test', ...this.modelFields[id] })) });
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return this.json(res, 404, { error: { message: `No route for ${req.method} ${path}` } });
    }
    await this.reply(res, this.route?.(recorded) ?? this.replies.shift() ?? this.fallback);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async reply(res: http.ServerResponse, reply: Reply): Promise<void> {
    switch (reply.kind) {
      case 'json':
        if (reply.delayMs) await sleep(reply.delayMs);
        if (res.destroyed) return;
        return this.json(res, reply.status, reply.body, reply.headers);
      case 'silent':
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        return;
      case 'raw': {
        res.writeHead(reply.status, reply.headers ?? {});
        // Recorded streams are sent in small pieces so that line and event splitting across reads is exercised.
        const size = reply.chunkSize ?? 64;
        for (let at = 0; at < reply.body.length; at += size) {
          res.write(reply.body.slice(at, at + size));
          await sleep(0);
        }
        res.end();
        return;
      }
      case 'keepAlive': {
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        for (const item of reply.before ?? []) res.write(`data: ${JSON.stringify(item)}\n\n`);
        const keepAlives = [...KEEP_ALIVES, `data: ${JSON.stringify({ ...chunk({}), choices: [] })}\n\n`, `data: ${JSON.stringify(chunk({}))}\n\n`, `data: ${JSON.stringify(chunk({ content: '' }))}\n\n`];
        const until = Date.now() + (reply.forMs ?? 60_000);
        for (let i = 0; Date.now() < until && !res.destroyed; i++) {
          res.write(keepAlives[i % keepAlives.length]);
          await sleep(reply.everyMs ?? 100);
        }
        res.end();
        return;
      }
      case 'longLine': {
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        for (const item of reply.before ?? []) res.write(`data: ${JSON.stringify(item)}\n\n`);
        res.write('data: {"choices":[{"index":0,"delta":{"content":"');
        await writeRepeated(res, 'a', reply.bytes, reply.chunkSize ?? 16 * 1024);
        if (!res.destroyed) res.end('"}}]}\n\n');
        return;
      }
      case 'huge': {
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/html' });
        await writeRepeated(res, reply.pattern, reply.bytes, reply.chunkSize ?? 16 * 1024);
        if (!res.destroyed) res.end();
        return;
      }
      case 'stream': {
        this.openResponses.add(res);
        res.on('close', () => this.openResponses.delete(res));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        let sent = 0;
        for (const item of reply.chunks) {
          if (res.destroyed) return;
          if (reply.dropAfter !== undefined && sent === reply.dropAfter) return dropAfterFlush(res);
          res.write(`data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`);
          sent++;
          if (reply.delayMs) await sleep(reply.delayMs);
        }
        if (reply.dropAfter !== undefined) return dropAfterFlush(res);
        if (reply.hold) return; // the client must stop it
        if (!reply.noDone) res.write('data: [DONE]\n\n');
        res.end();
        return;
      }
    }
  }
}

/** Cuts the connection the way a crashing proxy does, after what was written has reached the client. */
async function dropAfterFlush(res: http.ServerResponse): Promise<void> {
  await sleep(50);
  res.socket?.destroy();
}

/** Writes `bytes` bytes of `pattern` repeated, a piece at a time, waiting for the socket to drain; stops when the client goes. */
async function writeRepeated(res: http.ServerResponse, pattern: string, bytes: number, pieceSize: number): Promise<void> {
  const piece = Buffer.from(pattern.repeat(Math.ceil(pieceSize / pattern.length)).slice(0, pieceSize));
  let closed = res.destroyed;
  res.once('close', () => (closed = true));
  for (let sent = 0; sent < bytes && !closed; sent += piece.length) {
    const part = bytes - sent < piece.length ? piece.subarray(0, bytes - sent) : piece;
    if (!res.write(part) && !closed) {
      await new Promise<void>(resolve => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
