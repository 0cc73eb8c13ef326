// What VS Code's chat is told about each model: family, limits and capabilities, from what the endpoint reported
// and, where it said nothing, a small table of known families. The window is the panel's (contextWindow.ts): the
// user's comet.contextWindow for comet.model, else what the endpoint reported, else the known table.
import type { ModelInfo } from '../../llm/models';
import { answerReserve, contextWindowFor, DEFAULT_ANSWER_TOKENS } from '../contextWindow';
import { hostOf } from '../credentials';

export interface NativeModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
}

interface Family {
  pattern: RegExp;
  toolCalling: boolean;
  imageInput: boolean;
}

// First match wins. Families that see images and call tools, those that only call tools, and those that do neither.
const FAMILIES: Family[] = [
  { pattern: /vl\b|vision|-4v|llava|pixtral/i, toolCalling: true, imageInput: true },
  { pattern: /^(gpt-4o|gpt-4\.1|gpt-5|o[134]\b|o[134]-|claude|gemini|grok-4|llama-4)/i, toolCalling: true, imageInput: true },
  { pattern: /^(gpt-4|gpt-3\.5|deepseek|qwen|kimi|glm|mistral|grok|llama-3|command)/i, toolCalling: true, imageInput: false },
  { pattern: /embed|whisper|tts|dall-e|image|moderation|rerank|sora|midjourney|suno/i, toolCalling: false, imageInput: false },
];

/** `windowSetting`: comet.contextWindow, where this is comet.model (the setting is that model's window);
 *  `maxTokens`: comet.maxTokens, which every request carries, so the answer's room is that. */
export function nativeModelInfo(details: ModelInfo, baseUrl: string, windowSetting?: number, maxTokens?: number): NativeModelInfo {
  const family = familyOf(details.id);
  const known = FAMILIES.find(f => f.pattern.test(family));
  const context = contextWindowFor(details.id, windowSetting, details.contextWindow).tokens;
  const output = Math.min(details.maxOutputTokens ?? DEFAULT_ANSWER_TOKENS, context);
  const imageInput = details.inputModalities ? details.inputModalities.includes('image') : (known?.imageInput ?? false);
  return {
    id: details.id,
    name: details.id,
    family,
    version: details.id,
    detail: hostOf(baseUrl),
    tooltip: `${details.id} through ${hostOf(baseUrl)} (Comet)`,
    // VS Code budgets the prompt with maxInputTokens; the reply needs its room out of the same window, as much as
    // the panel keeps for it (at most a quarter, so a small comet.contextWindow still leaves room to ask).
    maxInputTokens: Math.max(1, context - answerReserve(context, maxTokens ?? output)),
    maxOutputTokens: output,
    capabilities: { toolCalling: known?.toolCalling ?? true, imageInput },
  };
}

/** `openai/gpt-4o-2024-08-06` -> `gpt-4o`: no provider prefix, no date or `-latest` suffix. */
export function familyOf(id: string): string {
  const name = id.slice(id.lastIndexOf('/') + 1);
  return name.replace(/[-@](\d{4}-?\d{2}-?\d{2}|\d{4}|latest|preview)$/i, '') || name;
}
