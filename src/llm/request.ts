// Builds the body of one chat.completions request from the settings, the instruction and the conversation, applying
// the per-model rules. Pure, so every rule is unit-tested without a server.
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Settings } from '../core/settings';
import { modelRules } from './modelRules';

export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

export function buildChatRequest(
  settings: Settings,
  instruction: string,
  history: readonly ChatCompletionMessageParam[],
  tools: readonly ChatCompletionTool[] = [],
): ChatRequestBody {
  const rules = modelRules(settings.model);
  const role = settings.instructionRole === 'auto' ? rules.instructionRole : settings.instructionRole;
  const messages: ChatCompletionMessageParam[] = rules.acceptsInstructionMessage
    ? [{ role, content: instruction }, ...history]
    : foldInstructionIntoFirstUserMessage(instruction, history);

  const body: ChatRequestBody = { model: settings.model, messages };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxTokens !== undefined) body[rules.maxTokensParam] = settings.maxTokens;
  if (settings.reasoningEffort && rules.acceptsReasoningEffort) body.reasoning_effort = settings.reasoningEffort;
  if (tools.length) {
    body.tools = [...tools];
    body.tool_choice = 'auto';
  }
  return body;
}

function foldInstructionIntoFirstUserMessage(
  instruction: string,
  history: readonly ChatCompletionMessageParam[],
): ChatCompletionMessageParam[] {
  const first = history.findIndex(m => m.role === 'user');
  return history.map((message, i) =>
    i === first && message.role === 'user' && typeof message.content === 'string'
      ? { role: 'user', content: `${instruction}\n\n${message.content}` }
      : message,
  );
}
