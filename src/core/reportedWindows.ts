// The context windows an endpoint's GET /models reports, fetched once per endpoint (in the background of the first
// question, bounded by a short wait) and kept for ten minutes; an endpoint without the list simply reports none.
import type { ModelInfo } from '../llm/models';
import type { Settings } from './settings';

const KEEP_MS = 10 * 60_000;
const WAIT_MS = 3000;

export type ModelLister = (settings: Settings, apiKey: string | undefined) => Promise<ModelInfo[]>;

export class ReportedWindows {
  private readonly cache = new Map<string, { at: number; windows: Promise<Map<string, number>> }>();

  constructor(private readonly list: ModelLister) {}

  async windowFor(settings: Settings, apiKey: string | undefined): Promise<number | undefined> {
    let entry = this.cache.get(settings.baseUrl);
    if (!entry || Date.now() - entry.at > KEEP_MS) {
      entry = { at: Date.now(), windows: this.fetch(settings, apiKey) };
      this.cache.set(settings.baseUrl, entry);
    }
    return (await entry.windows).get(settings.model);
  }

  private async fetch(settings: Settings, apiKey: string | undefined): Promise<Map<string, number>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ModelInfo[]>(resolve => (timer = setTimeout(() => resolve([]), WAIT_MS)));
    try {
      const models = await Promise.race([this.list(settings, apiKey), timeout]);
      return new Map(models.flatMap(model => (model.contextWindow ? [[model.id, model.contextWindow] as const] : [])));
    } catch {
      return new Map();
    } finally {
      clearTimeout(timer);
    }
  }
}
