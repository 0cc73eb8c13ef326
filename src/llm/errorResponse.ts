// Gateways answer errors in many shapes: `{"error": {...}}`, `{"error": "text"}`, `{"detail": ...}`, `{"message": ...}`,
// plain text, HTML. The SDK reads only the first. This reads every error body into that envelope (the enveloping
// fetch, envelopingFetch.ts, hands it to the SDK so), so one error path serves every provider, and says which errors
// are an unknown model or a bad request.

import { MAX_ERROR_BODY_BYTES } from './boundedBody';
import { WIRE_PARAMETERS } from './rejection';

export interface ErrorEnvelope {
  error: { message: string; type?: string; code?: string | number; param?: string };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const MAX_MESSAGE = 500;
const MAX_META = 200;

/** Reads any error body into the `{"error": {...}}` envelope. */
export function toErrorEnvelope(body: string, status: number): ErrorEnvelope {
  // Whoever calls this, the work stays bounded: a message is at most MAX_MESSAGE characters anyway.
  if (body.length > MAX_ERROR_BODY_BYTES) body = body.slice(0, MAX_ERROR_BODY_BYTES);
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
      const upstream = upstreamError(inner, clip);
      if (upstream) return { error: { ...pickMeta(inner), ...pickMeta(upstream.error), message: clip(withUpstream(message, upstream.error.message, upstream.provider)) } };
      return { error: { ...pickMeta(inner), message: clip(message) } };
    }
    const message = (typeof inner === 'string' ? inner : '') || messageOf(parsed) || clip(body);
    return { error: { ...pickMeta(parsed), message: clip(message) } };
  }
  // JSON cut off at the read limit (a long traceback, say) still names its message.
  const field = body.trimStart().startsWith('{') ? CUT_JSON_MESSAGE.exec(body) : null;
  if (field) return { error: { message: clip(unescapeJson(field[1])) } };
  const text = plainText(body);
  return { error: { message: text ? clip(text) : `HTTP ${status} with an empty body` } };
}

const CUT_JSON_MESSAGE = /"(?:message|detail|error_message|msg|error)"\s*:\s*"((?:[^"\\]|\\.){1,2000})/;

function unescapeJson(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text; // cut inside an escape
  }
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
      // LiteLLM's proxy: `"message": {"error": "…Invalid model name…"}`.
      const nested = messageOf(field) || (typeof field.error === 'string' ? field.error.trim() : '');
      if (nested) return nested;
    }
  }
  if (Array.isArray(value.errors)) {
    const first = value.errors.find(isObject);
    if (first) return messageOf(first);
  }
  return '';
}

/**
 * The upstream provider's own error, where a gateway carries it as text beside a message of its own (OpenRouter:
 * "Provider returned error", the reason in `metadata.raw`, who failed in `metadata.provider_name`), read as any error
 * body is (an object, Gemini's array of one, or text). One level: the raw text's own metadata is not followed.
 * `shorten` clips the message; an error inside a stream keeps it whole until the caller has taken the key out.
 */
function upstreamError(inner: Json, shorten: (text: string) => string): { error: ErrorEnvelope['error']; provider: string } | undefined {
  const meta = inner.metadata;
  if (!isObject(meta) || typeof meta.raw !== 'string' || !meta.raw.trim()) return undefined;
  const raw = meta.raw.slice(0, MAX_ERROR_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && isObject(parsed[0])) parsed = parsed[0];
  const body = isObject(parsed) && isObject(parsed.error) ? parsed.error : parsed;
  const error = isObject(body) ? { ...pickMeta(body), message: shorten(messageOf(body) || (isObject(parsed) ? messageOf(parsed) : '') || raw) } : { message: shorten(plainText(raw) || raw) };
  return { error, provider: typeof meta.provider_name === 'string' ? meta.provider_name.slice(0, MAX_META) : '' };
}

function withUpstream(message: string, upstream: string, provider: string): string {
  if (!upstream || upstream === message) return message;
  const theirs = `${provider ? `${provider}: ` : ''}${upstream}`;
  return message ? `${message}. ${theirs}` : theirs;
}

/** The message of an error object as a stream carries it (`data: {"error": {...}}`), the upstream's reason with it. */
export function streamedErrorMessage(inner: unknown): string {
  if (!isObject(inner)) return '';
  const message = messageOf(inner);
  const upstream = upstreamError(inner, text => text);
  return upstream ? withUpstream(message, upstream.error.message, upstream.provider) : message;
}

