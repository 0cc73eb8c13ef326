// Layer llm/: the wire and nothing of the UI. It may import packages and ../shared/domain only, and names no setting.
// What each family wants back of its own reasoning in later requests. DeepSeek's thinking mode and Moonshot's and
// Zhipu's thinking models need `reasoning_content` on an assistant message that made tool calls (DeepSeek answers
// 400 "Missing reasoning_content field" without it), and the older deepseek-reasoner rejected it anywhere else, so
// a plain answer never carries it. Every other family gets none: OpenAI, Claude and Gemini layers neither need nor
// take the field.
import { modelFamily } from './modelRules';
import type { ChatMessage } from './request';

export type ReasoningPolicy = 'with-tool-calls' | 'never';

export function reasoningPolicy(model: string): ReasoningPolicy {
  return /^(?:deepseek|kimi|moonshot|glm)/.test(modelFamily(model)) ? 'with-tool-calls' : 'never';
}

/** The assistant message of a tool round, with its reasoning where the family needs it back. */
export function toolCallMessage(model: string, message: Extract<ChatMessage, { role: 'assistant' }>, reasoning: string): ChatMessage {
  return reasoning && reasoningPolicy(model) === 'with-tool-calls' ? ({ ...message, reasoning_content: reasoning } as ChatMessage) : message;
}

/** The history as this model takes it: reasoning kept only where its family needs it (a conversation can change model). */
export function reasoningForModel(model: string, messages: readonly ChatMessage[]): ChatMessage[] {
  const keepWithTools = reasoningPolicy(model) === 'with-tool-calls';
  return messages.map(message => {
    if (message.role !== 'assistant' || !('reasoning_content' in message)) return message;
    if (keepWithTools && message.tool_calls?.length) return message;
    return withoutReasoning(message);
  });
}

/** The message without its reasoning. */
export function withoutReasoning(message: ChatMessage): ChatMessage {
  if (!('reasoning_content' in message)) return message;
  const { reasoning_content: _dropped, ...rest } = message as ChatMessage & { reasoning_content?: string };
  return rest as ChatMessage;
}
