// How big a model's context window is, and where that number came from: the user's comet.contextWindow when set
// (they know their server, e.g. an Ollama num_ctx below the model's nominal window), else what the endpoint's
// GET /models reported, else a table of known families, else a safe default.
import { modelFamily } from '../llm/modelRules';

export type WindowSource = 'setting' | 'endpoint' | 'known model' | 'default';

export interface ContextWindow {
  tokens: number;
  source: WindowSource;
}

export const DEFAULT_CONTEXT_WINDOW = 32_768;

// Input windows, conservative where a family has several sizes.
const KNOWN_FAMILIES: Array<[RegExp, number]> = [
  [/^gpt-5/, 272_000],
  [/^gpt-4\.1/, 1_000_000],
  [/^(?:chat)?gpt-4o|^gpt-4-turbo/, 128_000],
  [/^o\d/, 200_000],
  [/^claude/, 200_000],
  [/^gemini/, 1_000_000],
  [/^deepseek/, 128_000],
  [/^kimi-k2/, 262_144],
  [/^grok-4/, 256_000],
  [/^(?:qwen|llama|mistral|gemma)/, 32_768],
];

export function contextWindowFor(model: string, setting: number | undefined, reported?: number): ContextWindow {
  if (setting && setting > 0) return { tokens: setting, source: 'setting' };
  if (reported && reported > 0) return { tokens: reported, source: 'endpoint' };
  const family = modelFamily(model);
  const moonshot = /^moonshot-v1-(\d+)k/.exec(family);
  if (moonshot) return { tokens: Number(moonshot[1]) * 1024, source: 'known model' };
  const known = KNOWN_FAMILIES.find(([pattern]) => pattern.test(family));
  return known ? { tokens: known[1], source: 'known model' } : { tokens: DEFAULT_CONTEXT_WINDOW, source: 'default' };
}

/** The answer's room when nothing says how long it may be. */
export const DEFAULT_ANSWER_TOKENS = 8192;

/** Tokens kept free for the answer: comet.maxTokens (or the model's output limit) when known, else 8k; at most a
 *  quarter of the window. */
export function answerReserve(window: number, maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? DEFAULT_ANSWER_TOKENS, Math.floor(window / 4));
}

/** "31k" */
export function shortTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${Math.round(tokens / 1000)}k`;
  return `${Math.round(tokens / 100_000) / 10}M`;
}
