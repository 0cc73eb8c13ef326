// One chat turn: send the request, fold the stream into a reply as it arrives, and end in exactly one state. Whatever
// happens (a stop, a dropped connection, a provider error mid-stream), the text that arrived is kept.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatBackend } from '../llm/chatClient';
import { CompletionAccumulator } from '../llm/completionAccumulator';
import type { ChatRequestBody } from '../llm/request';
import { StreamIdleTimeoutError } from '../llm/streamErrors';
import type { Usage } from '../shared/protocol';

export interface TurnOptions {
  backend: ChatBackend;
  body: ChatRequestBody;
  /** The user's Stop. */
  signal: AbortSignal;
  /** A stream that goes quiet this long is ended as timed out (the SDK's timeout covers only the wait for headers). */
  idleTimeoutMs: number;
  onDelta(text: string, reasoning: string): void;
}

export type TurnEnd = 'done' | 'stopped' | 'error';

export interface TurnResult {
  end: TurnEnd;
  text: string;
  reasoning: string;
  finishReason?: string;
  usage?: Usage;
  model?: string;
  error?: unknown;
  /** The assistant message(s) to send back in later requests. */
  transcript: ChatCompletionMessageParam[];
}

export async function runTurn(options: TurnOptions): Promise<TurnResult> {
  const reply = new CompletionAccumulator();
  const request = new AbortController();
  const stopRequest = () => request.abort();
  options.signal.addEventListener('abort', stopRequest, { once: true });
  let idleError: StreamIdleTimeoutError | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleError = new StreamIdleTimeoutError(options.idleTimeoutMs);
      request.abort();
    }, options.idleTimeoutMs);
  };

  let error: unknown;
  try {
    armIdleTimer();
    for await (const chunk of options.backend(options.body, request.signal)) {
      armIdleTimer();
      const added = reply.add(chunk);
      if (added.text || added.reasoning) options.onDelta(added.text, added.reasoning);
    }
  } catch (thrown) {
    error = thrown;
  } finally {
    clearTimeout(idleTimer);
    options.signal.removeEventListener('abort', stopRequest);
  }
  // The SDK ends an aborted stream quietly, so the signals, not the absence of an error, say how the turn ended.
  if (idleError) error = idleError;
  else if (options.signal.aborted) error = undefined;
  else if (!error && reply.finishReason === 'error') error = new Error('The provider ended the stream with finish_reason "error".');

  const end: TurnEnd = error ? 'error' : options.signal.aborted ? 'stopped' : 'done';
  return {
    end,
    text: reply.text,
    reasoning: reply.reasoning,
    finishReason: reply.finishReason,
    usage: reply.usage,
    model: reply.model,
    error,
    transcript: reply.text ? [{ role: 'assistant', content: reply.text }] : [],
  };
}
