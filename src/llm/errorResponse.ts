// Gateways answer errors in many shapes: `{"error": {...}}`, `{"error": "text"}`, `{"detail": ...}`, `{"message": ...}`,
// plain text, HTML. The SDK reads only the first. This rewrites every non-2xx body into that envelope before the SDK
// sees it, so one error path serves every provider, and tells the SDK's retry logic (through `x-should-retry`) when a
// 5xx is really a permanent client error (an unknown model, a bad request), which no backoff will fix.

export interface ErrorEnvelope {
  error: { message: string; type?: string; code?: string | number; param?: string };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const MAX_MESSAGE = 500;

function requestedStream(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && /"stream"\s*:\s*true/.test(init.body);
}

// llama.cpp (and servers modelled on it) report a failure inside a 200 stream as a non-standard SSE field,
// `error: {...}`, which spec-following parsers, the SDK's included, drop without a word. Turn it into the
// `data: {"error": ...}` event the SDK raises. Every other line passes through untouched.
function errorFieldsAsData(): TransformStream<Uint8Array, Uint8Array> {
  // Bytes pass through untouched (this is every stream's hot path); only complete lines are released, and text is
  // decoded only for the rare stretch that holds an `error:` line.
  const marker = Buffer.from('\nerror:');
  let held = Buffer.alloc(0); // the line in progress, after the last line break
  const rewriteLine = (line: string) => {
    const match = /^error:\s?(.*?)(\r?)$/.exec(line);
    return match ? `data: ${JSON.stringify(toErrorEnvelope(match[1], 200))}${match[2]}` : line;
  };
  const release = (lines: Buffer): Uint8Array =>
    lines.indexOf(marker) >= 0 || lines.subarray(0, 6).toString('latin1') === 'error:'
      ? Buffer.from(lines.toString('utf8').split('\n').map(rewriteLine).join('\n'))
      : lines;
  return new TransformStream({
    transform(chunk, controller) {
      const bytes = held.length ? Buffer.concat([held, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const end = bytes.lastIndexOf(10);
      if (end < 0) {
        held = Buffer.from(bytes);
        return;
      }
      held = Buffer.from(bytes.subarray(end + 1));
      controller.enqueue(release(bytes.subarray(0, end + 1)));
    },
    flush(controller) {
      if (held.length) controller.enqueue(release(held));
    },
  });
}

/** Reads any error body into the `{"error": {...}}` envelope. */
export function toErrorEnvelope(body: string, status: number): ErrorEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed)) {
    const inner = parsed.error;
    if (isObject(inner)) {
      const message = messageOf(inner) || messageOf(parsed) || `HTTP ${status}`;
      return { error: { ...pickMeta(inner), message: clip(message) } };
    }
    const message = (typeof inner === 'string' ? inner : '') || messageOf(parsed) || clip(body);
    return { error: { ...pickMeta(parsed), message: clip(message) } };
  }
  const text = plainText(body);
  return { error: { message: text ? clip(text) : `HTTP ${status} with an empty body` } };
}

function messageOf(value: Json): string {
  for (const key of ['message', 'detail', 'error_message', 'msg', 'title']) {
    const field = value[key];
    if (typeof field === 'string' && field.trim()) return field.trim();
    // FastAPI validation errors: {"detail": [{"loc": [...], "msg": "..."}]}
    if (Array.isArray(field)) {
      const parts = field.map(item => (isObject(item) ? String(item.msg ?? item.message ?? '') : String(item))).filter(Boolean);
      if (parts.length) return parts.join('; ');
    }
    if (isObject(field)) {
      const nested = messageOf(field);
      if (nested) return nested;
    }
  }
  if (Array.isArray(value.errors)) {
    const first = value.errors.find(isObject);
    if (first) return messageOf(first);
  }
  return '';
}

function pickMeta(value: Json): Omit<ErrorEnvelope['error'], 'message'> {
  const meta: Omit<ErrorEnvelope['error'], 'message'> = {};
  if (typeof value.type === 'string') meta.type = value.type;
  if (typeof value.code === 'string' || typeof value.code === 'number') meta.code = value.code;
  if (typeof value.param === 'string') meta.param = value.param;
  return meta;
}

function plainText(body: string): string {
  return body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

const MODEL_NOT_FOUND = /model_not_found|model[_ ]not[_ ](?:found|exist)|(?:unknown|invalid|unsupported|no such) model|model .{0,80}(?:does not exist|not found|is not supported|not available)|no available (?:channel|provider)/i;
const BAD_REQUEST = /invalid_request_error|bad[_ ]request|invalid[_ ]parameter|unsupported[_ ]parameter|validation/i;

export type ErrorCategory = 'model_not_found' | 'bad_request' | 'other';

/** What an error really is, whatever status the gateway dressed it in. */
export function categorize(envelope: ErrorEnvelope): ErrorCategory {
  const { message, type, code } = envelope.error;
  const signals = `${code ?? ''} ${type ?? ''} ${message}`;
  if (MODEL_NOT_FOUND.test(signals)) return 'model_not_found';
  if (BAD_REQUEST.test(`${code ?? ''} ${type ?? ''}`)) return 'bad_request';
  return 'other';
}

/** A `fetch` for the SDK: rewrites error bodies into the envelope, and surfaces errors hidden in event streams. */
export function createEnvelopingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) {
      const type = response.headers.get('content-type') ?? '';
      // A server that ignores `stream: true` answers with one JSON completion; hand it on as a one-event stream.
      if (!type.includes('text/event-stream') && type.includes('json') && requestedStream(init)) {
        const headers = new Headers(response.headers);
        headers.set('content-type', 'text/event-stream');
        headers.delete('content-length');
        headers.delete('content-encoding');
        const text = (await response.text()).trim();
        // ...unless it is an event stream mislabelled as JSON, which the SDK reads as it is.
        const body = text.startsWith('{') ? `data: ${text}\n\ndata: [DONE]\n\n` : text;
        return new Response(body, { status: response.status, statusText: response.statusText, headers });
      }
      if (!type.includes('text/event-stream') || !response.body) return response;
      const body = response.body.pipeThrough(errorFieldsAsData());
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    const envelope = toErrorEnvelope(await response.text(), response.status);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    headers.delete('content-encoding');
    if (response.status >= 500 && categorize(envelope) !== 'other') headers.set('x-should-retry', 'false');
    return new Response(JSON.stringify(envelope), { status: response.status, statusText: response.statusText, headers });
  };
}
