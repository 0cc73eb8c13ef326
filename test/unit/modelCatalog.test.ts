// The one GET /models cache: one listing serves every caller per endpoint and key, within the TTL; another key or
// base URL is another entry; invalidation forgets everything; failures are kept briefly, and the picker can retry.
import * as assert from 'node:assert/strict';
import { ModelCatalog } from '../../src/core/modelCatalog';
import { ReportedWindows } from '../../src/core/reportedWindows';
import { validateSettings } from '../../src/core/settings';
import type { ModelInfo } from '../../src/llm/models';

function counting(answer: (baseUrl: string, apiKey: string | undefined) => Promise<ModelInfo[]> = async () => [{ id: 'a', contextWindow: 64_000 }]) {
  const calls: Array<[string, string | undefined]> = [];
  return { calls, fetch: (baseUrl: string, apiKey: string | undefined) => (calls.push([baseUrl, apiKey]), answer(baseUrl, apiKey)) };
}

describe('the shared model catalog', () => {
  const url = 'https://api.example.com/v1';

  it('lists once for callers at once and later ones within the TTL', async () => {
    let now = 0;
    const source = counting();
    const catalog = new ModelCatalog(source.fetch, { ttlMs: 1000, now: () => now });
    const [a, b] = await Promise.all([catalog.list(url, 'k1'), catalog.list(`${url}/`, 'k1')]);
    assert.deepEqual(a, b);
    now = 999;
    await catalog.list(url, 'k1');
    assert.equal(source.calls.length, 1);
    now = 1000;
    await catalog.list(url, 'k1');
    assert.equal(source.calls.length, 2, 'past the TTL it lists again');
  });

  it('keeps another key and another base URL apart, and holds no key in its keys', async () => {
    const source = counting();
    const catalog = new ModelCatalog(source.fetch);
    await catalog.list(url, 'k1');
    await catalog.list(url, 'k2');
    await catalog.list(url, undefined);
    await catalog.list('https://api.example.com/other/v1', 'k1');
    assert.equal(source.calls.length, 4);
    const keys = [...(catalog as unknown as { entries: Map<string, unknown> }).entries.keys()];
    assert.ok(keys.every(key => !key.includes('k1') && !key.includes('k2')), keys.join(', '));
  });

  it('forgets everything on invalidate, and does not put back a listing that ends after it', async () => {
    let release: (models: ModelInfo[]) => void = () => undefined;
    const source = counting(() => new Promise(resolve => (release = resolve)));
    const catalog = new ModelCatalog(source.fetch);
    const first = catalog.list(url, 'k');
    catalog.invalidate();
    release([{ id: 'old' }]);
    await first;
    const second = catalog.list(url, 'k');
    release([{ id: 'new' }]);
    assert.deepEqual(await second, [{ id: 'new' }]);
    assert.equal(source.calls.length, 2);
  });

  it('remembers a failure briefly; retryFailed asks again at once', async () => {
    let now = 0;
    let fail = true;
    const source = counting(async () => {
      if (fail) throw new Error('404');
      return [{ id: 'a' }];
    });
    const catalog = new ModelCatalog(source.fetch, { failureTtlMs: 100, now: () => now });
    await assert.rejects(catalog.list(url, 'k'));
    await assert.rejects(catalog.list(url, 'k'));
    assert.equal(source.calls.length, 1, 'the failure is remembered');
    fail = false;
    assert.deepEqual(await catalog.list(url, 'k', { retryFailed: true }), [{ id: 'a' }]);
    assert.equal(source.calls.length, 2);
    fail = true;
    now = 50;
    assert.deepEqual(await catalog.list(url, 'k'), [{ id: 'a' }], 'a success lasts the full TTL');
  });

  it('serves the context-window lookup from the same listing', async () => {
    const source = counting();
    const catalog = new ModelCatalog(source.fetch);
    const settings = validateSettings({ baseUrl: url, model: 'a' });
    assert.ok(settings.ok);
    const windows = new ReportedWindows((s, key) => catalog.list(s.baseUrl, key));
    assert.equal(await windows.windowFor(settings.settings, 'k'), 64_000);
    assert.deepEqual((await catalog.list(url, 'k')).map(m => m.id), ['a']);
    assert.equal(source.calls.length, 1, 'one fetch for the lookup and a later listing');
  });
});
