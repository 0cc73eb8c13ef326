// The context window an endpoint's GET /models reports for the model in use, read from the shared model catalog
// (see ./modelCatalog: one listing serves the picker, this and VS Code's chat). An endpoint without the list simply
// reports none.
//
// A question waits for a listing that is not in yet only when the window could change what is sent: a request well
// inside the window assumed without it (the model's family, or the default) is sent at once, and the listing, still
// running, fills the cache for the next question. Waiting put a GET /models round trip (a gateway's list of hundreds
// of models) before the first question of every window and before the first one after each listing expired. While a
// newer listing is on its way, the window the endpoint last reported stands in for it.
import type { ModelInfo } from '../llm/models';
import { contextWindowFor } from './contextWindow';
import type { Settings } from './settings';

/** The longest a question waits for a listing. */
const WAIT_MS = 3000;
/** Requests up to this many tokens (and a quarter of the assumed window) do not wait: with a quarter kept for the
 *  answer, they fit any window of 4k tokens or more (local servers such as vLLM report windows of 4k-8k). */
const NO_WAIT_TOKENS = 2048;
/** Endpoints and models whose last reported window is remembered; the oldest give way. */
const MAX_REMEMBERED = 64;

export type ModelLister = (settings: Settings, apiKey: string | undefined) => Promise<ModelInfo[]>;

export class ReportedWindows {
  private readonly lastReported = new Map<string, number | undefined>();

  constructor(private readonly list: ModelLister) {}

  /** `requestTokens`: the estimated size of what the question would send. */
  async windowFor(settings: Settings, apiKey: string | undefined, requestTokens: number): Promise<number | undefined> {
    const key = `${settings.baseUrl} ${settings.model}`;
    const listed = this.list(settings, apiKey).then(models => {
      const window = models.find(model => model.id === settings.model)?.contextWindow;
      this.remember(key, window);
      return window;
    });
    const remembered = this.lastReported.has(key);
    const small = requestTokens <= Math.min(NO_WAIT_TOKENS, contextWindowFor(settings.model, undefined).tokens / 4);
    // A listing already in (the cache) settles in microtasks, before even a 0 ms timer.
    const waitMs = remembered || small ? 0 : WAIT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const notYet = new Promise<number | undefined>(resolve => (timer = setTimeout(() => resolve(this.lastReported.get(key)), waitMs)));
    try {
      // The race handles the listing's rejection too, also one that comes after the question went on.
      return await Promise.race([listed, notYet]);
    } catch {
      return this.lastReported.get(key);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(key: string, window: number | undefined): void {
    this.lastReported.delete(key);
    this.lastReported.set(key, window);
    if (this.lastReported.size > MAX_REMEMBERED) this.lastReported.delete(this.lastReported.keys().next().value!);
  }
}
