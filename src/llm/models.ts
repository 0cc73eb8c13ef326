// The models an endpoint offers, through the SDK's GET /models. Some OpenAI-compatible servers lack the endpoint;
// callers fall back to a typed model id. Where the list says how big a model's window is, under whichever name the
// gateway uses (`context_length`, `max_input_tokens`, `context_window`, `max_model_len`, nested under
// `top_provider`, `model_info`, `limits`, `capabilities`, `meta`), that is read too.
import { createClient, type Connection } from './chatClient';

export interface ModelInfo {
  id: string;
  /** Input tokens the model takes, where the endpoint says. */
  contextWindow?: number;
  /** Output tokens of one answer, where the endpoint says. */
  maxOutputTokens?: number;
  /** `input_modalities` (or `architecture.input_modalities`), where reported: `image` means it sees images. */
  inputModalities?: string[];
}

const WINDOW_KEYS = ['max_input_tokens', 'context_length', 'context_window', 'max_context_length', 'max_context_window_tokens', 'max_prompt_tokens', 'max_model_len', 'inputTokenLimit', 'input_token_limit', 'context', 'n_ctx', 'n_ctx_train'];
const OUTPUT_KEYS = ['max_output_tokens', 'max_completion_tokens', 'outputTokenLimit', 'output_token_limit', 'max_tokens'];
const NESTED_KEYS = ['top_provider', 'model_info', 'limits', 'limit', 'capabilities', 'meta', 'metadata', 'model_spec', 'info', 'details'];

export async function listModelInfo(connection: Connection, signal?: AbortSignal): Promise<ModelInfo[]> {
  const byId = new Map<string, ModelInfo>();
  for await (const model of createClient(connection).models.list({ signal })) {
    if (!model?.id || byId.has(model.id)) continue;
    byId.set(model.id, modelInfo(model as unknown as Record<string, unknown>));
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export async function listModels(connection: Connection, signal?: AbortSignal): Promise<string[]> {
  return (await listModelInfo(connection, signal)).map(model => model.id);
}

export function modelInfo(raw: Record<string, unknown>): ModelInfo {
  const info: ModelInfo = { id: String(raw.id) };
  const window = findNumber(raw, WINDOW_KEYS, 0);
  const output = findNumber(raw, OUTPUT_KEYS, 0);
  if (window) info.contextWindow = window;
  if (output) info.maxOutputTokens = output;
  const architecture = raw.architecture && typeof raw.architecture === 'object' ? (raw.architecture as Record<string, unknown>) : {};
  const modalities = Array.isArray(raw.input_modalities) ? raw.input_modalities : architecture.input_modalities;
  if (Array.isArray(modalities)) info.inputModalities = modalities.filter((m): m is string => typeof m === 'string');
  return info;
}

// The first positive number under one of `keys`, at this level before any nested one, three levels deep at most.
function findNumber(value: Record<string, unknown>, keys: string[], depth: number): number | undefined {
  for (const key of keys) {
    const found = asTokens(value[key]);
    if (found) return found;
  }
  if (depth >= 3) return undefined;
  for (const key of NESTED_KEYS) {
    const nested = value[key];
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      const found = findNumber(nested as Record<string, unknown>, keys, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function asTokens(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 256 ? Math.floor(number) : undefined;
}
