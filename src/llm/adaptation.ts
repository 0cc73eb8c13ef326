// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// How a request changes when an endpoint rejects one of its parameters: the parameter is dropped, or changed to its
// alternative (max_tokens <-> max_completion_tokens, the developer role -> system, image parts -> a text note); an
// earlier tool round's thinking (`reasoning_content` on its message) goes from every message.
// Pure: the same adaptation applies to a retry and, once learned, to every later request to that endpoint and model.
import type { LlmFailure } from './failure';
import { withoutReasoning } from './reasoningHistory';
import type { ChatMessage, ChatRequestBody } from './request';
import type { WireParameter } from './rejection';

export type AdaptationAction = 'drop' | 'rename' | 'system-role' | 'text-only' | 'auto-tool-choice';

/** Every action, for whoever reads a stored rule back. */
export const ADAPTATION_ACTIONS: readonly AdaptationAction[] = ['drop', 'rename', 'system-role', 'text-only', 'auto-tool-choice'];

export interface Adaptation {
  param: WireParameter;
  action: AdaptationAction;
}

/** Parameters that the backend adds itself (not in the body): the body marks them as left out with `undefined`. */
export interface SentParameters {
  streaming: boolean;
}

/** The adaptation for a rejected parameter, or undefined when the request did not carry it (nothing to change). */
export function adaptationFor(body: ChatRequestBody, param: WireParameter, reason: 'unsupported' | 'value', sent: SentParameters): Adaptation | undefined {
  if (!carries(body, param, sent)) return undefined;
  switch (param) {
    case 'max_tokens':
    case 'max_completion_tokens':
      // The other name is the fix for a parameter the model does not know; a value it does not take goes.
      return { param, action: reason === 'unsupported' ? 'rename' : 'drop' };
    case 'developer':
      return { param, action: 'system-role' };
    case 'image_url':
      return { param, action: 'text-only' };
    case 'tool_choice':
      // A forced choice ("required", or one tool) refused is no refusal of tools: "auto" may still be taken.
      return reason === 'value' && body.tool_choice !== undefined && body.tool_choice !== 'auto' ? { param, action: 'auto-tool-choice' } : { param, action: 'drop' };
    default:
      return { param, action: 'drop' };
  }
}

/** The one fix a failure calls for: a rejected parameter this request carried and that was not adapted already (so a
 *  retry can never loop), or undefined. */
export function adaptationForFailure(failure: LlmFailure | undefined, body: ChatRequestBody, adapted: readonly Adaptation[], sent: SentParameters): Adaptation | undefined {
  if (failure?.kind !== 'bad-parameter' || !failure.param) return undefined;
  if (adapted.some(done => done.param === failure.param)) return undefined;
  return adaptationFor(body, failure.param, failure.reason ?? 'value', sent);
}

export function carries(body: ChatRequestBody, param: WireParameter, sent: SentParameters): boolean {
  switch (param) {
    case 'stream_options':
      return sent.streaming && !('stream_options' in body);
    case 'developer':
      return body.messages.some(message => message.role === 'developer');
    case 'image_url':
      return body.messages.some(message => Array.isArray(message.content) && message.content.some(part => part.type === 'image_url'));
    case 'reasoning_content':
      return body.messages.some(message => 'reasoning_content' in message);
    default:
      return (body as Record<string, unknown>)[param] !== undefined;
  }
}

export const IMAGE_NOT_SENT = '[image not sent: this model takes no images]';

/** The body with the adaptation applied; a body without the parameter comes back unchanged. */
export function applyAdaptation(body: ChatRequestBody, adaptation: Adaptation): ChatRequestBody {
  const next = { ...body } as Record<string, unknown> & { messages: ChatMessage[] };
  const { param, action } = adaptation;
  if (action === 'rename') {
    const other = param === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    if (next[param] !== undefined) next[other] = next[param];
    delete next[param];
  } else if (action === 'system-role') {
    next.messages = body.messages.map(message => (message.role === 'developer' ? { ...message, role: 'system' } : message)) as ChatMessage[];
  } else if (action === 'text-only') {
    next.messages = body.messages.map(message => imagesAsText(message, IMAGE_NOT_SENT));
  } else if (param === 'reasoning_content') {
    next.messages = body.messages.map(withoutReasoning);
  } else if (action === 'auto-tool-choice') {
    if (next.tool_choice !== undefined) next.tool_choice = 'auto';
  } else if (param === 'stream_options') {
    // JSON leaves an undefined member out: the backend's own stream_options is overridden by nothing.
    next.stream_options = undefined;
  } else if (param === 'tools' || param === 'tool_choice') {
    delete next.tools;
    delete next.tool_choice;
    delete next.parallel_tool_calls;
  } else {
    delete next[param];
  }
  return next as unknown as ChatRequestBody;
}

/** A user message with each image part as a text `note`; text alone goes as one string, since a text-only model may
 *  take no content parts at all (Groq: "content must be a string"). Any other message comes back as it is. */
export function imagesAsText(message: ChatMessage, note: string): ChatMessage {
  if (message.role !== 'user' || !Array.isArray(message.content) || !message.content.some(part => part.type === 'image_url')) return message;
  const parts = message.content.map(part => (part.type === 'image_url' ? { type: 'text' as const, text: note } : part));
  if (!parts.every(part => part.type === 'text')) return { ...message, content: parts };
  return { ...message, content: parts.map(part => (part as { text: string }).text).join('\n\n') };
}
