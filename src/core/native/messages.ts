// VS Code's chat messages (as a Language Model Chat Provider receives them) onto chat.completions messages. Pure and
// duck-typed on the parts' shapes, so it needs no vscode and is unit-tested: text parts, tool calls (`callId`, `name`,
// `input`), tool results (`callId`, `content`) and data parts (`mimeType`, `data`; images become data URLs). A
// thinking part has a text part's shape, so the host hands it over marked as one (`thinkingPart`).
import { toolCallMessage } from '../../llm/reasoningHistory';
import type { ChatContentPart, ChatMessage } from '../../llm/request';
import type { ToolDefinition } from '../../shared/domain';
import { estimateTokens } from '../tokenEstimate';

/** VS Code's LanguageModelChatMessageRole: User 1, Assistant 2; System 3 in the versions that send it. */
export const ROLE = { user: 1, assistant: 2, system: 3 } as const;

export interface NativeMessage {
  role: number;
  content: readonly unknown[];
}

export interface NativeTool {
  name: string;
  description: string;
  inputSchema?: object | undefined;
}

export interface MappedConversation {
  /** The system messages' text, joined: it goes out as the instruction, through the model's rules. */
  instruction: string;
  history: ChatMessage[];
}

type Part = Record<string, unknown>;
const isPart = (value: unknown): value is Part => typeof value === 'object' && value !== null;

const THINKING = 'comet.thinking';

/** A model's thinking, as VS Code's chat sends an earlier answer's back (its value is text, or pieces of it). */
export function thinkingPart(value: unknown): Part {
  return { kind: THINKING, text: typeof value === 'string' ? value : Array.isArray(value) ? value.filter(piece => typeof piece === 'string').join('') : '' };
}

const thinkingOf = (part: Part): string => (part.kind === THINKING && typeof part.text === 'string' ? part.text : '');

/** `model` decides whether an earlier tool round's thinking goes back with it (the families that need it). */
export function mapMessages(messages: readonly NativeMessage[], model = ''): MappedConversation {
  const instruction: string[] = [];
  const history: ChatMessage[] = [];
  for (const message of messages) {
    const parts = message.content.filter(isPart);
    if (message.role === ROLE.system) {
      instruction.push(parts.map(textOf).join(''));
    } else if (message.role === ROLE.assistant) {
      history.push(assistantMessage(parts, model));
    } else {
      history.push(...userMessages(parts));
    }
  }
  return { instruction: instruction.filter(Boolean).join('\n\n'), history };
}

/** VS Code's token count for its budgeting, with the conversation fitting's estimator, of what goes to `model`. */
export function countTokens(input: string | NativeMessage, model = ''): number {
  if (typeof input === 'string') return estimateTokens([], input);
  const { instruction, history } = mapMessages([input], model);
  return estimateTokens(history, instruction);
}

export function toToolDefinitions(tools: readonly NativeTool[] | undefined): ToolDefinition[] {
  return (tools ?? []).map(tool => ({
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema && Object.keys(tool.inputSchema).length ? tool.inputSchema : { type: 'object', properties: {} },
  }));
}

function assistantMessage(parts: Part[], model: string): ChatMessage {
  const text = parts.map(textOf).join('');
  const calls = parts.filter(isToolCall).map(part => ({
    id: String(part.callId),
    type: 'function' as const,
    function: { name: String(part.name), arguments: JSON.stringify(part.input ?? {}) },
  }));
  if (!calls.length) return { role: 'assistant', content: text };
  return toolCallMessage(model, { role: 'assistant', content: text || null, tool_calls: calls }, parts.map(thinkingOf).join(''));
}

// Tool results answer the calls of the assistant message before them, so they go first, as `tool` messages with the
// call's id; what else the user message carries follows as one user message.
function userMessages(parts: Part[]): ChatMessage[] {
  const out: ChatMessage[] = parts.filter(isToolResult).map(part => ({
    role: 'tool' as const,
    tool_call_id: String(part.callId),
    content: (part.content as unknown[]).filter(isPart).map(resultText).join(''),
  }));
  const content: ChatContentPart[] = [];
  for (const part of parts) {
    if (isToolResult(part)) continue;
    const image = imageUrl(part);
    if (image) content.push({ type: 'image_url', image_url: { url: image } });
    else if (textOf(part)) content.push({ type: 'text', text: textOf(part) });
  }
  if (content.length) {
    const onlyText = content.every(part => part.type === 'text');
    out.push({ role: 'user', content: onlyText ? content.map(part => (part as { text: string }).text).join('') : content });
  }
  return out;
}

const isToolCall = (part: Part): boolean => typeof part.callId === 'string' && typeof part.name === 'string' && 'input' in part;
const isToolResult = (part: Part): boolean => typeof part.callId === 'string' && Array.isArray(part.content);
const textOf = (part: Part): string => (typeof part.value === 'string' ? part.value : '');

/** A tool result's parts: text as is, anything else (a prompt-tsx tree, JSON data) as JSON. */
function resultText(part: Part): string {
  if (typeof part.value === 'string') return part.value;
  const data = dataOf(part);
  if (data && /json|text/.test(data.mimeType)) return new TextDecoder().decode(data.bytes);
  return 'value' in part ? JSON.stringify(part.value) : '';
}

function imageUrl(part: Part): string | undefined {
  const data = dataOf(part);
  if (!data || !data.mimeType.startsWith('image/')) return undefined;
  return `data:${data.mimeType};base64,${Buffer.from(data.bytes).toString('base64')}`;
}

function dataOf(part: Part): { mimeType: string; bytes: Uint8Array } | undefined {
  return typeof part.mimeType === 'string' && part.data instanceof Uint8Array ? { mimeType: part.mimeType, bytes: part.data } : undefined;
}
