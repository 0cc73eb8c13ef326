// A compact token estimate instead of a tokenizer (a full one's data is megabytes; the VSIX budget is 400 KB): text
// counts at 3 characters a token, which over-counts English and code a little, and an image at a flat 800 tokens.
// The ratio between the server's own `usage.prompt_tokens` and the estimate of what was sent calibrates it per model,
// but never below 0.75 (4 characters a token), so one odd usage report cannot make Comet overfill the window.
import type { ChatMessage } from '../llm/request';

const CHARS_PER_TOKEN = 3;
const IMAGE_TOKENS = 800;
const MESSAGE_OVERHEAD = 4;
const MIN_RATIO = 0.75;
const MAX_RATIO = 3;

/** The uncalibrated estimate of a list of messages (and any extra text, such as the tool definitions). */
export function estimateTokens(messages: readonly ChatMessage[], extraText = ''): number {
  let tokens = Math.ceil(extraText.length / CHARS_PER_TOKEN);
  for (const message of messages) tokens += MESSAGE_OVERHEAD + contentTokens(message);
  return tokens;
}

function contentTokens(message: ChatMessage): number {
  let chars = 0;
  let images = 0;
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') chars += content.length;
  else if (Array.isArray(content)) {
    for (const part of content as Array<{ type: string; text?: string }>) {
      if (part.type === 'image_url') images++;
      else chars += part.text?.length ?? 0;
    }
  }
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) chars += call.type === 'function' ? call.function.name.length + call.function.arguments.length + 10 : 0;
  }
  // The thinking sent back to the families that need it (reasoningHistory) is sent too.
  const reasoning = (message as { reasoning_content?: unknown }).reasoning_content;
  if (typeof reasoning === 'string') chars += reasoning.length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS;
}

/** Learns, per model, how the server's token count compares with the estimate. */
export class TokenCalibration {
  private readonly ratios = new Map<string, number>();

  ratio(model: string): number {
    return this.ratios.get(model) ?? 1;
  }

  /** Calibrated tokens for an estimate. */
  calibrated(model: string, estimate: number): number {
    return Math.ceil(estimate * this.ratio(model));
  }

  /** After a reply: the estimate of the request's messages and the prompt tokens the server counted. */
  record(model: string, estimate: number, promptTokens: number): void {
    if (estimate < 50 || promptTokens <= 0) return; // too small to say anything about the ratio
    const seen = Math.min(MAX_RATIO, Math.max(MIN_RATIO, promptTokens / estimate));
    const previous = this.ratios.get(model);
    this.ratios.set(model, previous === undefined ? seen : previous * 0.5 + seen * 0.5);
  }
}
