// What counts as a server answering. Keep-alives do not: SSE comments (the SDK drops them), chunks with no choices
// and no usage, and chunks whose delta adds nothing (`{}`, `{"role": "assistant"}`, `{"content": ""}`). A chunk
// answers when it adds text, reasoning, a tool call, a finish reason or usage, in any of the shapes the accumulator
// reads.
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const filled = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

export function chunkAnswers(chunk: unknown): boolean {
  if (!isObject(chunk)) return false;
  if (isObject(chunk.usage)) return true;
  if (!Array.isArray(chunk.choices)) return false;
  for (const choice of chunk.choices) {
    if (!isObject(choice)) continue;
    if (filled(choice.finish_reason)) return true;
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : undefined;
    if (delta && deltaAnswers(delta)) return true;
  }
  return false;
}

function deltaAnswers(delta: Json): boolean {
  if (filled(delta.reasoning_content) || filled(delta.reasoning) || filled(delta.refusal)) return true;
  const content = delta.content;
  if (filled(content)) return true;
  if (Array.isArray(content) && content.some(part => filled(part) || (isObject(part) && (filled(part.text) || filled(part.thinking))))) return true;
  const calls = delta.tool_calls;
  if (Array.isArray(calls) && calls.some(call => isObject(call) && (filled(call.id) || (isObject(call.function) && (filled(call.function.name) || argumentsAnswer(call.function.arguments)))))) return true;
  const legacy = delta.function_call;
  return isObject(legacy) && (filled(legacy.name) || argumentsAnswer(legacy.arguments));
}

const argumentsAnswer = (args: unknown): boolean => filled(args) || isObject(args);
