// One chat turn: send the request, fold the stream into a reply as it arrives, run the tools the model calls and send
// their results back, until the model answers in plain text. It ends in exactly one state, and whatever happens (a
// stop, a dropped connection, a provider error mid-stream) the text that arrived is kept.
import * as l10n from '@vscode/l10n';
import { STREAM_ENDED_UNSAID, STREAM_OPENED, type ChatBackend } from '../llm/chatClient';
import { CompletionAccumulator } from '../llm/completionAccumulator';
import { toFailure, type LlmFailure } from '../llm/failure';
import { toolCallMessage } from '../llm/reasoningHistory';
import type { ChatMessage, ChatRequestBody } from '../llm/request';
import { StreamIdleTimeoutError, StreamNotStartedError } from '../llm/streamErrors';
import { chunkAnswers } from '../llm/streamProgress';
import type { ToolCall, ToolCallView, Usage } from '../shared/domain';
import { sourcesMarkdown } from './answerSources';
import type { ToolOutcome } from './tools/toolbox';

type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;

/** How the turn runs the tool calls of a request whose body offers tools. */
export interface TurnTools {
  run(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome>;
  /** Asks the user before a call runs (comet.tools.approval = ask); absent means run without asking. */
  approve?(call: ToolCallView, signal: AbortSignal): Promise<boolean>;
  /** Tool rounds allowed in one turn. */
  maxRounds: number;
}

export interface TurnOptions {
  backend: ChatBackend;
  /** The request, tools included when they are offered; each tool round adds to its messages. */
  body: ChatRequestBody;
  /** The user's Stop. */
  signal: AbortSignal;
  /** A stream that goes quiet this long is ended as timed out (the SDK's timeout covers only the wait for headers). */
  idleTimeoutMs: number;
  tools?: TurnTools;
  /** Each later tool round's request, shaped as the answer's adaptations shape the first, and the fix for one refused
   *  before any of its answer came, for what only later rounds carry (an earlier round's `reasoning_content`). */
  laterRounds?: LaterRounds;
  onDelta(text: string, reasoning: string): void;
  onToolCall(call: ToolCallView): void;
}

export interface LaterRounds {
  shape(body: ChatRequestBody): ChatRequestBody;
  /** The request fixed for this failure, or undefined when it has no fix (each fix is made once, so this ends). */
  recover(failure: LlmFailure, body: ChatRequestBody): Promise<ChatRequestBody | undefined>;
}

export type TurnEnd = 'done' | 'stopped' | 'error';

export interface TurnResult {
  end: TurnEnd;
  text: string;
  reasoning: string;
  finishReason?: string;
  usage?: Usage;
  model?: string;
  /** Why the turn ended in `error`. */
  failure?: LlmFailure;
  /** Set when the model still wanted tools after comet.tools.maxRounds rounds. */
  roundLimitHit?: boolean;
  /** Set when the last reply was a refusal (`refusal` instead of content). */
  refused?: boolean;
  /** Set when the last reply's stream ended with neither a finish reason nor `[DONE]` (see StreamedReply). */
  mayBeCut?: boolean;
  /** Every message this turn adds to the conversation: assistant tool calls, tool results, the final answer. */
  transcript: ChatMessage[];
}

const ARGS_PREVIEW = 200;
/** Tool calls run per model reply; the rest are answered with an error. */
export const MAX_TOOL_CALLS_PER_REPLY = 16;
/** Tool calls running at once (each search is a ripgrep process). */
export const TOOL_CONCURRENCY = 4;

export async function runTurn(options: TurnOptions): Promise<TurnResult> {
  const transcript: ChatMessage[] = [];
  const totals = { text: '', reasoning: '', usage: undefined as Usage | undefined };
  const tools = options.tools;
  const usedIds = new Set<string>();
  for (let round = 0; ; round++) {
    let body: ChatRequestBody = { ...options.body, messages: [...options.body.messages, ...transcript] };
    const later = round > 0 ? options.laterRounds : undefined;
    if (later) body = later.shape(body);
    // Text from a later round reads as a new paragraph of the same answer.
    let separator = totals.text ? '\n\n' : '';
    const onDelta = (text: string, reasoning: string) => {
      if (text && separator) {
        text = separator + text;
        separator = '';
      }
      totals.text += text;
      totals.reasoning += reasoning;
      options.onDelta(text, reasoning);
    };
    let reply = await streamReply(options, body, onDelta);
    while (later && reply.error !== undefined && !reply.accumulator.started && !options.signal.aborted) {
      const fixed = await later.recover(toFailure(reply.error), body);
      if (!fixed) break;
      body = fixed;
      reply = await streamReply(options, body, onDelta);
    }
    totals.usage = addUsage(totals.usage, reply.accumulator.usage);
    // Every call needs an id of its own in the whole turn: tool messages answer by id, and the chat shows calls by id.
    const calls = (tools ? reply.accumulator.toolCalls : []).map((call, i) => {
      const id = call.id && !usedIds.has(call.id) ? call.id : `${call.id || 'call'}_${round}_${i}`;
      usedIds.add(id);
      return { ...call, id };
    });
    const result = (end: TurnEnd, extra: Partial<TurnResult> = {}): TurnResult => ({
      end,
      text: totals.text,
      reasoning: totals.reasoning,
      finishReason: reply.accumulator.finishReason,
      usage: totals.usage,
      model: reply.accumulator.model,
      ...(reply.accumulator.refusal ? { refused: true } : {}),
      ...(reply.mayBeCut ? { mayBeCut: true } : {}),
      ...(reply.error ? { failure: toFailure(reply.error, { answerStarted: reply.accumulator.started }) } : {}),
      transcript,
      ...extra,
    });
    // Some providers end a tool-calling reply with "stop"; the calls, not the finish reason, decide.
    const wantsTools = !reply.error && !options.signal.aborted && calls.length > 0;
    if (!wantsTools || !tools || round >= tools.maxRounds) {
      // A search model's sources go after the whole answer, once, and only after one that ended as it should (a cut
      // answer may stop inside a code block, and Continue goes on from its end).
      const finished = !reply.error && !options.signal.aborted && reply.accumulator.finishReason !== 'length';
      const sources = finished && totals.text.trim() ? sourcesMarkdown(reply.accumulator.sources, totals.text) : '';
      if (sources) {
        reply.accumulator.appendText(sources);
        totals.text += sources;
        options.onDelta(sources, '');
      }
      if (reply.accumulator.text) transcript.push({ role: 'assistant', content: reply.accumulator.text });
      const end: TurnEnd = reply.error ? 'error' : options.signal.aborted ? 'stopped' : 'done';
      return result(end, wantsTools ? { roundLimitHit: true } : {});
    }

    const assistant = toolCallMessage(options.body.model, {
      role: 'assistant',
      content: reply.accumulator.text || null,
      tool_calls: calls.map(call => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    }, reply.accumulator.reasoning);
    // A reply may ask for any number of calls; a few run at a time, and past the cap each gets an error it can read.
    const results = await mapLimited(calls.slice(0, MAX_TOOL_CALLS_PER_REPLY), TOOL_CONCURRENCY, call => runToolCall(call, tools, options));
    const refused = calls.slice(MAX_TOOL_CALLS_PER_REPLY).map(call => refuseToolCall(call, calls.length, options));
    transcript.push(assistant, ...results, ...refused);
    if (options.signal.aborted) return result('stopped');
  }
}

async function runToolCall(call: ToolCall, tools: TurnTools, options: TurnOptions): Promise<ToolMessage> {
  const view: ToolCallView = { id: call.id, name: call.name, args: preview(call.arguments), state: 'running' };
  const show = (update: Partial<ToolCallView>) => options.onToolCall(Object.assign(view, update));
  const message = (content: string): ToolMessage => ({ role: 'tool', tool_call_id: call.id, content });
  try {
    if (tools.approve) {
      show({ state: 'awaiting-approval' });
      if (!(await tools.approve({ ...view }, options.signal))) {
        if (options.signal.aborted) throw options.signal.reason;
        show({ state: 'denied', summary: l10n.t('denied by the user') });
        return message('Error: the user denied this tool call. Do not retry it; answer with what you have or ask the user.');
      }
    }
    show({ state: 'running' });
    const outcome = await tools.run(call, options.signal);
    show({ state: outcome.ok ? 'done' : 'error', summary: outcome.summary });
    return message(outcome.content);
  } catch {
    // Only a Stop gets here (the toolbox turns every other failure into a result).
    show({ state: 'cancelled', summary: 'stopped' });
    return message('Error: the user stopped this tool call.');
  }
}

function refuseToolCall(call: ToolCall, asked: number, options: TurnOptions): ToolMessage {
  const summary = l10n.t('not run: {0} calls in one reply, at most {1} run', asked, MAX_TOOL_CALLS_PER_REPLY);
  options.onToolCall({ id: call.id, name: call.name, args: preview(call.arguments), state: 'error', summary });
  return {
    role: 'tool',
    tool_call_id: call.id,
    content: `Error: this reply asked for ${asked} tool calls; only the first ${MAX_TOOL_CALLS_PER_REPLY} ran. Call this one again in your next reply if you still need it.`,
  };
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order of the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface StreamedReply {
  accumulator: CompletionAccumulator;
  error?: unknown;
  /** The stream ended, with no error, but said neither a finish reason nor `[DONE]`: it may have been cut off. */
  mayBeCut?: boolean;
}

/** One request's stream folded into the accumulator, ended as stalled when it goes quiet for `idleTimeoutMs`. Used by
 *  the turn and by VS Code's chat (core/native/response), so both have the same stall rules. */
export async function streamReply(
  options: Pick<TurnOptions, 'backend' | 'signal' | 'idleTimeoutMs'>,
  body: ChatRequestBody,
  onDelta: (text: string, reasoning: string) => void,
): Promise<StreamedReply> {
  const accumulator = new CompletionAccumulator();
  const request = new AbortController();
  const stopRequest = () => request.abort();
  options.signal.addEventListener('abort', stopRequest, { once: true });
  // One timer per stream, not one per chunk: it notes when the answer last moved, and on waking re-arms for the rest
  // of the window, or ends the stream as stalled. Only chunks that add to the answer move it: keep-alives (comments,
  // chunks with no choices, empty deltas) do not, so comet.requestTimeoutSeconds holds however a server pads.
  let idleError: StreamIdleTimeoutError | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastChunkAt = 0;
  let answered = false;
  const watchIdle = (wait: number) => {
    idleTimer = setTimeout(() => {
      const quiet = Date.now() - lastChunkAt;
      if (quiet < options.idleTimeoutMs) return watchIdle(options.idleTimeoutMs - quiet);
      idleError = answered ? new StreamIdleTimeoutError(options.idleTimeoutMs) : new StreamNotStartedError(options.idleTimeoutMs);
      request.abort();
    }, wait);
  };

  let error: unknown;
  let endedUnsaid = false;
  try {
    // Until the stream opens, the SDK's own timeout (with its retries) applies; after that, silence is a stall.
    for await (const chunk of options.backend(body, request.signal)) {
      if (chunk === STREAM_OPENED) {
        lastChunkAt = Date.now();
        watchIdle(options.idleTimeoutMs);
        continue;
      }
      if (chunk === STREAM_ENDED_UNSAID) {
        endedUnsaid = true;
        continue;
      }
      if (chunkAnswers(chunk)) {
        lastChunkAt = Date.now();
        answered = true;
      }
      const added = accumulator.add(chunk);
      if (added.text || added.reasoning) onDelta(added.text, added.reasoning);
    }
  } catch (thrown) {
    error = thrown;
  } finally {
    clearTimeout(idleTimer);
    options.signal.removeEventListener('abort', stopRequest);
  }
  // However it ended, nothing that arrived is lost.
  const rest = accumulator.end();
  if (rest.text || rest.reasoning) onDelta(rest.text, rest.reasoning);
  // The SDK ends an aborted stream quietly, so the signals, not the absence of an error, say how the request ended.
  if (idleError) error = idleError;
  else if (options.signal.aborted) error = undefined;
  else if (!error && accumulator.finishReason === 'error') error = new Error('The provider ended the stream with finish_reason "error".');
  return { accumulator, error, ...(endedUnsaid && !error && !accumulator.finishReason ? { mayBeCut: true } : {}) };
}

function addUsage(total: Usage | undefined, next: Usage | undefined): Usage | undefined {
  if (!next) return total;
  if (!total) return { ...next };
  const sum: Usage = { promptTokens: total.promptTokens + next.promptTokens, completionTokens: total.completionTokens + next.completionTokens };
  const reasoning = (total.reasoningTokens ?? 0) + (next.reasoningTokens ?? 0);
  if (reasoning) sum.reasoningTokens = reasoning;
  return sum;
}

function preview(args: string): string {
  const compact = args.replace(/\s+/g, ' ').trim();
  return compact.length > ARGS_PREVIEW ? `${compact.slice(0, ARGS_PREVIEW)}…` : compact;
}
