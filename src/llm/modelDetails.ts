// GET /models with what some endpoints report beyond the id: the context window and the output limit, under the
// names OpenRouter, LiteLLM, vLLM and CometAPI-style gateways use. Absent fields stay undefined.
import { createClient, type Connection } from './chatClient';

export interface ModelDetails {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** `input_modalities` / `architecture.input_modalities`, where reported. */
  inputModalities?: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const positive = (...values: unknown[]): number | undefined => values.find((v): v is number => typeof v === 'number' && v > 0);

export async function listModelDetails(connection: Connection, signal?: AbortSignal): Promise<ModelDetails[]> {
  const byId = new Map<string, ModelDetails>();
  for await (const model of createClient(connection).models.list({ signal })) {
    if (model?.id && !byId.has(model.id)) byId.set(model.id, readDetails(model as unknown as Json));
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function readDetails(raw: Json): ModelDetails {
  const top = isObject(raw.top_provider) ? raw.top_provider : {};
  const architecture = isObject(raw.architecture) ? raw.architecture : {};
  const modalities = Array.isArray(raw.input_modalities) ? raw.input_modalities : architecture.input_modalities;
  const details: ModelDetails = { id: String(raw.id) };
  const context = positive(raw.context_length, raw.context_window, raw.max_context_length, raw.max_model_len, top.context_length, raw.max_input_tokens);
  const output = positive(raw.max_output_tokens, raw.max_completion_tokens, top.max_completion_tokens, raw.max_tokens);
  if (context) details.contextWindow = context;
  if (output) details.maxOutputTokens = output;
  if (Array.isArray(modalities)) details.inputModalities = modalities.filter((m): m is string => typeof m === 'string');
  return details;
}