function pickMeta(value: Json): Omit<ErrorEnvelope['error'], 'message'> {
  const meta: Omit<ErrorEnvelope['error'], 'message'> = {};
  if (typeof value.type === 'string') meta.type = value.type.slice(0, MAX_META);
  if (typeof value.code === 'number') meta.code = value.code;
  if (typeof value.code === 'string') meta.code = value.code.slice(0, MAX_META);
  const param = typeof value.param === 'string' ? value.param : validatedField(value);
  if (param) meta.param = param.slice(0, MAX_META);
  return meta;
}

/**
 * The request field a FastAPI/pydantic validation error blames (Mistral, and servers built that way): an item's
 * `loc`, without the leading `body` (`["body", "tools"]` is `tools`, `["body", "messages", 0, "role"]` is
 * `messages.0.role`). The items sit in `detail` or `message`, or one level down (`"message": {"detail": [...]}`); the
 * first that blames a parameter Comet sends wins, else the first. A path deep inside one tool's schema is no verdict
 * on tools as such, so it names nothing.
 */
function validatedField(value: Json): string | undefined {
  const lists = ['detail', 'message'].flatMap(key => {
    const field = value[key];
    return Array.isArray(field) ? [field] : isObject(field) && Array.isArray(field.detail) ? [field.detail] : [];
  });
  const paths: string[][] = [];
  for (const items of lists) {
    for (const item of items.slice(0, 16)) {
      const loc = isObject(item) ? item.loc : undefined;
      if (!Array.isArray(loc) || !loc.length || loc.length > 16) continue;
      const path = (loc[0] === 'body' ? loc.slice(1) : loc).filter(part => typeof part === 'string' || typeof part === 'number').map(String);
      if (path.length && !(path[0] === 'tools' && path.length > 2)) paths.push(path);
    }
  }
  const blamed = paths.find(path => (WIRE_PARAMETERS as readonly string[]).includes(path[0]) || path[0] === 'messages') ?? paths[0];
  return blamed?.join('.');
}

/**
 * The text of an HTML (or plain) body, in one pass: tags become spaces, `<script>` and `<style>` blocks go whole, a
 * few entities are decoded, whitespace collapses. A `<` that no `>` closes stays text. Every search moves the cursor
 * past what it scanned, or, when it finds nothing, is remembered as finding nothing, so no byte is scanned twice
 * (regexes such as `<[^>]+>` rescan the rest of the body from every unclosed `<`: quadratic).
 */
export function plainText(body: string): string {
  const out: string[] = [];
  const never = new Set<string>(); // closing strings known to be absent after the cursor
  const find = (what: string, from: number): number => {
    if (never.has(what)) return -1;
    const at = what.startsWith('</') ? indexOfFolded(body, what, from) : body.indexOf(what, from);
    if (at < 0) never.add(what);
    return at;
  };
  let text = 0; // start of the text not yet copied
  let at = body.indexOf('<');
  while (at >= 0) {
    const next = body.charCodeAt(at + 1);
    const isLetter = (next >= 65 && next <= 90) || (next >= 97 && next <= 122);
    let end = -1; // just past the markup that starts at `at`
    if (body.startsWith('<!--', at)) {
      const close = find('-->', at + 4);
      end = close < 0 ? -1 : close + 3;
    } else if (isLetter || next === 47 /* / */ || next === 33 /* ! */ || next === 63 /* ? */) {
      const close = find('>', at + 1);
      end = close < 0 ? -1 : close + 1;
      const name = end >= 0 && isLetter ? /^[a-z]+/i.exec(body.slice(at + 1, at + 8))?.[0].toLowerCase() : undefined;
      if (name === 'script' || name === 'style') {
        const closing = find(`</${name}`, end);
        if (closing >= 0) {
          const closed = find('>', closing);
          end = closed < 0 ? body.length : closed + 1;
        }
      }
    }
    if (end < 0) {
      at = body.indexOf('<', at + 1);
      continue;
    }
    out.push(body.slice(text, at), ' ');
    text = end;
    at = body.indexOf('<', end);
  }
  out.push(body.slice(text));
  return decodeEntities(out.join('')).replace(/\s+/g, ' ').trim();
}

/** `indexOf` for an ASCII needle, ignoring ASCII case. */
function indexOfFolded(haystack: string, needle: string, from: number): number {
  const first = needle.charCodeAt(0);
  for (let at = haystack.indexOf(String.fromCharCode(first), from); at >= 0; at = haystack.indexOf(String.fromCharCode(first), at + 1)) {
    if (haystack.slice(at, at + needle.length).toLowerCase() === needle) return at;
  }
  return -1;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,5}));/gi, (entity, decimal?: string, hex?: string, name?: string) => {
    if (name) return ENTITIES[name.toLowerCase()] ?? entity;
    const code = decimal ? Number(decimal) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
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
