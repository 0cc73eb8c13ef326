// Builds the body of one chat.completions request from the request options, the instruction and the conversation,
// applying the per-model rules. Pure, so every rule is unit-tested without a server. The one place where tool
// definitions become the SDK's function tools.
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ToolDefinition } from '../shared/domain';
import { modelRules, type InstructionRole, type ReasoningEffort } from './modelRules';

export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;
/** A message of the conversation as the wire carries it. */
export type ChatMessage = ChatCompletionMessageParam;
export type ChatContentPart = ChatCompletionContentPart;

/** What a request is built from, besides the messages: the caller's choices, before the model's rules apply. */
export interface RequestOptions {
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  reasoningEffort?: ReasoningEffort;
  /** `auto` follows the model's rules. */
  instructionRole: InstructionRole | 'auto';
}

export function buildChatRequest(
  options: RequestOptions,
  instruction: string,
  history: readonly ChatMessage[],
  tools: readonly ToolDefinition[] = [],
): ChatRequestBody {
  const rules = modelRules(options.model);
  const role = options.instructionRole === 'auto' ? rules.instructionRole : options.instructionRole;
  const messages: ChatMessage[] = rules.acceptsInstructionMessage
    ? [{ role, content: instruction }, ...history]
    : foldInstructionIntoFirstUserMessage(instruction, history);

  const body: ChatRequestBody = { model: options.model, messages: toolCallIdsFor(options.model, messages) };
  const sampling = samplingFor(options);
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.top_p !== undefined) body.top_p = sampling.top_p;
  if (options.maxTokens !== undefined) body[rules.maxTokensParam] = options.maxTokens;
  if (options.reasoningEffort && rules.acceptsReasoningEffort) body.reasoning_effort = options.reasoningEffort;
  if (tools.length) {
    body.tools = tools.map(toFunctionTool);
    body.tool_choice = 'auto';
  }
  return body;
}

/** A sampling setting the model's rules changed: clamped into its range (`sent`), or left out (`sent` undefined). */
export interface SamplingChange {
  param: 'temperature' | 'top_p';
  asked: number;
  sent?: number;
  /** The range the model takes, for the note. */
  max?: number;
}

/** temperature and top_p as the model takes them: never sent outside its range, nor to a family that rejects them. */
export function samplingFor(options: Pick<RequestOptions, 'model' | 'temperature' | 'topP'>): { temperature?: number; top_p?: number; changes: SamplingChange[] } {
  const rules = modelRules(options.model);
  const changes: SamplingChange[] = [];
  const result: { temperature?: number; top_p?: number; changes: SamplingChange[] } = { changes };
  if (!rules.acceptsSampling) {
    if (options.temperature !== undefined) changes.push({ param: 'temperature', asked: options.temperature });
    if (options.topP !== undefined) changes.push({ param: 'top_p', asked: options.topP });
    return result;
  }
  if (options.temperature !== undefined) {
    result.temperature = Math.min(options.temperature, rules.maxTemperature);
    if (result.temperature !== options.temperature) changes.push({ param: 'temperature', asked: options.temperature, sent: result.temperature, max: rules.maxTemperature });
  }
  if (options.topP !== undefined) result.top_p = options.topP;
  return result;
}

const NINE_CHAR_ID = /^[a-zA-Z0-9]{9}$/;
const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The same nine letters and digits for the same id, so a call and its result still match (an id that already has the
 *  form stays). Two 32-bit FNV-1a hashes give 53 bits, which nine base-62 digits hold. */
export function nineCharToolCallId(id: string): string {
  if (NINE_CHAR_ID.test(id)) return id;
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x811c9dc5) >>> 0;
  }
  let value = (a % 2 ** 21) * 2 ** 32 + b;
  let out = '';
  for (let i = 0; i < 9; i++) {
    out += BASE62[value % 62];
    value = Math.floor(value / 62);
  }
  return out;
}

/** The messages with their tool-call ids in the form the model takes (see ModelRules.nineCharToolCallIds). */
export function toolCallIdsFor(model: string, messages: ChatMessage[]): ChatMessage[] {
  return modelRules(model).nineCharToolCallIds ? messages.map(withNineCharToolCallIds) : messages;
}

function withNineCharToolCallIds(message: ChatMessage): ChatMessage {
  if (message.role === 'tool') return { ...message, tool_call_id: nineCharToolCallId(message.tool_call_id) };
  if (message.role !== 'assistant' || !message.tool_calls?.length) return message;
  return { ...message, tool_calls: message.tool_calls.map(call => ({ ...call, id: nineCharToolCallId(call.id) })) };
}

// A schema's `$schema` names its JSON Schema dialect, which no model needs, and Gemini's layers refuse it ('Unknown
// name "$schema" at tools[0].function_declarations[0].parameters'); VS Code's chat hands on tools' schemas with it.
function toFunctionTool(tool: ToolDefinition): ChatCompletionTool {
  const { $schema: _dialect, ...parameters } = tool.parameters as Record<string, unknown>;
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
}

// The instruction goes in front of the first text the user sent: the whole content when it is a string, else its
// first text part (a question with images), else a text part of its own.
function foldInstructionIntoFirstUserMessage(instruction: string, history: readonly ChatMessage[]): ChatMessage[] {
  const first = history.findIndex(m => m.role === 'user');
  return history.map((message, i) => {
    if (i !== first || message.role !== 'user') return message;
    const content = message.content;
    if (typeof content === 'string') return { ...message, content: `${instruction}\n\n${content}` };
    const at = content.findIndex(part => part.type === 'text');
    const parts = [...content];
    if (at < 0) parts.unshift({ type: 'text', text: instruction });
    else parts[at] = { type: 'text', text: `${instruction}\n\n${(parts[at] as { text: string }).text}` };
    return { ...message, content: parts };
  });
}
