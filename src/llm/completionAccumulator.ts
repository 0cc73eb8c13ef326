// Folds streamed chat.completion.chunk objects into one reply: text, reasoning, tool calls, finish reason, usage.
//
// Why not the SDK's ChatCompletionStream helper: it keys tool calls by `index` alone (providers that omit it, or send
// parallel calls all at index 0, get merged into one), and it throws `missing finish_reason` / `missing role` on
// streams that real gateways do send. The SDK still does the transport, SSE parsing, retries and mid-stream `error`
// detection; this only folds the parsed chunks, tolerantly and for any provider.
import type { ToolCall, Usage } from '../shared/domain';
import { StreamPayloadError } from './streamErrors';
import { ThinkTags } from './thinkTags';

/** The raw argument text as streamed; parsing (and reporting bad JSON to the model) is the caller's job. */
export type AccumulatedToolCall = ToolCall;

export interface ChunkDelta {
  text: string;
  reasoning: string;
}

interface ToolCallDraft extends AccumulatedToolCall {
  index: number | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

export class CompletionAccumulator {
  text = '';
  reasoning = '';
  /** What the model said when it refused (`refusal`, streamed or in a message); it is also part of `text`. */
  refusal = '';
  finishReason: string | undefined;
  usage: Usage | undefined;
  model: string | undefined;
  private readonly drafts: ToolCallDraft[] = [];
  private readonly thinkTags = new ThinkTags();
  // Search models (Perplexity) number their answer's references, [1] the first, and send the list beside the answer
  // on every chunk: the last list sent is the answer's (kept as sent; read once, by `sources`).
  private searchResults: unknown[] | undefined;
  private citations: unknown[] | undefined;

  /** Adds one parsed chunk (or a whole non-streamed completion) and returns what it added to text and reasoning. */
  add(chunk: unknown): ChunkDelta {
    const added: ChunkDelta = { text: '', reasoning: '' };
    if (!isObject(chunk)) return added;
    if (!Array.isArray(chunk.choices)) {
      // An error in a shape the SDK does not raise: `{"message"}`, `{"detail"}`, or `{"error"}` in a 200 JSON body.
      const error = chunk.error;
      const problem = asString(chunk.message) || asString(chunk.detail) || asString(error) || (isObject(error) ? asString(error.message) || JSON.stringify(error) : '');
      if (problem && !isObject(chunk.usage)) throw new StreamPayloadError(problem);
      // A completion with no choices whose failure is told only by a status (MiniMax: `"choices": null` and
      // `"base_resp": {"status_code": 2061, "status_msg": "..."}`). JSON that is no completion at all (a gateway's
      // own `{code, msg}`) is left to the backend, which says it is not a chat completion.
      const failed = presentsAsCompletion(chunk) ? failedStatus(chunk) : '';
      if (failed) throw new StreamPayloadError(failed);
    }
    if (typeof chunk.model === 'string' && chunk.model && chunk.model !== this.model) {
      this.model = chunk.model;
      this.thinkTags.fromModel(chunk.model);
    }
    if (Array.isArray(chunk.search_results) && chunk.search_results.length) this.searchResults = chunk.search_results;
    if (Array.isArray(chunk.citations) && chunk.citations.length) this.citations = chunk.citations;
    if (isObject(chunk.usage)) this.usage = readUsage(chunk.usage);

    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // The answer is choice 0 (a gateway that omits `index` means that one); a server that sends more choices gets
    // the others ignored rather than merged into it.
    const choice = choices.find(c => isObject(c) && (c.index === undefined || c.index === null || c.index === 0));
    if (!isObject(choice)) return added;
    // Moonshot's Kimi puts a stream's usage in its last choice instead.
    if (isObject(choice.usage) && !isObject(chunk.usage)) this.usage = readUsage(choice.usage);
    // Some gateways put a whole `message` in a stream chunk, and non-streamed completions always do.
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : undefined;
    if (delta) {
      const parts = contentParts(delta.content);
      // Some servers write the thinking into the content, in `<think>` tags.
      const split = this.thinkTags.take(parts.text);
      added.text = split.text;
      // DeepSeek, Qwen and vLLM say `reasoning_content`; OpenRouter and Ollama say `reasoning`, Copilot's API
      // `reasoning_text`; some gateways send thinking only as `reasoning_details` (OpenRouter's shape) or a content
      // part. OpenRouter sends `reasoning` and `reasoning_details` with the same text: the first found counts.
      added.reasoning =
        (asString(delta.reasoning_content) || asString(delta.reasoning) || asString(delta.reasoning_text) || detailsText(delta.reasoning_details) || parts.reasoning) +
        split.reasoning;
      // A refusal is the answer the user gets, so it streams as text; `refusal` remembers that it was one.
      const refusal = asString(delta.refusal);
      this.refusal += refusal;
      added.text += refusal;
      this.text += added.text;
      this.reasoning += added.reasoning;
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isObject(call)) this.addToolCall(call);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    return added;
  }

  /** The stream ended: what the content held back (a tag cut short, say), added as `add` adds. */
  end(): ChunkDelta {
    const rest = this.thinkTags.end();
    this.text += rest.text;
    this.reasoning += rest.reasoning;
    return rest;
  }

