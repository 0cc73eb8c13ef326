// Pure: which part of the conversation goes with the next request. What must go always goes: the new question and
// whatever it carries (its selection, its images, the tool rounds of the answer in progress). Then the earlier turns
// are added newest first, whole, while they fit under the budget; the first that does not fit ends it, so what is
// sent is always a recent stretch without gaps. Earlier turns go lighter: an image only with its own turn (later a
// short placeholder), and old tool results shortened.
import { imagesAsText } from '../llm/adaptation';
import type { ChatMessage } from '../llm/request';

export const IMAGE_PLACEHOLDER = '[an image was attached here; it is not resent]';
export const OLD_TOOL_RESULT_CHARS = 1500;

export interface BudgetInput {
  /** The conversation's messages, oldest first, the new question's turn last (Conversation.history()). */
  history: readonly ChatMessage[];
  /** Tokens available for the messages: the window less the answer's reserve, the instruction and the tools. */
  budget: number;
  /** Tokens of a list of messages (calibrated). */
  estimate(messages: readonly ChatMessage[]): number;
}

export interface FittedHistory {
  messages: ChatMessage[];
  /** Earlier messages of the chat (questions and answers) left out. */
  omittedMessages: number;
  estimatedTokens: number;
}

export function fitHistory(input: BudgetInput): FittedHistory {
  const turns = splitTurns(input.history);
  const current = turns.pop() ?? [];
  let used = input.estimate(current);
  const kept: ChatMessage[][] = [];
  let cut = turns.length;
  for (let i = turns.length - 1; i >= 0; i--) {
    const lighter = turns[i].map(lighten);
    const cost = input.estimate(lighter);
    if (used + cost > input.budget) break;
    used += cost;
    kept.unshift(lighter);
    cut = i;
  }
  const omitted = turns.slice(0, cut).flat().filter(isChatMessage).length;
  return { messages: [...kept.flat(), ...current], omittedMessages: omitted, estimatedTokens: used };
}

/** A turn starts at each user message; tool calls and results stay with the answer they belong to. */
export function splitTurns(history: readonly ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (const message of history) {
    if (message.role === 'user' || !turns.length) turns.push([message]);
    else turns[turns.length - 1].push(message);
  }
  return turns;
}

// What the user would count as a message: a question, or an answer with text.
function isChatMessage(message: ChatMessage): boolean {
  return message.role === 'user' || (message.role === 'assistant' && Boolean(message.content));
}

function lighten(message: ChatMessage): ChatMessage {
  if (message.role === 'user') return imagesAsText(message, IMAGE_PLACEHOLDER);
  if (message.role === 'tool' && typeof message.content === 'string' && message.content.length > OLD_TOOL_RESULT_CHARS) {
    const dropped = message.content.length - OLD_TOOL_RESULT_CHARS;
    return { ...message, content: `${message.content.slice(0, OLD_TOOL_RESULT_CHARS)}\n… [shortened: ${dropped} more characters not resent]` };
  }
  return message;
}
