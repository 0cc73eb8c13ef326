// One answer for VS Code's chat, under the panel's rules: the learned per-endpoint model rules shape the request, a
// stream that goes quiet is ended as the panel's is (chatTurn's streamReply), and a 400 that rejects a parameter
// before anything arrived gets one retry with that parameter dropped or changed, learned for the endpoint and model.
// (The SDK's own retries of 429/5xx happen inside the backend.) Text and reasoning are reported as they stream, each
// tool call once the stream has ended and its arguments parse, folded by the panel's tolerant accumulator (calls
// without `index`, or numbered from 1, work). Failures come out as one typed error with the panel's wording minus its
// buttons, and never the key.
import { adaptationForFailure, applyAdaptation, type Adaptation } from '../../llm/adaptation';
import type { ChatBackend } from '../../llm/chatClient';
import { toFailure, type FailureKind } from '../../llm/failure';
import type { ChatRequestBody } from '../../llm/request';
import { WIRE_PARAMETERS } from '../../llm/rejection';
import { streamReply } from '../chatTurn';
import { describeFailure, type RequestContext } from '../describeFailure';
import type { LearnedRules } from '../learnedRules';
import { redactSecrets } from '../redact';

export type NativePart = { kind: 'text'; text: string } | { kind: 'reasoning'; text: string } | { kind: 'toolCall'; id: string; name: string; input: object };

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
  /** The endpoint, model, timeout (also the stall limit) and retries, as the panel words failures with them. */
  context: RequestContext;
  apiKey: string | undefined;
  rules: LearnedRules;
  log?(message: string): void;
}

/** The provider always streams: what the backend adds to the body besides it (for the rules' `carries`). */
const SENT = { streaming: true };

export async function streamNativeResponse(request: NativeRequest, report: (part: NativePart) => void): Promise<void> {
  const { baseUrl, model } = request.context;
  let body = request.rules.apply(baseUrl, model, request.body, SENT).body;
  const adapted: Adaptation[] = [];
  for (let attempt = 0; ; attempt++) {
    let reported = false;
    const reply = await streamReply({ backend: request.backend, signal: request.signal, idleTimeoutMs: request.context.timeoutSeconds * 1000 }, body, (text, reasoning) => {
      // The reasoning first: a chunk that holds both ends its thinking where its text begins.
      if (reasoning) report({ kind: 'reasoning', text: reasoning });
      if (text) report({ kind: 'text', text });
      reported ||= Boolean(text || reasoning);
    });
    if (request.signal.aborted) throw new NativeResponseError('cancelled', 'The request was cancelled.');
    if (reply.error !== undefined) {
      const failure = toFailure(reply.error, { answerStarted: reply.accumulator.started });
      // A retry only when nothing of the answer had arrived, once per parameter.
      const fix = !reported && attempt < WIRE_PARAMETERS.length ? adaptationForFailure(failure, body, adapted, SENT) : undefined;
      if (fix) {
        adapted.push(fix);
        request.log?.(`VS Code chat: ${model} rejected ${fix.param}: sent again with it adapted (${fix.action})`);
        await request.rules.learn(baseUrl, model, fix);
        body = applyAdaptation(body, fix);
        continue;
      }
      const { message } = describeFailure(failure, request.context);
      throw new NativeResponseError(failure.kind, redactSecrets(message, request.apiKey));
    }
    for (const call of reply.accumulator.toolCalls) report({ kind: 'toolCall', ...parseCall(call) });
    return;
  }
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