  /** The answer's numbered sources, in order ([1] is the first): web addresses only, at most MAX_SOURCES. */
  get sources(): Source[] {
    const list = this.searchResults?.length ? this.searchResults : this.citations ?? [];
    const sources: Source[] = [];
    for (const item of list.slice(0, MAX_SOURCES)) {
      const url = webAddress(typeof item === 'string' ? item : isObject(item) ? item.url : undefined);
      // A source that cannot be linked keeps its place, so the numbers after it still match.
      sources.push({ url, title: isObject(item) ? asString(item.title).slice(0, MAX_SOURCE_TITLE) : '' });
    }
    return sources.some(source => source.url) ? sources : [];
  }

  /** Text added after the stream (the sources, say), as part of the answer. */
  appendText(text: string): void {
    this.text += text;
  }

  /** Whether any of the answer arrived: text, reasoning or a tool call. */
  get started(): boolean {
    return Boolean(this.text || this.reasoning || this.drafts.length);
  }

  get toolCalls(): AccumulatedToolCall[] {
    return this.drafts.map(({ id, name, arguments: args }, position) => ({
      id: id || `call_${position}`,
      name,
      arguments: args,
    }));
  }

  // A call is found by `index` where the provider sends one, else by `id`, else it continues the call before it.
  // A new `id` at a known index starts a new call: some providers number every parallel call 0.
  private addToolCall(call: Json): void {
    const index = typeof call.index === 'number' ? call.index : undefined;
    const id = asString(call.id);
    const fn = isObject(call.function) ? call.function : {};
    const last = this.drafts[this.drafts.length - 1];
    let draft: ToolCallDraft | undefined;
    if (index !== undefined) {
      draft = this.drafts.findLast(d => d.index === index);
      if (draft && id && draft.id && draft.id !== id) draft = undefined;
    } else if (id) {
      draft = this.drafts.find(d => d.id === id);
    } else {
      draft = last;
    }
    if (!draft) {
      draft = { index, id: '', name: '', arguments: '' };
      this.drafts.push(draft);
    }
    if (id) draft.id = id;
    const name = asString(fn.name);
    if (name) draft.name = name;
    const args = fn.arguments;
    draft.arguments += typeof args === 'string' ? args : isObject(args) ? JSON.stringify(args) : '';
  }
}

// How wrappers say success: 0, 200 and the like, "success", "ok".
const SUCCESS_CODE = /^(?:0+|2\d\d|success|ok)$/i;
const SUCCESS_MESSAGE = /^(?:success|ok|succeeded|successful)$/i;

function presentsAsCompletion(chunk: Json): boolean {
  return isObject(chunk.usage) || (typeof chunk.object === 'string' && chunk.object.startsWith('chat.completion'));
}

/** The message of a non-zero status in the chunk or one of its objects (`status_code`/`code` with `status_msg`/`msg`). */
function failedStatus(chunk: Json): string {
  const candidates = [chunk, ...Object.values(chunk).slice(0, 32).filter(isObject)];
  for (const candidate of candidates) {
    const code = candidate.status_code ?? candidate.code;
    const message = asString(candidate.status_msg) || asString(candidate.msg);
    const failed = (typeof code === 'number' || (typeof code === 'string' && code !== '')) && !SUCCESS_CODE.test(String(code));
    if (failed && message && !SUCCESS_MESSAGE.test(message.trim())) return message;
  }
  return '';
}

/** One of an answer's numbered sources; `url` is '' where what was sent is no web address. */
export interface Source {
  url: string;
  title: string;
}

const MAX_SOURCES = 50;
const MAX_SOURCE_TITLE = 200;
const MAX_URL = 2048;

/** An http(s) address as the URL parser writes it (spaces and angle brackets escaped), or ''. */
function webAddress(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_URL) return '';
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '';
  } catch {
    return '';
  }
}

/** Content is a string, or (some gateways) an array of parts: text parts are the answer, thinking parts reasoning. */
function contentParts(content: unknown): ChunkDelta {
  if (typeof content === 'string') return { text: content, reasoning: '' };
  const out: ChunkDelta = { text: '', reasoning: '' };
  if (!Array.isArray(content)) return out;
  for (const part of content) {
    if (typeof part === 'string') out.text += part;
    // Mistral: `thinking` holds its text; Databricks: `summary` holds summary_text parts.
    else if (isObject(part) && (part.type === 'thinking' || part.type === 'reasoning')) out.reasoning += textOf(part.thinking) || textOf(part.summary) || asString(part.text);
    else if (isObject(part)) out.text += asString(part.text);
  }
  return out;
}

/** The readable text of OpenRouter-style `reasoning_details`: `reasoning.text` and `reasoning.summary` items (an
 *  encrypted item has none). */
function detailsText(details: unknown): string {
  if (!Array.isArray(details)) return '';
  let text = '';
  for (const item of details) {
    if (!isObject(item)) continue;
    if (item.type === 'reasoning.text') text += asString(item.text);
    else if (item.type === 'reasoning.summary') text += asString(item.summary);
  }
  return text;
}

/** A thinking part's text: a string, or (Mistral's magistral) text parts of its own, one level deep. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  let text = '';
  for (const part of value) text += typeof part === 'string' ? part : isObject(part) ? asString(part.text) : '';
  return text;
}

function readUsage(raw: Json): Usage {
  const details = isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  const reasoning = details.reasoning_tokens;
  const usage: Usage = {
    promptTokens: Number(raw.prompt_tokens) || 0,
    completionTokens: Number(raw.completion_tokens) || 0,
  };
  if (typeof reasoning === 'number' && reasoning > 0) usage.reasoningTokens = reasoning;
  return usage;
}
