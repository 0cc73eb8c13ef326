// VS Code's chat asks every provider for its models at startup, silently. Comet answers that ask with the list the
// endpoint gave last time, remembered under the endpoint it came from: no chat bundle to load and no GET /models at
// startup. Any other ask, and every ask once the chat bundle is loaded, goes to the endpoint, and what the endpoint
// lists is remembered in turn (a failed listing is not).
import type { NativeModelInfo } from './modelInfo';

/** Where the list is kept (the extension's global state, shared by its windows). Versioned: a list remembered before
 *  the windows came from the panel's table (`.2`) told every unlisted model 128k, and is not recalled. */
export const REMEMBERED_MODELS_KEY = 'comet.rememberedChatModels.2';

/** Where lists were kept before: cleared when a list is remembered. */
export const FORMER_REMEMBERED_MODELS_KEYS = ['comet.rememberedChatModels'] as const;

/** A longer list is not remembered: it would be read with the global state at every startup. */
export const MAX_REMEMBERED_MODELS = 1_000;

export interface RememberedModels {
  /** Which endpoint listed them, under which settings: an opaque key (the host keeps a hash, not the URL). */
  endpoint: string;
  models: NativeModelInfo[];
}

/** What to keep of a listing from `endpoint`, or undefined for one too long to keep. */
export function rememberModels(endpoint: string, models: readonly NativeModelInfo[]): RememberedModels | undefined {
  return models.length <= MAX_REMEMBERED_MODELS ? { endpoint, models: [...models] } : undefined;
}

/** The remembered list if it came from `endpoint` and every entry is whole; otherwise undefined (ask the endpoint). */
export function recallModels(remembered: unknown, endpoint: string): NativeModelInfo[] | undefined {
  if (!remembered || typeof remembered !== 'object') return undefined;
  const { endpoint: from, models } = remembered as Partial<Record<keyof RememberedModels, unknown>>;
  if (from !== endpoint || !Array.isArray(models) || models.length > MAX_REMEMBERED_MODELS) return undefined;
  return models.every(isNativeModelInfo) ? models : undefined;
}

const STRING_FIELDS = ['id', 'name', 'family', 'version', 'detail', 'tooltip'] as const;
const COUNT_FIELDS = ['maxInputTokens', 'maxOutputTokens'] as const;

function isNativeModelInfo(value: unknown): value is NativeModelInfo {
  if (!value || typeof value !== 'object') return false;
  const info = value as Record<string, unknown>;
  const capabilities = info.capabilities as Record<string, unknown> | null | undefined;
  return STRING_FIELDS.every(field => typeof info[field] === 'string')
    && COUNT_FIELDS.every(field => Number.isSafeInteger(info[field]) && (info[field] as number) > 0)
    && typeof capabilities === 'object' && capabilities !== null
    && typeof capabilities.toolCalling === 'boolean' && typeof capabilities.imageInput === 'boolean';
}
