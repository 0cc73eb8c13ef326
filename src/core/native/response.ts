// One answer for VS Code's chat: sends the request through the llm/ backend, reports text as it streams and each tool
// call once the stream has ended and its arguments parse, folding chunks with the panel's tolerant accumulator (calls
// without `index`, or numbered from 1, work). Failures come out as one typed error with the panel's wording minus
// its buttons, and never the key.
import { STREAM_OPENED, type ChatBackend } from '../../llm/chatClient';
import { CompletionAccumulator } from '../../llm/completionAccumulator';
import { toFailure, type FailureKind } from '../../llm/failure';
import type { ChatRequestBody } from '../../llm/request';
import { describeFailure, type RequestContext } from '../describeFailure';
import { redactSecrets } from '../redact';

export type NativePart = { kind: 'text'; text: string } | { kind: 'toolCall'; id: string; name: string; input: object };

/** What went wrong, worded for VS Code's chat; `kind` is llm's failure kind, or `bad-tool-call`. */
export class NativeResponseError extends Error {
  constructor(readonly kind: FailureKind | 'bad-tool-call' | 'cancelled', message: string) {
    super(message);
    this.name = 'NativeResponseError';
  }
}

export interface NativeRequest {
  backend: ChatBackend;
  body: ChatRequestBody;
  signal: AbortSignal;
  context: RequestContext;
  apiKey: string | undefined;
}

export async function streamNativeResponse(request: NativeRequest, report: (part: NativePart) => void): Promise<void> {
  const accumulator = new CompletionAccumulator();
  try {
    for await (const chunk of request.backend(request.body, request.signal)) {
      if (chunk === STREAM_OPENED) continue;
      const added = accumulator.add(chunk);
      if (added.text) report({ kind: 'text', text: added.text });
    }
  } catch (error) {
    if (request.signal.aborted) throw new NativeResponseError('cancelled', 'The request was cancelled.');
    const failure = toFailure(error);
    const { message } = describeFailure(failure, request.context);
    throw new NativeResponseError(failure.kind, redactSecrets(message, request.apiKey));
  }
  for (const call of accumulator.toolCalls) report({ kind: 'toolCall', ...parseCall(call) });
}

function parseCall(call: { id: string; name: string; arguments: string }): { id: string; name: string; input: object } {
  const text = call.arguments.trim();
  if (!text) return { id: call.id, name: call.name, input: {} };
  try {
    const input: unknown = JSON.parse(text);
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return { id: call.id, name: call.name, input };
  } catch {
    /* reported below */
  }
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  throw new NativeResponseError('bad-tool-call', `The model called the tool "${call.name || '(no name)'}" with arguments that are not a JSON object: ${shown}`);
}

/** A rough token count for VS Code's budgeting: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
