// The context window an endpoint's GET /models reports for the model in use, read from the shared model catalog
// (see ./modelCatalog: one listing serves the picker, this and VS Code's chat). A question waits for the listing only
// briefly: past that it goes without, and the listing, still running, fills the cache for the next one. An endpoint
// without the list simply reports none.
import type { ModelInfo } from '../llm/models';
import type { Settings } from './settings';

const WAIT_MS = 3000;

export type ModelLister = (settings: Settings, apiKey: string | undefined) => Promise<ModelInfo[]>;

export class ReportedWindows {
  constructor(private readonly list: ModelLister) {}

  async windowFor(settings: Settings, apiKey: string | undefined): Promise<number | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ModelInfo[]>(resolve => (timer = setTimeout(() => resolve([]), WAIT_MS)));
    try {
      const models = await Promise.race([this.list(settings, apiKey), timeout]);
      return models.find(model => model.id === settings.model)?.contextWindow;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
