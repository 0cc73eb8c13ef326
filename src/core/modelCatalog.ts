// The one cache of an endpoint's GET /models, shared by the model picker, the context-window lookup and VS Code's
// chat (the Language Model Chat Provider): one fetch serves all three. Entries are keyed by the base URL (its origin
// and path: two gateways on one host list different models) and the key's identity, so another key or endpoint never
// sees this one's list; they last a TTL, and the host drops them all when comet.baseUrl or a key changes. Callers
// asking at once share one request. A failed listing is kept only briefly, so an endpoint without the list is not
// asked on every question, while the picker (someone is waiting) can ask again at once.
import type { ModelInfo } from '../llm/models';

export type ModelListFetch = (baseUrl: string, apiKey: string | undefined) => Promise<ModelInfo[]>;

export interface ModelCatalogOptions {
  /** How long a listing is kept. */
  ttlMs?: number;
  /** How long a failed listing is remembered as failed. */
  failureTtlMs?: number;
  now?: () => number;
}

export const MODEL_LIST_TTL_MS = 10 * 60_000;
const FAILURE_TTL_MS = 60_000;

interface Entry {
  at: number;
  models: Promise<ModelInfo[]>;
  failed: boolean;
}

export class ModelCatalog {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  private generation = 0;

  constructor(private readonly fetchList: ModelListFetch, options: ModelCatalogOptions = {}) {
    this.ttlMs = options.ttlMs ?? MODEL_LIST_TTL_MS;
    this.failureTtlMs = options.failureTtlMs ?? FAILURE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The endpoint's models, from the cache when fresh. Rejects as the listing did; `retryFailed` asks again at once
   *  when the last listing failed. */
  list(baseUrl: string, apiKey: string | undefined, options: { retryFailed?: boolean } = {}): Promise<ModelInfo[]> {
    const key = cacheKey(baseUrl, apiKey);
    const entry = this.entries.get(key);
    const age = entry ? this.now() - entry.at : Infinity;
    if (entry && age < (entry.failed ? this.failureTtlMs : this.ttlMs) && !(entry.failed && options.retryFailed)) return entry.models;
    return this.fetch(key, baseUrl, apiKey);
  }

  /** Forgets every listing (another endpoint or key: what was listed may no longer be what the user has). */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  private fetch(key: string, baseUrl: string, apiKey: string | undefined): Promise<ModelInfo[]> {
    const generation = this.generation;
    const entry: Entry = { at: this.now(), models: this.fetchList(baseUrl, apiKey), failed: false };
    this.entries.set(key, entry);
    entry.models.catch(() => {
      // A listing that ends after an invalidation is not put back; a failure is remembered for a short while.
      if (generation === this.generation && this.entries.get(key) === entry) Object.assign(entry, { at: this.now(), failed: true });
    });
    return entry.models;
  }
}

/** The base URL without a trailing slash, and the key as a short hash: the cache holds no key. */
function cacheKey(baseUrl: string, apiKey: string | undefined): string {
  return `${baseUrl.replace(/\/+$/, '')} ${apiKey === undefined ? '-' : fnv1a(apiKey)}`;
}

// FNV-1a, 32 bits twice (two seeds): an identity for the cache, not a secret's protection.
function fnv1a(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193 + 2);
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
}
